/* truth.json: what the simulator knows about the two runs — per-key
 * counts, the true thread pairs, the threads blocked at the end, and the
 * injected faults as the root causes ANALYSIS.md section 7 names, found by
 * following the program's own producer table, not by reading traces. */
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"
#include "sim_truth.h"
#include "wedge/buf.h"
#include "wedge/ops.h"

static const char *family(const sim_run *r, int ti)
{
    return r->prog->tmpls[r->threads[ti].tmpl].family;
}

static int find_thread(const sim_run *r, int tmpl, int instance)
{
    for (int i = 0; i < r->nthreads; i++)
        if (r->threads[i].tmpl == tmpl && r->threads[i].instance == instance &&
            r->threads[i].spawned)
            return i;
    return -1;
}

/* ANALYSIS.md section 5 with the default silence (25 % of the span) */
static int wedged(const sim_run *r, int ti)
{
    const sim_thread_info *t = &r->threads[ti];
    int64_t span = r->last_t - r->first_t;
    return t->blocked && t->wait_infinite && !t->exited && r->last_t - t->since >= span / 4;
}

static int divergent(const sim_run *ref, const sim_run *cand, int ci)
{
    if (!wedged(cand, ci))
        return 0;
    int ri = find_thread(ref, cand->threads[ci].tmpl, cand->threads[ci].instance);
    return !(ri >= 0 && wedged(ref, ri) && ref->threads[ri].wait_lr == cand->threads[ci].wait_lr);
}

/* --- keys --------------------------------------------------------------- */

typedef struct tkey {
    int cat;
    uint32_t lr;
    const char *op;
    uint64_t ref, cand, ref_total, cand_total;
    const char *status;
} tkey;

static const char *op_at(const program *p, uint32_t lr)
{
    for (int t = 0; t < p->ntmpls; t++)
        for (int s = 0; s < p->tmpls[t].nsteps; s++)
            if (p->tmpls[t].steps[s].lr == lr && p->tmpls[t].steps[s].op)
                return p->tmpls[t].steps[s].op;
    return "?";
}

static int key_order(const void *a, const void *b)
{
    const tkey *x = a, *y = b;
    if (x->ref != y->ref)
        return x->ref > y->ref ? -1 : 1;
    if (x->cand != y->cand)
        return x->cand > y->cand ? -1 : 1;
    if (x->cat != y->cat)
        return x->cat < y->cat ? -1 : 1;
    return x->lr < y->lr ? -1 : x->lr > y->lr;
}

static tkey *count_keys(const sim_run *ref, const sim_run *cand, int64_t cutoff, size_t *n)
{
    size_t cap = 64;
    tkey *k = calloc(cap, sizeof *k);
    *n = 0;
    const sim_run *runs[2] = {ref, cand};
    for (int e = 0; e < 2 && k; e++)
        for (size_t i = 0; i < runs[e]->nprod; i++) {
            size_t j = 0;
            while (j < *n && !(k[j].cat == runs[e]->prod_cat[i] && k[j].lr == runs[e]->prod_lr[i]))
                j++;
            if (j == *n) {
                if (*n == cap) {
                    tkey *p = realloc(k, 2 * cap * sizeof *k);
                    if (!p) {
                        free(k);
                        return NULL;
                    }
                    k = p;
                    cap *= 2;
                }
                memset(&k[j], 0, sizeof k[j]);
                k[j].cat = runs[e]->prod_cat[i];
                k[j].lr = runs[e]->prod_lr[i];
                k[j].op = op_at(ref->prog, k[j].lr);
                (*n)++;
            }
            int in = runs[e]->prod_t[i] <= cutoff;
            if (e == 0)
                k[j].ref_total++, k[j].ref += (uint64_t)in;
            else
                k[j].cand_total++, k[j].cand += (uint64_t)in;
        }
    for (size_t j = 0; k && j < *n; j++) {
        tkey *x = &k[j];
        x->status = x->ref > 0 && x->cand == 0                    ? "MISSING"
                    : x->ref == 0 && x->cand > 0                  ? "EXTRA"
                    : x->cand > 0 && (double)x->cand < x->ref / 1.25 ? "UNDER"
                    : x->ref > 0 && (double)x->cand > x->ref * 1.25  ? "OVER"
                                                                   : "MATCH";
    }
    if (k)
        qsort(k, *n, sizeof *k, key_order);
    return k;
}

/* The first reference producer (in time order, within the common span)
 * whose key is MISSING or UNDER, and the first whose ordinal exceeds the
 * candidate's count: ANALYSIS.md section 4 from the simulator's own lists. */
static void first_events(wdg_buf *b, const sim_run *ref, const tkey *keys, size_t nk,
                         int64_t cutoff)
{
    uint64_t *seen = calloc(nk + 1, sizeof *seen);
    if (!seen) {
        b->oom = 1;   /* the caller checks the buffer */
        return;
    }
    long div = -1, sh = -1;
    uint64_t div_ord = 0, sh_ord = 0;
    for (size_t i = 0; i < ref->nprod && ref->prod_t[i] <= cutoff && (div < 0 || sh < 0);
         i++) {
        size_t k = 0;
        while (k < nk && !(keys[k].cat == ref->prod_cat[i] && keys[k].lr == ref->prod_lr[i]))
            k++;
        uint64_t ord = ++seen[k];
        if (div < 0 && (strcmp(keys[k].status, "MISSING") == 0 || strcmp(keys[k].status, "UNDER") == 0))
            div = (long)i, div_ord = ord;
        if (sh < 0 && ord > keys[k].cand)
            sh = (long)i, sh_ord = ord;
    }
    free(seen);
    const char *names[2] = {"first_divergence", "first_shortfall"};
    long at[2] = {div, sh};
    uint64_t ord[2] = {div_ord, sh_ord};
    for (int j = 0; j < 2; j++) {
        wdg_buf_printf(b, ",\n  \"%s\": ", names[j]);
        if (at[j] < 0) {
            wdg_buf_puts(b, "null");
            continue;
        }
        wdg_buf_printf(b, "{\"ref_index\": %ld, \"t\": %lld, \"category\": \"%s\", "
                          "\"lr\": \"0x%08X\", \"ordinal\": %llu}",
                       at[j], (long long)ref->prod_t[at[j]], wdg_category_name(ref->prod_cat[at[j]]),
                       ref->prod_lr[at[j]], (unsigned long long)ord[j]);
    }
}

/* The boot truth: where main's token stream first differs (the extra
 * poll's first event, if any), and the first milestone - a thread start or
 * a key's first event - that comes more than twice as late in cand. */
typedef struct tmile {
    int64_t ref_t, cand_t;
    int is_thread;
    const char *family;
    uint32_t lr;
} tmile;

static int mile_order(const void *a, const void *b)
{
    const tmile *x = a, *y = b;
    return x->ref_t < y->ref_t ? -1 : x->ref_t > y->ref_t;
}

static void boot_truth(wdg_buf *b, const sim_run *ref, const sim_run *cand, const tkey *keys,
                       size_t nk)
{
    size_t cap = (size_t)ref->nthreads + nk + 1, n = 0;
    tmile *m = calloc(cap, sizeof *m);
    if (!m) {
        b->oom = 1;   /* the caller checks the buffer */
        return;
    }
    for (int i = 0; i < ref->nthreads; i++) {
        const sim_thread_info *t = &ref->threads[i];
        int ci = find_thread(cand, t->tmpl, t->instance);
        if (i == 0 || !t->events || ci < 0 || !cand->threads[ci].events)
            continue;   /* main has no start; a missing thread has no cand time */
        m[n++] = (tmile){t->first_t, cand->threads[ci].first_t, 1, family(ref, i), 0};
    }
    for (size_t k = 0; k < nk; k++) {
        int64_t rt = -1, ct = -1;
        for (size_t i = 0; i < ref->nprod && rt < 0; i++)
            if (ref->prod_lr[i] == keys[k].lr && ref->prod_cat[i] == keys[k].cat)
                rt = ref->prod_t[i];
        for (size_t i = 0; i < cand->nprod && ct < 0; i++)
            if (cand->prod_lr[i] == keys[k].lr && cand->prod_cat[i] == keys[k].cat)
                ct = cand->prod_t[i];
        if (rt >= 0 && ct >= 0)
            m[n++] = (tmile){rt, ct, 0, NULL, keys[k].lr};
    }
    qsort(m, n, sizeof *m, mile_order);
    wdg_buf_puts(b, ",\n  \"boot\": {\"main_first_diff\": ");
    if (cand->poll_at >= 0)
        wdg_buf_printf(b, "%ld", cand->poll_at);
    else
        wdg_buf_puts(b, "null");
    wdg_buf_puts(b, ", \"skew_start\": ");
    size_t i = 0;
    while (i < n && !(m[i].ref_t > 0 && (double)m[i].cand_t / (double)m[i].ref_t > 2))
        i++;
    if (i < n) {
        wdg_buf_printf(b, "{\"ref_t\": %lld, \"cand_t\": %lld, ", (long long)m[i].ref_t,
                       (long long)m[i].cand_t);
        if (m[i].is_thread)
            wdg_buf_printf(b, "\"thread\": \"%s\"}", m[i].family);
        else
            wdg_buf_printf(b, "\"lr\": \"0x%08X\"}", m[i].lr);
    } else {
        wdg_buf_puts(b, "null");
    }
    wdg_buf_putc(b, '}');
    free(m);
}

/* --- root causes ---------------------------------------------------------- */

enum { MAX_ROOTS = 32 };

typedef struct troot {
    const char *kind;
    int tid, ref_tid;             /* -1 = null */
    uint32_t entry_pc;
    int has_entry;
    const char *family;
    int cat;
    uint32_t lr;
    const char *op;
    uint32_t obj;
    int has_key, has_obj;
    int blocks[64];
    int nblocks;
} troot;

typedef struct walk {
    const sim_run *ref, *cand;
    troot roots[MAX_ROOTS];
    int nroots;
    char on_path[64];
    char reached[MAX_ROOTS];
} walk;

static int add_root(walk *w, troot r)
{
    for (int i = 0; i < w->nroots; i++) {
        troot *o = &w->roots[i];
        if (strcmp(o->kind, r.kind) == 0 && o->tid == r.tid && o->ref_tid == r.ref_tid &&
            o->lr == r.lr && o->obj == r.obj)
            return i;
    }
    if (w->nroots == MAX_ROOTS)
        return -1;
    w->roots[w->nroots] = r;
    return w->nroots++;
}

static void reach(walk *w, int root)
{
    if (root >= 0)
        w->reached[root] = 1;
}

/* Follows wedged cand thread ci to the roots that keep it waiting. */
static void follow(walk *w, int ci)
{
    const sim_run *cand = w->cand, *ref = w->ref;
    const program *p = cand->prog;
    const sim_thread_info *t = &cand->threads[ci];
    if (w->on_path[ci]) {
        troot r = {"cycle", (int)t->tid, -1, 0, 0, family(cand, ci), 0, 0, NULL, 0, 0, 0, {0}, 0};
        reach(w, add_root(w, r));
        return;
    }
    w->on_path[ci] = 1;
    int found = 0;
    /* a signal the candidate lost, or a WaitAny it read as WaitAll */
    for (int k = 0; k < t->wait_nobjs && !found; k++) {
        const sim_obj_info *o = &cand->objs[t->wait_objs[k]];
        if (o->lost_sets > 0 || (t->misread_any && o->state > 0)) {
            troot r = {"signaled_but_blocked", (int)t->tid, -1, 0, 0, family(cand, ci),
                       o->last_producer_cat, o->last_producer_lr, o->last_producer_op, o->id,
                       1, 1, {0}, 0};
            reach(w, add_root(w, r));
            found = 1;
        }
    }
    for (int k = 0; k < t->wait_nobjs && !found; k++) {
        const sim_obj_info *o = &cand->objs[t->wait_objs[k]];
        for (int pt = 0; pt < p->ntmpls; pt++)
            for (int s = 0; s < p->tmpls[pt].nsteps; s++) {
                const step *st = &p->tmpls[pt].steps[s];
                if ((st->kind != ST_SET && st->kind != ST_RELEASE) || st->obj != o->def)
                    continue;
                int cat = st->kind == ST_SET ? WDG_CAT_SET : WDG_CAT_RELEASE;
                for (int inst = 0; inst < p->workers; inst++) {
                    if (st->per_instance && inst != o->instance)
                        continue;
                    int ri = find_thread(ref, pt, inst);
                    if (ri < 0)
                        continue;   /* no such producer even in the reference */
                    int c = find_thread(cand, pt, inst);
                    troot r = {NULL, -1, -1, 0, 0, p->tmpls[pt].family, cat, st->lr, st->op,
                               o->id, 1, 1, {0}, 0};
                    found = 1;
                    if (c < 0) {
                        r.kind = "missing_thread";
                        r.ref_tid = (int)ref->threads[ri].tid;
                        r.entry_pc = p->tmpls[pt].entry_pc;
                        r.has_entry = 1;
                        reach(w, add_root(w, r));
                        continue;
                    }
                    const sim_thread_info *ct = &cand->threads[c];
                    int skipped_here = ct->skip_fired && cand->f && cand->f->skip_tmpl == pt &&
                                       cand->f->skip_step == s;
                    r.tid = (int)ct->tid;
                    if (divergent(ref, cand, c)) {
                        if (skipped_here && ct->waits_at_lr >= 2) {
                            r.kind = "skipped_producer";
                            reach(w, add_root(w, r));
                        } else {
                            follow(w, c);   /* a rung of the ladder */
                        }
                    } else if (skipped_here) {
                        r.kind = "live_missing_producer";
                        reach(w, add_root(w, r));
                    } else if (ct->exited || ct->last_t < t->since) {
                        r.kind = "silent_thread";
                        reach(w, add_root(w, r));
                    } else {
                        found = 0;
                    }
                }
            }
    }
    if (!found) {
        troot r = {"unknown", (int)t->tid, -1, 0, 0, family(cand, ci), 0, 0, NULL, 0, 0, 0, {0}, 0};
        reach(w, add_root(w, r));
    }
    w->on_path[ci] = 0;
}

static int root_order(const void *a, const void *b)
{
    const troot *x = a, *y = b;
    if (x->nblocks != y->nblocks)
        return x->nblocks > y->nblocks ? -1 : 1;
    int tx = x->tid >= 0 ? x->tid : x->ref_tid, ty = y->tid >= 0 ? y->tid : y->ref_tid;
    return tx < ty ? -1 : tx > ty;
}

static int int_order(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return x < y ? -1 : x > y;
}

/* --- JSON ------------------------------------------------------------------- */

static void addr(wdg_buf *b, int has, uint32_t v)
{
    if (has)
        wdg_buf_printf(b, "\"0x%08X\"", v);
    else
        wdg_buf_puts(b, "null");
}

static void opt_int(wdg_buf *b, int v)
{
    if (v >= 0)
        wdg_buf_printf(b, "%d", v);
    else
        wdg_buf_puts(b, "null");
}

static void run_obj(wdg_buf *b, const sim_run *r, const char *path)
{
    wdg_buf_puts(b, "{\"path\": ");
    wdg_buf_json_str(b, path);
    int exits = 0;
    for (int i = 0; i < r->nthreads; i++)
        exits += r->threads[i].exited;
    wdg_buf_printf(b, ", \"events\": %llu, \"threads\": %d, \"exits\": %d, \"first_t\": %lld, "
                      "\"last_t\": %lld}",
                   (unsigned long long)r->events, r->nthreads, exits, (long long)r->first_t,
                   (long long)r->last_t);
}

static void blocked_list(wdg_buf *b, const sim_run *ref, const sim_run *cand, int only_wedged,
                         int *first)
{
    const sim_run *runs[2] = {ref, cand};
    for (int e = 0; e < 2; e++)
        for (int i = 0; i < runs[e]->nthreads; i++) {
            const sim_thread_info *t = &runs[e]->threads[i];
            if (!t->blocked || (only_wedged && !wedged(runs[e], i)))
                continue;
            wdg_buf_printf(b, "%s\n    {\"engine\": \"%s\", \"tid\": %u, \"op\": \"%s\", \"lr\": ",
                           *first ? "" : ",", e ? "cand" : "ref", t->tid, t->wait_op);
            addr(b, 1, t->wait_lr);
            wdg_buf_puts(b, ", \"objs\": [");
            for (int k = 0; k < t->wait_nobjs; k++)
                wdg_buf_printf(b, "%s\"0x%08X\"", k ? ", " : "", runs[e]->objs[t->wait_objs[k]].id);
            wdg_buf_printf(b, "], \"since\": %lld, \"divergent\": %s, \"family\": \"%s\"",
                           (long long)t->since,
                           e && divergent(ref, cand, i) ? "true" : "false", family(runs[e], i));
            if (!only_wedged)
                wdg_buf_printf(b, ", \"wedged\": %s", wedged(runs[e], i) ? "true" : "false");
            wdg_buf_putc(b, '}');
            *first = 0;
        }
}

int sim_truth_json(wdg_buf *b, const sim_truth_in *in)
{
    const sim_run *ref = in->ref, *cand = in->cand;
    const program *p = ref->prog;
    int64_t cutoff = ref->last_t < cand->last_t ? ref->last_t : cand->last_t;
    size_t nk = 0;
    tkey *keys = count_keys(ref, cand, cutoff, &nk);
    walk *w = calloc(1, sizeof *w);
    if (!keys || !w) {
        free(keys);
        free(w);
        return -1;
    }
    w->ref = ref;
    w->cand = cand;
    int any_divergent = 0;
    for (int ci = 0; ci < cand->nthreads; ci++) {
        if (!divergent(ref, cand, ci))
            continue;
        any_divergent = 1;
        memset(w->reached, 0, sizeof w->reached);
        follow(w, ci);
        for (int r = 0; r < w->nroots; r++)
            if (w->reached[r] && w->roots[r].nblocks < 64)
                w->roots[r].blocks[w->roots[r].nblocks++] = (int)cand->threads[ci].tid;
    }
    for (int r = 0; r < w->nroots; r++)
        qsort(w->roots[r].blocks, (size_t)w->roots[r].nblocks, sizeof(int), int_order);
    qsort(w->roots, (size_t)w->nroots, sizeof w->roots[0], root_order);
    int keys_match = 1;
    for (size_t i = 0; i < nk; i++)
        keys_match &= strcmp(keys[i].status, "MATCH") == 0;
    const char *outcome = !any_divergent && keys_match ? "NONE"
                          : !any_divergent             ? "DIVERGED"
                          : w->nroots >= 2             ? "C"
                          : strcmp(w->roots[0].kind, "missing_thread") == 0 ? "A"
                                                                            : "B";
    snprintf(in->outcome, 16, "%s", outcome);

    wdg_buf_puts(b, "{\n  \"wedge_truth\": 1,\n  \"scenario\": ");
    wdg_buf_json_str(b, in->scenario);
    wdg_buf_puts(b, ",\n  \"faults\": ");
    wdg_buf_json_str(b, in->fault_specs);
    wdg_buf_printf(b, ",\n  \"seed\": %llu,\n  \"ref_format\": \"%s\",\n  \"ref\": ",
                   (unsigned long long)in->seed, in->ref_format);
    run_obj(b, ref, in->ref_file);
    wdg_buf_puts(b, ",\n  \"cand\": ");
    run_obj(b, cand, in->cand_file);
    wdg_buf_printf(b, ",\n  \"common_span_end\": %lld,\n  \"keys\": [", (long long)cutoff);
    for (size_t i = 0; i < nk; i++) {
        wdg_buf_printf(b, "%s\n    {\"category\": \"%s\", \"lr\": \"0x%08X\", \"op\": \"%s\", "
                          "\"ref\": %llu, \"cand\": %llu, \"ref_total\": %llu, "
                          "\"cand_total\": %llu, \"status\": \"%s\"}",
                       i ? "," : "", wdg_category_name(keys[i].cat), keys[i].lr, keys[i].op,
                       (unsigned long long)keys[i].ref, (unsigned long long)keys[i].cand,
                       (unsigned long long)keys[i].ref_total,
                       (unsigned long long)keys[i].cand_total, keys[i].status);
    }
    wdg_buf_puts(b, "\n  ]");
    first_events(b, ref, keys, nk, cutoff);
    wdg_buf_puts(b, ",\n  \"thread_pairs\": [");
    int first = 1;
    for (int ri = 0; ri < ref->nthreads; ri++) {
        const sim_thread_info *rt = &ref->threads[ri];
        int ci = find_thread(cand, rt->tmpl, rt->instance);
        if (ci < 0 || !rt->spawned)
            continue;
        wdg_buf_printf(b, "%s\n    {\"ref\": %u, \"cand\": %u, \"family\": \"%s\", \"instance\": %d, "
                          "\"entry_pc\": \"0x%08X\"}",
                       first ? "" : ",", rt->tid, cand->threads[ci].tid, family(ref, ri),
                       rt->instance, p->tmpls[rt->tmpl].entry_pc);
        first = 0;
    }
    wdg_buf_puts(b, "\n  ],\n  \"ref_only_threads\": [");
    first = 1;
    for (int ri = 0; ri < ref->nthreads; ri++) {
        const sim_thread_info *rt = &ref->threads[ri];
        if (find_thread(cand, rt->tmpl, rt->instance) >= 0 || !rt->spawned)
            continue;
        wdg_buf_printf(b, "%s{\"tid\": %u, \"family\": \"%s\", \"entry_pc\": \"0x%08X\"}",
                       first ? "" : ", ", rt->tid, family(ref, ri), p->tmpls[rt->tmpl].entry_pc);
        first = 0;
    }
    wdg_buf_puts(b, "],\n  \"blocked\": [");
    first = 1;
    blocked_list(b, ref, cand, 0, &first);
    wdg_buf_puts(b, "\n  ],\n  \"wedged\": [");
    first = 1;
    blocked_list(b, ref, cand, 1, &first);
    wdg_buf_puts(b, "\n  ],\n  \"root_causes\": [");
    for (int r = 0; r < w->nroots; r++) {
        const troot *x = &w->roots[r];
        wdg_buf_printf(b, "%s\n    {\"kind\": \"%s\", \"tid\": ", r ? "," : "", x->kind);
        opt_int(b, x->tid);
        wdg_buf_puts(b, ", \"ref_tid\": ");
        opt_int(b, x->ref_tid);
        wdg_buf_puts(b, ", \"entry_pc\": ");
        addr(b, x->has_entry, x->entry_pc);
        wdg_buf_printf(b, ", \"family\": \"%s\", \"category\": ", x->family);
        if (x->has_key)
            wdg_buf_printf(b, "\"%s\", \"lr\": \"0x%08X\", \"op\": \"%s\"",
                           wdg_category_name(x->cat), x->lr, x->op);
        else
            wdg_buf_puts(b, "null, \"lr\": null, \"op\": null");
        wdg_buf_puts(b, ", \"obj\": ");
        addr(b, x->has_obj, x->obj);
        wdg_buf_puts(b, ", \"blocks\": [");
        for (int k = 0; k < x->nblocks; k++)
            wdg_buf_printf(b, "%s%d", k ? ", " : "", x->blocks[k]);
        wdg_buf_puts(b, "]}");
    }
    wdg_buf_puts(b, "\n  ]");
    boot_truth(b, ref, cand, keys, nk);
    wdg_buf_printf(b, ",\n  \"outcome\": \"%s\"\n}\n", outcome);
    free(keys);
    free(w);
    return b->oom ? -1 : 0;
}
