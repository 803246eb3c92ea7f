/* The producer alignment (wdg_align_next), on a pair worked out by hand. */
#include "harness.h"
#include "wedge/wedge.h"
#include "../../src/sim/sim.h"

static uint32_t key_at(const wdg_keytable *kt, uint32_t lr)
{
    for (uint32_t k = 0; k < kt->n; k++)
        if (kt->keys[k].lr == lr)
            return k;
    return WDG_NO_KEY;
}

#define SET(t, lr) "{\"t\":" #t ",\"tid\":1,\"op\":\"KeSetEvent\",\"lr\":\"" lr "\"}\n"

void test_align(void)
{
    wdg_error err = {0};
    wdg_ops *ops = NULL;
    wdg_ops_new(&ops, &err);
    /* ref producers A A B; cand producers C B A C (keys by lr).  Rows:
     *  1. C#1 cand only: it comes before A#1's partner (cand 2) in cand
     *     and no ref event pairs with it (C's ref total is 0);
     *     B#1 (cand 1) is skipped there: it has a ref partner to come
     *  2. A#1: ref 0 with cand 2
     *  3. A#2: ref 1 alone (cand has one A)
     *  4. B#1: ref 2 with cand 1
     *  5. C#2 cand only, after the last ref event */
    const char *ref = SET(1, "0xA") SET(2, "0xA") SET(3, "0xB");
    const char *cand = SET(1, "0xC") SET(2, "0xB") SET(3, "0xA") SET(4, "0xC");
    const char *paths[2] = {t_tempfile(ref, strlen(ref)), t_tempfile(cand, strlen(cand))};
    wdg_trace *t[2] = {NULL, NULL};
    CHECK_INT(wdg_load_traces(t, paths, 2, ops, NULL, NULL, 0, &err), 0);
    wdg_keytable kt;
    CHECK_INT(wdg_keytable_build(&kt, t[0], t[1], 0.25, WDG_SPAN_TIME, &err), 0);
    uint32_t A = key_at(&kt, 0xA), B = key_at(&kt, 0xB), C = key_at(&kt, 0xC);
    CHECK(A != WDG_NO_KEY && B != WDG_NO_KEY && C != WDG_NO_KEY);
    const struct {
        uint32_t key;
        uint64_t ordinal;
        size_t ref_event, cand_event;
    } want[] = {{C, 1, WDG_NO_EVENT, 0}, {A, 1, 0, 2}, {A, 2, 1, WDG_NO_EVENT},
                {B, 1, 2, 1},            {C, 2, WDG_NO_EVENT, 3}};
    wdg_align *a = NULL;
    CHECK_INT(wdg_align_new(&a, &kt, t[0], t[1], &err), 0);
    wdg_aligned_row row;
    size_t n = 0;
    while (a && n < 8 && wdg_align_next(a, &row)) {
        if (n < sizeof want / sizeof *want) {
            CHECK_INT(row.key, want[n].key);
            CHECK_INT(row.ordinal, want[n].ordinal);
            CHECK_INT(row.ref_event, want[n].ref_event);
            CHECK_INT(row.cand_event, want[n].cand_event);
            /* every event here is a producer: its index is its place */
            if (row.ref_event != WDG_NO_EVENT)
                CHECK_INT(row.ref_index, row.ref_event);
            if (row.cand_event != WDG_NO_EVENT)
                CHECK_INT(row.cand_index, row.cand_event);
        }
        n++;
    }
    CHECK_INT(n, 5);
    CHECK_INT(a ? wdg_align_next(a, &row) : 0, 0);   /* it stays at the end */
    wdg_align_free(a);
    wdg_keytable_free(&kt);
    wdg_trace_free(t[0]);
    wdg_trace_free(t[1]);
    wdg_ops_free(ops);
}

/* A root carries its key's index and how often its reference thread fires
 * that key, so the renderers look nothing up: the simulator's cache thread
 * never spawns in cand, and in ref it fires the key the waiters need. */
void test_root_facts(void)
{
    wdg_error err = {0};
    wdg_sim_result res;
    CHECK_INT(t_simulate("missing-thread", 1, &res), 0);
    wdg_ops *ops = NULL;
    wdg_trace *t[2] = {NULL, NULL};
    const char *paths[2] = {res.ref_path, res.cand_path};
    wdg_ops_new(&ops, &err);
    CHECK_INT(wdg_load_traces(t, paths, 2, ops, NULL, NULL, 0, &err), 0);
    wdg_report r;
    CHECK_INT(wdg_report_build(&r, t[0], t[1], NULL, NULL, &err), 0);
    CHECK(r.diag.n_roots > 0);
    for (size_t i = 0; i < r.diag.n_roots; i++) {
        const wdg_root *x = &r.diag.roots[i];
        CHECK(x->has_key ? x->key < r.keys.n : x->key == WDG_NO_KEY);
        if (x->key != WDG_NO_KEY) {
            const wdg_key *k = &r.keys.keys[x->key];
            CHECK(k->cat == x->cat && (k->has_lr ? k->lr == x->lr : k->op == x->op));
        }
        if (x->kind != WDG_ROOT_MISSING_THREAD)
            continue;
        /* by hand: the ref thread's events of the key, no more than the key's */
        uint64_t n = 0;
        for (size_t e = 0; e < t[0]->n_events; e++)
            n += t[0]->events[e].tid == x->ref_tid && r.keys.ref_key[e] == x->key;
        CHECK(x->ref_thread_fires > 0);
        CHECK_INT(x->ref_thread_fires, n);
    }
    /* milestones are facts; the words come from wdg_milestone_text() */
    const wdg_boot_delta *bd = &r.boot;
    CHECK(bd->n_milestones > 0);
    int threads = 0, keys = 0;
    for (size_t i = 0; i < bd->n_milestones; i++) {
        const wdg_milestone *m = &bd->milestones[i];
        char what[192];
        wdg_milestone_text(&r, m, what, sizeof what);
        if (i)   /* by ref t; a thread start before a key's first at the same t */
            CHECK(m[-1].ref_t < m->ref_t ||
                  (m[-1].ref_t == m->ref_t && m[-1].kind <= m->kind));
        if (m->kind == WDG_MILESTONE_THREAD_START) {
            const wdg_thread *th = wdg_diag_ref_thread(&r.diag, m->ref_tid);
            CHECK(th && th->first == m->ref_event && th->entry_pc == m->entry_pc);
            CHECK(strstr(what, " starts (entry 0x") != NULL);
            threads++;
        } else {
            CHECK_INT(m->kind, WDG_MILESTONE_KEY_FIRST);
            CHECK_INT(r.keys.ref_key[m->ref_event], m->key);
            CHECK(!m->has_cand || r.keys.cand_key[m->cand_event] == m->key);
            CHECK(strncmp(what, "first ", 6) == 0);
            keys++;
        }
    }
    CHECK(threads > 0 && keys > 0);
    wdg_report_free(&r);
    wdg_trace_free(t[0]);
    wdg_trace_free(t[1]);
    wdg_ops_free(ops);
}
