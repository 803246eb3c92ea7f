/* The op table's per-op facts (wdg_ops_flags, wdg_ops_args, wdg_ops_hook,
 * wdg_ops_canonical): set for the right ops, shared by aliases, set at
 * intern time for names outside the built-in list, and following
 * --op-category. */
#include "harness.h"
#include "wedge/wedge.h"

static uint32_t op_id(wdg_ops *ops, const char *name)
{
    return wdg_ops_intern(ops, name, strlen(name));
}

/* a.obj, a.obj2, a.timeout, a.count, a.wait_type, a.entry, a.create_flags, a.sleeps */
static void check_args(wdg_ops *ops, const char *name, const int want[8])
{
    wdg_op_args a = wdg_ops_args(ops, op_id(ops, name));
    const int got[8] = {a.obj, a.obj2, a.timeout, a.count, a.wait_type, a.entry,
                        a.create_flags, a.sleeps};
    for (int i = 0; i < 8; i++) {
        if (got[i] != want[i])
            fprintf(stderr, "  %s: member %d is %d, expected %d\n", name, i, got[i], want[i]);
        CHECK_INT(got[i], want[i]);
    }
}

static void flags_and_hooks(wdg_ops *ops)
{
    static const struct {
        const char *op;
        unsigned flags;
        const char *hook;
    } table[] = {
        {"KeResetEvent", WDG_OPF_RESET, NULL}, {"NtClearEvent", WDG_OPF_RESET, NULL},
        {"ExTerminateThread", WDG_OPF_TERMINATE, NULL}, {"thread.exit", WDG_OPF_TERMINATE, NULL},
        {"KeSetEvent", 0, "XEvent::Set"}, {"NtSetEvent", 0, "XEvent::Set"},
        {"KeSetEventBoostPriority", 0, "XEvent::Set"},
        {"KeReleaseSemaphore", 0, "xeKeReleaseSemaphore"},
        {"NtReleaseSemaphore", 0, "xeKeReleaseSemaphore"},
        {"KePulseEvent", 0, NULL}, {"KeWaitForSingleObject", 0, NULL},
        {"thread.create", 0, NULL}, {"ExCreateThread", 0, NULL}, {"NtTerminateThread", 0, NULL},
        {"KeResetEventX", 0, NULL}, {"KeResetEven", 0, NULL}, {"SomeGameCall", 0, NULL},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        uint32_t id = op_id(ops, table[i].op);
        unsigned f = wdg_ops_flags(ops, id);
        uint32_t h = wdg_ops_hook(ops, id);
        if (f != table[i].flags)
            fprintf(stderr, "  %s: flags %u, expected %u\n", table[i].op, f, table[i].flags);
        CHECK_INT(f, table[i].flags);
        CHECK_STR(h == WDG_OP_NONE ? "-" : wdg_ops_name(ops, h),
                  table[i].hook ? table[i].hook : "-");
    }
    CHECK_INT(wdg_ops_flags(ops, WDG_OP_NONE), 0);
    CHECK(wdg_ops_hook(ops, WDG_OP_NONE) == WDG_OP_NONE);
}

static void positions(wdg_ops *ops)
{
    enum { N = -1 };
    check_args(ops, "KeSetEvent", (const int[8]){0, N, N, N, N, N, N, 0});
    check_args(ops, "KeReleaseSemaphore", (const int[8]){0, N, N, 2, N, N, N, 0});
    check_args(ops, "NtReleaseSemaphore", (const int[8]){0, N, N, 1, N, N, N, 0});
    check_args(ops, "KeWaitForSingleObject", (const int[8]){0, N, 4, N, N, N, N, 0});
    check_args(ops, "NtWaitForSingleObjectEx", (const int[8]){0, N, 3, N, N, N, N, 0});
    check_args(ops, "KeWaitForMultipleObjects", (const int[8]){N, N, 6, N, 2, N, N, 0});
    check_args(ops, "NtWaitForMultipleObjectsEx", (const int[8]){N, N, 5, N, 2, N, N, 0});
    check_args(ops, "KeDelayExecutionThread", (const int[8]){N, N, N, N, N, N, N, 1});
    check_args(ops, "NtSignalAndWaitForSingleObjectEx", (const int[8]){0, 1, 4, N, N, N, N, 0});
    check_args(ops, "pthread_cond_wait", (const int[8]){0, N, N, N, N, N, N, 0});
    check_args(ops, "ExCreateThread", (const int[8]){N, N, N, N, N, 4, 6, 0});
    check_args(ops, "KeResumeThread", (const int[8]){N, N, N, N, N, N, N, 0});
    check_args(ops, "SomeGameCall", (const int[8]){N, N, N, N, N, N, N, 0});
}

/* an alias has its canonical op's facts although its own name has none */
static void aliases(wdg_ops *ops)
{
    uint32_t xe = op_id(ops, "xeKeReleaseSemaphore"), ke = op_id(ops, "KeReleaseSemaphore");
    uint32_t xs = op_id(ops, "XEvent::Set"), ks = op_id(ops, "KeSetEvent");
    CHECK_INT(wdg_ops_canonical(ops, xe), ke);
    CHECK_INT(wdg_ops_canonical(ops, xs), ks);
    CHECK_INT(wdg_ops_canonical(ops, ke), ke);
    CHECK_INT(wdg_ops_canonical(ops, WDG_OP_NONE), WDG_OP_NONE);
    CHECK_INT(wdg_ops_args(ops, xe).count, 2);
    CHECK_INT(wdg_ops_hook(ops, xe), wdg_ops_hook(ops, ke));
    CHECK_INT(wdg_ops_hook(ops, xs), wdg_ops_hook(ops, ks));
    CHECK_INT(wdg_ops_flags(ops, xs), wdg_ops_flags(ops, ks));
}

/* --op-category: a name's positions hold under its own category (set and
 * release alike), the new category's otherwise; flags stay */
static void overrides(wdg_ops *ops)
{
    enum { N = -1 };
    wdg_error err = {0};
    CHECK_INT(wdg_ops_override(ops, "NtReleaseSemaphore=set", &err), 0);
    check_args(ops, "NtReleaseSemaphore", (const int[8]){0, N, N, 1, N, N, N, 0});
    CHECK_INT(wdg_ops_override(ops, "KeReleaseSemaphore=wait", &err), 0);
    check_args(ops, "KeReleaseSemaphore", (const int[8]){0, N, N, N, N, N, N, 0});
    CHECK_INT(wdg_ops_override(ops, "KeWaitForMultipleObjects=set", &err), 0);
    check_args(ops, "KeWaitForMultipleObjects", (const int[8]){0, N, N, N, N, N, N, 0});
    CHECK_INT(wdg_ops_override(ops, "KeWaitForMultipleObjects=wait", &err), 0);
    check_args(ops, "KeWaitForMultipleObjects", (const int[8]){N, N, 6, N, 2, N, N, 0});
    CHECK_INT(wdg_ops_override(ops, "KeDelayExecutionThread=other", &err), 0);
    check_args(ops, "KeDelayExecutionThread", (const int[8]){N, N, N, N, N, N, N, 0});
    CHECK_INT(wdg_ops_override(ops, "MyWait=wait", &err), 0);
    check_args(ops, "MyWait", (const int[8]){0, N, N, N, N, N, N, 0});
    CHECK_INT(wdg_ops_override(ops, "ExCreateThread=other", &err), 0);
    check_args(ops, "ExCreateThread", (const int[8]){N, N, N, N, N, 4, 6, 0});
    CHECK_INT(wdg_ops_override(ops, "KeResetEvent=set", &err), 0);
    CHECK_INT(wdg_ops_flags(ops, op_id(ops, "KeResetEvent")), WDG_OPF_RESET);
}

void test_op_facts(void)
{
    wdg_ops *ops;
    wdg_error err = {0};
    CHECK_INT(wdg_ops_new(&ops, &err), 0);
    flags_and_hooks(ops);
    positions(ops);
    aliases(ops);
    overrides(ops);
    wdg_ops_free(ops);
    /* interned before any other name, by --op-category or a trace */
    CHECK_INT(wdg_ops_new(&ops, &err), 0);
    CHECK_INT(wdg_ops_override(ops, "NtClearEvent=other", &err), 0);
    CHECK_INT(wdg_ops_flags(ops, wdg_ops_find(ops, "NtClearEvent", 12)), WDG_OPF_RESET);
    wdg_ops_free(ops);
}
