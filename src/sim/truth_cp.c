/* truth.json's critical_path: the program's family graph (who signals
 * whom, from its producer steps and waits) and, for each fault, the edges
 * it breaks first and everything downstream of them. */
#include <stdio.h>
#include <string.h>

#include "sim_truth.h"

enum { MAX_TEDGES = 128 };

typedef struct tedge {
    int p, c;                  /* templates */
    uint32_t lr;
    const char *op;
    const char *fault;         /* the fault that breaks it first, or NULL */
    int affected;              /* downstream of a broken edge (or broken) */
} tedge;

/* the name wedge gives the family with symbols.txt: main, or its thread function */
static void fam_name(const program *p, int t, char *out, size_t cap)
{
    snprintf(out, cap, t == 0 ? "main" : "%s_thread", p->tmpls[t].family);
}

static int spawned(const program *p, int t)
{
    for (int u = 0; u < p->ntmpls; u++)
        for (int k = 0; k < p->tmpls[u].nsteps; k++)
            if (p->tmpls[u].steps[k].kind == ST_SPAWN && p->tmpls[u].steps[k].tmpl == t)
                return 1;
    return t == 0;
}

static int waits_on(const tmpl *tp, int obj)
{
    for (int k = 0; k < tp->nsteps; k++) {
        const step *s = &tp->steps[k];
        for (int j = 0; s->kind == ST_WAIT && j < s->nobjs; j++)
            if (s->objs[j] == obj)
                return 1;
    }
    return 0;
}

/* producer family -> consumer family for every set or release step on an
 * object another family waits on */
static int graph(const program *p, tedge *e)
{
    int n = 0;
    for (int t = 0; t < p->ntmpls; t++) {
        if (!spawned(p, t) || t == p->helper_tmpl)
            continue;
        const tmpl *tp = &p->tmpls[t];
        for (int k = 0; k < tp->nsteps; k++) {
            const step *s = &tp->steps[k];
            if (s->kind != ST_SET && s->kind != ST_RELEASE)
                continue;
            for (int u = 0; u < p->ntmpls && n < MAX_TEDGES; u++)
                if (u != t && spawned(p, u) && waits_on(&p->tmpls[u], s->obj))
                    e[n++] = (tedge){t, u, s->lr, s->op, NULL, 0};   /* wedge lifts a wrapper's site to its caller */
        }
    }
    return n;
}

static void mark(tedge *e, int n, int p, uint32_t lr, const char *fault)
{
    for (int i = 0; i < n; i++)
        if (e[i].p == p && (!lr || e[i].lr == lr) && !e[i].fault)
            e[i].fault = fault;
}

/* a step inside a loop that never ends: a slow step there slows every round */
static int in_endless_loop(const tmpl *tp, int at)
{
    int depth_endless = 0;
    for (int k = 0; k < at; k++) {
        if (tp->steps[k].kind == ST_LOOP)
            depth_endless = tp->steps[k].count == 0 ? 1 : depth_endless;
        else if (tp->steps[k].kind == ST_END_LOOP)
            depth_endless = 0;
    }
    return depth_endless;
}

/* The edges each fault breaks first, as the candidate's counts show it. */
static void breaks(const sim_run *cand, tedge *e, int n)
{
    const program *p = cand->prog;
    const faults *f = cand->f;
    if (!f)
        return;
    for (int t = 0; t < p->ntmpls; t++)   /* a family never spawned fires none of its edges */
        if (f->missing & (1u << t))
            mark(e, n, t, 0, "missing");
    if (f->skip_tmpl >= 0 && f->skip_step >= 0)
        mark(e, n, f->skip_tmpl, p->tmpls[f->skip_tmpl].steps[f->skip_step].lr, "skip");
    if (f->silent_tmpl >= 0 && f->silent_step >= 0)
        mark(e, n, f->silent_tmpl, p->tmpls[f->silent_tmpl].steps[f->silent_step].lr, "silent");
    /* slow in an endless loop: the family fires less of everything; a slow
     * boot step only delays, and the common span (by progress) absorbs it */
    if (f->slow_tmpl >= 0 && f->slow_step >= 0 &&
        in_endless_loop(&p->tmpls[f->slow_tmpl], f->slow_step))
        mark(e, n, f->slow_tmpl, 0, "slow");
    /* a lost set is logged: the waiter it never wakes is the first to fall
     * short (the first set lost; later ones follow from it) */
    int lost = -1;
    for (int i = 0; f->lost_set && i < cand->nobjs; i++)
        if (cand->objs[i].lost_sets && (lost < 0 || cand->objs[i].first_lost_t < cand->objs[lost].first_lost_t))
            lost = i;
    for (int u = 0; lost >= 0 && u < p->ntmpls; u++)
        if (spawned(p, u) && waits_on(&p->tmpls[u], cand->objs[lost].def))
            mark(e, n, u, 0, "lost-set");
    /* WaitAny read as WaitAll: the misread family upstream of the others stops */
    if (f->waitany_as_all) {
        int misread[SIM_MAX_TMPLS] = {0};
        for (int i = 0; i < cand->nthreads; i++)
            if (cand->threads[i].misread_any && cand->threads[i].tmpl < SIM_MAX_TMPLS)
                misread[cand->threads[i].tmpl] = 1;
        for (int t = 0; t < p->ntmpls && t < SIM_MAX_TMPLS; t++) {
            int fed = 0;
            for (int i = 0; i < n; i++)
                fed |= e[i].c == t && misread[e[i].p];
            if (misread[t] && !fed)
                mark(e, n, t, 0, "waitany-as-all");
        }
    }
}

/* broken edges and everything downstream of their consumers */
static void downstream(tedge *e, int n)
{
    int reached[SIM_MAX_TMPLS] = {0}, grew = 1;
    for (int i = 0; i < n; i++)
        if (e[i].fault) {
            e[i].affected = 1;
            if (e[i].c < SIM_MAX_TMPLS)
                reached[e[i].c] = 1;
        }
    while (grew) {
        grew = 0;
        for (int i = 0; i < n; i++)
            if (!e[i].affected && e[i].p < SIM_MAX_TMPLS && reached[e[i].p]) {
                e[i].affected = grew = 1;
                if (e[i].c < SIM_MAX_TMPLS)
                    reached[e[i].c] = 1;
            }
    }
}

void sim_truth_critpath(wdg_jw *w, const sim_run *ref, const sim_run *cand)
{
    const program *p = ref->prog;
    tedge e[MAX_TEDGES];
    int n = graph(p, e);
    breaks(cand, e, n);
    downstream(e, n);
    char name[64];
    wdg_jw_key(w, "critical_path");
    wdg_jw_object(w, WDG_JW_LINES);
    wdg_jw_key(w, "edges");
    wdg_jw_array(w, WDG_JW_LINES);
    for (int i = 0; i < n; i++) {
        wdg_jw_object(w, WDG_JW_INLINE);
        fam_name(p, e[i].p, name, sizeof name);
        wdg_jw_kstring(w, "producer", name);
        fam_name(p, e[i].c, name, sizeof name);
        wdg_jw_kstring(w, "consumer", name);
        wdg_jw_key(w, "lr");
        wdg_jw_addr(w, e[i].lr);
        wdg_jw_kstring(w, "op", e[i].op);
        wdg_jw_key(w, "breaks");
        wdg_jw_string(w, e[i].fault);
        wdg_jw_kbool(w, "affected", e[i].affected);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
    wdg_jw_end(w);
}
