/* --line-format templates (FORMATS.md section 3). */
#include <stdlib.h>
#include <string.h>

#include "formats.h"

typedef enum { SEG_LIT, SEG_SPACE, SEG_FIELD, SEG_SKIP } seg_kind;
typedef enum { TY_HEX, TY_DEC, TY_WORD } field_type;

typedef struct seg {
    seg_kind kind;
    wdg_field field;
    field_type type;
    char *lit;       /* SEG_LIT */
    size_t lit_len;
} seg;

typedef struct tmpl {
    seg *segs;
    size_t n;
} tmpl;

struct wdg_templates {
    tmpl *items;
    unsigned n;
};

int wdg_templates_new(wdg_templates **out, wdg_error *err)
{
    *out = calloc(1, sizeof **out);
    return *out ? 0 : wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
}

unsigned wdg_templates_count(const wdg_templates *ts) { return ts ? ts->n : 0; }

static void free_tmpl(tmpl *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->segs[i].lit);
    free(t->segs);
}

void wdg_templates_free(wdg_templates *ts)
{
    if (!ts)
        return;
    for (unsigned i = 0; i < ts->n; i++)
        free_tmpl(&ts->items[i]);
    free(ts->items);
    free(ts);
}

static int push(tmpl *t, seg s)
{
    seg *p = realloc(t->segs, (t->n + 1) * sizeof *p);
    if (!p)
        return -1;
    t->segs = p;
    t->segs[t->n++] = s;
    return 0;
}

static int push_lit(tmpl *t, const char *s, size_t n)
{
    if (!n)
        return 0;
    char *copy = malloc(n);
    if (!copy)
        return -1;
    memcpy(copy, s, n);
    seg sg = {SEG_LIT, F_UNKNOWN, TY_WORD, copy, n};
    if (push(t, sg) < 0) {
        free(copy);
        return -1;
    }
    return 0;
}

int wdg_templates_add(wdg_templates *ts, const char *text, wdg_error *err)
{
    tmpl t = {NULL, 0};
    int rc = 0, has_tid = 0, has_op = 0;
    const char *lit = text;
    for (const char *p = text; *p;) {
        if (*p == ' ') {
            if (push_lit(&t, lit, (size_t)(p - lit)) < 0)
                goto oom;
            while (*p == ' ')
                p++;
            if (push(&t, (seg){SEG_SPACE, F_UNKNOWN, TY_WORD, NULL, 0}) < 0)
                goto oom;
            lit = p;
            continue;
        }
        if (*p != '{') {
            p++;
            continue;
        }
        if (push_lit(&t, lit, (size_t)(p - lit)) < 0)
            goto oom;
        const char *close = strchr(p, '}');
        if (!close) {
            rc = wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                               "--line-format: '{' without '}' in '%s'", text);
            goto done;
        }
        const char *colon = memchr(p, ':', (size_t)(close - p));
        seg sg = {SEG_SKIP, F_UNKNOWN, TY_WORD, NULL, 0};
        if (close - p == 2 && p[1] == '_') {
            /* {_} */
        } else if (!colon) {
            rc = wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                               "--line-format: field '%.*s' needs a type (hex, dec, word)",
                               (int)(close - p + 1), p);
            goto done;
        } else {
            sg.kind = SEG_FIELD;
            sg.field = wdg_field_lookup(p + 1, (size_t)(colon - p - 1));
            size_t tl = (size_t)(close - colon - 1);
            if (tl == 3 && memcmp(colon + 1, "hex", 3) == 0)
                sg.type = TY_HEX;
            else if (tl == 3 && memcmp(colon + 1, "dec", 3) == 0)
                sg.type = TY_DEC;
            else if (tl == 4 && memcmp(colon + 1, "word", 4) == 0)
                sg.type = TY_WORD;
            else {
                rc = wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                   "--line-format: unknown type in '%.*s' (hex, dec, word)",
                                   (int)(close - p + 1), p);
                goto done;
            }
            if (sg.field == F_UNKNOWN || sg.field >= F_HEADER || sg.field == F_WAIT_ALL ||
                sg.field == F_SUSPENDED) {
                rc = wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                   "--line-format: '%.*s' is not an event field",
                                   (int)(colon - p - 1), p + 1);
                goto done;
            }
            if ((sg.field == F_OP) != (sg.type == TY_WORD)) {
                rc = wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                   "--line-format: '%.*s' must be {op:word} or a number field",
                                   (int)(close - p + 1), p);
                goto done;
            }
            has_tid |= sg.field == F_TID;
            has_op |= sg.field == F_OP || sg.field == F_PC;
        }
        if (push(&t, sg) < 0)
            goto oom;
        p = close + 1;
        lit = p;
    }
    if (push_lit(&t, lit, strlen(lit)) < 0)
        goto oom;
    if (!has_tid || !has_op) {
        rc = wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                           "--line-format: '%s' must capture {tid:dec} and {op:word} (or {pc:hex})",
                           text);
        goto done;
    }
    tmpl *items = realloc(ts->items, (ts->n + 1) * sizeof *items);
    if (!items)
        goto oom;
    ts->items = items;
    ts->items[ts->n++] = t;
    return 0;
oom:
    rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
done:
    free_tmpl(&t);
    return rc;
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* Matches one template; LINE_IGNORED when the shape does not match. */
static wdg_line_kind match(const tmpl *t, const char *s, size_t n, wdg_rec *rec,
                           wdg_line_result *res)
{
    size_t i = 0;
    while (n && is_space(s[n - 1]))
        n--;
    wdg_rec_clear(rec);
    int bad = 0, bad_reason = 0;
    const char *bad_field = NULL;
    for (size_t k = 0; k < t->n; k++) {
        const seg *sg = &t->segs[k];
        if (sg->kind == SEG_LIT) {
            if (n - i < sg->lit_len || memcmp(s + i, sg->lit, sg->lit_len) != 0)
                return LINE_IGNORED;
            i += sg->lit_len;
            continue;
        }
        if (sg->kind == SEG_SPACE) {
            if (i >= n || !is_space(s[i]))
                return LINE_IGNORED;
            while (i < n && is_space(s[i]))
                i++;
            continue;
        }
        /* a field or {_}: a run of non-space characters, stopping before the
         * next literal's first character when one follows directly */
        char stop = 0;
        if (k + 1 < t->n && t->segs[k + 1].kind == SEG_LIT)
            stop = t->segs[k + 1].lit[0];
        size_t e = i;
        while (e < n && !is_space(s[e]) && s[e] != stop)
            e++;
        if (e == i)
            return LINE_IGNORED;
        if (sg->kind == SEG_SKIP) {
            i = e;
            continue;
        }
        const char *v = s + i;
        size_t vn = e - i;
        i = e;
        if (sg->type == TY_WORD) {
            rec->op = v;
            rec->op_len = vn;
            rec->have |= R_OP;
            continue;
        }
        int rc;
        int64_t iv = 0;
        uint32_t av = 0;
        if (sg->type == TY_HEX) {
            rc = wdg_parse_hex32(v, vn, &av);
            iv = av;
        } else {
            rc = wdg_parse_dec64(v, vn, &iv);
        }
        if (rc == -1) {
            /* not a number where one stands: the line has another shape */
            return LINE_IGNORED;
        }
        if (rc == 0 && (sg->field == F_TID || sg->field == F_NEW_TID ||
                        sg->field == F_COUNT || wdg_field_is_address(sg->field)) &&
            (iv < 0 || iv > UINT32_MAX))
            rc = -2;
        if (rc == 0 && sg->field == F_T && iv < 0)
            rc = -2;
        if (rc == -2 && !bad) {
            bad = 1;
            bad_reason = WDG_MAL_RANGE;
            bad_field = wdg_field_name(sg->field);
            continue;
        }
        av = (uint32_t)iv;
        switch (sg->field) {
        case F_T: rec->t = iv, rec->have |= R_T; break;
        case F_CYCLE: rec->cycle = iv, rec->have |= R_CYCLE; break;
        case F_TID: rec->tid = av, rec->have |= R_TID; break;
        case F_NEW_TID: rec->new_tid = av, rec->have |= R_NEW_TID; break;
        case F_COUNT: rec->count = av, rec->have |= R_COUNT; break;
        case F_TIMEOUT: rec->timeout = iv, rec->have |= R_TIMEOUT; break;
        case F_RET: rec->ret = iv, rec->have |= R_RET; break;
        case F_LR: rec->lr = av, rec->have |= R_LR; break;
        case F_PC: rec->pc = av, rec->have |= R_PC; break;
        case F_OBJ: rec->obj = av, rec->have |= R_OBJ; break;
        case F_OBJS:
            rec->objs[0] = av, rec->n_objs = 1, rec->have |= R_OBJS; break;
        case F_FRAMES:
            rec->frames[0] = av, rec->n_frames = 1, rec->have |= R_FRAMES; break;
        case F_ENTRY_PC: rec->entry_pc = av, rec->have |= R_ENTRY; break;
        case F_ALIAS: rec->alias = av, rec->have |= R_ALIAS; break;
        default: break;
        }
    }
    if (i != n)
        return LINE_IGNORED;
    if (bad)
        return wdg_malformed(res, bad_reason, "%s: number out of range", bad_field);
    return LINE_EVENT;
}

wdg_line_kind wdg_templates_parse(const wdg_templates *ts, const char *line, size_t len,
                                  wdg_rec *rec, wdg_line_result *res)
{
    for (unsigned i = 0; ts && i < ts->n; i++) {
        wdg_line_kind k = match(&ts->items[i], line, len, rec, res);
        if (k != LINE_IGNORED)
            return k;
    }
    return LINE_IGNORED;
}
