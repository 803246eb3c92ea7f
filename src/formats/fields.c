/* The field table shared by every reader, and the wdg_rec helpers. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "wedge/utf8.h"
#include "formats.h"

void wdg_rec_init(wdg_rec *r, wdg_sites *sites)
{
    r->sites = sites;
    wdg_rec_clear(r);
}

wdg_line_kind wdg_malformed(wdg_line_result *res, int reason, const char *fmt, ...)
{
    res->reason = reason;
    va_list ap;
    va_start(ap, fmt);
    wdg_utf8_vsnprintf(res->msg, sizeof res->msg, fmt, ap);
    va_end(ap);
    return LINE_MALFORMED;
}

#define AT(m) offsetof(wdg_rec, m)
#define NM(x) x, sizeof x - 1

/* One row per field, in wdg_field order: its canonical name, the type of
 * its value, its wdg_rec flag and where the value is stored.  Its aliases
 * are in names[] below. */
const wdg_field_info wdg_fields[F_FIELD_COUNT] = {
    [F_UNKNOWN] = {NM("?"), FT_NONE, 0, 0, 0, 0, 0},
    [F_T] = {NM("t"), FT_TIME, R_T, AT(t), 0, 0, 0},
    [F_CYCLE] = {NM("cycle"), FT_INT, R_CYCLE, AT(cycle), 0, 0, 0},
    [F_TID] = {NM("tid"), FT_U32, R_TID, AT(tid), 0, 0, 0},
    [F_OP] = {NM("op"), FT_OP, R_OP, 0, 0, 0, 1},
    [F_LR] = {NM("lr"), FT_ADDR, R_LR, AT(lr), 0, 0, 0},
    [F_FRAMES] = {NM("frames"), FT_ADDR_LIST, R_FRAMES, AT(frames), AT(n_frames), WDG_MAX_FRAMES, 0},
    [F_PC] = {NM("pc"), FT_ADDR, R_PC, AT(pc), 0, 0, 0},
    [F_OBJ] = {NM("obj"), FT_ADDR, R_OBJ, AT(obj), 0, 0, 0},
    [F_OBJS] = {NM("objs"), FT_ADDR_LIST, R_OBJS, AT(objs), AT(n_objs), WDG_MAX_OBJS, 0},
    [F_WAIT_ALL] = {NM("wait_all"), FT_BOOL, R_WAIT_ALL, AT(wait_all), 0, 0, 0},
    [F_TIMEOUT] = {NM("timeout"), FT_INT, R_TIMEOUT, AT(timeout), 0, 0, 1},
    [F_ENTRY_PC] = {NM("entry_pc"), FT_ADDR, R_ENTRY, AT(entry_pc), 0, 0, 0},
    [F_NEW_TID] = {NM("new_tid"), FT_U32, R_NEW_TID, AT(new_tid), 0, 0, 0},
    [F_RET] = {NM("ret"), FT_INT, R_RET, AT(ret), 0, 0, 0},
    [F_SUSPENDED] = {NM("suspended"), FT_BOOL, R_SUSPENDED, AT(suspended), 0, 0, 0},
    [F_ALIAS] = {NM("alias"), FT_ADDR, R_ALIAS, AT(alias), 0, 0, 0},
    [F_COUNT] = {NM("count"), FT_U32, R_COUNT, AT(count), 0, 0, 0},
    [F_REASON] = {NM("reason"), FT_END_REASON, R_REASON, AT(end_reason), 0, 0, 0},
    [F_HEADER] = {NM("wedge_trace"), FT_HEADER, 0, 0, 0, 0, 0},
    [F_ENGINE] = {NM("engine"), FT_HEADER, 0, 0, 0, 0, 0},
    [F_TITLE_ID] = {NM("title_id"), FT_HEADER, 0, 0, 0, 0, 0},
    [F_MODULE_HASH] = {NM("module_hash"), FT_HEADER, 0, 0, 0, 0, 0},
    [F_OBSERVES] = {NM("observes"), FT_HEADER, 0, 0, 0, 0, 0},
    [F_ENDED_AT] = {NM("ended_at"), FT_HEADER, 0, 0, 0, 0, 0},
};

/* Every name a field answers to, its canonical one included, in the order
 * lookups try them: the names traces use most first (wedge JSONL and the
 * key=value lines engines write), then the other aliases, then the header
 * members.  A unit test checks that each canonical name is here. */
static const struct {
    const char *name;
    size_t len;
    wdg_field field;
} names[] = {
    {NM("t"), F_T},
    {NM("tid"), F_TID},
    {NM("op"), F_OP},
    {NM("lr"), F_LR},
    {NM("obj"), F_OBJ},
    {NM("handle"), F_OBJ},
    {NM("host_ns"), F_T},
    {NM("objs"), F_OBJS},
    {NM("handles"), F_OBJS},
    {NM("pc"), F_PC},
    {NM("cycle"), F_CYCLE},
    {NM("timeout"), F_TIMEOUT},
    {NM("wait_all"), F_WAIT_ALL},
    {NM("ret"), F_RET},
    {NM("frames"), F_FRAMES},
    {NM("entry_pc"), F_ENTRY_PC},
    {NM("new_tid"), F_NEW_TID},
    {NM("suspended"), F_SUSPENDED},
    {NM("alias"), F_ALIAS},
    {NM("count"), F_COUNT},
    {NM("reason"), F_REASON},
    {NM("stack"), F_FRAMES},
    {NM("ts_ns"), F_T},
    {NM("time_ns"), F_T},
    {NM("thread"), F_TID},
    {NM("thread_id"), F_TID},
    {NM("name"), F_OP},
    {NM("event"), F_OP},
    {NM("fn"), F_OP},
    {NM("import"), F_OP},
    {NM("start_address"), F_ENTRY_PC},
    {NM("entry"), F_ENTRY_PC},
    {NM("child_tid"), F_NEW_TID},
    {NM("wedge_trace"), F_HEADER},
    {NM("engine"), F_ENGINE},
    {NM("title_id"), F_TITLE_ID},
    {NM("module_hash"), F_MODULE_HASH},
    {NM("observes"), F_OBSERVES},
    {NM("ended_at"), F_ENDED_AT},
};

int wdg_field_alias(size_t i, const char **name, wdg_field *f)
{
    if (i >= sizeof names / sizeof names[0])
        return 0;
    *name = names[i].name;
    *f = names[i].field;
    return 1;
}

/* Called for every member of every line: one switch on the length and
 * the first byte, then one compare (the same names as names[] above; a
 * unit test checks that both agree). */
wdg_field wdg_field_lookup(const char *s, size_t n)
{
#define IS(lit) (memcmp(s, lit, sizeof lit - 1) == 0)
    if (n == 0)
        return F_UNKNOWN;
    switch (n * 256 + (unsigned char)s[0]) {
    case 1 * 256 + 't':
        return F_T;
    case 2 * 256 + 'f':
        if (IS("fn"))
            return F_OP;
        break;
    case 2 * 256 + 'l':
        if (IS("lr"))
            return F_LR;
        break;
    case 2 * 256 + 'o':
        if (IS("op"))
            return F_OP;
        break;
    case 2 * 256 + 'p':
        if (IS("pc"))
            return F_PC;
        break;
    case 3 * 256 + 'o':
        if (IS("obj"))
            return F_OBJ;
        break;
    case 3 * 256 + 'r':
        if (IS("ret"))
            return F_RET;
        break;
    case 3 * 256 + 't':
        if (IS("tid"))
            return F_TID;
        break;
    case 4 * 256 + 'n':
        if (IS("name"))
            return F_OP;
        break;
    case 4 * 256 + 'o':
        if (IS("objs"))
            return F_OBJS;
        break;
    case 5 * 256 + 'a':
        if (IS("alias"))
            return F_ALIAS;
        break;
    case 5 * 256 + 'c':
        if (IS("cycle"))
            return F_CYCLE;
        if (IS("count"))
            return F_COUNT;
        break;
    case 5 * 256 + 'e':
        if (IS("event"))
            return F_OP;
        if (IS("entry"))
            return F_ENTRY_PC;
        break;
    case 5 * 256 + 's':
        if (IS("stack"))
            return F_FRAMES;
        break;
    case 5 * 256 + 't':
        if (IS("ts_ns"))
            return F_T;
        break;
    case 6 * 256 + 'e':
        if (IS("engine"))
            return F_ENGINE;
        break;
    case 6 * 256 + 'f':
        if (IS("frames"))
            return F_FRAMES;
        break;
    case 6 * 256 + 'h':
        if (IS("handle"))
            return F_OBJ;
        break;
    case 6 * 256 + 'i':
        if (IS("import"))
            return F_OP;
        break;
    case 6 * 256 + 'r':
        if (IS("reason"))
            return F_REASON;
        break;
    case 6 * 256 + 't':
        if (IS("thread"))
            return F_TID;
        break;
    case 7 * 256 + 'h':
        if (IS("host_ns"))
            return F_T;
        if (IS("handles"))
            return F_OBJS;
        break;
    case 7 * 256 + 'n':
        if (IS("new_tid"))
            return F_NEW_TID;
        break;
    case 7 * 256 + 't':
        if (IS("timeout"))
            return F_TIMEOUT;
        if (IS("time_ns"))
            return F_T;
        break;
    case 8 * 256 + 'e':
        if (IS("entry_pc"))
            return F_ENTRY_PC;
        if (IS("ended_at"))
            return F_ENDED_AT;
        break;
    case 8 * 256 + 'o':
        if (IS("observes"))
            return F_OBSERVES;
        break;
    case 8 * 256 + 't':
        if (IS("title_id"))
            return F_TITLE_ID;
        break;
    case 8 * 256 + 'w':
        if (IS("wait_all"))
            return F_WAIT_ALL;
        break;
    case 9 * 256 + 'c':
        if (IS("child_tid"))
            return F_NEW_TID;
        break;
    case 9 * 256 + 's':
        if (IS("suspended"))
            return F_SUSPENDED;
        break;
    case 9 * 256 + 't':
        if (IS("thread_id"))
            return F_TID;
        break;
    case 11 * 256 + 'm':
        if (IS("module_hash"))
            return F_MODULE_HASH;
        break;
    case 11 * 256 + 'w':
        if (IS("wedge_trace"))
            return F_HEADER;
        break;
    case 13 * 256 + 's':
        if (IS("start_address"))
            return F_ENTRY_PC;
        break;
    }
#undef IS
    return F_UNKNOWN;
}

static const wdg_field_info *row(wdg_field f) { return &wdg_fields[wdg_field_ok(f)]; }

/* A 32-bit value is itself: no table is asked, so a 32-bit guest's trace
 * reads as fast as before. */
int wdg_addr_from_u64(wdg_sites *sites, uint64_t v, wdg_addr *out)
{
    if (v <= UINT32_MAX) {
        *out = v;
        return 0;
    }
    if (!sites)
        return -2;
    int rc = wdg_sites_absolute(sites, v, out);
    return rc == -1 ? -3 : rc;
}

int wdg_addr_from_int(wdg_sites *sites, int64_t v, wdg_addr *out)
{
    return v < 0 ? -2 : wdg_addr_from_u64(sites, (uint64_t)v, out);
}

int wdg_addr_parse_any(wdg_sites *sites, const char *s, size_t n, wdg_addr *out)
{
    uint64_t v;
    const char *m;
    size_t mn;
    /* the common case first: plain hex, read in one pass */
    int rc = wdg_parse_hex64(s, n, &v);
    if (rc == 0)
        return wdg_addr_from_u64(sites, v, out);
    if (rc == -1)
        rc = wdg_addr_text(s, n, &v, &m, &mn);
    if (rc < 0)
        return rc;
    if (!m)
        return wdg_addr_from_u64(sites, v, out);
    if (!sites)
        return -2;
    rc = wdg_sites_module(sites, m, mn, v, out);
    return rc == -1 ? -3 : rc;
}

static void *slot(wdg_rec *r, const wdg_field_info *w) { return (char *)r + w->off; }

static uint32_t *count_of(wdg_rec *r, const wdg_field_info *w)
{
    return (uint32_t *)((char *)r + w->count_off);
}

int wdg_rec_set_int(wdg_rec *r, wdg_field f, int64_t v)
{
    const wdg_field_info *w = row(f);
    wdg_addr a;
    int rc;
    switch (w->type) {
    case FT_TIME:
        if (v < 0)
            return -2;
        /* fall through */
    case FT_INT:
        *(int64_t *)slot(r, w) = v;
        break;
    case FT_U32:
        if (v < 0 || v > UINT32_MAX)
            return -2;
        *(uint32_t *)slot(r, w) = (uint32_t)v;
        break;
    case FT_ADDR:
    case FT_ADDR_LIST:
        if ((rc = wdg_addr_from_int(r->sites, v, &a)) < 0)
            return rc == -3 ? -3 : -2;
        return wdg_rec_set_addr(r, f, a);
    default:
        return -1;
    }
    r->have |= w->flag;
    return 0;
}

int wdg_rec_set_addr(wdg_rec *r, wdg_field f, wdg_addr v)
{
    const wdg_field_info *w = row(f);
    if (w->type == FT_ADDR_LIST) {
        wdg_rec_list_clear(r, f);
        return wdg_rec_list_add(r, f, v);
    }
    if (w->type != FT_ADDR)
        return -1;
    *(wdg_addr *)slot(r, w) = v;
    r->have |= w->flag;
    return 0;
}

int wdg_rec_set_bool(wdg_rec *r, wdg_field f, int v)
{
    const wdg_field_info *w = row(f);
    if (w->type != FT_BOOL)
        return -1;
    *(int *)slot(r, w) = v;
    r->have |= w->flag;
    return 0;
}

int wdg_rec_set_reason(wdg_rec *r, wdg_field f, const char *s, size_t n)
{
    const wdg_field_info *w = row(f);
    if (w->type != FT_END_REASON)
        return -1;
    int v = WDG_END_REASON_UNKNOWN;
    for (int k = WDG_END_REASON_EXIT; k <= WDG_END_REASON_KILLED; k++)
        if (strlen(wdg_end_reason_name(k)) == n && memcmp(wdg_end_reason_name(k), s, n) == 0)
            v = k;
    *(int *)slot(r, w) = v;
    r->have |= w->flag;
    return 0;
}

int wdg_rec_set_op(wdg_rec *r, const char *s, size_t n)
{
    if (n == 0)
        return -1;
    if (n > 255)   /* the op name limit of every reader */
        return -2;
    r->op = s;
    r->op_len = n;
    r->have |= R_OP;
    return 0;
}

void wdg_rec_list_clear(wdg_rec *r, wdg_field f)
{
    if (row(f)->type == FT_ADDR_LIST)
        *count_of(r, row(f)) = 0;
}

int wdg_rec_list_full(const wdg_rec *r, wdg_field f)
{
    const wdg_field_info *w = row(f);
    return w->type == FT_ADDR_LIST &&
           *(const uint32_t *)((const char *)r + w->count_off) >= w->max;
}

int wdg_rec_list_add(wdg_rec *r, wdg_field f, wdg_addr v)
{
    const wdg_field_info *w = row(f);
    if (w->type != FT_ADDR_LIST)
        return -1;
    uint32_t *n = count_of(r, w);
    if (*n >= w->max)
        return -2;
    ((wdg_addr *)slot(r, w))[(*n)++] = v;
    r->have |= w->flag;
    return 0;
}

void wdg_rec_mark(wdg_rec *r, wdg_field f) { r->have |= row(f)->flag; }

void wdg_rec_unset(wdg_rec *r, wdg_field f) { r->have &= ~row(f)->flag; }
