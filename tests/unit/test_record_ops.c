/* The op table's rows for the calls wedge record writes (docs/wedge.md,
 * "wedge record"): categories, signal kinds and always-timed waits, so
 * that a recorded trace needs no --op-category. */
#include "harness.h"
#include "wedge/wedge.h"

void test_record_ops(void)
{
    wdg_ops *ops;
    wdg_error err = {0};
    CHECK_INT(wdg_ops_new(&ops, &err), 0);
    static const struct {
        const char *op;
        wdg_category cat;
        wdg_signal_kind sig;
        int timed;
    } table[] = {
        {"sem_post", WDG_CAT_RELEASE, WDG_SIG_COUNT, 0},
        {"sem_wait", WDG_CAT_WAIT, WDG_SIG_NONE, 0},
        {"sem_timedwait", WDG_CAT_WAIT, WDG_SIG_NONE, 1},
        {"sem_trywait", WDG_CAT_WAIT, WDG_SIG_NONE, 1},
        {"pthread_mutex_lock", WDG_CAT_WAIT, WDG_SIG_NONE, 0},
        {"pthread_mutex_trylock", WDG_CAT_WAIT, WDG_SIG_NONE, 1},
        {"pthread_mutex_unlock", WDG_CAT_RELEASE, WDG_SIG_COUNT, 0},
        {"pthread_cond_signal", WDG_CAT_SET, WDG_SIG_CONDITION, 0},
        {"pthread_cond_broadcast", WDG_CAT_SET, WDG_SIG_CONDITION, 0},
        {"pthread_cond_wait", WDG_CAT_WAIT, WDG_SIG_NONE, 0},
        {"pthread_cond_timedwait", WDG_CAT_WAIT, WDG_SIG_NONE, 1},
        {"pthread_join", WDG_CAT_WAIT, WDG_SIG_NONE, 0},
        {"pthread_exit", WDG_CAT_SET, WDG_SIG_LATCH, 0},
        {"eventfd_write", WDG_CAT_RELEASE, WDG_SIG_LATCH, 0},
        {"eventfd_read", WDG_CAT_WAIT, WDG_SIG_NONE, 0},
        {"write", WDG_CAT_RELEASE, WDG_SIG_LATCH, 0},
        {"read", WDG_CAT_WAIT, WDG_SIG_NONE, 0},
        {"poll", WDG_CAT_WAIT, WDG_SIG_NONE, 0},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        uint32_t id = wdg_ops_find(ops, table[i].op, strlen(table[i].op));
        CHECK(id != WDG_OP_NONE);
        if (id == WDG_OP_NONE)
            continue;
        if (wdg_ops_category(ops, id) != table[i].cat)
            fprintf(stderr, "  %s: category %s\n", table[i].op,
                    wdg_category_name(wdg_ops_category(ops, id)));
        CHECK_STR(wdg_category_name(wdg_ops_category(ops, id)), wdg_category_name(table[i].cat));
        CHECK_STR(wdg_signal_kind_name(wdg_ops_signal_kind(ops, id)),
                  wdg_signal_kind_name(table[i].sig));
        CHECK_INT(wdg_ops_always_timed(ops, id), table[i].timed);
        /* objects are this process's addresses: engine-specific, as handles */
        CHECK_INT(wdg_ops_obj_kind(ops, id), WDG_OBJ_NONE);
    }
    wdg_ops_free(ops);
}
