/* The verdict's checks: whether the traces can support an
 * outcome at all (else INCONCLUSIVE, with reasons), and the warnings that
 * qualify one. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wedge/diagnosis.h"

#include "../base/jsonw.h"

static void reason(wdg_diagnosis *d, const char *fmt, ...)
{
    if (d->n_reasons == WDG_MAX_REASONS)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->reasons[d->n_reasons++], sizeof d->reasons[0], fmt, ap);
    va_end(ap);
}

static void warning(wdg_diagnosis *d, const char *code, const char *fmt, ...)
{
    if (d->n_warnings == WDG_MAX_WARNINGS)
        return;
    wdg_warning *w = &d->warnings[d->n_warnings++];
    w->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->message, sizeof w->message, fmt, ap);
    va_end(ap);
}

/* the categories a trace has events of */
static unsigned seen(const wdg_trace *t)
{
    unsigned bits = 0;
    for (size_t i = 0; i < t->n_events && bits != WDG_CAT_ALL; i++)
        bits |= WDG_CAT_BIT(wdg_ev_cat(t->ops, &t->events[i]));
    return bits;
}

static void too_malformed(wdg_diagnosis *d, const wdg_trace *t, const char *side, double max)
{
    if (!t->lines || !((double)t->malformed > max * (double)t->lines))
        return;
    /* the numbers as the C locale writes them, whatever the host's locale */
    char share[64], limit[64];
    if (wdg_json_number(share, sizeof share, 100.0 * (double)t->malformed / (double)t->lines, 'f',
                        1) < 0 ||
        wdg_json_number(limit, sizeof limit, max * 100, 'g', 6) < 0)
        share[0] = limit[0] = 0;
    reason(d, "%llu of the %llu lines of the %s trace are malformed (%s%%), more than "
              "--max-malformed %s%%",
           (unsigned long long)t->malformed, (unsigned long long)t->lines, side, share, limit);
}

static void reasons(wdg_diagnosis *d, const wdg_trace *ref, const wdg_trace *cand,
                    const wdg_diagnosis_opts *o)
{
    if (!ref->n_events)
        reason(d, "the reference trace has no events");
    if (!cand->n_events)
        reason(d, "the candidate trace has no events");
    too_malformed(d, ref, "reference", o->max_malformed);
    too_malformed(d, cand, "candidate", o->max_malformed);
    if (!ref->n_events || !cand->n_events)
        return;   /* the checks below would only restate it */
    if (!cand->producers && ref->producers)
        reason(d, "the candidate trace has no producer events (set, release, signal_wait) "
                  "while the reference has %llu",
               (unsigned long long)ref->producers);
    unsigned waits = WDG_CAT_BIT(WDG_CAT_WAIT) | WDG_CAT_BIT(WDG_CAT_SIGNAL_WAIT);
    int outcome = d->provisional_outcome;
    if ((outcome == WDG_OUTCOME_NONE || outcome == WDG_OUTCOME_DIVERGED) &&
        (!(seen(cand) & waits) || !(cand->observes & WDG_CAT_BIT(WDG_CAT_WAIT))))
        reason(d, "the candidate trace shows no waits, so it cannot show that no thread is "
                  "wedged");
    if (!d->n_pairs && d->n_ref_threads && d->n_cand_threads)
        reason(d, "no thread of the candidate pairs with a thread of the reference");
}

static void swapped(wdg_diagnosis *d, const wdg_keytable *kt)
{
    size_t observable = 0, over = 0;
    for (size_t i = 0; i < kt->n; i++) {
        wdg_status st = wdg_key_verdict(kt, i);
        observable += st != WDG_ST_UNOBSERVABLE;
        over += st == WDG_ST_OVER || st == WDG_ST_EXTRA;
    }
    if (observable && over * 2 > observable)
        warning(d, "swapped",
                "the candidate out-produces the reference on %zu of %zu keys: REF and CAND may "
                "be swapped",
                over, observable);
}

static void op_keys(wdg_diagnosis *d, const wdg_trace *ref, const wdg_trace *cand,
                    const wdg_keytable *kt)
{
    if (kt->by_lr || !(ref->producers_with_lr || cand->producers_with_lr))
        return;
    const char *side = ref->producers && !ref->producers_with_lr ? "reference" : "candidate";
    warning(d, "op_keys",
            "the %s trace's producers carry no lr, so every key is (category, op): call "
            "sites are not told apart",
            side);
}

static void assumed(wdg_diagnosis *d, const wdg_trace *t, const wdg_trace *other,
                    const char *side)
{
    if (t->has_observes)
        return;
    /* only producer categories: those turn MISSING keys into UNOBSERVABLE */
    unsigned producers = WDG_CAT_BIT(WDG_CAT_SET) | WDG_CAT_BIT(WDG_CAT_RELEASE) |
                         WDG_CAT_BIT(WDG_CAT_SIGNAL_WAIT);
    unsigned missing = seen(other) & ~t->observes & producers;
    if (!missing)
        return;
    char list[128] = "";
    size_t n = 0;
    for (int c = 0; c < WDG_CAT_COUNT; c++)
        if (missing & WDG_CAT_BIT(c))
            n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "",
                                  wdg_category_name(c));
    warning(d, "assumed_unobserved",
            "the %s trace has no header naming what it observes, so the producer categories "
            "it has no events of were assumed unobserved and their keys UNOBSERVABLE: %s",
            side, list);
}

static void completed(wdg_diagnosis *d)
{
    if (d->completed && d->outcome == WDG_OUTCOME_NONE)
        warning(d, "completed",
                "the candidate ran to completion; %llu producer key%s differ%s in count "
                "(scheduling), none explains a hang",
                (unsigned long long)d->keys_diverging, d->keys_diverging == 1 ? "" : "s",
                d->keys_diverging == 1 ? "s" : "");
}

static void end_ignored(wdg_diagnosis *d, const wdg_trace *t, const wdg_run_end *re,
                        const char *side)
{
    if (!re->ignored)
        return;
    if (!t->all_t && re->ignored_source != WDG_END_MARKER)
        warning(d, "end_ignored",
                "the %s trace's end from the %s (%lld) was ignored: the trace has no times", side,
                wdg_end_source_name(re->ignored_source), (long long)re->ignored_end);
    else
        warning(d, "end_ignored",
                "the %s trace's end from the %s (%lld) was ignored: it is before the last event",
                side, wdg_end_source_name(re->ignored_source), (long long)re->ignored_end);
}

void wdg_verdict(wdg_diagnosis *d, const wdg_trace *ref, const wdg_trace *cand,
                 const wdg_keytable *kt, const wdg_diagnosis_opts *opts)
{
    static const wdg_diagnosis_opts defaults = WDG_DIAGNOSIS_OPTS_INIT;
    if (!opts)
        opts = &defaults;
    d->provisional_outcome = d->outcome;
    d->n_reasons = d->n_warnings = 0;
    reasons(d, ref, cand, opts);
    if (d->n_reasons)
        d->outcome = WDG_OUTCOME_INCONCLUSIVE;
    completed(d);
    swapped(d, kt);
    op_keys(d, ref, cand, kt);
    assumed(d, ref, cand, "reference");
    assumed(d, cand, ref, "candidate");
    end_ignored(d, ref, &d->ref_end, "reference");
    end_ignored(d, cand, &d->cand_end, "candidate");
}
