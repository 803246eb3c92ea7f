/* --line-format templates (docs/format.md, "Templates"). */
#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "formats.h"

typedef enum { SEG_LIT, SEG_SPACE, SEG_FIELD, SEG_SKIP } seg_kind;
typedef enum { TY_HEX, TY_DEC, TY_WORD } field_type;

typedef struct seg {
    seg_kind kind;
    wdg_field field;
    field_type type;
    char *lit;       /* SEG_LIT */
    size_t lit_len;
    size_t at, len;  /* where it stands in the template text, for messages */
} seg;

typedef struct tmpl {
    seg *segs;
    size_t n, cap;
} tmpl;

struct wdg_templates {
    tmpl *items;
    size_t n, cap;
};

/* Templates are quoted in messages up to this many bytes. */
enum { QUOTE_MAX = 120 };
#define QUOTE(text) (int)(strlen(text) > QUOTE_MAX ? QUOTE_MAX : strlen(text)), (text), \
                    (strlen(text) > QUOTE_MAX ? "..." : "")

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

/* Appends s, doubling the array when full: a template of many segments
 * compiles in linear time. */
static int push(tmpl *t, seg s)
{
    if (wdg_grow((void **)&t->segs, &t->cap, t->n + 1, sizeof *t->segs, 16) < 0)
        return -1;
    t->segs[t->n++] = s;
    return 0;
}

static int push_lit(tmpl *t, const char *text, const char *s, size_t n)
{
    if (!n)
        return 0;
    char *copy = malloc(n);
    if (!copy)
        return -1;
    memcpy(copy, s, n);
    seg sg = {SEG_LIT, F_UNKNOWN, TY_WORD, copy, n, (size_t)(s - text), n};
    if (push(t, sg) < 0) {
        free(copy);
        return -1;
    }
    return 0;
}

/* Compiles the field p..close ('{' to '}') into *sg. */
static int parse_field(const char *text, const char *p, const char *close, seg *sg,
                       wdg_error *err)
{
    *sg = (seg){SEG_SKIP, F_UNKNOWN, TY_WORD, NULL, 0, (size_t)(p - text),
                (size_t)(close - p + 1)};
    if (close - p == 2 && p[1] == '_')
        return 0;   /* {_} */
    const char *colon = memchr(p, ':', (size_t)(close - p));
    if (!colon)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--line-format: field '%.*s' needs a type (hex, dec, word)",
                             (int)(close - p + 1), p);
    sg->kind = SEG_FIELD;
    sg->field = wdg_field_lookup(p + 1, (size_t)(colon - p - 1));
    size_t tl = (size_t)(close - colon - 1);
    if (tl == 3 && memcmp(colon + 1, "hex", 3) == 0)
        sg->type = TY_HEX;
    else if (tl == 3 && memcmp(colon + 1, "dec", 3) == 0)
        sg->type = TY_DEC;
    else if (tl == 4 && memcmp(colon + 1, "word", 4) == 0)
        sg->type = TY_WORD;
    else
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--line-format: unknown type in '%.*s' (hex, dec, word)",
                             (int)(close - p + 1), p);
    /* an event field the field table can store from a word or a number */
    if (!wdg_field_is_event(sg->field) || wdg_field_type_of(sg->field) == FT_BOOL ||
        wdg_field_type_of(sg->field) == FT_END_REASON)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--line-format: '%.*s' is not an event field",
                             (int)(colon - p - 1), p + 1);
    if ((sg->field == F_OP) != (sg->type == TY_WORD))
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--line-format: '%.*s' must be {op:word} or a number field",
                             (int)(close - p + 1), p);
    return 0;
}

/* Splits text into segments: literals, spaces (a run of them is one) and
 * fields. */
static int compile(tmpl *t, const char *text, wdg_error *err)
{
    const char *lit = text;
    for (const char *p = text; *p;) {
        if (*p != ' ' && *p != '{') {
            p++;
            continue;
        }
        if (push_lit(t, text, lit, (size_t)(p - lit)) < 0)
            goto oom;
        seg sg = {SEG_SPACE, F_UNKNOWN, TY_WORD, NULL, 0, (size_t)(p - text), 0};
        if (*p == ' ') {
            while (*p == ' ')
                p++;
            sg.len = (size_t)(p - text) - sg.at;
        } else {
            const char *close = strchr(p, '}');
            if (!close)
                return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                     "--line-format: '{' without '}' in '%.*s%s'", QUOTE(text));
            int rc = parse_field(text, p, close, &sg, err);
            if (rc < 0)
                return rc;
            p = close + 1;
        }
        if (push(t, sg) < 0)
            goto oom;
        lit = p;
    }
    if (push_lit(t, text, lit, strlen(lit)) >= 0)
        return 0;
oom:
    return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
}

static int is_field(const seg *s) { return s->kind == SEG_FIELD || s->kind == SEG_SKIP; }

/* Why no line can ever match t, or NULL when some line can; *at is the
 * segment to quote.  The reasons follow from how match() reads a line. */
static const char *never_matches(const tmpl *t, size_t *at)
{
    for (size_t k = 0; k < t->n; k++) {
        const seg *s = &t->segs[k], *next = k + 1 < t->n ? &t->segs[k + 1] : NULL;
        *at = k;
        if (!next && (s->kind == SEG_SPACE ||
                      (s->kind == SEG_LIT && s->lit[s->lit_len - 1] == '\t')))
            return "it ends in white space, and a line's trailing white space is dropped";
        if (next && is_field(s) && is_field(next))
            return "two fields side by side: the first takes the whole word and leaves the "
                   "second nothing (put a literal or a space between them)";
        if (next && s->kind == SEG_SPACE && next->kind == SEG_LIT && next->lit[0] == '\t')
            return "a tab right after a space: the space already takes every space and tab";
    }
    return NULL;
}

static int check_tmpl(const tmpl *t, const char *text, wdg_error *err)
{
    int has_tid = 0, has_op = 0;
    for (size_t k = 0; k < t->n; k++) {
        has_tid |= t->segs[k].kind == SEG_FIELD && t->segs[k].field == F_TID;
        has_op |= t->segs[k].kind == SEG_FIELD &&
                  (t->segs[k].field == F_OP || t->segs[k].field == F_PC);
    }
    if (!has_tid || !has_op)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--line-format: '%.*s%s' must capture {tid:dec} and {op:word} "
                             "(or {pc:hex})", QUOTE(text));
    size_t at = 0;
    const char *why = never_matches(t, &at);
    if (!why)
        return 0;
    /* quote the offending spot: the segment and the one after it */
    const seg *s = &t->segs[at];
    size_t end = at + 1 < t->n ? t->segs[at + 1].at + t->segs[at + 1].len : s->at + s->len;
    if (end - s->at > QUOTE_MAX)
        end = s->at + QUOTE_MAX;
    return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                         "--line-format: '%.*s%s' can never match at '%.*s': %s", QUOTE(text),
                         (int)(end - s->at), text + s->at, why);
}

int wdg_templates_add(wdg_templates *ts, const char *text, wdg_error *err)
{
    /* checked first, so that every other message can quote the template
     * on one line */
    if (strchr(text, '\n'))
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--line-format: a template with a newline can never match (a "
                             "line has none)");
    tmpl t = {NULL, 0, 0};
    int rc = compile(&t, text, err);
    if (rc == 0)
        rc = check_tmpl(&t, text, err);
    if (rc == 0 && wdg_grow((void **)&ts->items, &ts->cap, ts->n + 1, sizeof *ts->items, 4) < 0)
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    if (rc < 0) {
        free_tmpl(&t);
        return rc;
    }
    ts->items[ts->n++] = t;
    return 0;
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* Stores a field's word: 0, -1 not a number, -2 out of range (an op name
 * of more than 255 bytes included), -3 out of memory. */
static int store(const seg *sg, const char *v, size_t vn, wdg_rec *rec)
{
    if (sg->type == TY_WORD)
        return wdg_rec_set_op(rec, v, vn);   /* never empty: a field takes a byte */
    int64_t iv = 0;
    int rc;
    if (sg->type == TY_HEX && wdg_field_is_address(sg->field)) {
        wdg_addr a = 0;
        rc = wdg_addr_parse(rec->sites, v, vn, &a);
        return rc < 0 ? rc : wdg_rec_set_addr(rec, sg->field, a);
    }
    if (sg->type == TY_HEX) {
        uint32_t h = 0;
        rc = wdg_parse_hex32(v, vn, &h);
        iv = h;
    } else {
        rc = wdg_parse_dec64(v, vn, &iv);
    }
    return rc < 0 ? rc : wdg_rec_set_int(rec, sg->field, iv);
}

/* Matches one template; LINE_IGNORED when the shape does not match. */
static wdg_line_kind match(const tmpl *t, const char *s, size_t n, wdg_rec *rec,
                           wdg_line_result *res)
{
    size_t i = 0;
    while (n && is_space(s[n - 1]))
        n--;
    wdg_rec_clear(rec);
    int bad = 0;
    const char *bad_field = NULL, *bad_what = NULL;
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
        int rc = store(sg, v, vn, rec);
        if (rc == -1)   /* not a number where one stands: another shape */
            return LINE_IGNORED;
        if (rc == -3)
            return LINE_NOMEM;
        if (rc < 0 && !bad) {
            /* kept until the whole line matched: the line may still have
             * another shape */
            bad = 1;
            bad_field = wdg_field_name(sg->field);
            bad_what = sg->type == TY_WORD ? "name too long" : "number out of range";
        }
    }
    if (i != n)
        return LINE_IGNORED;
    if (bad)
        return wdg_malformed(res, WDG_MAL_RANGE, "%s: %s", bad_field, bad_what);
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

/* --- the registry's entry ------------------------------------------------ */

/* A line looks like a template trace when some template matches it (as an
 * event or as a malformed line of the template's shape). */
static int template_looks(const wdg_templates *ts, const char *line, size_t n)
{
    wdg_rec rec;
    wdg_rec_init(&rec, NULL);   /* a wide address: a malformed line, still its shape */
    wdg_line_result res;
    return wdg_templates_parse(ts, line, n, &rec, &res) != LINE_IGNORED;
}

static wdg_line_kind template_parse_line(const wdg_format_ctx *c, const char *line,
                                         size_t len, wdg_rec *rec, wdg_line_result *res)
{
    return wdg_templates_parse(c->templates, line, len, rec, res);
}

const wdg_format_def wdg_format_template = {
    "template", WDG_FMT_TEMPLATES, template_looks, NULL, NULL, template_parse_line, NULL, NULL,
};
