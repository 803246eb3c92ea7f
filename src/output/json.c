/* report.json (docs/analysis.md, "report.json"): member names and order as
 * documented there, addresses as "0x%08X", absent values as null. */
#include "render.h"
#include "cp_out.h"

#include <stdio.h>

/* an address, or null when the event has none */
static void trace_obj(wdg_jw *w, const wdg_trace *t, const char *name, const wdg_run_end *re)
{
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kstring(w, "path", t->path);
    wdg_jw_kuint(w, "lines", t->lines);
    wdg_jw_kuint(w, "events", t->n_events);
    wdg_jw_kuint(w, "ignored", t->ignored);
    wdg_jw_kuint(w, "malformed", t->malformed);
    wdg_jw_kuint(w, "producers", t->producers);
    wdg_jw_kuint(w, "threads", t->threads);
    int64_t span;
    const char *unit = NULL;
    int has_span = wdg_trace_span(t, &span, &unit);
    wdg_jw_key(w, "span");
    wdg_jw_opt_int(w, has_span, span);
    /* members beyond the spec's minimum */
    wdg_jw_kstring(w, "span_unit", unit);
    wdg_jw_key(w, "first_t");
    wdg_jw_opt_int(w, t->all_t, t->first_t);
    wdg_jw_key(w, "last_t");
    wdg_jw_opt_int(w, t->all_t, t->last_t);
    wdg_jw_kstring(w, "name", name);
    wdg_jw_kstring(w, "format", t->format);
    wdg_jw_kstring(w, "engine", t->engine[0] ? t->engine : NULL);
    wdg_jw_key(w, "observes");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (int c = 0; c < WDG_CAT_COUNT; c++)
        if (t->observes & WDG_CAT_BIT(c))
            wdg_jw_string(w, wdg_category_name(c));
    wdg_jw_end(w);
    wdg_json_malformed(w, t);
    wdg_json_truncated(w, t);
    /* the end of the run the diagnosis used */
    wdg_jw_key(w, "ended_at");
    wdg_jw_opt_int(w, re->has_ended_at, re->ended_at);
    wdg_jw_kstring(w, "end_source", wdg_end_source_name(re->source));
    wdg_jw_end(w);
}

/* the verdict's checks: why INCONCLUSIVE, and the warnings that qualify any verdict */
static void verdict(wdg_jw *w, const wdg_diagnosis *d)
{
    wdg_jw_kstring(w, "provisional_outcome", d->outcome == WDG_OUTCOME_INCONCLUSIVE
                                                 ? wdg_outcome_name(d->provisional_outcome)
                                                 : NULL);
    wdg_jw_key(w, "reasons");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (size_t i = 0; i < d->n_reasons; i++)
        wdg_jw_string(w, d->reasons[i]);
    wdg_jw_end(w);
    wdg_jw_key(w, "warnings");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (size_t i = 0; i < d->n_warnings; i++) {
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kstring(w, "code", d->warnings[i].code);
        wdg_jw_kstring(w, "message", d->warnings[i].message);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
}

void wdg_json_truncated(wdg_jw *w, const wdg_trace *t)
{
    wdg_jw_kbool(w, "truncated", t->truncated != NULL);
    wdg_jw_kstring(w, "truncated_reason", t->truncated);
}

void wdg_json_malformed(wdg_jw *w, const wdg_trace *t)
{
    wdg_jw_key(w, "malformed_by_reason");
    wdg_jw_object(w, WDG_JW_INLINE);
    for (int i = 0; i < WDG_MAL_COUNT; i++)
        if (t->malformed_by_reason[i])
            wdg_jw_kuint(w, wdg_malformed_reason_name(i), t->malformed_by_reason[i]);
    wdg_jw_end(w);
    wdg_jw_key(w, "malformed_lines");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (unsigned i = 0; i < t->n_samples; i++) {
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kuint(w, "line", t->samples[i].line);
        wdg_jw_kstring(w, "reason", wdg_malformed_reason_name(t->samples[i].reason));
        wdg_jw_kstring(w, "message", t->samples[i].msg);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
}


static void function_of(wdg_jw *w, const wdg_report *r, int has_lr, wdg_addr lr)
{
    char fn[160];
    /* outside every known function the member is null (Markdown prints the address) */
    wdg_jw_string(w, has_lr && wdg_symbols_format(r->symbols, lr, fn, sizeof fn) ? fn : NULL);
}

static void divergence(wdg_jw *w, const wdg_report *r, const char *name, const wdg_divergence *d)
{
    wdg_jw_key(w, name);
    if (!d->found) {
        wdg_jw_null(w);
        return;
    }
    const wdg_event *e = &r->ref->events[d->event];
    const wdg_key *k = &r->keys.keys[d->key];
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kuint(w, "ref_index", d->ref_index);
    wdg_jw_key(w, "t");
    wdg_jw_opt_int(w, e->flags & WDG_EV_T, e->t);
    wdg_jw_kuint(w, "tid", e->tid);
    wdg_jw_key(w, "cand_tid");
    const wdg_thread *rt = wdg_diag_ref_thread(&r->diag, e->tid);
    wdg_jw_opt_uint(w, rt && rt->has_analog, rt ? rt->analog : 0);
    wdg_jw_kstring(w, "category", wdg_category_name(wdg_ev_cat(r->ref->ops, e)));
    wdg_jw_key(w, "lr");
    wdg_json_addr(w, r, e->flags & WDG_EV_LR, wdg_ev_lr(e));
    wdg_jw_kstring(w, "op", wdg_ops_name(r->ref->ops, e->op));
    wdg_jw_key(w, "obj");
    wdg_json_addr(w, r, e->flags & WDG_EV_OBJ, wdg_ev_obj(e));
    wdg_jw_kuint(w, "ordinal", d->ordinal);
    wdg_jw_kuint(w, "ref_count", k->ref);
    wdg_jw_kuint(w, "cand_count", k->cand);
    wdg_jw_key(w, "function");
    function_of(w, r, e->flags & WDG_EV_LR, wdg_ev_lr(e));
    wdg_jw_kuint(w, "line", wdg_ev_line(r->ref, e));
    /* a match class member: the class's status is the one that counts */
    wdg_jw_kstring(w, "status", wdg_status_name(wdg_key_verdict(&r->keys, d->key)));
    if (k->status == WDG_ST_MIXED)
        wdg_jw_kuint(w, "class", k->cls);
    wdg_jw_end(w);
}

/* "match_classes" (only when a class formed, and "key_by" only when not
 * by site: reports without either stay as they were) */
static void match_classes(wdg_jw *w, const wdg_report *r)
{
    const wdg_keytable *kt = &r->keys;
    if (kt->key_by != WDG_KEY_BY_SITE)
        wdg_jw_kstring(w, "key_by", wdg_key_by_name(kt->key_by));
    if (!kt->n_classes)
        return;
    wdg_jw_key(w, "match_classes");
    wdg_jw_array(w, WDG_JW_LINES);
    for (size_t i = 0; i < kt->n_classes; i++) {
        const wdg_match_class *m = &kt->classes[i];
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kuint(w, "class", i);
        wdg_jw_kstring(w, "category", wdg_category_name(m->cat));
        wdg_jw_key(w, "via");
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kstring(w, "side", m->via_side == WDG_SIDE_CAND ? "cand" : "ref");
        wdg_jw_key(w, "lr");
        wdg_json_addr(w, r, 1, m->via);
        wdg_jw_key(w, "function");
        function_of(w, r, 1, m->via);
        wdg_jw_end(w);
        for (int s = 0; s < 2; s++) {
            wdg_jw_key(w, s ? "cand_keys" : "ref_keys");
            wdg_jw_array(w, WDG_JW_INLINE);
            for (size_t j = 0; j < m->n_keys; j++) {
                const wdg_key *k = &kt->keys[m->keys[j]];
                if (s ? k->cand_total : k->ref_total)
                    wdg_json_addr(w, r, 1, k->lr);
            }
            wdg_jw_end(w);
        }
        wdg_jw_kuint(w, "ref", m->ref);
        wdg_jw_kuint(w, "cand", m->cand);
        wdg_jw_kuint(w, "ref_total", m->ref_total);
        wdg_jw_kuint(w, "cand_total", m->cand_total);
        wdg_jw_kstring(w, "status", wdg_status_name(m->status));
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
}

/* a side's end: ns since its first event, or the line of its last event
 * in the span when untimed (the common span) */
static void span_end(wdg_jw *w, const wdg_trace *t, const wdg_span *sp, int side)
{
    if (!sp->count[side])
        wdg_jw_null(w);
    else if (t->all_t)
        wdg_jw_int(w, sp->end[side] - t->first_t);
    else
        wdg_jw_uint(w, wdg_ev_line(t, &t->events[sp->count[side] - 1]));
}

static void common_span(wdg_jw *w, const wdg_report *r)
{
    const wdg_span *sp = &r->keys.span;
    const wdg_trace *t[2] = {r->ref, r->cand};
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kstring(w, "method", wdg_span_method_name(sp->method));
    wdg_jw_kstring(w, "requested", wdg_span_method_name(sp->requested));
    for (int s = 0; s < 2; s++) {
        wdg_jw_key(w, s ? "cand_end" : "ref_end");
        span_end(w, t[s], sp, s);
    }
    for (int s = 0; s < 2; s++)
        wdg_jw_kstring(w, s ? "cand_unit" : "ref_unit", t[s]->all_t ? "ns" : "line");
    wdg_jw_key(w, "heartbeat");
    if (sp->has_heartbeat) {
        const wdg_key *k = &r->keys.keys[sp->heartbeat];
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kstring(w, "category", wdg_category_name(k->cat));
        wdg_jw_key(w, "lr");
        wdg_json_addr(w, r, k->has_lr, k->lr);
        wdg_jw_kstring(w, "op", wdg_ops_name(r->ref->ops, k->op));
        wdg_jw_kuint(w, "ref_beats", sp->beats[0]);
        wdg_jw_kuint(w, "cand_beats", sp->beats[1]);
        wdg_jw_end(w);
    } else {
        wdg_jw_null(w);
    }
    wdg_jw_kstring(w, "reason", sp->reason);
    wdg_jw_end(w);
}

static void thread_map(wdg_jw *w, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_jw_key(w, "thread_map");
    wdg_jw_array(w, WDG_JW_LINES);
    for (size_t i = 0; i < d->n_pairs; i++) {
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kuint(w, "ref", d->pairs[i].ref);
        wdg_jw_kuint(w, "cand", d->pairs[i].cand);
        wdg_jw_kstring(w, "how", wdg_map_how_name(d->pairs[i].how));
        wdg_jw_key(w, "score");
        if (d->pairs[i].how == WDG_HOW_SIGNATURE)
            wdg_jw_fixed(w, d->pairs[i].similarity, 3);
        else
            wdg_jw_null(w);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
}

static void last_wait(wdg_jw *w, const wdg_report *r, const wdg_trace *t, const wdg_thread *th)
{
    const wdg_event *e = &t->events[th->last];
    wdg_event_ext x_buf, *x = wdg_event_ext_of(t, e, &x_buf);
    wdg_jw_kstring(w, "op", wdg_ops_name(t->ops, e->op));
    wdg_jw_key(w, "lr");
    wdg_json_addr(w, r, e->flags & WDG_EV_LR, wdg_ev_lr(e));
    wdg_jw_key(w, "objs");
    wdg_jw_array(w, WDG_JW_INLINE);
    if (e->flags & WDG_EV_OBJ && wdg_ev_cat(t->ops, e) != WDG_CAT_SIGNAL_WAIT)
        wdg_json_addr(w, r, 1, wdg_ev_obj(e));
    for (uint32_t i = 0; x && (e->flags & WDG_EV_OBJS) && i < x->objs_n; i++)
        wdg_json_addr(w, r, 1, wdg_x_obj(t, x, i));
    wdg_jw_end(w);
    wdg_jw_kint(w, "since", t->all_t ? e->t : (int64_t)wdg_ev_line(t, e));
}

static void wedged(wdg_jw *w, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_jw_key(w, "wedged");
    wdg_jw_array(w, WDG_JW_LINES);
    for (int engine = 0; engine < 2; engine++) {
        const wdg_thread *ts = engine ? d->cand_threads : d->ref_threads;
        size_t n = engine ? d->n_cand_threads : d->n_ref_threads;
        for (size_t i = 0; i < n; i++) {
            if (ts[i].state != WDG_TS_WEDGED)
                continue;
            wdg_jw_object(w, WDG_JW_INLINE);
            wdg_jw_kstring(w, "engine", engine ? "cand" : "ref");
            wdg_jw_kuint(w, "tid", ts[i].tid);
            last_wait(w, r, engine ? r->cand : r->ref, &ts[i]);
            wdg_jw_kstring(w, "wedged_by", wdg_wedged_by_name(ts[i].wedged_by));
            wdg_jw_kbool(w, "divergent", ts[i].divergent);
            wdg_jw_kstring(w, "family", ts[i].family);
            wdg_jw_end(w);
        }
    }
    wdg_jw_end(w);
}

/* {rule, events: [{engine, line, tid, what}]} */
static void root_evidence(wdg_jw *w, const wdg_report *r, const wdg_root *x)
{
    wdg_jw_key(w, "evidence");
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kstring(w, "rule", wdg_root_rule(x->kind));
    wdg_jw_key(w, "events");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (size_t i = 0; i < x->n_evidence; i++) {
        const wdg_evidence_event *v = &x->evidence[i];
        const wdg_trace *t = v->cand ? r->cand : r->ref;
        const wdg_event *e = &t->events[v->event];
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kstring(w, "engine", v->cand ? "cand" : "ref");
        wdg_jw_kuint(w, "line", wdg_ev_line(t, e));
        wdg_jw_kuint(w, "tid", e->tid);
        wdg_jw_kstring(w, "what", v->what);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
    wdg_jw_end(w);
}

static void roots(wdg_jw *w, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_jw_key(w, "root_causes");
    wdg_jw_array(w, WDG_JW_LINES);
    for (size_t i = 0; i < d->n_roots; i++) {
        const wdg_root *x = &d->roots[i];
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kstring(w, "kind", wdg_root_kind_name(x->kind));
        wdg_jw_key(w, "tid");
        wdg_jw_opt_uint(w, x->has_tid, x->tid);
        wdg_jw_key(w, "ref_tid");
        wdg_jw_opt_uint(w, x->has_ref_tid, x->ref_tid);
        wdg_jw_key(w, "entry_pc");
        wdg_json_addr(w, r, x->has_entry, x->entry_pc);
        wdg_jw_kstring(w, "family", x->family);
        wdg_jw_kstring(w, "category", x->has_key ? wdg_category_name(x->cat) : NULL);
        wdg_jw_key(w, "lr");
        wdg_json_addr(w, r, x->has_key && x->key_has_lr, x->lr);
        wdg_jw_kstring(w, "op", x->has_key ? wdg_ops_name(r->ref->ops, x->op) : NULL);
        wdg_jw_key(w, "obj");
        wdg_json_addr(w, r, x->has_obj, x->obj);
        wdg_jw_key(w, "blocks");
        wdg_jw_array(w, WDG_JW_INLINE);
        for (size_t k = 0; k < x->n_blocks; k++)
            wdg_jw_uint(w, x->blocks[k]);
        wdg_jw_end(w);
        wdg_jw_kstring(w, "confidence", wdg_root_confidence_name(x->inferred));
        root_evidence(w, r, x);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
}

/* unexplained wedged threads and suspects (after every other member) */
static void unexplained(wdg_jw *w, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_jw_key(w, "unexplained");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (size_t i = 0; i < d->n_unexplained; i++) {
        const wdg_unexplained *u = &d->unexplained[i];
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kuint(w, "tid", u->tid);
        wdg_jw_kstring(w, "family", u->family);
        wdg_jw_key(w, "obj");
        wdg_json_addr(w, r, u->has_obj, u->obj);
        wdg_jw_kstring(w, "why", u->why);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
    wdg_jw_key(w, "suspects");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (size_t i = 0; i < d->n_suspects; i++) {
        const wdg_suspect *s = &d->suspects[i];
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kuint(w, "ref_tid", s->ref_tid);
        wdg_jw_key(w, "entry_pc");
        wdg_json_addr(w, r, s->has_entry, s->entry_pc);
        wdg_jw_kstring(w, "family", s->family);
        wdg_jw_key(w, "objs");
        wdg_jw_array(w, WDG_JW_INLINE);
        for (size_t k = 0; k < s->n_objs; k++)
            wdg_json_addr(w, r, 1, s->objs[k]);
        wdg_jw_end(w);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
}

/* a run of count equal tokens there: "NAME x COUNT" when folded */
static void token(wdg_jw *w, const wdg_report *r, const wdg_trace *t, size_t event, size_t count)
{
    char name[256];
    if (event == WDG_NO_EVENT) {
        wdg_jw_null(w);
        return;
    }
    wdg_token_run_name(r, t, event, count, name, sizeof name);
    wdg_jw_string(w, name);
}

static void milestone(wdg_jw *w, const wdg_report *r, const wdg_milestone *m)
{
    char what[192];
    wdg_milestone_text(r, m, what, sizeof what);
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kstring(w, "what", what);
    wdg_jw_kint(w, "ref_t", m->ref_t);
    wdg_jw_key(w, "cand_t");
    wdg_jw_opt_int(w, m->has_cand, m->cand_t);
    wdg_jw_key(w, "ratio");
    if (m->has_ratio)
        wdg_jw_fixed(w, m->ratio, 3);
    else
        wdg_jw_null(w);
    wdg_jw_kuint(w, "ref_tid", m->ref_tid);
    wdg_jw_key(w, "cand_tid");
    wdg_jw_opt_uint(w, m->has_cand, m->cand_tid);
    wdg_jw_end(w);
}

static void thread_delta(wdg_jw *w, const wdg_report *r, const wdg_thread_delta *t)
{
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kuint(w, "ref", t->ref_tid);
    wdg_jw_kuint(w, "cand", t->cand_tid);
    wdg_jw_key(w, "first_diff");
    if (t->differs) {
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kuint(w, "index", t->index);
        wdg_jw_key(w, "ref");
        token(w, r, r->ref, t->ref_event, t->ref_run);
        wdg_jw_key(w, "cand");
        token(w, r, r->cand, t->cand_event, t->cand_run);
        wdg_jw_key(w, "before");
        wdg_jw_array(w, WDG_JW_INLINE);
        for (int k = 0; k < t->n_before; k++)
            token(w, r, r->ref, t->before[k], t->before_run[k]);
        wdg_jw_end(w);
        wdg_jw_end(w);
    } else {
        wdg_jw_null(w);
    }
    wdg_jw_key(w, "edits");
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kuint(w, "inserted", t->inserted);
    wdg_jw_kuint(w, "deleted", t->deleted);
    wdg_jw_end(w);
    wdg_jw_key(w, "tokens");
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kuint(w, "ref", t->ref_tokens);
    wdg_jw_kuint(w, "cand", t->cand_tokens);
    wdg_jw_end(w);
    wdg_jw_kbool(w, "bounded", t->bounded);
    wdg_jw_end(w);
}

static void boot_delta(wdg_jw *w, const wdg_report *r)
{
    const wdg_boot_delta *bd = &r->boot;
    wdg_jw_key(w, "boot_delta");
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kuint(w, "window", bd->window);
    wdg_jw_key(w, "threads");
    wdg_jw_array(w, WDG_JW_LINES);
    for (size_t i = 0; i < bd->n_threads; i++)
        thread_delta(w, r, &bd->threads[i]);
    wdg_jw_end(w);
    wdg_jw_key(w, "milestones");
    wdg_jw_array(w, WDG_JW_LINES);
    for (size_t i = 0; i < bd->n_milestones; i++)
        milestone(w, r, &bd->milestones[i]);
    wdg_jw_end(w);
    wdg_jw_key(w, "skew_start");
    if (bd->skew_start >= 0)
        milestone(w, r, &bd->milestones[bd->skew_start]);
    else
        wdg_jw_null(w);
    wdg_jw_kstring(w, "window_unit", r->ref->all_t ? "ns" : "events");
    wdg_jw_key(w, "left_out");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (int c = 0; c < WDG_CAT_COUNT; c++)
        if (bd->left_out & WDG_CAT_BIT(c))
            wdg_jw_string(w, wdg_category_name(c));
    wdg_jw_end(w);
    wdg_jw_end(w);
}

/* members beyond the spec's: ref threads with no analog, the ladder's
 * rungs, the object map */
static void extras(wdg_jw *w, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_jw_key(w, "no_analog");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (size_t i = 0; i < d->n_ref_threads; i++) {
        const wdg_thread *t = &d->ref_threads[i];
        if (t->has_analog)
            continue;
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kuint(w, "tid", t->tid);
        wdg_jw_key(w, "entry_pc");
        wdg_json_addr(w, r, t->has_entry, t->entry_pc);
        wdg_jw_kstring(w, "family", t->family);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
    wdg_jw_key(w, "ladder");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (size_t i = 0; i < d->n_edges; i++) {
        const wdg_edge *e = &d->edges[i];
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_kuint(w, "from", e->from);
        wdg_jw_kuint(w, "to", e->to);
        wdg_jw_kstring(w, "category", wdg_category_name(e->cat));
        wdg_jw_key(w, "lr");
        wdg_json_addr(w, r, e->key_has_lr, e->lr);
        wdg_jw_kstring(w, "op", wdg_ops_name(r->ref->ops, e->op));
        wdg_jw_key(w, "obj");
        wdg_json_addr(w, r, 1, e->obj);
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
    wdg_jw_key(w, "object_map");
    wdg_jw_array(w, WDG_JW_INLINE);
    for (size_t i = 0; i < d->n_objects; i++) {
        wdg_jw_object(w, WDG_JW_INLINE);
        wdg_jw_key(w, "cand");
        wdg_json_addr(w, r, 1, d->objects[i].cand);
        wdg_jw_key(w, "ref");
        wdg_json_addr(w, r, 1, d->objects[i].ref);
        wdg_jw_kstring(w, "how", wdg_object_how_name(d->objects[i].how));
        wdg_jw_end(w);
    }
    wdg_jw_end(w);
}

static void key_entry(wdg_jw *w, const wdg_report *r, const wdg_key *k)
{
    wdg_jw_object(w, WDG_JW_INLINE);
    wdg_jw_kstring(w, "category", wdg_category_name(k->cat));
    wdg_jw_key(w, "lr");
    wdg_json_addr(w, r, k->has_lr, k->lr);
    wdg_jw_kstring(w, "op", wdg_ops_name(r->ref->ops, k->op));
    wdg_jw_key(w, "function");
    function_of(w, r, k->has_lr, k->lr);
    wdg_jw_kuint(w, "ref", k->ref);
    wdg_jw_kuint(w, "cand", k->cand);
    wdg_jw_kuint(w, "ref_total", k->ref_total);
    wdg_jw_kuint(w, "cand_total", k->cand_total);
    wdg_jw_kstring(w, "status", wdg_status_name(k->status));
    if (k->status == WDG_ST_MIXED)
        wdg_jw_kuint(w, "class", k->cls);
    wdg_jw_end(w);
}

void wdg_report_json(const wdg_report *r, wdg_buf *b)
{
    size_t start = b->len;
    wdg_jw jw, *w = &jw;
    wdg_jw_init(w, b);
    wdg_jw_object(w, WDG_JW_LINES);
    wdg_jw_kint(w, "wedge_report", 1);
    wdg_jw_key(w, "ref");
    trace_obj(w, r->ref, r->opts.ref_name, &r->diag.ref_end);
    wdg_jw_key(w, "cand");
    trace_obj(w, r->cand, r->opts.cand_name, &r->diag.cand_end);
    wdg_jw_key(w, "keys");
    wdg_jw_array(w, WDG_JW_LINES);
    for (size_t i = 0; i < r->keys.n; i++)
        key_entry(w, r, &r->keys.keys[i]);
    wdg_jw_end(w);
    thread_map(w, r);
    divergence(w, r, "first_divergence", &r->first_divergence);
    divergence(w, r, "first_shortfall", &r->first_shortfall);
    wedged(w, r);
    roots(w, r);
    wdg_jw_kstring(w, "outcome", wdg_outcome_name(r->diag.outcome));
    verdict(w, &r->diag);
    boot_delta(w, r);
    extras(w, r);
    wdg_jw_kstring(w, "key_mode", r->keys.by_lr ? "lr" : "op");
    wdg_jw_key(w, "tolerance");
    wdg_jw_general(w, r->keys.tolerance, 6);
    wdg_jw_key(w, "common_span");
    common_span(w, r);
    divergence(w, r, "first_key_divergence", &r->first_key_divergence);
    match_classes(w, r);
    json_critpath(w, r);
    unexplained(w, r);
    wdg_jw_end(w);
    wdg_buf_putc(b, '\n');
    wdg_buf_repair_utf8(b, start);   /* strings are already; this makes it certain */
}
