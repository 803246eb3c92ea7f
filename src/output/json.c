/* report.json (docs/analysis.md, "report.json"): member names and order as
 * documented there, addresses as "0x%08X", absent values as null. */
#include "render.h"

#include <stdio.h>

static void addr(wdg_buf *b, int has, uint32_t v)
{
    if (has)
        wdg_buf_printf(b, "\"0x%08X\"", v);
    else
        wdg_buf_puts(b, "null");
}

static void opt_tid(wdg_buf *b, int has, uint32_t tid)
{
    if (has)
        wdg_buf_printf(b, "%u", tid);
    else
        wdg_buf_puts(b, "null");
}

static void u64(wdg_buf *b, uint64_t v) { wdg_buf_printf(b, "%llu", (unsigned long long)v); }

static void trace_obj(wdg_buf *b, const wdg_trace *t, const char *name, const wdg_run_end *re)
{
    wdg_buf_puts(b, "{\"path\": ");
    wdg_buf_json_str(b, t->path);
    wdg_buf_puts(b, ", \"lines\": ");
    u64(b, t->lines);
    wdg_buf_puts(b, ", \"events\": ");
    u64(b, t->n_events);
    wdg_buf_puts(b, ", \"ignored\": ");
    u64(b, t->ignored);
    wdg_buf_puts(b, ", \"malformed\": ");
    u64(b, t->malformed);
    wdg_buf_puts(b, ", \"producers\": ");
    u64(b, t->producers);
    wdg_buf_printf(b, ", \"threads\": %u, \"span\": ", t->threads);
    int64_t span;
    const char *unit = NULL;
    if (wdg_trace_span(t, &span, &unit))
        wdg_buf_printf(b, "%lld", (long long)span);
    else
        wdg_buf_puts(b, "null");
    /* members beyond the spec's minimum */
    wdg_buf_puts(b, ", \"span_unit\": ");
    if (unit)
        wdg_buf_json_str(b, unit);
    else
        wdg_buf_puts(b, "null");
    wdg_buf_puts(b, ", \"first_t\": ");
    if (t->all_t)
        wdg_buf_printf(b, "%lld, \"last_t\": %lld", (long long)t->first_t, (long long)t->last_t);
    else
        wdg_buf_puts(b, "null, \"last_t\": null");
    wdg_buf_puts(b, ", \"name\": ");
    wdg_buf_json_str(b, name);
    wdg_buf_puts(b, ", \"format\": ");
    wdg_buf_json_str(b, t->format);
    wdg_buf_puts(b, ", \"engine\": ");
    if (t->engine[0])
        wdg_buf_json_str(b, t->engine);
    else
        wdg_buf_puts(b, "null");
    wdg_buf_puts(b, ", \"observes\": [");
    int first = 1;
    for (int c = 0; c < WDG_CAT_COUNT; c++) {
        if (!(t->observes & WDG_CAT_BIT(c)))
            continue;
        wdg_buf_puts(b, first ? "" : ", ");
        wdg_buf_json_str(b, wdg_category_name(c));
        first = 0;
    }
    wdg_buf_puts(b, "], \"malformed_by_reason\": ");
    wdg_json_malformed(b, t);
    wdg_json_truncated(b, t);
    /* the end of the run the diagnosis used */
    wdg_buf_puts(b, ", \"ended_at\": ");
    if (re->has_ended_at)
        wdg_buf_printf(b, "%lld", (long long)re->ended_at);
    else
        wdg_buf_puts(b, "null");
    wdg_buf_printf(b, ", \"end_source\": \"%s\"}", wdg_end_source_name(re->source));
}

/* the verdict's checks: why INCONCLUSIVE, and the warnings that qualify any verdict */
static void verdict(wdg_buf *b, const wdg_diagnosis *d)
{
    wdg_buf_puts(b, ",\n  \"provisional_outcome\": ");
    if (d->outcome == WDG_OUTCOME_INCONCLUSIVE)
        wdg_buf_printf(b, "\"%s\"", wdg_outcome_name(d->provisional_outcome));
    else
        wdg_buf_puts(b, "null");
    wdg_buf_puts(b, ",\n  \"reasons\": [");
    for (size_t i = 0; i < d->n_reasons; i++) {
        wdg_buf_puts(b, i ? ", " : "");
        wdg_buf_json_str(b, d->reasons[i]);
    }
    wdg_buf_puts(b, "],\n  \"warnings\": [");
    for (size_t i = 0; i < d->n_warnings; i++) {
        wdg_buf_printf(b, "%s{\"code\": \"%s\", \"message\": ", i ? ", " : "",
                       d->warnings[i].code);
        wdg_buf_json_str(b, d->warnings[i].message);
        wdg_buf_putc(b, '}');
    }
    wdg_buf_putc(b, ']');
}

void wdg_json_truncated(wdg_buf *b, const wdg_trace *t)
{
    wdg_buf_printf(b, ", \"truncated\": %s, \"truncated_reason\": ",
                   t->truncated ? "true" : "false");
    if (t->truncated)
        wdg_buf_json_str(b, t->truncated);
    else
        wdg_buf_puts(b, "null");
}

void wdg_json_malformed(wdg_buf *b, const wdg_trace *t)
{
    wdg_buf_putc(b, '{');
    int first = 1;
    for (int i = 0; i < WDG_MAL_COUNT; i++) {
        if (!t->malformed_by_reason[i])
            continue;
        wdg_buf_printf(b, "%s\"%s\": %llu", first ? "" : ", ", wdg_malformed_reason_name(i),
                       (unsigned long long)t->malformed_by_reason[i]);
        first = 0;
    }
    wdg_buf_puts(b, "}, \"malformed_lines\": [");
    for (unsigned i = 0; i < t->n_samples; i++) {
        wdg_buf_printf(b, "%s{\"line\": %llu, \"reason\": \"%s\", \"message\": ", i ? ", " : "",
                       (unsigned long long)t->samples[i].line,
                       wdg_malformed_reason_name(t->samples[i].reason));
        wdg_buf_json_str(b, t->samples[i].msg);
        wdg_buf_putc(b, '}');
    }
    wdg_buf_putc(b, ']');
}


static void function_of(wdg_buf *b, const wdg_report *r, int has_lr, uint32_t lr)
{
    char fn[160];
    /* outside every known function the member is null (Markdown prints the address) */
    if (has_lr && wdg_symbols_format(r->symbols, lr, fn, sizeof fn)) {
        wdg_buf_json_str(b, fn);
    } else {
        wdg_buf_puts(b, "null");
    }
}

static void divergence(wdg_buf *b, const wdg_report *r, const wdg_divergence *d)
{
    if (!d->found) {
        wdg_buf_puts(b, "null");
        return;
    }
    const wdg_event *e = &r->ref->events[d->event];
    const wdg_key *k = &r->keys.keys[d->key];
    wdg_buf_printf(b, "{\"ref_index\": %llu, \"t\": ", (unsigned long long)d->ref_index);
    if (e->flags & WDG_EV_T)
        wdg_buf_printf(b, "%lld", (long long)e->t);
    else
        wdg_buf_puts(b, "null");
    wdg_buf_printf(b, ", \"tid\": %u, \"cand_tid\": ", e->tid);
    const wdg_thread *rt = wdg_diag_ref_thread(&r->diag, e->tid);
    opt_tid(b, rt && rt->has_analog, rt ? rt->analog : 0);
    wdg_buf_printf(b, ", \"category\": \"%s\", \"lr\": ", wdg_category_name(e->cat));
    addr(b, e->flags & WDG_EV_LR, e->lr);
    wdg_buf_puts(b, ", \"op\": ");
    wdg_buf_json_str(b, wdg_ops_name(r->ref->ops, e->op));
    wdg_buf_puts(b, ", \"obj\": ");
    addr(b, e->flags & WDG_EV_OBJ, e->obj);
    wdg_buf_printf(b, ", \"ordinal\": %llu, \"ref_count\": %llu, \"cand_count\": %llu, \"function\": ",
                   (unsigned long long)d->ordinal, (unsigned long long)k->ref,
                   (unsigned long long)k->cand);
    function_of(b, r, e->flags & WDG_EV_LR, e->lr);
    /* a match class member: the class's status is the one that counts */
    wdg_buf_printf(b, ", \"line\": %u, \"status\": \"%s\"", e->line,
                   wdg_status_name(wdg_key_verdict(&r->keys, d->key)));
    if (k->status == WDG_ST_MIXED)
        wdg_buf_printf(b, ", \"class\": %u", k->cls);
    wdg_buf_putc(b, '}');
}

/* "match_classes" (only when a class formed, and "key_by" only when not
 * by site: reports without either stay as they were) */
static void match_classes(wdg_buf *b, const wdg_report *r)
{
    const wdg_keytable *kt = &r->keys;
    if (kt->key_by != WDG_KEY_BY_SITE)
        wdg_buf_printf(b, ",\n  \"key_by\": \"%s\"", wdg_key_by_name(kt->key_by));
    if (!kt->n_classes)
        return;
    wdg_buf_puts(b, ",\n  \"match_classes\": [");
    for (size_t i = 0; i < kt->n_classes; i++) {
        const wdg_match_class *m = &kt->classes[i];
        wdg_buf_printf(b, "%s\n    {\"class\": %zu, \"category\": \"%s\", \"via\": {\"side\": "
                          "\"%s\", \"lr\": ",
                       i ? "," : "", i, wdg_category_name(m->cat),
                       m->via_side == WDG_SIDE_CAND ? "cand" : "ref");
        addr(b, 1, m->via);
        wdg_buf_puts(b, ", \"function\": ");
        function_of(b, r, 1, m->via);
        for (int s = 0; s < 2; s++) {
            wdg_buf_printf(b, "%s\"%s_keys\": [", s ? ", " : "}, ", s ? "cand" : "ref");
            int first = 1;
            for (size_t j = 0; j < m->n_keys; j++) {
                const wdg_key *k = &kt->keys[m->keys[j]];
                if (!(s ? k->cand_total : k->ref_total))
                    continue;
                wdg_buf_puts(b, first ? "" : ", ");
                addr(b, 1, k->lr);
                first = 0;
            }
            wdg_buf_putc(b, ']');
        }
        wdg_buf_printf(b, ", \"ref\": %llu, \"cand\": %llu, \"ref_total\": %llu, "
                          "\"cand_total\": %llu, \"status\": \"%s\"}",
                       (unsigned long long)m->ref, (unsigned long long)m->cand,
                       (unsigned long long)m->ref_total, (unsigned long long)m->cand_total,
                       wdg_status_name(m->status));
    }
    wdg_buf_puts(b, "\n  ]");
}

/* a side's end: ns since its first event, or the line of its last event
 * in the span when untimed (the common span) */
static void span_end(wdg_buf *b, const wdg_trace *t, const wdg_span *sp, int side)
{
    if (!sp->count[side])
        wdg_buf_puts(b, "null");
    else if (t->all_t)
        wdg_buf_printf(b, "%lld", (long long)(sp->end[side] - t->first_t));
    else
        wdg_buf_printf(b, "%u", t->events[sp->count[side] - 1].line);
}

static void common_span(wdg_buf *b, const wdg_report *r)
{
    const wdg_span *sp = &r->keys.span;
    const wdg_trace *t[2] = {r->ref, r->cand};
    wdg_buf_printf(b, "{\"method\": \"%s\", \"requested\": \"%s\"",
                   wdg_span_method_name(sp->method), wdg_span_method_name(sp->requested));
    for (int s = 0; s < 2; s++) {
        wdg_buf_printf(b, ", \"%s_end\": ", s ? "cand" : "ref");
        span_end(b, t[s], sp, s);
    }
    for (int s = 0; s < 2; s++)
        wdg_buf_printf(b, ", \"%s_unit\": \"%s\"", s ? "cand" : "ref", t[s]->all_t ? "ns" : "line");
    wdg_buf_puts(b, ", \"heartbeat\": ");
    if (sp->has_heartbeat) {
        const wdg_key *k = &r->keys.keys[sp->heartbeat];
        wdg_buf_printf(b, "{\"category\": \"%s\", \"lr\": ", wdg_category_name(k->cat));
        addr(b, k->has_lr, k->lr);
        wdg_buf_puts(b, ", \"op\": ");
        wdg_buf_json_str(b, wdg_ops_name(r->ref->ops, k->op));
        wdg_buf_printf(b, ", \"ref_beats\": %llu, \"cand_beats\": %llu}",
                       (unsigned long long)sp->beats[0], (unsigned long long)sp->beats[1]);
    } else {
        wdg_buf_puts(b, "null");
    }
    wdg_buf_puts(b, ", \"reason\": ");
    if (sp->reason)
        wdg_buf_json_str(b, sp->reason);
    else
        wdg_buf_puts(b, "null");
    wdg_buf_putc(b, '}');
}

static void thread_map(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_buf_puts(b, "  \"thread_map\": [");
    for (size_t i = 0; i < d->n_pairs; i++) {
        wdg_buf_printf(b, "%s\n    {\"ref\": %u, \"cand\": %u, \"how\": \"%s\", \"score\": ", i ? "," : "",
                       d->pairs[i].ref, d->pairs[i].cand, wdg_map_how_name(d->pairs[i].how));
        if (d->pairs[i].how == WDG_HOW_SIGNATURE)
            wdg_buf_printf(b, "%.3f}", d->pairs[i].similarity);
        else
            wdg_buf_puts(b, "null}");
    }
    wdg_buf_puts(b, d->n_pairs ? "\n  ],\n" : "],\n");
}

static void last_wait(wdg_buf *b, const wdg_trace *t, const wdg_thread *th)
{
    const wdg_event *e = &t->events[th->last];
    const wdg_event_ext *x = wdg_event_ext_of(t, e);
    wdg_buf_puts(b, "\"op\": ");
    wdg_buf_json_str(b, wdg_ops_name(t->ops, e->op));
    wdg_buf_puts(b, ", \"lr\": ");
    addr(b, e->flags & WDG_EV_LR, e->lr);
    wdg_buf_puts(b, ", \"objs\": [");
    int n = 0;
    if (e->flags & WDG_EV_OBJ && e->cat != WDG_CAT_SIGNAL_WAIT)
        wdg_buf_printf(b, "\"0x%08X\"", e->obj), n++;
    for (uint32_t i = 0; x && (e->flags & WDG_EV_OBJS) && i < x->objs_n; i++)
        wdg_buf_printf(b, "%s\"0x%08X\"", n++ ? ", " : "", t->words[x->objs_off + i]);
    wdg_buf_printf(b, "], \"since\": %lld", (long long)(t->all_t ? e->t : (int64_t)e->line));
}

static void wedged(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_buf_puts(b, ",\n  \"wedged\": [");
    int first = 1;
    for (int engine = 0; engine < 2; engine++) {
        const wdg_thread *ts = engine ? d->cand_threads : d->ref_threads;
        size_t n = engine ? d->n_cand_threads : d->n_ref_threads;
        for (size_t i = 0; i < n; i++) {
            if (ts[i].state != WDG_TS_WEDGED)
                continue;
            wdg_buf_printf(b, "%s\n    {\"engine\": \"%s\", \"tid\": %u, ", first ? "" : ",",
                           engine ? "cand" : "ref", ts[i].tid);
            last_wait(b, engine ? r->cand : r->ref, &ts[i]);
            wdg_buf_printf(b, ", \"wedged_by\": \"%s\"", wdg_wedged_by_name(ts[i].wedged_by));
            wdg_buf_printf(b, ", \"divergent\": %s, \"family\": ", ts[i].divergent ? "true" : "false");
            wdg_buf_json_str(b, ts[i].family);
            wdg_buf_putc(b, '}');
            first = 0;
        }
    }
    wdg_buf_puts(b, first ? "]" : "\n  ]");
}

/* {rule, events: [{engine, line, tid, what}]} */
static void root_evidence(wdg_buf *b, const wdg_report *r, const wdg_root *x)
{
    wdg_buf_puts(b, "\"evidence\": {\"rule\": ");
    wdg_buf_json_str(b, wdg_root_rule(x->kind));
    wdg_buf_puts(b, ", \"events\": [");
    for (size_t i = 0; i < x->n_evidence; i++) {
        const wdg_evidence_event *v = &x->evidence[i];
        const wdg_trace *t = v->cand ? r->cand : r->ref;
        const wdg_event *e = &t->events[v->event];
        wdg_buf_printf(b, "%s{\"engine\": \"%s\", \"line\": %llu, \"tid\": %u, \"what\": ",
                       i ? ", " : "", v->cand ? "cand" : "ref", (unsigned long long)e->line, e->tid);
        wdg_buf_json_str(b, v->what);
        wdg_buf_putc(b, '}');
    }
    wdg_buf_puts(b, "]}");
}

static void roots(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_buf_puts(b, ",\n  \"root_causes\": [");
    for (size_t i = 0; i < d->n_roots; i++) {
        const wdg_root *x = &d->roots[i];
        wdg_buf_printf(b, "%s\n    {\"kind\": \"%s\", \"tid\": ", i ? "," : "",
                       wdg_root_kind_name(x->kind));
        opt_tid(b, x->has_tid, x->tid);
        wdg_buf_puts(b, ", \"ref_tid\": ");
        opt_tid(b, x->has_ref_tid, x->ref_tid);
        wdg_buf_puts(b, ", \"entry_pc\": ");
        addr(b, x->has_entry, x->entry_pc);
        wdg_buf_puts(b, ", \"family\": ");
        wdg_buf_json_str(b, x->family);
        if (x->has_key) {
            wdg_buf_printf(b, ", \"category\": \"%s\", \"lr\": ", wdg_category_name(x->cat));
            addr(b, x->key_has_lr, x->lr);
            wdg_buf_puts(b, ", \"op\": ");
            wdg_buf_json_str(b, wdg_ops_name(r->ref->ops, x->op));
        } else {
            wdg_buf_puts(b, ", \"category\": null, \"lr\": null, \"op\": null");
        }
        wdg_buf_puts(b, ", \"obj\": ");
        addr(b, x->has_obj, x->obj);
        wdg_buf_puts(b, ", \"blocks\": [");
        for (size_t k = 0; k < x->n_blocks; k++)
            wdg_buf_printf(b, "%s%u", k ? ", " : "", x->blocks[k]);
        wdg_buf_printf(b, "], \"confidence\": \"%s\", ", wdg_root_confidence_name(x->inferred));
        root_evidence(b, r, x);
        wdg_buf_putc(b, '}');
    }
    wdg_buf_puts(b, d->n_roots ? "\n  ]" : "]");
}

/* unexplained wedged threads and suspects (after every other member) */
static void unexplained(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_buf_puts(b, ",\n  \"unexplained\": [");
    for (size_t i = 0; i < d->n_unexplained; i++) {
        const wdg_unexplained *u = &d->unexplained[i];
        wdg_buf_printf(b, "%s{\"tid\": %u, \"family\": ", i ? ", " : "", u->tid);
        wdg_buf_json_str(b, u->family);
        wdg_buf_puts(b, ", \"obj\": ");
        addr(b, u->has_obj, u->obj);
        wdg_buf_puts(b, ", \"why\": ");
        wdg_buf_json_str(b, u->why);
        wdg_buf_putc(b, '}');
    }
    wdg_buf_puts(b, "],\n  \"suspects\": [");
    for (size_t i = 0; i < d->n_suspects; i++) {
        const wdg_suspect *s = &d->suspects[i];
        wdg_buf_printf(b, "%s{\"ref_tid\": %u, \"entry_pc\": ", i ? ", " : "", s->ref_tid);
        addr(b, s->has_entry, s->entry_pc);
        wdg_buf_puts(b, ", \"family\": ");
        wdg_buf_json_str(b, s->family);
        wdg_buf_puts(b, ", \"objs\": [");
        for (size_t k = 0; k < s->n_objs; k++)
            wdg_buf_printf(b, "%s\"0x%08X\"", k ? ", " : "", s->objs[k]);
        wdg_buf_puts(b, "]}");
    }
    wdg_buf_putc(b, ']');
}

/* a run of count equal tokens there: "NAME x COUNT" when folded */
static void token(wdg_buf *b, const wdg_report *r, const wdg_trace *t, size_t event, size_t count)
{
    char name[256];
    if (event == WDG_NO_EVENT) {
        wdg_buf_puts(b, "null");
        return;
    }
    wdg_token_run_name(r, t, event, count, name, sizeof name);
    wdg_buf_json_str(b, name);
}

static void milestone(wdg_buf *b, const wdg_milestone *m)
{
    wdg_buf_puts(b, "{\"what\": ");
    wdg_buf_json_str(b, m->what);
    wdg_buf_printf(b, ", \"ref_t\": %lld, \"cand_t\": ", (long long)m->ref_t);
    if (m->has_cand)
        wdg_buf_printf(b, "%lld, \"ratio\": ", (long long)m->cand_t);
    else
        wdg_buf_puts(b, "null, \"ratio\": ");
    if (m->has_ratio)
        wdg_buf_printf(b, "%.3f", m->ratio);
    else
        wdg_buf_puts(b, "null");
    wdg_buf_printf(b, ", \"ref_tid\": %u, \"cand_tid\": ", m->ref_tid);
    if (m->has_cand)
        wdg_buf_printf(b, "%u}", m->cand_tid);
    else
        wdg_buf_puts(b, "null}");
}

static void boot_delta(wdg_buf *b, const wdg_report *r)
{
    const wdg_boot_delta *bd = &r->boot;
    wdg_buf_printf(b, ",\n  \"boot_delta\": {\"window\": %llu, \"threads\": [",
                   (unsigned long long)bd->window);
    for (size_t i = 0; i < bd->n_threads; i++) {
        const wdg_thread_delta *t = &bd->threads[i];
        wdg_buf_printf(b, "%s\n      {\"ref\": %u, \"cand\": %u, \"first_diff\": ", i ? "," : "",
                       t->ref_tid, t->cand_tid);
        if (t->differs) {
            wdg_buf_printf(b, "{\"index\": %zu, \"ref\": ", t->index);
            token(b, r, r->ref, t->ref_event, t->ref_run);
            wdg_buf_puts(b, ", \"cand\": ");
            token(b, r, r->cand, t->cand_event, t->cand_run);
            wdg_buf_puts(b, ", \"before\": [");
            for (int k = 0; k < t->n_before; k++) {
                wdg_buf_puts(b, k ? ", " : "");
                token(b, r, r->ref, t->before[k], t->before_run[k]);
            }
            wdg_buf_puts(b, "]}");
        } else {
            wdg_buf_puts(b, "null");
        }
        wdg_buf_printf(b, ", \"edits\": {\"inserted\": %zu, \"deleted\": %zu}, "
                          "\"tokens\": {\"ref\": %zu, \"cand\": %zu}, \"bounded\": %s}",
                       t->inserted, t->deleted, t->ref_tokens, t->cand_tokens,
                       t->bounded ? "true" : "false");
    }
    wdg_buf_puts(b, bd->n_threads ? "\n    ], \"milestones\": [" : "], \"milestones\": [");
    for (size_t i = 0; i < bd->n_milestones; i++) {
        wdg_buf_puts(b, i ? ",\n      " : "\n      ");
        milestone(b, &bd->milestones[i]);
    }
    wdg_buf_puts(b, bd->n_milestones ? "\n    ], \"skew_start\": " : "], \"skew_start\": ");
    if (bd->skew_start >= 0)
        milestone(b, &bd->milestones[bd->skew_start]);
    else
        wdg_buf_puts(b, "null");
    wdg_buf_printf(b, ", \"window_unit\": \"%s\", \"left_out\": [", r->ref->all_t ? "ns" : "events");
    for (int c = 0, k = 0; c < WDG_CAT_COUNT; c++)
        if (bd->left_out & WDG_CAT_BIT(c))
            wdg_buf_printf(b, "%s\"%s\"", k++ ? ", " : "", wdg_category_name(c));
    wdg_buf_puts(b, "]}");
}

/* members beyond the spec's: ref threads with no analog, the ladder's
 * rungs, the object map */
static void extras(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_buf_puts(b, ",\n  \"no_analog\": [");
    int first = 1;
    for (size_t i = 0; i < d->n_ref_threads; i++) {
        const wdg_thread *t = &d->ref_threads[i];
        if (t->has_analog)
            continue;
        wdg_buf_printf(b, "%s{\"tid\": %u, \"entry_pc\": ", first ? "" : ", ", t->tid);
        addr(b, t->has_entry, t->entry_pc);
        wdg_buf_puts(b, ", \"family\": ");
        wdg_buf_json_str(b, t->family);
        wdg_buf_putc(b, '}');
        first = 0;
    }
    wdg_buf_puts(b, "],\n  \"ladder\": [");
    for (size_t i = 0; i < d->n_edges; i++) {
        const wdg_edge *e = &d->edges[i];
        wdg_buf_printf(b, "%s{\"from\": %u, \"to\": %u, \"category\": \"%s\", \"lr\": ",
                       i ? ", " : "", e->from, e->to, wdg_category_name(e->cat));
        addr(b, e->key_has_lr, e->lr);
        wdg_buf_puts(b, ", \"op\": ");
        wdg_buf_json_str(b, wdg_ops_name(r->ref->ops, e->op));
        wdg_buf_printf(b, ", \"obj\": \"0x%08X\"}", e->obj);
    }
    wdg_buf_puts(b, "],\n  \"object_map\": [");
    for (size_t i = 0; i < d->n_objects; i++)
        wdg_buf_printf(b, "%s{\"cand\": \"0x%08X\", \"ref\": \"0x%08X\", \"how\": \"%s\"}",
                       i ? ", " : "", d->objects[i].cand, d->objects[i].ref,
                       wdg_object_how_name(d->objects[i].how));
    wdg_buf_puts(b, "]");
}

void wdg_report_json(const wdg_report *r, wdg_buf *b)
{
    size_t start = b->len;
    wdg_buf_puts(b, "{\n  \"wedge_report\": 1,\n  \"ref\": ");
    trace_obj(b, r->ref, r->opts.ref_name, &r->diag.ref_end);
    wdg_buf_puts(b, ",\n  \"cand\": ");
    trace_obj(b, r->cand, r->opts.cand_name, &r->diag.cand_end);
    wdg_buf_puts(b, ",\n  \"keys\": [");
    for (size_t i = 0; i < r->keys.n; i++) {
        const wdg_key *k = &r->keys.keys[i];
        wdg_buf_printf(b, "%s\n    {\"category\": \"%s\", \"lr\": ", i ? "," : "",
                       wdg_category_name(k->cat));
        addr(b, k->has_lr, k->lr);
        wdg_buf_puts(b, ", \"op\": ");
        wdg_buf_json_str(b, wdg_ops_name(r->ref->ops, k->op));
        wdg_buf_puts(b, ", \"function\": ");
        function_of(b, r, k->has_lr, k->lr);
        wdg_buf_printf(b, ", \"ref\": %llu, \"cand\": %llu, \"ref_total\": %llu, "
                          "\"cand_total\": %llu, \"status\": \"%s\"",
                       (unsigned long long)k->ref, (unsigned long long)k->cand,
                       (unsigned long long)k->ref_total, (unsigned long long)k->cand_total,
                       wdg_status_name(k->status));
        if (k->status == WDG_ST_MIXED)
            wdg_buf_printf(b, ", \"class\": %u", k->cls);
        wdg_buf_putc(b, '}');
    }
    wdg_buf_puts(b, r->keys.n ? "\n  ],\n" : "],\n");
    thread_map(b, r);
    wdg_buf_puts(b, "  \"first_divergence\": ");
    divergence(b, r, &r->first_divergence);
    wdg_buf_puts(b, ",\n  \"first_shortfall\": ");
    divergence(b, r, &r->first_shortfall);
    wedged(b, r);
    roots(b, r);
    wdg_buf_printf(b, ",\n  \"outcome\": \"%s\"", wdg_outcome_name(r->diag.outcome));
    verdict(b, &r->diag);
    boot_delta(b, r);
    extras(b, r);
    wdg_buf_printf(b, ",\n  \"key_mode\": \"%s\",\n  \"tolerance\": %g,\n  \"common_span\": ",
                   r->keys.by_lr ? "lr" : "op", r->keys.tolerance);
    common_span(b, r);
    wdg_buf_puts(b, ",\n  \"first_key_divergence\": ");
    divergence(b, r, &r->first_key_divergence);
    match_classes(b, r);
    unexplained(b, r);
    wdg_buf_puts(b, "\n}\n");
    wdg_buf_repair_utf8(b, start);   /* strings are already; this makes it certain */
}
