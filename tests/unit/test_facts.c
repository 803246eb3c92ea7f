/* Facts the analysis computes so that renderers only format them: the key
 * counts by status, the ladders, the unexplained flag, a token's parts and
 * wedge diff's pair diff. */
#include "harness.h"
#include "wedge/wedge.h"
#include "../../src/sim/sim.h"

typedef struct loaded {
    wdg_ops *ops;
    wdg_trace *t[2];
    wdg_report r;
} loaded;

static int load_pair(loaded *l, const char *ref, const char *cand)
{
    wdg_error err = {0};
    const char *paths[2] = {ref, cand};
    memset(l, 0, sizeof *l);
    wdg_ops_new(&l->ops, &err);
    if (wdg_load_traces(l->t, paths, 2, l->ops, NULL, NULL, 0, &err) < 0)
        return -1;
    return wdg_report_build(&l->r, l->t[0], l->t[1], NULL, NULL, &err);
}

static void unload(loaded *l)
{
    wdg_report_free(&l->r);
    wdg_trace_free(l->t[0]);
    wdg_trace_free(l->t[1]);
    wdg_ops_free(l->ops);
}

static int has_edge(const wdg_diagnosis *d, uint32_t from, uint32_t to)
{
    for (size_t i = 0; i < d->n_edges; i++)
        if (d->edges[i].from == from && d->edges[i].to == to)
            return 1;
    return 0;
}

static int is_linked(const wdg_diagnosis *d, uint32_t tid, size_t root)
{
    for (size_t i = 0; i < d->n_links; i++)
        if (d->links[i].tid == tid && d->links[i].root == root)
            return 1;
    return 0;
}

/* every ladder starts at a thread its root blocks, climbs rungs and ends
 * at a thread linked to the root; returns the longest */
static size_t check_ladders(const wdg_diagnosis *d)
{
    size_t longest = 0, total = 0;
    for (size_t i = 0; i < d->n_roots; i++) {
        const wdg_root *x = &d->roots[i];
        CHECK_INT(x->n_ladders, x->n_blocks < WDG_MAX_LADDERS ? x->n_blocks : WDG_MAX_LADDERS);
        CHECK_INT(x->ladder, total);
        total += x->n_ladders;
        for (size_t k = 0; k < x->n_ladders && x->ladder + k < d->n_ladders; k++) {
            const wdg_ladder *l = &d->ladders[x->ladder + k];
            const uint32_t *tids = d->ladder_tids + l->first;
            CHECK_INT(l->root, i);
            CHECK(l->n_tids > 0 && l->first + l->n_tids <= d->n_ladder_tids);
            CHECK_INT(tids[0], x->blocks[k]);
            for (size_t j = 1; j < l->n_tids; j++)
                CHECK(has_edge(d, tids[j - 1], tids[j]));
            CHECK(is_linked(d, tids[l->n_tids - 1], i));
            if (l->n_tids > longest)
                longest = l->n_tids;
        }
    }
    CHECK_INT(d->n_ladders, total);
    return longest;
}

/* the unexplained flag is set on exactly the listed threads; returns how many */
static size_t check_unexplained(const wdg_diagnosis *d)
{
    size_t flagged = 0;
    for (size_t i = 0; i < d->n_cand_threads; i++) {
        const wdg_thread *th = &d->cand_threads[i];
        int listed = 0;
        for (size_t u = 0; u < d->n_unexplained; u++)
            listed |= d->unexplained[u].tid == th->tid;
        CHECK_INT(th->unexplained, listed);
        flagged += th->unexplained != 0;
    }
    CHECK_INT(flagged, d->n_unexplained);
    return flagged;
}

static void check_by_status(const wdg_keytable *kt)
{
    uint64_t want[WDG_ST_COUNT] = {0}, sum = 0;
    for (size_t i = 0; i < kt->n; i++)
        want[kt->keys[i].status]++;
    for (int s = 0; s < WDG_ST_COUNT; s++) {
        CHECK_INT(kt->by_status[s], want[s]);
        sum += kt->by_status[s];
    }
    CHECK_INT(sum, kt->n);
}

/* the investigation scenario: ladders several threads long */
static void scenario_facts(void)
{
    wdg_error err = {0};
    wdg_sim_result res;
    CHECK_INT(t_simulate("investigation", 3, &res), 0);
    loaded l;
    CHECK_INT(load_pair(&l, res.ref_path, res.cand_path), 0);
    const wdg_report *r = &l.r;
    CHECK(r->diag.n_roots > 0);
    CHECK(check_ladders(&r->diag) >= 3);
    check_by_status(&r->keys);
    CHECK(r->keys.by_status[WDG_ST_MATCH] < r->keys.n);   /* something diverges */

    /* a token's parts, and its words from the output layer */
    size_t ev = SIZE_MAX;
    for (size_t i = 0; i < l.t[0]->n_events && ev == SIZE_MAX; i++)
        if (l.t[0]->events[i].flags & WDG_EV_LR)
            ev = i;
    CHECK(ev != SIZE_MAX);
    if (ev != SIZE_MAX) {
        const wdg_event *e = &l.t[0]->events[ev];
        wdg_token_parts p = wdg_token_of(l.t[0], ev);
        CHECK_STR(p.op, wdg_ops_name(l.t[0]->ops, e->op));
        CHECK(p.has_lr && p.lr == e->lr);
        char name[256], want[256], fn[160];
        wdg_symbols_format(NULL, e->lr, fn, sizeof fn);
        snprintf(want, sizeof want, "%s@%s x 4", p.op, fn);
        wdg_token_run_name(r, l.t[0], ev, 4, name, sizeof name);
        CHECK_STR(name, want);
    }

    /* wedge diff's analysis: the script covers both streams */
    const wdg_thread_pair *tp = r->diag.n_pairs ? &r->diag.pairs[0] : NULL;
    CHECK(tp != NULL);
    wdg_pair_diff pd;
    if (tp && wdg_pair_diff_build(&pd, r, tp->ref, tp->cand, 1, &err) == 0) {
        size_t a = 0, b = 0, ins = 0, del = 0;
        for (size_t i = 0; i < pd.diff.n_runs; i++) {
            const wdg_diff_run *run = &pd.diff.runs[i];
            a += run->kind != WDG_DIFF_INSERT ? run->len : 0;
            b += run->kind != WDG_DIFF_DELETE ? run->len : 0;
            ins += run->kind == WDG_DIFF_INSERT ? run->len : 0;
            del += run->kind == WDG_DIFF_DELETE ? run->len : 0;
        }
        CHECK(pd.st.n > 0 && a == pd.st.n && b == pd.st.m);
        CHECK(ins == pd.diff.inserted && del == pd.diff.deleted);
        CHECK(pd.ref_tid == tp->ref && pd.cand_tid == tp->cand && pd.whole == 1);
        wdg_pair_diff_free(&pd);
    } else {
        CHECK(0);
    }
    /* a thread the diagnosis lacks: a usage error, nothing left to free */
    CHECK_INT(wdg_pair_diff_build(&pd, r, 0xFFFFFF00u, 1, 0, &err), WDG_EUSAGE);
    CHECK(pd.st.a == NULL && pd.diff.runs == NULL);
    unload(&l);
}

#define EV(t, tid, op, rest) "{\"t\":" #t ",\"tid\":" #tid ",\"op\":\"" op "\"" rest "}\n"

/* roots.sh's unexp case: cand 3 waits on an object no reference object
 * matches, so it is unexplained (and flagged); cand 1's ladder is itself */
static void unexplained_flag(void)
{
    const char *ref = EV(1, 6, "NtCreateEvent", ",\"lr\":\"0x100\",\"obj\":\"0xF10\"")
        EV(2, 6, "thread.create", ",\"entry_pc\":\"0x8000\",\"new_tid\":7")
        EV(2, 6, "thread.create", ",\"entry_pc\":\"0x9000\",\"new_tid\":8")
        EV(3, 7, "NtSetEvent", ",\"lr\":\"0x8010\",\"obj\":\"0xF10\"")
        EV(4, 6, "KeWaitForSingleObject", ",\"lr\":\"0x110\",\"obj\":\"0xF10\"")
        EV(90, 6, "KeQueryPerformanceCounter", ",\"lr\":\"0x120\"")
        EV(100, 8, "KeQueryPerformanceCounter", ",\"lr\":\"0x9020\"")
        EV(100, 7, "KeQueryPerformanceCounter", ",\"lr\":\"0x8020\"");
    const char *cand = EV(1, 1, "NtCreateEvent", ",\"lr\":\"0x100\",\"obj\":\"0x1004\"")
        EV(2, 1, "thread.create", ",\"entry_pc\":\"0x8000\",\"new_tid\":2")
        EV(2, 1, "thread.create", ",\"entry_pc\":\"0x9000\",\"new_tid\":3")
        EV(3, 2, "NtSetEvent", ",\"lr\":\"0x8010\",\"obj\":\"0x1004\"")
        EV(4, 1, "KeWaitForSingleObject", ",\"lr\":\"0x110\",\"obj\":\"0x1004\"")
        EV(5, 3, "KeWaitForSingleObject", ",\"lr\":\"0x9004\",\"obj\":\"0x1040\"")
        EV(100, 2, "KeQueryPerformanceCounter", ",\"lr\":\"0x8020\"");
    loaded l;
    CHECK_INT(load_pair(&l, t_tempfile(ref, strlen(ref)), t_tempfile(cand, strlen(cand))), 0);
    const wdg_diagnosis *d = &l.r.diag;
    CHECK_INT(check_unexplained(d), 1);
    const wdg_thread *th = wdg_diag_cand_thread(d, 3);
    CHECK(th && th->unexplained);
    CHECK_INT(d->n_roots, 1);
    CHECK_INT(check_ladders(d), 1);
    check_by_status(&l.r.keys);
    unload(&l);
}

void test_render_facts(void)
{
    scenario_facts();
    unexplained_flag();
}
