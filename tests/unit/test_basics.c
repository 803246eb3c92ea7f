/* Numbers, buffers and the op table. */
#include <locale.h>

#include "../../src/formats/formats.h"
#include "harness.h"
#include "wedge/wedge.h"

/* The parsers as first written, a byte at a time: the word-at-a-time
 * ones must agree on every string. */
static int ref_hex64(const char *s, size_t n, uint64_t *out)
{
    if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        s += 2, n -= 2;
    if (n == 0)
        return -1;
    uint64_t v = 0;
    int over = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        over |= (v >> 60) != 0;
        v = v << 4 | (uint64_t)d;
    }
    if (over)
        return -2;
    *out = v;
    return 0;
}

static int ref_dec64(const char *s, size_t n, int64_t *out)
{
    int neg = n && s[0] == '-';
    s += neg, n -= (size_t)neg;
    if (n == 0)
        return -1;
    uint64_t v = 0;
    int over = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            over = 1;
        else
            v = v * 10 + d;
    }
    if (over || v > (neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX))
        return -2;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return 0;
}

static void test_numbers_words(void)
{
    static const char alpha[] = "0123456789999aAfFgG/:@`x-";
    char buf[32];
    uint32_t seed = 7;
    int bad = 0;
    for (int k = 0; k < 300000; k++) {
        size_t n = (seed = seed * 1103515245u + 12345u) >> 16 & 31;
        int digits = k & 1;   /* half of them digits only */
        for (size_t i = 0; i < n; i++) {
            unsigned r = (seed = seed * 1103515245u + 12345u) >> 16;
            buf[i] = digits && r % 16 ? (char)('0' + r % 10) : alpha[r % (sizeof alpha - 1)];
        }
        uint64_t a = 1, b = 1;
        int64_t c = 1, d = 1;
        int ra = wdg_parse_hex64(buf, n, &a), rb = ref_hex64(buf, n, &b);
        bad += ra != rb || (ra == 0 && a != b);
        ra = wdg_parse_dec64(buf, n, &c), rb = ref_dec64(buf, n, &d);
        bad += ra != rb || (ra == 0 && c != d);
    }
    CHECK_INT(bad, 0);
}

void test_numbers(void)
{
    test_numbers_words();
    uint32_t v = 0;
    int64_t i = 0;
    CHECK_INT(wdg_parse_hex32("0x824D229C", 10, &v), 0);
    CHECK_INT(v, 0x824D229C);
    CHECK_INT(wdg_parse_hex32("824d229c", 8, &v), 0);
    CHECK_INT(v, 0x824D229C);
    CHECK_INT(wdg_parse_hex32("0X1f", 4, &v), 0);
    CHECK_INT(v, 0x1F);
    CHECK_INT(wdg_parse_hex32("0x", 2, &v), -1);
    CHECK_INT(wdg_parse_hex32("", 0, &v), -1);
    CHECK_INT(wdg_parse_hex32("12g4", 4, &v), -1);
    CHECK_INT(wdg_parse_hex32("100000000", 9, &v), -2);
    CHECK_INT(wdg_parse_hex32("00000000FFFFFFFF", 16, &v), 0);
    CHECK_INT(v, 0xFFFFFFFFu);
    CHECK_INT(wdg_parse_dec64("9223372036854775807", 19, &i), 0);
    CHECK_INT(i, INT64_MAX);
    CHECK_INT(wdg_parse_dec64("9223372036854775808", 19, &i), -2);
    CHECK_INT(wdg_parse_dec64("-9223372036854775808", 20, &i), 0);
    CHECK(i == INT64_MIN);
    CHECK_INT(wdg_parse_dec64("99999999999999999999999", 23, &i), -2);
    CHECK_INT(wdg_parse_dec64("-", 1, &i), -1);
    CHECK_INT(wdg_parse_dec64("1a", 2, &i), -1);
    CHECK_INT(wdg_parse_udec32("4294967295", 10, &v), 0);
    CHECK_INT(wdg_parse_udec32("4294967296", 10, &v), -2);
    CHECK_INT(wdg_parse_udec32("-1", 2, &v), -2);
    CHECK_INT(wdg_parse_int64("0x10", 4, &i), 0);
    CHECK_INT(i, 16);
    CHECK_INT(wdg_parse_int64("10", 2, &i), 0);
    CHECK_INT(i, 10);
    /* hex past INT64_MAX: too many digits, and 16 digits with the top bit */
    CHECK_INT(wdg_parse_int64("0x1000000000000000000", 21, &i), -2);
    CHECK_INT(wdg_parse_int64("0x8000000000000000", 18, &i), -2);
    CHECK_INT(wdg_parse_int64("0x", 2, &i), -1);
    CHECK_INT(wdg_parse_int64("0x1g", 4, &i), -1);
}

/* every error code's exit status, wdg_error_format's three shapes and
 * wdg_error_clear */
void test_errors(void)
{
    CHECK_INT(wdg_exit_status(WDG_OK), 0);
    CHECK_INT(wdg_exit_status(WDG_EUSAGE), 64);
    CHECK_INT(wdg_exit_status(WDG_EMALFORMED), 65);
    CHECK_INT(wdg_exit_status(WDG_EINPUT), 66);
    CHECK_INT(wdg_exit_status(WDG_ENOMEM), 71);
    CHECK_INT(wdg_exit_status(WDG_EOUTPUT), 73);
    CHECK_INT(wdg_exit_status(WDG_EINTERNAL), 70);
    CHECK_INT(wdg_exit_status(-99), 70);
    wdg_error err = {0};
    char out[128];
    CHECK_INT(wdg_error_set(&err, WDG_EINPUT, "a.jsonl", 7, "bad %s", "line"), WDG_EINPUT);
    wdg_error_format(&err, out, sizeof out);
    CHECK_STR(out, "a.jsonl:7: bad line");
    wdg_error_set(&err, WDG_EINPUT, "a.jsonl", 0, "gone");
    wdg_error_format(&err, out, sizeof out);
    CHECK_STR(out, "a.jsonl: gone");
    wdg_error_clear(&err);
    CHECK_INT(err.code, 0);
    CHECK_STR(err.file, "");
    CHECK_STR(err.msg, "");
    wdg_error_clear(NULL);   /* allowed */
}

/* s as wdg_parse_decimal reads it equals want exactly */
static int decimal_is(const char *s, double want)
{
    double v = -12345;
    return wdg_parse_decimal(s, strlen(s), &v) == 0 && v == want;
}

static void decimal_cases(void)
{
    double v = 0;
    CHECK(decimal_is("0.25", 0.25));
    CHECK(decimal_is("2.5", 2.5));
    CHECK(decimal_is("15.000003", 15.000003));   /* one rounding, as strtod */
    CHECK(decimal_is("0.1", 0.1));
    CHECK(decimal_is(".5", 0.5));
    CHECK(decimal_is("5.", 5));
    CHECK(decimal_is("-3", -3));
    CHECK(decimal_is("+3", 3));
    CHECK(decimal_is("1e3", 1000));
    CHECK(decimal_is("2.5E-2", 0.025));
    CHECK(decimal_is("1e400000", 0) == 0);   /* not finite: rejected */
    CHECK_INT(wdg_parse_decimal("1e400", 5, &v), -2);
    CHECK(decimal_is("1e-400", 0));
    /* past 10^-22 two roundings: within a few units in the last place */
    CHECK_INT(wdg_parse_decimal("0.00000000000000000000000000001", 31, &v), 0);
    CHECK(v > 1e-29 * (1 - 1e-15) && v < 1e-29 * (1 + 1e-15));
    CHECK(decimal_is("123456789012345678901234567890", 123456789012345678901234567890.0));
    CHECK_INT(wdg_parse_decimal("", 0, &v), -1);
    CHECK_INT(wdg_parse_decimal(".", 1, &v), -1);
    CHECK_INT(wdg_parse_decimal("-", 1, &v), -1);
    CHECK_INT(wdg_parse_decimal("0,25", 4, &v), -1);
    CHECK_INT(wdg_parse_decimal(" 1", 2, &v), -1);
    CHECK_INT(wdg_parse_decimal("nan", 3, &v), -1);
    CHECK_INT(wdg_parse_decimal("inf", 3, &v), -1);
    CHECK_INT(wdg_parse_decimal("0x10", 4, &v), -1);
    /* the prefix: "12.5" of "12.5s"; an 'e' without digits is not an exponent */
    CHECK_INT(wdg_scan_decimal("12.5s", 5, &v), 4);
    CHECK(v == 12.5);
    CHECK_INT(wdg_scan_decimal("1e", 2, &v), 1);
    CHECK_INT(wdg_scan_decimal("3ms", 3, &v), 1);
    CHECK_INT(wdg_scan_decimal("5%", 2, &v), 1);
    CHECK_INT(wdg_scan_decimal("x", 1, &v), 0);
    CHECK_INT(wdg_scan_decimal(".e1", 3, &v), 0);
}

/* '.' is the point in every locale: the same answers in de_DE, whose
 * decimal point is ',' (strtod would stop at the '.' of 0.25 there) */
void test_decimal(void)
{
    decimal_cases();
    char *was = setlocale(LC_NUMERIC, NULL);
    char saved[64];
    snprintf(saved, sizeof saved, "%s", was ? was : "C");
    const char *de = setlocale(LC_NUMERIC, "de_DE.UTF-8");
    CHECK(de != NULL);   /* scripts/install-deps.sh generates it */
    if (de) {
        CHECK_STR(localeconv()->decimal_point, ",");
        decimal_cases();
    }
    setlocale(LC_NUMERIC, saved);
}

void test_buf(void)
{
    wdg_buf b = WDG_BUF_INIT;
    wdg_buf_puts(&b, "a");
    wdg_buf_printf(&b, "%d-%s", 42, "x");
    CHECK_STR(b.ptr, "a42-x");
    wdg_buf_reset(&b);
    wdg_buf_json_str(&b, "q\"\\\n\x01");
    CHECK_STR(b.ptr, "\"q\\\"\\\\\\n\\u0001\"");
    wdg_buf_reset(&b);
    wdg_buf_csv_str(&b, "a,b\"c");
    CHECK_STR(b.ptr, "\"a,b\"\"c\"");
    wdg_buf_reset(&b);
    char big[1000];
    memset(big, 'z', sizeof big - 1);
    big[sizeof big - 1] = 0;
    wdg_buf_printf(&b, "%s!", big);
    CHECK_INT(b.len, 1000);
    CHECK(b.ptr[999] == '!');
    CHECK(!b.oom);
    wdg_buf_free(&b);
    CHECK(b.ptr == NULL);

    /* an error that quotes user text stays one line (found by fuzz_options) */
    wdg_error err = {0};
    wdg_error_set(&err, WDG_EUSAGE, "a\nb", 0, "--probe '%s'", "0x1=K\ne\tx\x01\x7f");
    CHECK_STR(err.msg, "--probe '0x1=K\\ne\\tx\\x01\\x7F'");
    CHECK_STR(err.file, "a\\nb");
    memset(big, '\n', sizeof big - 1);   /* escapes that overflow are cut, still terminated */
    wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "%s", big);
    CHECK(strlen(err.msg) < sizeof err.msg && !strchr(err.msg, '\n'));
}

/* Object kinds and signal kinds by name, and their overrides. */
void test_op_kinds(void)
{
    wdg_ops *ops;
    wdg_error err;
    CHECK_INT(wdg_ops_new(&ops, &err), 0);
    static const struct {
        const char *op;
        int kind, sig;
    } table[] = {
        {"KeSetEvent", WDG_OBJ_POINTER, WDG_SIG_LATCH},
        {"KfAcquireSpinLock", WDG_OBJ_POINTER, WDG_SIG_NONE},
        {"xeKeReleaseSemaphore", WDG_OBJ_POINTER, WDG_SIG_COUNT},
        {"XEvent::Set", WDG_OBJ_POINTER, WDG_SIG_LATCH},
        {"RtlEnterCriticalSection", WDG_OBJ_POINTER, WDG_SIG_NONE},
        {"NtSetEvent", WDG_OBJ_HANDLE, WDG_SIG_LATCH},
        {"NtReleaseMutant", WDG_OBJ_HANDLE, WDG_SIG_COUNT},
        {"ExCreateThread", WDG_OBJ_HANDLE, WDG_SIG_NONE},
        {"XamShowMessageBoxUI", WDG_OBJ_HANDLE, WDG_SIG_NONE},
        {"KePulseEvent", WDG_OBJ_POINTER, WDG_SIG_PULSE},
        {"NtPulseEvent", WDG_OBJ_HANDLE, WDG_SIG_PULSE},
        {"PulseEvent", WDG_OBJ_NONE, WDG_SIG_PULSE},
        {"SetEvent", WDG_OBJ_NONE, WDG_SIG_LATCH},
        {"pthread_cond_signal", WDG_OBJ_NONE, WDG_SIG_CONDITION},
        {"WakeAllConditionVariable", WDG_OBJ_NONE, WDG_SIG_CONDITION},
        {"KeSignalCondition", WDG_OBJ_POINTER, WDG_SIG_CONDITION},
        {"NtSignalAndWaitForSingleObjectEx", WDG_OBJ_HANDLE, WDG_SIG_LATCH},
        {"pthread_cond_wait", WDG_OBJ_NONE, WDG_SIG_NONE},
        {"thread.create", WDG_OBJ_NONE, WDG_SIG_NONE},
        {"Rtl", WDG_OBJ_NONE, WDG_SIG_NONE},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        uint32_t id = wdg_ops_intern(ops, table[i].op, strlen(table[i].op));
        CHECK_STR(wdg_obj_kind_name(wdg_ops_obj_kind(ops, id)), wdg_obj_kind_name(table[i].kind));
        CHECK_STR(wdg_signal_kind_name(wdg_ops_signal_kind(ops, id)),
                  wdg_signal_kind_name(table[i].sig));
    }
    uint32_t cond = wdg_ops_find(ops, "pthread_cond_wait", 17);
    CHECK_INT(wdg_ops_category(ops, cond), WDG_CAT_WAIT);
    CHECK_INT(wdg_ops_always_timed(ops, cond), 0);
    CHECK_INT(wdg_ops_always_timed(ops, wdg_ops_find(ops, "pthread_cond_timedwait", 22)), 1);
    /* overrides: a category change keeps the own kind, an own kind wins */
    CHECK_INT(wdg_ops_override_kind(ops, "NtSetEvent=pointer", &err), 0);
    CHECK_INT(wdg_ops_obj_kind(ops, wdg_ops_find(ops, "NtSetEvent", 10)), WDG_OBJ_POINTER);
    CHECK_INT(wdg_ops_override_signal(ops, "NtSetEvent=pulse", &err), 0);
    CHECK_INT(wdg_ops_signal_kind(ops, wdg_ops_find(ops, "NtSetEvent", 10)), WDG_SIG_PULSE);
    CHECK_INT(wdg_ops_obj_kind(ops, wdg_ops_find(ops, "NtSetEvent", 10)), WDG_OBJ_POINTER);
    CHECK_INT(wdg_ops_override(ops, "MyRelease=release", &err), 0);
    CHECK_INT(wdg_ops_signal_kind(ops, wdg_ops_find(ops, "MyRelease", 9)), WDG_SIG_COUNT);
    CHECK_INT(wdg_ops_override_signal(ops, "New=condition", &err), 0);
    CHECK_INT(wdg_ops_signal_kind(ops, wdg_ops_find(ops, "New", 3)), WDG_SIG_CONDITION);
    CHECK_INT(wdg_ops_override_kind(ops, "X=none", &err), WDG_EUSAGE);
    CHECK_INT(wdg_ops_override_kind(ops, "=pointer", &err), WDG_EUSAGE);
    CHECK_INT(wdg_ops_override_kind(ops, "X", &err), WDG_EUSAGE);
    CHECK_INT(wdg_ops_override_signal(ops, "X=none", &err), WDG_EUSAGE);
    CHECK_INT(wdg_ops_override_signal(ops, "X=latched", &err), WDG_EUSAGE);
    CHECK_INT(wdg_ops_find(ops, "X", 1), WDG_OP_NONE);
    wdg_ops_free(ops);
}

void test_ops(void)
{
    wdg_ops *ops;
    wdg_error err = {0};
    CHECK_INT(wdg_ops_new(&ops, &err), 0);
    CHECK_STR(wdg_ops_name(ops, WDG_OP_THREAD_CREATE), "thread.create");
    CHECK_STR(wdg_ops_name(ops, WDG_OP_OBJECT_ALIAS), "object.alias");
    static const struct {
        const char *op;
        wdg_category cat;
    } table[] = {
        {"KeSetEvent", WDG_CAT_SET}, {"NtSetEvent", WDG_CAT_SET}, {"KePulseEvent", WDG_CAT_SET},
        {"NtPulseEvent", WDG_CAT_SET}, {"KeSetEventBoostPriority", WDG_CAT_SET},
        {"XEvent::Set", WDG_CAT_SET}, {"KeReleaseSemaphore", WDG_CAT_RELEASE},
        {"NtReleaseSemaphore", WDG_CAT_RELEASE}, {"xeKeReleaseSemaphore", WDG_CAT_RELEASE},
        {"KeReleaseMutant", WDG_CAT_RELEASE}, {"NtReleaseMutant", WDG_CAT_RELEASE},
        {"KeWaitForSingleObject", WDG_CAT_WAIT}, {"KeWaitForMultipleObjects", WDG_CAT_WAIT},
        {"NtWaitForSingleObjectEx", WDG_CAT_WAIT}, {"NtWaitForMultipleObjectsEx", WDG_CAT_WAIT},
        {"KeDelayExecutionThread", WDG_CAT_WAIT},
        {"NtSignalAndWaitForSingleObjectEx", WDG_CAT_SIGNAL_WAIT},
        {"NtCreateEvent", WDG_CAT_CREATE}, {"NtCreateSemaphore", WDG_CAT_CREATE},
        {"NtCreateMutant", WDG_CAT_CREATE}, {"KeInitializeEvent", WDG_CAT_CREATE},
        {"KeInitializeSemaphore", WDG_CAT_CREATE}, {"KeInitializeMutant", WDG_CAT_CREATE},
        {"ExCreateThread", WDG_CAT_THREAD}, {"KeResumeThread", WDG_CAT_THREAD},
        {"NtResumeThread", WDG_CAT_THREAD}, {"KeSetBasePriorityThread", WDG_CAT_THREAD},
        {"ExTerminateThread", WDG_CAT_THREAD}, {"NtSuspendThread", WDG_CAT_THREAD},
        {"thread.create", WDG_CAT_THREAD}, {"thread.exit", WDG_CAT_THREAD},
        {"RtlEnterCriticalSection", WDG_CAT_OTHER}, {"KeQueryPerformanceCounter", WDG_CAT_OTHER},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        uint32_t id = wdg_ops_intern(ops, table[i].op, strlen(table[i].op));
        CHECK_STR(wdg_category_name(wdg_ops_category(ops, id)), wdg_category_name(table[i].cat));
    }
    uint32_t a = wdg_ops_intern(ops, "MyOp", 4);
    CHECK_INT(wdg_ops_intern(ops, "MyOp", 4), a);
    CHECK_INT(wdg_ops_find(ops, "NoSuchOp", 8), WDG_OP_NONE);
    CHECK_INT(wdg_ops_override(ops, "MyOp=release", &err), 0);
    CHECK_INT(wdg_ops_category(ops, a), WDG_CAT_RELEASE);
    CHECK_INT(wdg_ops_override(ops, "NewOp=signal_wait", &err), 0);
    CHECK_INT(wdg_ops_category(ops, wdg_ops_find(ops, "NewOp", 5)), WDG_CAT_SIGNAL_WAIT);
    CHECK_INT(wdg_ops_override(ops, "MyOp=bogus", &err), WDG_EUSAGE);
    CHECK_INT(wdg_ops_override(ops, "=set", &err), WDG_EUSAGE);
    CHECK_INT(wdg_ops_override(ops, "MyOp", &err), WDG_EUSAGE);
    /* many names: interning stays consistent past table growth */
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "op%d", i);
        wdg_ops_intern(ops, name, strlen(name));
    }
    int ok = 1;
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof name, "op%d", i);
        uint32_t id = wdg_ops_find(ops, name, strlen(name));
        if (id == WDG_OP_NONE || strcmp(wdg_ops_name(ops, id), name) != 0)
            ok = 0;
    }
    CHECK(ok);
    wdg_ops_free(ops);
}
