/* The field table (src/formats/fields.c) and the format registry
 * (src/formats/detect.c). */
#include <string.h>

#include "../../src/formats/formats.h"
#include "harness.h"
#include "wedge/wedge.h"

static wdg_field lookup(const char *s) { return wdg_field_lookup(s, strlen(s)); }

static void test_sites(void);

void test_fields(void)
{
    /* every canonical name is found (names[] and the rows agree), and
     * every event field has a flag of its own */
    uint32_t flags = 0;
    for (int f = F_UNKNOWN + 1; f < F_FIELD_COUNT; f++) {
        CHECK_INT(lookup(wdg_field_name((wdg_field)f)), f);
        uint32_t fl = wdg_fields[f].flag;
        CHECK(!(flags & fl));
        flags |= fl;
        if (wdg_field_is_event((wdg_field)f))
            CHECK(wdg_fields[f].off < sizeof(wdg_rec));
    }
    /* the lookup's switch and the names table agree on every name, and a
     * name one byte longer, shorter or changed is none of them */
    const char *nm;
    wdg_field want;
    for (size_t i = 0; wdg_field_alias(i, &nm, &want); i++) {
        char buf[64];
        size_t n = strlen(nm);
        CHECK_INT(lookup(nm), want);
        memcpy(buf, nm, n);
        buf[n] = 'x';
        CHECK_INT(wdg_field_lookup(buf, n + 1), F_UNKNOWN);
        CHECK(n < 2 || wdg_field_lookup(nm, n - 1) != want);
        buf[n - 1] ^= 0x20;
        CHECK_INT(wdg_field_lookup(buf, n), F_UNKNOWN);
    }
    CHECK_INT(lookup("host_ns"), F_T);
    CHECK_INT(lookup("handles"), F_OBJS);
    CHECK_INT(lookup("start_address"), F_ENTRY_PC);
    CHECK_INT(lookup("child_tid"), F_NEW_TID);
    CHECK_INT(lookup("tidx"), F_UNKNOWN);
    CHECK_INT(wdg_field_lookup("t", 0), F_UNKNOWN);
    CHECK_STR(wdg_field_name((wdg_field)999), "?");
    CHECK(!wdg_field_is_event(F_ENGINE));
    CHECK(wdg_field_is_address(F_FRAMES) && !wdg_field_is_address(F_TID));

    wdg_rec r;
    wdg_rec_init(&r, NULL);
    /* ranges: nothing stored, no flag, when out of range */
    CHECK_INT(wdg_rec_set_int(&r, F_T, -1), -2);
    CHECK_INT(wdg_rec_set_int(&r, F_TID, (int64_t)UINT32_MAX + 1), -2);
    CHECK_INT(wdg_rec_set_int(&r, F_LR, -1), -2);
    CHECK_INT(r.have, 0);
    CHECK_INT(wdg_rec_set_int(&r, F_CYCLE, -5), 0);
    CHECK(r.cycle == -5 && (r.have & R_CYCLE));
    CHECK_INT(wdg_rec_set_int(&r, F_TID, UINT32_MAX), 0);
    CHECK(r.tid == UINT32_MAX && (r.have & R_TID));
    CHECK_INT(wdg_rec_set_int(&r, F_LR, 0x824D229C), 0);
    CHECK(r.lr == 0x824D229C && (r.have & R_LR));
    /* an address into a list field is a list of one */
    CHECK_INT(wdg_rec_set_addr(&r, F_OBJS, 7), 0);
    CHECK(r.n_objs == 1 && r.objs[0] == 7 && (r.have & R_OBJS));
    /* a field does not take a value of another kind */
    CHECK_INT(wdg_rec_set_bool(&r, F_TID, 1), -1);
    CHECK_INT(wdg_rec_set_addr(&r, F_T, 1), -1);
    CHECK_INT(wdg_rec_set_bool(&r, F_SUSPENDED, 1), 0);
    CHECK(r.suspended == 1 && (r.have & R_SUSPENDED));
    /* op names: 1 to 255 bytes */
    char op[300];
    memset(op, 'a', sizeof op);
    CHECK_INT(wdg_rec_set_op(&r, op, 0), -1);
    CHECK_INT(wdg_rec_set_op(&r, op, 256), -2);
    CHECK_INT(wdg_rec_set_op(&r, op, 255), 0);
    CHECK(r.op_len == 255 && (r.have & R_OP));
    /* lists: at most WDG_MAX_FRAMES entries */
    wdg_rec_list_clear(&r, F_FRAMES);
    for (uint32_t i = 0; i < WDG_MAX_FRAMES; i++)
        CHECK_INT(wdg_rec_list_add(&r, F_FRAMES, i), 0);
    CHECK(wdg_rec_list_full(&r, F_FRAMES));
    CHECK_INT(wdg_rec_list_add(&r, F_FRAMES, 99), -2);
    CHECK_INT(r.n_frames, WDG_MAX_FRAMES);
    CHECK_INT(r.frames[WDG_MAX_FRAMES - 1], WDG_MAX_FRAMES - 1);
    wdg_rec_unset(&r, F_FRAMES);
    CHECK(!(r.have & R_FRAMES));
    /* addresses: text and numbers, one place */
    wdg_addr a = 0;
    CHECK_INT(wdg_addr_parse(NULL, "0x824D229C", 10, &a), 0);
    CHECK_INT(a, 0x824D229C);
    /* with no site table only 32-bit addresses */
    CHECK_INT(wdg_addr_parse(NULL, "100000000", 9, &a), -2);
    CHECK_INT(wdg_addr_parse(NULL, "zz", 2, &a), -1);
    CHECK_INT(wdg_addr_from_int(NULL, (int64_t)UINT32_MAX + 1, &a), -2);
    CHECK_INT(wdg_addr_parse(NULL, "libz.so+0x10", 12, &a), -2);
    test_sites();
}

/* Addresses of any width and module sites (wedge/sites.h). */
static void test_sites(void)
{
    wdg_sites *s = NULL;
    CHECK_INT(wdg_sites_new(&s), 0);
    wdg_addr a, b, c, d, e;
    char out[64];
    /* narrow: itself, no table entry */
    CHECK_INT(wdg_addr_parse(s, "0x824D229C", 10, &a), 0);
    CHECK(a == 0x824D229C && wdg_sites_count(s) == 0);
    CHECK_STR(wdg_addr_format(s, a, out, sizeof out), "0x824D229C");
    /* wide: interned once, printed with at least 8 digits */
    CHECK_INT(wdg_addr_parse(s, "0x7f3a12345678", 14, &b), 0);
    CHECK(wdg_addr_is_site(b));
    CHECK_INT(wdg_addr_from_u64(s, 0x7f3a12345678ull, &c), 0);
    CHECK(b == c && wdg_sites_count(s) == 1);
    CHECK_STR(wdg_addr_format(s, b, out, sizeof out), "0x7F3A12345678");
    CHECK_INT(wdg_addr_parse(s, "0xFFFFFFFFFFFFFFFF", 18, &c), 0);
    CHECK_STR(wdg_addr_format(s, c, out, sizeof out), "0xFFFFFFFFFFFFFFFF");
    /* more than 64 bits */
    CHECK_INT(wdg_addr_parse(s, "0x1FFFFFFFFFFFFFFFF", 19, &c), -2);
    CHECK_INT(wdg_addr_parse(s, "libz.so+0x1FFFFFFFFFFFFFFFF", 27, &c), -2);
    /* module sites: equal when module and offset are; never an absolute */
    CHECK_INT(wdg_addr_parse(s, "libzstd.so.1+0x1c4ce", 20, &c), 0);
    CHECK_INT(wdg_addr_parse(s, "libzstd.so.1+0x1C4CE", 20, &d), 0);
    CHECK(c == d && c != b && wdg_addr_is_site(c));
    CHECK_STR(wdg_addr_format(s, c, out, sizeof out), "libzstd.so.1+0x1C4CE");
    CHECK_INT(wdg_addr_parse(s, "libzstd.so.1+0x1c4cf", 20, &d), 0);
    CHECK(c != d);
    CHECK_INT(wdg_addr_parse(s, "other.so+0x1c4ce", 16, &d), 0);
    CHECK(c != d);
    CHECK_INT(wdg_addr_parse(s, "x+0x1c4ce", 9, &e), 0);
    CHECK_INT(wdg_addr_parse(s, "0x1c4ce", 7, &d), 0);
    CHECK(d == 0x1c4ce && d != e);
    /* the module ends before the last "+0x" and may hold '+' */
    CHECK_INT(wdg_addr_parse(s, "libstdc++.so.6+0x20", 19, &d), 0);
    CHECK_STR(wdg_addr_format(s, d, out, sizeof out), "libstdc++.so.6+0x20");
    CHECK_INT(wdg_addr_parse(s, "+0x20", 5, &d), -1);
    CHECK_INT(wdg_addr_parse(s, "lib+0x", 6, &d), -1);
    CHECK_INT(wdg_addr_parse(s, "lib+0xzz", 8, &d), -1);
    CHECK_INT(wdg_addr_parse(s, "l b+0x1", 7, &d), 0);
    CHECK_INT(wdg_addr_parse(s, "l\tb+0x1", 7, &d), -1);
    CHECK_INT(wdg_addr_parse(s, "l\x01b+0x1", 6, &d), -1);
    /* the 33 bits that tell addresses apart */
    CHECK(wdg_addr_key33(0x824D229C) == 0x824D229C);
    CHECK(wdg_addr_key33(b) != wdg_addr_key33(c) && wdg_addr_key33(b) >> 32 == 1);
    /* a record interns through its table */
    wdg_rec r;
    wdg_rec_init(&r, s);
    CHECK_INT(wdg_rec_set_int(&r, F_LR, 0x100000000ll), 0);
    CHECK(wdg_addr_is_site(r.lr));
    CHECK_STR(wdg_addr_format(s, r.lr, out, sizeof out), "0x100000000");
    const char *m;
    uint64_t v;
    CHECK_INT(wdg_sites_get(s, c, &m, &v), 0);
    CHECK(m && strcmp(m, "libzstd.so.1") == 0 && v == 0x1c4ce);
    CHECK_INT(wdg_sites_get(s, WDG_ADDR_SITE | 999, &m, &v), -1);
    CHECK_STR(wdg_addr_format(s, WDG_ADDR_SITE | 999, out, sizeof out), "?");
    CHECK_STR(wdg_addr_format(NULL, 0x10, out, sizeof out), "0x00000010");
    wdg_sites_free(s);
}

/* Feeds lines to a detector; the format's name, or the none-name. */
static const char *detect(const wdg_templates *ts, const char *const *lines, int *settled)
{
    wdg_detector d;
    wdg_detect_init(&d, ts);
    for (; *lines; lines++)
        wdg_detect_line(&d, *lines, strlen(*lines));
    *settled = wdg_detect_settled(&d);
    const wdg_format_def *f = wdg_detect_result(&d);
    return f ? f->name : wdg_detect_none_name(&d);
}

void test_detect(void)
{
    int settled;
    const char *json[] = {"  {\"t\":1}\r", "garbage", NULL};
    CHECK_STR(detect(NULL, json, &settled), "jsonl");
    CHECK(settled);
    /* JSONL only by its first non-blank line; xenia by any line */
    const char *late_json[] = {"hello", "{\"t\":1}", NULL};
    CHECK_STR(detect(NULL, late_json, &settled), "unknown");
    CHECK(!settled);
    const char *kv[] = {"hello", "{\"t\":1}", "x op=A tid=1", NULL};
    CHECK_STR(detect(NULL, kv, &settled), "xenia-log");
    CHECK(settled);
    const char *json_kv[] = {"{\"op\":1}", "op=A tid=1", NULL};
    CHECK_STR(detect(NULL, json_kv, &settled), "jsonl");
    const char *blank[] = {"", " \t\r", NULL};
    CHECK_STR(detect(NULL, blank, &settled), "empty");
    CHECK(!settled);
    /* a template that matches wins over JSONL and xenia; until it matches,
     * a later line may still make it win, so detection waits */
    wdg_templates *ts = NULL;
    wdg_error err;
    CHECK_INT(wdg_templates_new(&ts, &err), 0);
    CHECK_INT(wdg_templates_add(ts, "T{tid:dec} {op:word}", &err), 0);
    CHECK_STR(detect(ts, json_kv, &settled), "jsonl");
    CHECK(!settled);
    const char *tmpl[] = {"{\"op\":1}", "op=A tid=1", "T1 KeSetEvent", NULL};
    CHECK_STR(detect(ts, tmpl, &settled), "template");
    CHECK(settled);
    wdg_templates_free(ts);
}
