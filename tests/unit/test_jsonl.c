/* wedge JSONL: every field, every alias, every malformed case. */
#include <stdlib.h>

#include "../../src/formats/formats.h"
#include "harness.h"
#include "wedge/wedge.h"

static wdg_line_kind parse(const char *line, wdg_rec *rec, wdg_line_result *res)
{
    wdg_jsonl_header hdr;
    return wdg_jsonl_parse(line, strlen(line), rec, &hdr, res);
}

static int reason_of(const char *line)
{
    wdg_rec rec;
    wdg_rec_init(&rec, NULL);
    wdg_line_result res;
    if (parse(line, &rec, &res) != LINE_MALFORMED)
        return -1;
    return res.reason;
}

void test_jsonl_valid(void)
{
    wdg_rec r;
    wdg_rec_init(&r, NULL);
    wdg_line_result res;
    CHECK_INT(parse("{\"t\":5400000,\"tid\":1,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0x824AB168\","
                    "\"obj\":\"0x1004\"}", &r, &res), LINE_EVENT);
    CHECK(r.have & R_T);
    CHECK_INT(r.t, 5400000);
    CHECK_INT(r.tid, 1);
    CHECK_INT(r.op_len, 18);
    CHECK(memcmp(r.op, "NtReleaseSemaphore", 18) == 0);
    CHECK_INT(r.lr, 0x824AB168);
    CHECK_INT(r.obj, 0x1004);

    CHECK_INT(parse("{\"t\":1586993047,\"tid\":1,\"op\":\"thread.create\",\"entry_pc\":\"0x824D2878\","
                    "\"new_tid\":10,\"suspended\":true}", &r, &res), LINE_EVENT);
    CHECK_INT(r.entry_pc, 0x824D2878);
    CHECK_INT(r.new_tid, 10);
    CHECK(r.suspended && (r.have & R_SUSPENDED));

    CHECK_INT(parse("{\"t\":1659028012,\"tid\":11,\"op\":\"KeWaitForMultipleObjects\",\"lr\":"
                    "\"0x824D2A90\",\"objs\":[\"0x1010\",\"0x1014\"],\"wait_all\":false}", &r, &res),
              LINE_EVENT);
    CHECK_INT(r.n_objs, 2);
    CHECK_INT(r.objs[1], 0x1014);
    CHECK((r.have & R_WAIT_ALL) && !r.wait_all);
    CHECK(!(r.have & R_TIMEOUT));

    /* probe line: pc and lr, no op */
    CHECK_INT(parse("{\"cycle\":631,\"tid\":9,\"pc\":\"0x8284E49C\",\"lr\":\"0x824D229C\",\"obj\":\"0x1008\"}",
                    &r, &res), LINE_EVENT);
    CHECK(!(r.have & R_OP));
    CHECK_INT(r.pc, 0x8284E49C);
    CHECK_INT(r.cycle, 631);

    /* every alias */
    static const char *const t_alias[] = {"t", "host_ns", "ts_ns", "time_ns"};
    static const char *const tid_alias[] = {"tid", "thread", "thread_id"};
    static const char *const op_alias[] = {"op", "name", "event", "fn", "import"};
    char line[512];
    int ok = 1;
    for (int a = 0; a < 4; a++)
        for (int b = 0; b < 3; b++)
            for (int c = 0; c < 5; c++) {
                snprintf(line, sizeof line, "{\"%s\":7,\"%s\":3,\"%s\":\"KeSetEvent\"}", t_alias[a],
                         tid_alias[b], op_alias[c]);
                if (parse(line, &r, &res) != LINE_EVENT || r.t != 7 || r.tid != 3 ||
                    r.op_len != 10)
                    ok = 0;
            }
    CHECK(ok);
    CHECK_INT(parse("{\"tid\":1,\"op\":\"X\",\"handle\":\"F800006C\",\"handles\":[\"0x10\",32],"
                    "\"start_address\":\"824d2878\",\"child_tid\":5,\"stack\":[\"0x82000010\"]}",
                    &r, &res), LINE_EVENT);
    CHECK_INT(r.obj, 0xF800006C);
    CHECK_INT(r.n_objs, 2);
    CHECK_INT(r.objs[1], 32);
    CHECK_INT(r.entry_pc, 0x824D2878);
    CHECK_INT(r.new_tid, 5);
    CHECK_INT(r.n_frames, 1);
    CHECK_INT(r.frames[0], 0x82000010);
    CHECK_INT(parse("{\"tid\":1,\"op\":\"X\",\"entry\":\"0x1\"}", &r, &res), LINE_EVENT);
    CHECK_INT(r.entry_pc, 1);

    /* decimal integers for addresses, hex/decimal strings for integers */
    CHECK_INT(parse("{\"tid\":\"12\",\"op\":\"X\",\"lr\":2186093212,\"t\":\"0x10\"}", &r, &res),
              LINE_EVENT);
    CHECK_INT(r.tid, 12);
    CHECK_INT(r.lr, 0x824D229Cu);
    CHECK_INT(r.t, 16);
    /* null is absent; timeout null = infinite */
    CHECK_INT(parse("{\"tid\":1,\"op\":\"KeWaitForSingleObject\",\"timeout\":null,\"lr\":null}",
                    &r, &res), LINE_EVENT);
    CHECK(!(r.have & (R_TIMEOUT | R_LR)));
    CHECK_INT(parse("{\"tid\":1,\"op\":\"KeWaitForSingleObject\",\"timeout\":-10000}", &r, &res),
              LINE_EVENT);
    CHECK((r.have & R_TIMEOUT) && r.timeout == -10000);
    /* escapes, whitespace, unknown members of any shape */
    CHECK_INT(parse("  { \"tid\" : 1 , \"op\" : \"Ke\\u0053etEvent\" , \"x\" : {\"a\":[1,2,{\"b\":null}]},"
                    " \"y\": -1.5e3, \"z\": \"\\u00e9\\n\" }  ", &r, &res), LINE_EVENT);
    CHECK_INT(r.op_len, 10);
    CHECK(memcmp(r.op, "KeSetEvent", 10) == 0);
    CHECK_INT(parse("{\"t\\u0069d\":4,\"op\":\"A\"}", &r, &res), LINE_EVENT);
    CHECK_INT(r.tid, 4);
    /* UTF-8 in strings */
    CHECK_INT(parse("{\"tid\":1,\"op\":\"A\",\"note\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}",
                    &r, &res), LINE_EVENT);
    /* the last of duplicate members wins */
    CHECK_INT(parse("{\"tid\":1,\"tid\":2,\"op\":\"A\"}", &r, &res), LINE_EVENT);
    CHECK_INT(r.tid, 2);
    /* header */
    wdg_jsonl_header hdr;
    const char *h = "{\"wedge_trace\":1,\"engine\":\"ours\",\"title_id\":\"0x4D5307E6\","
                    "\"module_hash\":\"9f86d081\",\"observes\":[\"set\",\"release\",\"future\"]}";
    CHECK_INT(wdg_jsonl_parse(h, strlen(h), &r, &hdr, &res), LINE_IGNORED);
    CHECK(hdr.is_header && hdr.has_observes);
    CHECK_INT(hdr.observes, WDG_CAT_BIT(WDG_CAT_SET) | WDG_CAT_BIT(WDG_CAT_RELEASE));
    CHECK_STR(hdr.engine, "ours");
    CHECK_STR(hdr.title_id, "0x4D5307E6");
}

/* The one-pass integer and hex paths agree with the full scanner at
 * their edges (18 digits, leading zeros, 16 hex digits, the end). */
static void test_jsonl_quick_numbers(void)
{
    wdg_rec r;
    wdg_rec_init(&r, NULL);
    wdg_line_result res;
    CHECK_INT(parse("{\"t\":123456789012345678,\"tid\":-0,\"op\":\"x\"}", &r, &res), LINE_EVENT);
    CHECK(r.t == 123456789012345678LL && r.tid == 0);
    CHECK_INT(parse("{\"t\":9223372036854775807,\"tid\":1,\"op\":\"x\"}", &r, &res), LINE_EVENT);
    CHECK(r.t == INT64_MAX);
    CHECK_INT(reason_of("{\"t\":9223372036854775808,\"tid\":1,\"op\":\"x\"}"), WDG_MAL_RANGE);
    CHECK_INT(reason_of("{\"t\":01,\"tid\":1,\"op\":\"x\"}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"t\":1.5,\"tid\":1,\"op\":\"x\"}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"t\":1e3,\"tid\":1,\"op\":\"x\"}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"t\":-,\"tid\":1,\"op\":\"x\"}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"x\",\"t\":7"), WDG_MAL_SYNTAX);
    CHECK_INT(parse("{\"tid\":1,\"op\":\"x\",\"lr\":\"0x00000000000000001\",\"obj\":\"0XaBc\"}",
                    &r, &res), LINE_EVENT);
    CHECK(r.lr == 1 && r.obj == 0xabc);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"x\",\"lr\":\"0x1FFFFFFFFFFFFFFFF\"}"), WDG_MAL_RANGE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"x\",\"lr\":\"0x\"}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"x\",\"lr\":\"0x12G\"}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"x\",\"lr\":\"0x12"), WDG_MAL_SYNTAX);
    /* a wide value with no site table is out of range, as before */
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"x\",\"lr\":\"0x100000000\"}"), WDG_MAL_RANGE);
}

void test_jsonl_malformed(void)
{
    test_jsonl_quick_numbers();
    /* truncated JSON */
    CHECK_INT(reason_of("{\"t\":1,\"tid\":1,\"op\":\"KeSetEv"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"t\":1,\"tid\":1,"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\"} x"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1 \"op\":\"A\"}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{'tid':1}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("[1,2]"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("42"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("# comment"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":01,\"op\":\"A\"}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"x\":tru}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"x\":\"\\q\"}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"x\":\"\\u12\"}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"x\":\"a\tb\"}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"x\":\"\xc3\"}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"x\":\"\xed\xa0\x80\"}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"x\":1.}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"x\":-}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"x\":[1,]}"), WDG_MAL_SYNTAX);
    /* nesting deeper than the scanner allows is rejected, not overflowed */
    char deep[400];
    int o = sprintf(deep, "{\"tid\":1,\"op\":\"A\",\"x\":");
    for (int i = 0; i < 100; i++)
        deep[o++] = '[';
    for (int i = 0; i < 100; i++)
        deep[o++] = ']';
    strcpy(deep + o, "}");
    CHECK_INT(reason_of(deep), WDG_MAL_SYNTAX);
    /* wrong types */
    CHECK_INT(reason_of("{\"tid\":\"abc\",\"op\":\"A\"}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"tid\":1.5,\"op\":\"A\"}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"tid\":true,\"op\":\"A\"}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":5}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"lr\":\"zz\"}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"lr\":[1]}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"objs\":\"0x10\"}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"objs\":[null]}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"wait_all\":\"yes\"}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"wait_all\":2}"), WDG_MAL_TYPE);
    CHECK_INT(reason_of("{\"wedge_trace\":1,\"observes\":\"set\"}"), WDG_MAL_TYPE);
    /* numbers out of range */
    CHECK_INT(reason_of("{\"tid\":4294967296,\"op\":\"A\"}"), WDG_MAL_RANGE);
    CHECK_INT(reason_of("{\"tid\":-1,\"op\":\"A\"}"), WDG_MAL_RANGE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"t\":99999999999999999999}"), WDG_MAL_RANGE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"t\":-5}"), WDG_MAL_RANGE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"lr\":\"0x100000000\"}"), WDG_MAL_RANGE);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"A\",\"lr\":4294967296}"), WDG_MAL_RANGE);
    char many[2048];
    o = sprintf(many, "{\"tid\":1,\"op\":\"A\",\"objs\":[");
    for (int i = 0; i < 65; i++)
        o += sprintf(many + o, "%s%d", i ? "," : "", i);
    strcpy(many + o, "]}");
    CHECK_INT(reason_of(many), WDG_MAL_RANGE);
    /* missing fields */
    CHECK_INT(reason_of("{\"op\":\"A\"}"), WDG_MAL_MISSING);
    CHECK_INT(reason_of("{\"tid\":1}"), WDG_MAL_MISSING);
    CHECK_INT(reason_of("{}"), WDG_MAL_MISSING);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":\"\"}"), WDG_MAL_MISSING);
    CHECK_INT(reason_of("{\"tid\":1,\"op\":null}"), WDG_MAL_MISSING);

    /* whole trace: counts add up, CRLF, blank lines, no trailing newline,
     * pseudo ops without their fields */
    const char *text =
        "{\"wedge_trace\":1,\"observes\":[\"set\"]}\r\n"
        "{\"t\":1,\"tid\":1,\"op\":\"KeSetEvent\",\"lr\":\"0x82000010\"}\r\n"
        "\r\n"
        "   \n"
        "{\"t\":2,\"tid\":1,\"op\":\"thread.create\",\"entry_pc\":\"0x82001000\"}\n"
        "{\"t\":3,\"tid\":1,\"op\":\"object.alias\",\"obj\":\"0x10\"}\n"
        "{\"t\":4,\"tid\":1,\"op\":\"object.alias\",\"obj\":\"0x10\",\"alias\":\"0x7000\"}\n"
        "{\"t\":5,\"tid\":1,\"op\":\"KeSetEvent\"";
    wdg_error err = {0};
    wdg_ops *ops;
    wdg_ops_new(&ops, &err);
    wdg_trace *t = t_load(t_tempfile(text, strlen(text)), ops, NULL, &err);
    CHECK(t != NULL);
    if (t) {
        CHECK_INT(t->lines, 8);
        CHECK_INT(t->n_events, 2);
        CHECK_INT(t->ignored, 3);
        CHECK_INT(t->malformed, 3);
        CHECK_INT(t->lines, t->n_events + t->ignored + t->malformed);
        CHECK_INT(t->malformed_by_reason[WDG_MAL_MISSING], 2);
        CHECK_INT(t->malformed_by_reason[WDG_MAL_SYNTAX], 1);
        CHECK_INT(t->samples[0].line, 5);
        CHECK_INT(t->samples[2].line, 8);
        CHECK_INT(t->observes, WDG_CAT_BIT(WDG_CAT_SET));
        CHECK_INT(t->events[1].op, WDG_OP_OBJECT_ALIAS);
        wdg_trace_free(t);
    }
    /* --strict: the first malformed line is fatal and named */
    wdg_read_opts strict = {NULL, 1, NULL, NULL, 0, 0, 0};
    t = t_load(t_tempfile(text, strlen(text)), ops, &strict, &err);
    CHECK(t == NULL);
    CHECK_INT(err.code, WDG_EMALFORMED);
    CHECK_INT(err.line, 5);
    wdg_ops_free(ops);
}

/* trace.end's reason: kept per trace from the last trace.end; a word not
 * known, null or none is UNKNOWN; a number is malformed */
static int end_reason_of(const char *text, uint64_t *malformed)
{
    wdg_error err = {0};
    wdg_ops *ops = NULL;
    wdg_trace *t = NULL;
    const char *path = t_tempfile(text, strlen(text));
    int r = -1;
    if (wdg_ops_new(&ops, &err) == 0 && wdg_load_traces(&t, &path, 1, ops, NULL, NULL, 0, &err) == 0) {
        r = t->has_end_marker ? t->end_reason : -2;
        *malformed = t->malformed;
        wdg_trace_free(t);
    }
    wdg_ops_free(ops);
    return r;
}

void test_jsonl_end_reason(void)
{
    static const char ev[] = "{\"t\":1,\"tid\":1,\"op\":\"KeSetEvent\",\"obj\":\"0x10\"}\n";
    char buf[512];
    uint64_t mal = 9;
    static const struct {
        const char *end;
        int want;
    } cases[] = {
        {"{\"op\":\"trace.end\",\"t\":5,\"reason\":\"exit\"}", WDG_END_REASON_EXIT},
        {"{\"reason\":\"signal\",\"op\":\"trace.end\",\"t\":5}", WDG_END_REASON_SIGNAL},
        {"{\"op\":\"trace.end\",\"t\":5,\"reason\":\"killed\"}", WDG_END_REASON_KILLED},
        {"{\"op\":\"trace.end\",\"t\":5}", WDG_END_REASON_UNKNOWN},
        {"{\"op\":\"trace.end\",\"t\":5,\"reason\":\"vanished\"}", WDG_END_REASON_UNKNOWN},
        {"{\"op\":\"trace.end\",\"t\":5,\"reason\":null}", WDG_END_REASON_UNKNOWN},
        {"{\"op\":\"trace.end\",\"t\":5,\"reason\":\"ex\\u0069t\"}", WDG_END_REASON_UNKNOWN},
        /* the last trace.end wins, reason and all */
        {"{\"op\":\"trace.end\",\"t\":4,\"reason\":\"exit\"}\n{\"op\":\"trace.end\",\"t\":5}",
         WDG_END_REASON_UNKNOWN},
        {"{\"op\":\"trace.end\",\"t\":4}\n{\"op\":\"trace.end\",\"t\":5,\"reason\":\"killed\"}",
         WDG_END_REASON_KILLED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(buf, sizeof buf, "%s%s\n", ev, cases[i].end);
        CHECK_INT(end_reason_of(buf, &mal), cases[i].want);
        CHECK_INT(mal, 0);
    }
    snprintf(buf, sizeof buf, "%s{\"op\":\"trace.end\",\"t\":5,\"reason\":1}\n", ev);
    CHECK_INT(end_reason_of(buf, &mal), -2);
    CHECK_INT(mal, 1);
    CHECK_INT(reason_of("{\"op\":\"trace.end\",\"t\":5,\"reason\":[\"exit\"]}"), WDG_MAL_TYPE);
    CHECK_STR(wdg_end_reason_name(WDG_END_REASON_KILLED), "killed");
    CHECK(wdg_end_reason_name(WDG_END_REASON_UNKNOWN) == NULL);
    CHECK(wdg_end_reason_name(99) == NULL);
}

/* --- the quick path against the general one ------------------------------ */

/* Both parsers' answers to a line: kind, reason, message and every field
 * the record says it has.  0 when they agree. */
static int differs(const char *line, size_t n)
{
    wdg_rec a, b;
    wdg_jsonl_header ha, hb;
    wdg_line_result ra = {0}, rb = {0};
    wdg_rec_init(&a, NULL);
    wdg_rec_init(&b, NULL);
    wdg_line_kind ka = wdg_jsonl_parse(line, n, &a, &ha, &ra);
    wdg_line_kind kb = wdg_jsonl_parse_general(line, n, &b, &hb, &rb);
    if (ka != kb)
        return 1;
    if (ka == LINE_MALFORMED)
        return ra.reason != rb.reason || strcmp(ra.msg, rb.msg) != 0;
    if (a.have != b.have || ha.is_header != hb.is_header)
        return 2;
    uint32_t h = a.have;
#define SAME(flag, m) if ((h & (flag)) && a.m != b.m) return 3;
    SAME(R_T, t) SAME(R_CYCLE, cycle) SAME(R_TID, tid) SAME(R_LR, lr) SAME(R_PC, pc)
    SAME(R_OBJ, obj) SAME(R_WAIT_ALL, wait_all) SAME(R_TIMEOUT, timeout)
    SAME(R_ENTRY, entry_pc) SAME(R_NEW_TID, new_tid) SAME(R_RET, ret)
    SAME(R_SUSPENDED, suspended) SAME(R_ALIAS, alias) SAME(R_COUNT, count)
    SAME(R_OBJS, n_objs) SAME(R_FRAMES, n_frames)
#undef SAME
    if ((h & R_OP) && (a.op_len != b.op_len || memcmp(a.op, b.op, a.op_len) != 0))
        return 4;
    if ((h & R_OBJS) && memcmp(a.objs, b.objs, a.n_objs * sizeof a.objs[0]) != 0)
        return 5;
    return 0;
}

static int check_same(const char *line, size_t n, int *bad)
{
    int d = differs(line, n);
    if (d && (*bad)++ < 5)
        fprintf(stderr, "  quick and general parsers differ (%d) on: %.*s\n", d, (int)n, line);
    return d;
}

/* Every member order of a common line, with the keys' own names. */
static void permute(const char **m, int k, int n, int *bad, int *lines)
{
    if (k == n) {
        char buf[512];
        size_t o = 0;
        buf[o++] = '{';
        for (int i = 0; i < n; i++)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? "," : "", m[i]);
        buf[o++] = '}';
        check_same(buf, o, bad);
        (*lines)++;
        return;
    }
    for (int i = k; i < n; i++) {
        const char *t = m[k];
        m[k] = m[i], m[i] = t;
        permute(m, k + 1, n, bad, lines);
        t = m[k], m[k] = m[i], m[i] = t;
    }
}

/* Lines the quick path reads and lines it must hand over: each byte of a
 * few common lines replaced by each of the bytes that change a value's
 * form, a byte inserted before each byte, every prefix, every member
 * order, and values at the edges of their forms and ranges.  The quick
 * path must give exactly what the general path gives. */
void test_jsonl_quick(void)
{
    static const char *base[] = {
        "{\"t\":134505224,\"tid\":23,\"op\":\"KeReleaseSemaphore\",\"lr\":\"0x824D2160\","
        "\"obj\":\"0x7015FF80\",\"count\":1}",
        "{\"t\":1,\"tid\":6,\"op\":\"KeWaitForMultipleObjects\",\"lr\":\"0x82000320\",\"objs\":"
        "[\"0xF8000018\",\"0xf800001c\"],\"wait_all\":true,\"timeout\":-10000}",
        "{\"cycle\":631,\"tid\":9,\"pc\":\"0x8284E49C\",\"lr\":\"0x824d229c\",\"ret\":-5}",
        "{\"t\":12345678901234567,\"tid\":4294967295,\"op\":\"thread.create\",\"entry_pc\":"
        "\"0xABCDEF01\",\"new_tid\":10,\"suspended\":false,\"alias\":\"0x1\"}",
        /* the writers' other tails after lr: timeout, obj alone, nothing */
        "{\"t\":134507318,\"tid\":23,\"op\":\"KeDelayExecutionThread\",\"lr\":\"0x824D2140\","
        "\"timeout\":-10000}",
        "{\"t\":20441,\"tid\":6,\"op\":\"KeInitializeEvent\",\"lr\":\"0x82000160\",\"obj\":"
        "\"0x7015FC80\"}",
        "{\"t\":134395242,\"tid\":13,\"op\":\"RtlEnterCriticalSection\",\"lr\":\"0x82506BA0\"}",
    };
    static const char subst[] = " \t\"\\0x9aAfFgG.eE-+,:}{[]n\x1f\x7f\x80\xc3";
    char buf[512];
    int bad = 0, lines = 0;
    for (size_t b = 0; b < sizeof base / sizeof base[0]; b++) {
        const char *l = base[b];
        size_t n = strlen(l);
        check_same(l, n, &bad);
        for (size_t i = 0; i <= n; i++) {
            check_same(l, i, &bad);   /* every prefix */
            lines++;
            for (size_t k = 0; k < sizeof subst - 1; k++) {
                memcpy(buf, l, n);
                if (i < n) {   /* replaced */
                    buf[i] = subst[k];
                    check_same(buf, n, &bad);
                }
                memcpy(buf, l, i);   /* inserted */
                buf[i] = subst[k];
                memcpy(buf + i + 1, l + i, n - i);
                check_same(buf, n + 1, &bad);
                lines += 2;
            }
        }
    }
    const char *members[] = {"\"t\":5", "\"tid\":7", "\"op\":\"KeSetEvent\"", "\"lr\":\"0x82000120\"",
                             "\"obj\":\"0x10\"", "\"count\":2"};
    permute(members, 0, 6, &bad, &lines);
    static const char *edges[] = {
        "{\"t\":1.5,\"tid\":1,\"op\":\"x\"}", "{\"t\":1e3,\"tid\":1,\"op\":\"x\"}",
        "{\"t\":-1,\"tid\":1,\"op\":\"x\"}", "{\"t\":-0,\"tid\":1,\"op\":\"x\"}",
        "{\"t\":00,\"tid\":1,\"op\":\"x\"}", "{\"t\":0,\"tid\":1,\"op\":\"x\"}",
        "{\"t\":123456789012345678,\"tid\":1,\"op\":\"x\"}",
        "{\"t\":1234567890123456789,\"tid\":1,\"op\":\"x\"}",
        "{\"t\":9223372036854775807,\"tid\":1,\"op\":\"x\"}",
        "{\"t\":9223372036854775808,\"tid\":1,\"op\":\"x\"}",
        "{\"t\":12345678,\"tid\":12345678,\"op\":\"x\"}",
        "{\"t\":1234567812345678,\"tid\":4294967296,\"op\":\"x\"}",
        "{\"t\":\"5\",\"tid\":\"0x10\",\"op\":\"x\"}", "{\"t\":null,\"tid\":1,\"op\":\"x\"}",
        "{\"t\":5,\"tid\":-1,\"op\":\"x\"}", "{\"t\":5,\"tid\":1,\"op\":\"\"}",
        "{\"t\":5,\"tid\":1,\"op\":\"K\\u0065SetEvent\"}", "{\"t\":5,\"tid\":1,\"op\":\"K\xc3\xa9\"}",
        "{\"\\u0074\":5,\"tid\":1,\"op\":\"x\"}", "{\"t\" :5,\"tid\" : 1 ,\"op\": \"x\" }",
        "{\"t\":5,\"t\":6,\"tid\":1,\"tid\":2,\"op\":\"x\",\"op\":\"y\"}",
        "{\"t\":5,\"tid\":1,\"op\":\"x\",\"lr\":\"0XaBcDeF12\",\"obj\":\"0xabcdef\"}",
        "{\"t\":5,\"tid\":1,\"op\":\"x\",\"lr\":\"0x0000000000000001\",\"obj\":\"0x00000000000000001\"}",
        "{\"t\":5,\"tid\":1,\"op\":\"x\",\"lr\":\"0xFFFFFFFF\",\"obj\":\"0x100000000\"}",
        "{\"t\":5,\"tid\":1,\"op\":\"x\",\"lr\":\"0x\",\"obj\":\"0x1\"}",
        "{\"t\":5,\"tid\":1,\"op\":\"x\",\"lr\":\"824D2160\"}",
        "{\"t\":5,\"tid\":1,\"op\":\"x\",\"lr\":2186535264}",
        "{\"t\":5,\"tid\":1,\"op\":\"x\",\"lr\":\"m.xex+0x10\"}",
        "{\"t\":5,\"tid\":1,\"op\":\"x\",\"lr\":null,\"timeout\":null}",
        "{\"wedge_trace\":1,\"engine\":\"e\",\"t\":5}",
        "{\"t\":5,\"tid\":1,\"op\":\"x\"} x", "{\"t\":5,\"tid\":1,\"op\":\"x\"}  ",
        "{}", "{ }", " { } ", "{\"t\":5,}", "{\"t\":5, }", "{\"t\":5,\"tid\":1,}",
        "{\"t\":5,\"tid\":1,\"op\":\"x\",\"lr\":\"0x1\",}", "{\"t\":5,\"tid\":1,\"op\":\"x\",\"lr\":\"0x1\"}",
    };
    for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++, lines++)
        check_same(edges[i], strlen(edges[i]), &bad);
    /* an op name of 255 bytes is read, 256 is too long */
    for (size_t len = 254; len <= 257; len++, lines++) {
        size_t o = (size_t)snprintf(buf, sizeof buf, "{\"tid\":1,\"op\":\"");
        memset(buf + o, 'K', len);
        o += len;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "\"}");
        check_same(buf, o, &bad);
    }
    /* lists of 63 to 65 entries (64 the most), and lists of other forms */
    for (int k = 63; k <= 65; k++, lines++) {
        size_t o = (size_t)snprintf(buf, sizeof buf, "{\"tid\":1,\"op\":\"x\",\"objs\":[");
        for (int i = 0; i < k; i++)
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s\"0x%x\"", i ? "," : "", i);
        o += (size_t)snprintf(buf + o, sizeof buf - o, "]}");
        check_same(buf, o, &bad);
    }
    static const char *lists[] = {
        "{\"tid\":1,\"op\":\"x\",\"objs\":[]}", "{\"tid\":1,\"op\":\"x\",\"objs\":[ ]}",
        "{\"tid\":1,\"op\":\"x\",\"objs\":[\"0x1\", \"0x2\"]}",
        "{\"tid\":1,\"op\":\"x\",\"objs\":[\"0x1\",\"0x100000000\"]}",
        "{\"tid\":1,\"op\":\"x\",\"objs\":[\"0x1\",null]}",
        "{\"tid\":1,\"op\":\"x\",\"objs\":[\"0x1\",2]}",
        "{\"tid\":1,\"op\":\"x\",\"objs\":[\"0x1\",]}", "{\"tid\":1,\"op\":\"x\",\"objs\":null}",
        "{\"tid\":1,\"op\":\"x\",\"objs\":[\"0x1\"],\"objs\":[\"0x2\",\"0x3\"]}",
        "{\"tid\":1,\"op\":\"x\",\"objs\":[\"0x1\",\"0x2\"],\"objs\":[\"0x3\",\"0x100000000\"]}",
        "{\"tid\":1,\"op\":\"x\",\"frames\":[\"0x1\",\"0x2\"],\"obj\":\"0x3\"}",
        "{\"tid\":1,\"op\":\"x\",\"wait_all\":1}", "{\"tid\":1,\"op\":\"x\",\"wait_all\":tru}",
        "{\"tid\":1,\"op\":\"x\",\"suspended\":falsey}",
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++, lines++)
        check_same(lists[i], strlen(lists[i]), &bad);
    /* numbers of 1 to 20 digits and hex runs of 1 to 17 digits, each
     * followed by each byte that ends or extends its form, in the first
     * member, a later one and a list, and cut at every length: the
     * one-word and two-word reads against the general path */
    static const char after[] = ",}.eE0x\"g";
    for (int d = 1; d <= 20; d++) {
        for (size_t a = 0; a < sizeof after - 1; a++) {
            char num[32], hex[32];
            for (int i = 0; i < d; i++) {
                num[i] = (char)('1' + (i * 7 + d) % 9);
                hex[i] = "0123456789abcdefABCDEF"[(i * 5 + d) % 22];
            }
            num[d] = hex[d] = 0;
            if (a == 6)
                num[0] = '0';   /* a leading zero */
            size_t o = (size_t)snprintf(buf, sizeof buf,
                                        "{\"t\":%s%c,\"tid\":1,\"op\":\"x\",\"lr\":\"0x%s%c,"
                                        "\"count\":%s%c,\"objs\":[\"0X%s%c]}",
                                        num, after[a], hex, after[a], num, after[a], hex, after[a]);
            for (size_t cut = o > 40 ? o - 40 : 0; cut <= o; cut++, lines++)
                check_same(buf, cut, &bad);
            o = (size_t)snprintf(buf, sizeof buf, "{\"t\":5,\"tid\":%s,\"op\":\"x\",\"lr\":\"0x%s\"}",
                                 num, hex);
            check_same(buf, o, &bad);
            lines++;
        }
    }
    /* the general path shares the member loop: its answers, stated */
    CHECK_INT(reason_of("{ }"), WDG_MAL_MISSING);
    CHECK_INT(reason_of("{}"), WDG_MAL_MISSING);
    CHECK_INT(reason_of("{\"t\":5,}"), WDG_MAL_SYNTAX);
    CHECK_INT(reason_of("{\"t\":5,\"tid\":1,\"op\":\"x\",\"lr\":\"0x1\",}"), WDG_MAL_SYNTAX);
    CHECK(lines > 10000);
    CHECK_INT(bad, 0);
}
