/* xenia logs (docs/format.md, "xenia logs"): kernel-call lines, thread lines,
 * import table lines and key=value instrumentation lines. */
#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "../base/map.h"
#include "../model/trace_build.h"
#include "../base/swar.h"
#include "formats.h"

#define MAX_ARGS 16
#define NO_PENDING UINT64_MAX   /* pending slot value: no ExCreateThread waiting */

/* A debug-level log writes a stock call line and an audit key=value line
 * for the same call.  Each logging thread remembers its last event line
 * until its next line, which may be the partner: one slot per thread. */
enum { PART_NONE, PART_STOCK, PART_AUDIT };

typedef struct partner {
    size_t event;      /* index in trace->events */
    uint32_t op, obj;
    uint8_t kind;      /* PART_* */
    uint8_t has_obj;
} partner;

struct wdg_xenia {
    wdg_ops *ops;
    wdg_map bind;      /* handle -> tid */
    wdg_map pending;   /* logging handle -> entry_pc | suspended << 32 */
    size_t *unbound;   /* events whose tid is still a raw handle */
    size_t n_unbound, cap_unbound;
    wdg_map slot_of;   /* logging handle -> index + 1 into partners */
    partner *partners;
    size_t n_partners, cap_partners;
};

int wdg_xenia_new(wdg_xenia **out, wdg_ops *ops)
{
    wdg_xenia *x = calloc(1, sizeof *x);
    if (!x)
        return WDG_ENOMEM;
    x->ops = ops;
    *out = x;
    return 0;
}

void wdg_xenia_free(wdg_xenia *x)
{
    if (!x)
        return;
    wdg_map_free(&x->bind);
    wdg_map_free(&x->pending);
    wdg_map_free(&x->slot_of);
    free(x->partners);
    free(x->unbound);
    free(x);
}

static int is_hex_digit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_space(char c) { return c == ' ' || c == '\t'; }

/* "L> HHHHHHHH " -> handle and message. */
static int split_prefix(const char *line, size_t len, uint32_t *handle,
                        const char **msg, size_t *msg_len)
{
    if (len < 12 || !strchr("!widCAGKF", line[0]) || !line[0] || line[1] != '>' ||
        line[2] != ' ' || line[11] != ' ')
        return 0;
#ifdef WDG_SWAR
    uint64_t w = load8((const unsigned char *)line + 3);
    if (hex_run(w) < 8)
        return 0;
    *handle = (uint32_t)hex_value(w, 8);
#else
    for (int i = 3; i < 11; i++)
        if (!is_hex_digit(line[i]))
            return 0;
    if (wdg_parse_hex32(line + 3, 8, handle) < 0)
        return 0;
#endif
    *msg = line + 12;
    *msg_len = len - 12;
    return 1;
}

static size_t skip_spaces(const char *s, size_t i, size_t n)
{
    while (i < n && is_space(s[i]))
        i++;
    return i;
}

static size_t word_end(const char *s, size_t i, size_t n)
{
#ifdef WDG_SWAR
    for (; n - i >= 8; i += 8) {   /* every line is words: eight bytes at a time */
        uint64_t sp = space_or_tab(load8((const unsigned char *)s + i));
        if (sp)
            return i + ((unsigned)__builtin_ctzll(sp) >> 3);
    }
#endif
    while (i < n && !is_space(s[i]))
        i++;
    return i;
}

/* "   F 82000760 82475864 09D ( 157)    KeSetEvent" */
static int parse_import(const char *s, size_t n, uint32_t *thunk, const char **name,
                        size_t *name_len)
{
    size_t i = skip_spaces(s, 0, n);
    if (i >= n || s[i] != 'F' || i + 1 >= n || !is_space(s[i + 1]))
        return 0;
    uint32_t v;
    i = skip_spaces(s, i + 1, n);
    size_t e = word_end(s, i, n);
    if (e - i != 8 || wdg_parse_hex32(s + i, 8, &v) < 0)
        return 0;
    i = skip_spaces(s, e, n);
    e = word_end(s, i, n);
    if (e - i != 8 || wdg_parse_hex32(s + i, 8, thunk) < 0)
        return 0;
    i = skip_spaces(s, e, n);
    e = word_end(s, i, n);
    if (e == i || wdg_parse_hex32(s + i, e - i, &v) < 0)
        return 0;
    i = skip_spaces(s, e, n);
    if (i >= n || s[i] != '(')
        return 0;
    const char *close = memchr(s + i, ')', n - i);
    if (!close)
        return 0;
    i = skip_spaces(s, (size_t)(close - s) + 1, n);
    if (i + 1 < n && s[i] == '!' && s[i + 1] == '!')
        i = skip_spaces(s, i + 2, n);
    e = word_end(s, i, n);
    if (e == i || skip_spaces(s, e, n) != n)
        return 0;
    *name = s + i;
    *name_len = e - i;
    return 1;
}

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == ':';
}

/* A word (a run of bytes other than space and tab) of more than n bytes
 * starts with name (n bytes, its last one '=') at i. */
static int word_at(const char *msg, size_t len, size_t i, const char *name, size_t n)
{
    return i + n < len && (i == 0 || is_space(msg[i - 1])) && !is_space(msg[i + n]) &&
           memcmp(msg + i, name, n) == 0;
}

/* Some word is op=VALUE and some word tid=VALUE: only the few '=' bytes
 * are looked at, each for the name before it. */
int wdg_kv_line_looks(const char *msg, size_t len)
{
    int op = 0, tid = 0;
    for (const char *eq = memchr(msg, '=', len); eq && !(op && tid);
         eq = memchr(eq + 1, '=', len - (size_t)(eq + 1 - msg))) {
        size_t at = (size_t)(eq - msg);
        op |= at >= 2 && word_at(msg, len, at - 2, "op=", 3);
        tid |= at >= 3 && word_at(msg, len, at - 3, "tid=", 4);
    }
    return op && tid;
}

int wdg_xenia_line_looks(const char *line, size_t len)
{
    uint32_t h, thunk;
    const char *m, *name;
    size_t ml, nl;
    if (split_prefix(line, len, &h, &m, &ml))
        return 1;
    if (parse_import(line, len, &thunk, &name, &nl))
        return 1;
    return wdg_kv_line_looks(line, len);
}

/* "a,b,c": addresses into the list field f; an empty value is an empty
 * list.  0, -1 not an address, -2 too many or out of range, -3 out of
 * memory. */
static int parse_list(wdg_rec *rec, wdg_field f, const char *v, size_t n)
{
    wdg_rec_list_clear(rec, f);
    wdg_rec_mark(rec, f);
    size_t i = 0;
    while (i < n) {
        const char *comma = memchr(v + i, ',', n - i);
        size_t e = comma ? (size_t)(comma - v) : n;
        if (wdg_rec_list_full(rec, f))
            return -2;
        wdg_addr a;
        int rc = wdg_addr_parse(rec->sites, v + i, e - i, &a);
        if (rc < 0)
            return rc;
        wdg_rec_list_add(rec, f, a);
        i = e + 1;
        if (comma && i == n)
            return -1;
    }
    return 0;
}

static int kv_is(const char *v, size_t n, const char *word)
{
    return strlen(word) == n && memcmp(v, word, n) == 0;
}

/* One key=value pair of an event field into rec, by the field's type. */
static wdg_line_kind kv_field(wdg_field f, const char *v, size_t vn, wdg_rec *rec,
                              wdg_line_result *res)
{
    const char *key = wdg_field_name(f);
    wdg_field_type ty = wdg_field_type_of(f);
    int rc;
    if (ty == FT_OP) {
        if (wdg_rec_set_op(rec, v, vn) < 0)
            return wdg_malformed(res, WDG_MAL_SYNTAX, "op: empty or too long");
        return LINE_EVENT;
    }
    if (ty == FT_END_REASON) {
        wdg_rec_set_reason(rec, f, v, vn);
        return LINE_EVENT;
    }
    if (ty == FT_BOOL) {
        int b = kv_is(v, vn, "true") || kv_is(v, vn, "1") ? 1
                : kv_is(v, vn, "false") || kv_is(v, vn, "0") ? 0 : -1;
        if (b < 0)
            return wdg_malformed(res, WDG_MAL_TYPE, "%s: not a boolean", key);
        wdg_rec_set_bool(rec, f, b);
        return LINE_EVENT;
    }
    if (ty == FT_ADDR_LIST) {
        rc = parse_list(rec, f, v, vn);
    } else if (ty == FT_ADDR) {
        wdg_addr a = 0;
        rc = wdg_addr_parse(rec->sites, v, vn, &a);
        if (rc == 0)
            wdg_rec_set_addr(rec, f, a);
    } else {
        int64_t iv = 0;
        rc = wdg_parse_dec64(v, vn, &iv);
        if (rc == 0)
            rc = wdg_rec_set_int(rec, f, iv);
    }
    if (rc == -3)
        return LINE_NOMEM;
    if (rc == -2)
        return wdg_malformed(res, WDG_MAL_RANGE, "%s: out of range", key);
    if (rc < 0)
        return wdg_malformed(res, WDG_MAL_TYPE, "%s: not a %s number", key,
                             wdg_field_is_address(f) ? "hex" : "decimal");
    return LINE_EVENT;
}

/* The first '=' of msg[i..e), or NULL; words are short, so no call. */
static const char *find_eq(const char *msg, size_t i, size_t e, size_t len)
{
#ifdef WDG_SWAR
    for (; i < e && len - i >= 8; i += 8) {
        uint64_t q = load8((const unsigned char *)msg + i) ^ (ONES * '=');
        q = (q - ONES) & ~q & HIGHS;   /* exact up to its first '=' */
        if (q) {
            size_t at = i + ((unsigned)__builtin_ctzll(q) >> 3);
            return at < e ? msg + at : NULL;
        }
    }
#else
    (void)len;
#endif
    for (; i < e; i++)
        if (msg[i] == '=')
            return msg + i;
    return NULL;
}

wdg_line_kind wdg_kv_parse(const char *msg, size_t len, wdg_rec *rec, wdg_line_result *res)
{
    for (size_t i = skip_spaces(msg, 0, len); i < len; i = skip_spaces(msg, i, len)) {
        size_t e = word_end(msg, i, len);
        const char *eq = find_eq(msg, i, e, len);
        if (!eq) {
            i = e;
            continue;
        }
        const char *v = eq + 1;
        size_t vn = (size_t)(msg + e - v);
        wdg_field f = wdg_field_lookup(msg + i, (size_t)(eq - (msg + i)));
        i = e;
        /* unknown keys and header members are skipped; null is absent */
        if (!wdg_field_is_event(f) || kv_is(v, vn, "null"))
            continue;
        if (kv_field(f, v, vn, rec, res) != LINE_EVENT)
            return LINE_MALFORMED;
    }
    if (!(rec->have & R_TID))
        return wdg_malformed(res, WDG_MAL_MISSING, "missing tid");
    if (!(rec->have & R_OP))
        return wdg_malformed(res, WDG_MAL_MISSING, "missing op");
    return LINE_EVENT;
}

static uint32_t tid_of(wdg_xenia *x, uint32_t handle, wdg_rec *rec)
{
    uint64_t *t = wdg_map_get(&x->bind, handle);
    if (t)
        return (uint32_t)*t;
    rec->tid_from_handle = 1;
    return handle;
}

static int bind(wdg_xenia *x, uint32_t handle, uint32_t tid)
{
    uint64_t *slot = wdg_map_put(&x->bind, handle, tid, NULL);
    if (!slot)
        return -1;
    *slot = tid;
    return 0;
}

/* "XThread::Execute thid N (handle=H, ..." */
static int thread_execute(const char *m, size_t n, uint32_t *tid, uint32_t *handle)
{
    static const char key[] = "XThread::Execute thid ";
    size_t kl = sizeof key - 1;
    if (n < kl || memcmp(m, key, kl) != 0)
        return 0;
    size_t i = kl, e = i;
    while (e < n && m[e] >= '0' && m[e] <= '9')
        e++;
    if (wdg_parse_udec32(m + i, e - i, tid) < 0)
        return -1;
    static const char hk[] = "handle=";
    for (size_t j = e; j + sizeof hk - 1 <= n; j++) {
        if (memcmp(m + j, hk, sizeof hk - 1) == 0) {
            size_t s = j + sizeof hk - 1, t = s;
            while (t < n && is_hex_digit(m[t]))
                t++;
            return wdg_parse_hex32(m + s, t - s, handle) < 0 ? -1 : 1;
        }
    }
    return -1;
}

/* "XThreadHHHHHHHH (N) Stack: ..." */
static int thread_stack(const char *m, size_t n, uint32_t *handle, uint32_t *tid)
{
    if (n < 17 || memcmp(m, "XThread", 7) != 0)
        return 0;
    for (int i = 7; i < 15; i++)
        if (!is_hex_digit(m[i]))
            return 0;
    if (m[15] != ' ' || m[16] != '(')
        return 0;
    const char *close = memchr(m + 17, ')', n - 17);
    if (!close)
        return 0;
    size_t after = (size_t)(close - m) + 1;
    if (n - after < 7 || memcmp(m + after, " Stack:", 7) != 0)
        return 0;
    if (wdg_parse_hex32(m + 7, 8, handle) < 0)
        return -1;
    return wdg_parse_hex32(m + 17, (size_t)(close - (m + 17)), tid) < 0 ? -1 : 1;
}

static int arg_hex(const char **a, const size_t *al, unsigned nargs, unsigned i, uint32_t *out)
{
    if (i >= nargs)
        return 0;
    return wdg_parse_hex32(a[i], al[i], out) == 0 ? 1 : -1;
}

/* NAME(ARG, ARG, ...) */
static wdg_line_kind kernel_call(wdg_xenia *x, uint32_t handle, const char *m, size_t n,
                                 wdg_rec *rec, wdg_line_result *res)
{
    size_t i = 0;
    while (i < n && ident_char(m[i]))
        i++;
    if (i == 0 || i >= n || m[i] != '(' || (m[0] >= '0' && m[0] <= '9'))
        return LINE_IGNORED;
    const char *name = m;
    size_t name_len = i;
    size_t end = n;
    while (end > i && is_space(m[end - 1]))
        end--;
    uint32_t known = wdg_ops_find(x->ops, name, name_len);
    int important = known != WDG_OP_NONE && wdg_ops_category(x->ops, known) != WDG_CAT_OTHER;
    if (end <= i + 1 || m[end - 1] != ')') {
        if (important)
            return wdg_malformed(res, WDG_MAL_SYNTAX, "%.*s: call line without its ')'",
                                 (int)name_len, name);
        return LINE_IGNORED;
    }
    const char *args[MAX_ARGS];
    size_t alen[MAX_ARGS];
    unsigned nargs = 0;
    size_t p = i + 1, stop = end - 1;
    if (skip_spaces(m, p, stop) < stop) {
        for (;;) {
            const char *comma = memchr(m + p, ',', stop - p);
            size_t e = comma ? (size_t)(comma - m) : stop;
            size_t s = skip_spaces(m, p, e), t = e;
            while (t > s && is_space(m[t - 1]))
                t--;
            if (nargs < MAX_ARGS) {
                args[nargs] = m + s;
                alen[nargs] = t - s;
                nargs++;
            }
            if (!comma)
                break;
            p = e + 1;
        }
    }
    rec->op = name;
    rec->op_len = name_len;
    rec->have |= R_OP | R_TID;
    rec->tid = tid_of(x, handle, rec);
    uint32_t op = known != WDG_OP_NONE ? known : wdg_ops_intern(x->ops, name, name_len);
    if (op == WDG_OP_NONE)
        return LINE_NOMEM;
    rec->op_id = op;
    /* where the arguments sit: facts of the op table, set at intern time */
    wdg_op_args a = wdg_ops_args(x->ops, op);
    uint32_t v;
    int rc;
    if (a.sleeps)
        rec->have |= R_TIMEOUT_PTR;
    if (a.obj2 >= 0) {
        if ((rc = arg_hex(args, alen, nargs, (unsigned)a.obj2, &v)) > 0) {
            rec->objs[0] = v;
            rec->n_objs = 1;
            rec->have |= R_OBJS;
        }
        if (rc < 0)
            return wdg_malformed(res, WDG_MAL_TYPE, "%.*s: argument %d is not hex",
                                 (int)name_len, name, a.obj2 + 1);
    }
    if (a.obj >= 0 && (rc = arg_hex(args, alen, nargs, (unsigned)a.obj, &v)) != 0) {
        if (rc < 0)
            return wdg_malformed(res, WDG_MAL_TYPE, "%.*s: argument %d is not hex",
                                 (int)name_len, name, a.obj + 1);
        rec->obj = v;
        rec->have |= R_OBJ;
    }
    if (a.count >= 0 && arg_hex(args, alen, nargs, (unsigned)a.count, &v) > 0) {
        rec->count = v;
        rec->have |= R_COUNT;
    }
    if (a.wait_type >= 0 && arg_hex(args, alen, nargs, (unsigned)a.wait_type, &v) > 0) {
        rec->wait_all = v == 0;   /* WaitType: 0 = WaitAll, 1 = WaitAny */
        rec->have |= R_WAIT_ALL;
    }
    if (a.timeout >= 0 && arg_hex(args, alen, nargs, (unsigned)a.timeout, &v) > 0 && v)
        rec->have |= R_TIMEOUT_PTR;  /* a pointer: finite, value not logged */
    if (a.entry >= 0) {
        uint32_t entry = 0, flags = 0;
        if ((rc = arg_hex(args, alen, nargs, (unsigned)a.entry, &entry)) <= 0)
            return wdg_malformed(res, rc < 0 ? WDG_MAL_TYPE : WDG_MAL_MISSING,
                                 "%.*s: no start address (argument %d)", (int)name_len, name,
                                 a.entry + 1);
        if (a.create_flags >= 0)
            arg_hex(args, alen, nargs, (unsigned)a.create_flags, &flags);
        uint64_t *slot = wdg_map_put(&x->pending, handle, 0, NULL);
        if (!slot)
            return LINE_NOMEM;
        *slot = entry | (uint64_t)(flags & 1) << 32;
    } else {
        uint64_t *slot = wdg_map_get(&x->pending, handle);
        if (slot)
            *slot = NO_PENDING;
    }
    return LINE_EVENT;
}

/* A hook line pairs with a stock line of a call that reaches the hook
 * (wdg_ops_hook: XEvent::Set for KeSetEvent, NtSetEvent and
 * KeSetEventBoostPriority; xeKeReleaseSemaphore for KeReleaseSemaphore and
 * NtReleaseSemaphore). */
static int same_call(const wdg_ops *ops, uint32_t a, uint32_t b)
{
    return a == b || wdg_ops_hook(ops, a) == b || wdg_ops_hook(ops, b) == a;
}

/* The thread's slot; a new thread's map entry is 0 until its slot exists. */
static partner *slot_for(wdg_xenia *x, uint32_t handle)
{
    uint64_t *v = wdg_map_put(&x->slot_of, handle, 0, NULL);
    if (!v)
        return NULL;
    if (*v == 0) {
        if (wdg_grow((void **)&x->partners, &x->cap_partners, x->n_partners + 1,
                     sizeof *x->partners, 16) < 0)
            return NULL;
        x->partners[x->n_partners] = (partner){0, 0, 0, PART_NONE, 0};
        *v = ++x->n_partners;
    }
    return &x->partners[*v - 1];
}

/* Pairs a prefixed line of logging thread handle with the thread's
 * previous line: a stock call line and an audit line of the same call
 * (same_call, same object when both name one) are one event.  The audit
 * line gives lr and t, the stock line its op and arguments; the event
 * sits at the first line's place. */
static wdg_line_kind pair(wdg_xenia *x, wdg_trace *trace, uint32_t handle, wdg_line_kind kind,
                          int kind_part, wdg_rec *rec)
{
    partner *slot = slot_for(x, handle);
    if (!slot)
        return LINE_NOMEM;
    partner prev = *slot;
    slot->kind = PART_NONE;   /* a line waits only until its thread's next line */
    if (kind != LINE_EVENT || kind_part == PART_NONE)
        return kind;
    if (rec->op_id == WDG_OP_NONE) {
        rec->op_id = wdg_ops_intern(x->ops, rec->op, rec->op_len);
        if (rec->op_id == WDG_OP_NONE)
            return LINE_NOMEM;
    }
    uint32_t op = rec->op_id;
    if (op == WDG_OP_THREAD_CREATE || op == WDG_OP_OBJECT_ALIAS)
        return kind;   /* pseudo events: never a call's partner */
    int has_obj = (rec->have & R_OBJ) != 0;
    if (prev.kind != PART_NONE && prev.kind != kind_part && prev.event < trace->n_events &&
        trace->events[prev.event].op == prev.op && same_call(x->ops, prev.op, op) &&
        (!prev.has_obj || !has_obj || prev.obj == rec->obj)) {
        int stock = kind_part == PART_STOCK;
        wdg_error err;
        if (wdg_trace_merge(trace, prev.event, rec, stock ? op : WDG_OP_NONE, !stock, 0, &err) < 0)
            return LINE_NOMEM;
        return LINE_MERGED;
    }
    *slot = (partner){trace->n_events, op, rec->obj, (uint8_t)kind_part, (uint8_t)has_obj};
    return kind;
}

/* A line after its "L> HHHHHHHH " prefix; *part says whether it is a
 * stock call line or an audit line (a call's possible partner). */
static wdg_line_kind parse_prefixed(wdg_xenia *x, uint32_t handle, const char *m, size_t mn,
                                    wdg_rec *rec, wdg_line_result *res, int *part)
{
    uint32_t tid, h2;
    int rc = thread_execute(m, mn, &tid, &h2);
    if (rc != 0) {
        if (rc < 0)
            return wdg_malformed(res, WDG_MAL_SYNTAX, "XThread::Execute line without thid/handle");
        if (bind(x, h2, tid) < 0)
            return LINE_NOMEM;
        return LINE_IGNORED;
    }
    rc = thread_stack(m, mn, &h2, &tid);
    if (rc != 0) {
        if (rc < 0)
            return wdg_malformed(res, WDG_MAL_SYNTAX, "XThread Stack line with a bad handle or id");
        if (bind(x, h2, tid) < 0)
            return LINE_NOMEM;
        uint64_t *pend = wdg_map_get(&x->pending, handle);
        if (!pend || *pend == NO_PENDING)
            return LINE_IGNORED;
        rec->op_id = WDG_OP_THREAD_CREATE;
        rec->have |= R_OP | R_TID | R_ENTRY | R_NEW_TID;
        rec->tid = tid_of(x, handle, rec);
        rec->entry_pc = (uint32_t)*pend;
        rec->new_tid = tid;
        if (*pend >> 32)
            rec->suspended = 1, rec->have |= R_SUSPENDED;
        *pend = NO_PENDING;
        return LINE_EVENT;
    }
    if (wdg_kv_line_looks(m, mn)) {
        *part = PART_AUDIT;
        return wdg_kv_parse(m, mn, rec, res);
    }
    *part = PART_STOCK;
    return kernel_call(x, handle, m, mn, rec, res);
}

wdg_line_kind wdg_xenia_parse(wdg_xenia *x, wdg_trace *trace, const char *line, size_t len,
                              wdg_rec *rec, wdg_line_result *res)
{
    uint32_t handle;
    const char *m;
    size_t mn;
    wdg_rec_clear(rec);
    if (split_prefix(line, len, &handle, &m, &mn)) {
        int part = PART_NONE;
        wdg_line_kind kind = parse_prefixed(x, handle, m, mn, rec, res, &part);
        return pair(x, trace, handle, kind, part, rec);
    }
    uint32_t thunk;
    const char *name;
    size_t nl;
    if (parse_import(line, len, &thunk, &name, &nl)) {
        if (wdg_grow((void **)&trace->imports, &trace->cap_imports, trace->n_imports + 1,
                     sizeof *trace->imports, 64) < 0)
            return LINE_NOMEM;
        uint32_t op = wdg_ops_intern(x->ops, name, nl);
        if (op == WDG_OP_NONE)
            return LINE_NOMEM;
        trace->imports[trace->n_imports++] = (wdg_import){thunk, op};
        return LINE_IGNORED;
    }
    if (wdg_kv_line_looks(line, len))
        return wdg_kv_parse(line, len, rec, res);
    return LINE_IGNORED;
}

int wdg_xenia_note_unbound(wdg_xenia *x, size_t event_index)
{
    if (wdg_grow((void **)&x->unbound, &x->cap_unbound, x->n_unbound + 1, sizeof *x->unbound,
                 256) < 0)
        return -1;
    x->unbound[x->n_unbound++] = event_index;
    return 0;
}

void wdg_xenia_rebind(wdg_xenia *x, wdg_trace *trace)
{
    for (size_t i = 0; i < x->n_unbound; i++) {
        wdg_event *e = &trace->events[x->unbound[i]];
        uint64_t *t = wdg_map_get(&x->bind, e->tid);
        if (t)
            e->tid = (uint32_t)*t;
    }
}

/* --- the registry's entry ------------------------------------------------ */

static int xenia_looks(const wdg_templates *ts, const char *line, size_t n)
{
    (void)ts;
    return wdg_xenia_line_looks(line, n);
}

static int xenia_state_new(void **state, wdg_ops *ops)
{
    wdg_xenia *x = NULL;
    int rc = wdg_xenia_new(&x, ops);
    *state = x;
    return rc;
}

static void xenia_state_free(void *state) { wdg_xenia_free(state); }

static wdg_line_kind xenia_parse_line(const wdg_format_ctx *c, const char *line, size_t len,
                                      wdg_rec *rec, wdg_line_result *res)
{
    return wdg_xenia_parse(c->state, c->trace, line, len, rec, res);
}

static int xenia_note_unbound(void *state, size_t index)
{
    return wdg_xenia_note_unbound(state, index);
}

static void xenia_finish(void *state, wdg_trace *trace) { wdg_xenia_rebind(state, trace); }

const wdg_format_def wdg_format_xenia = {
    "xenia-log", 0, xenia_looks, xenia_state_new, xenia_state_free, xenia_parse_line,
    xenia_note_unbound, xenia_finish,
};
