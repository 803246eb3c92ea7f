/* The diagnosis in Markdown: the verdict, each root cause with its
 * evidence, the ladders, the threads and the thread map. */
#include <stdio.h>
#include <string.h>

#include "md_diag.h"
#include "render.h"

static void when(const wdg_trace *t, const wdg_event *e, char *out, size_t cap)
{
    wdg_fmt_when(t, t->all_t ? e->t : (int64_t)wdg_ev_line(t, e), "line", out, cap);
}

/* "cache_thread 7", or "thread 1" when the family is unknown */
static void label(const wdg_thread *th, char *out, size_t cap)
{
    if (!th)
        snprintf(out, cap, "?");
    else if (strcmp(th->family, "-") == 0)
        snprintf(out, cap, "thread %u", th->tid);
    else
        wdg_utf8_snprintf(out, cap, "%s %u", th->family, th->tid);
}

static void cand_label(const wdg_report *r, uint32_t tid, char *out, size_t cap)
{
    label(wdg_diag_cand_thread(&r->diag, tid), out, cap);
}

/* the cand thread of a root, or NULL (a missing thread has none) */
static const wdg_thread *root_thread(const wdg_report *r, const wdg_root *x)
{
    return x->has_tid ? wdg_diag_cand_thread(&r->diag, x->tid) : NULL;
}

static void site_of(const wdg_report *r, int has_lr, wdg_addr lr, uint32_t op, char *out,
                    size_t cap)
{
    char fn[160];
    if (has_lr) {
        wdg_fmt_function(r, lr, fn, sizeof fn);
        wdg_utf8_snprintf(out, cap, "`%s` (%s)", fn, wdg_ops_name(r->ref->ops, op));
    } else {
        wdg_utf8_snprintf(out, cap, "`%s`", wdg_ops_name(r->ref->ops, op));
    }
}

/* A trace cut short changes what the verdict can claim: say so on its line. */
static void truncation_note(wdg_buf *b, const wdg_trace *t, const char *name)
{
    if (t->truncated)
        wdg_buf_printf(b, " The %s trace is truncated (%s): what came after its last "
                          "complete line is unknown.",
                       name, t->truncated);
}

/* INCONCLUSIVE names its reasons and what it would have been (the verdict's checks) */
static void inconclusive(wdg_buf *b, const wdg_diagnosis *d)
{
    wdg_buf_printf(b, "**outcome INCONCLUSIVE: these traces cannot support a verdict "
                      "(provisionally %s, not to be trusted).** Why:",
                   wdg_outcome_name(d->provisional_outcome));
    for (size_t i = 0; i < d->n_reasons; i++)
        wdg_buf_printf(b, "%s %s", i ? ";" : "", d->reasons[i]);
    wdg_buf_putc(b, '.');
}

static void warnings(wdg_buf *b, const wdg_diagnosis *d)
{
    for (size_t i = 0; i < d->n_warnings; i++)
        wdg_buf_printf(b, " Warning (%s): %s.", d->warnings[i].code, d->warnings[i].message);
}

void md_verdict(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    /* the wedged threads some root blocks; the rest are unexplained */
    size_t blocked = (size_t)d->divergent_wedged - d->n_unexplained, u = d->n_unexplained;
    const char *o = wdg_outcome_name(d->outcome);
    switch (d->outcome) {
    case WDG_OUTCOME_INCONCLUSIVE:
        inconclusive(b, d);
        break;
    case WDG_OUTCOME_NONE:
        if (d->completed)
            wdg_buf_printf(b, "**outcome %s: the %s run ended by exit and no %s thread is wedged; "
                              "no root cause.**",
                           o, r->opts.cand_name, r->opts.cand_name);
        else if (u)
            wdg_buf_printf(b, "**outcome %s: every producer key matches and no root cause blocks a "
                              "wedged %s thread; %zu wedged thread%s unexplained.**",
                           o, r->opts.cand_name, u, u == 1 ? " is" : "s are");
        else
            wdg_buf_printf(b, "**outcome %s: every producer key matches and no %s thread is "
                              "wedged.**",
                           o, r->opts.cand_name);
        break;
    case WDG_OUTCOME_DIVERGED:
        wdg_buf_printf(b, "**outcome %s: %llu producer key%s diverge%s, but no wedged %s thread "
                          "explains %s",
                       o, (unsigned long long)d->keys_diverging, d->keys_diverging == 1 ? "" : "s",
                       d->keys_diverging == 1 ? "s" : "", r->opts.cand_name,
                       d->keys_diverging == 1 ? "it" : "them");
        if (u)
            wdg_buf_printf(b, "; %zu wedged thread%s unexplained", u, u == 1 ? " is" : "s are");
        wdg_buf_puts(b, ".**");
        break;
    default:
        wdg_buf_printf(b, "**outcome %s: %zu root cause%s block%s %zu wedged thread%s%s", o,
                       d->n_roots, d->n_roots == 1 ? "" : "s", d->n_roots == 1 ? "s" : "", blocked,
                       blocked == 1 ? "" : "s",
                       d->outcome == WDG_OUTCOME_A ? ": a thread that never spawned" : "");
        if (u)
            wdg_buf_printf(b, "; %zu more %s unexplained", u, u == 1 ? "is" : "are");
        wdg_buf_puts(b, ".**");
    }
    truncation_note(b, r->ref, r->opts.ref_name);
    truncation_note(b, r->cand, r->opts.cand_name);
    warnings(b, d);
    wdg_buf_puts(b, "\n\n");
    size_t no_analog = d->n_no_analog;
    wdg_buf_printf(b, "Behind it: %llu of %zu producer keys diverge (%llu MISSING); %llu %s thread%s "
                      "wedged for good; %zu %s thread%s with no analog in %s.\n\n",
                   (unsigned long long)d->keys_diverging, r->keys.n,
                   (unsigned long long)d->missing_keys, (unsigned long long)d->divergent_wedged,
                   r->opts.cand_name, d->divergent_wedged == 1 ? "" : "s", no_analog,
                   r->opts.ref_name, no_analog == 1 ? "" : "s", r->opts.cand_name);
}

/* "   Confidence: inferred (why). Rule: ...; events: cand line 4 (thread 1,
 * wait), ..." */
static void confidence(wdg_buf *b, const wdg_report *r, const wdg_root *x)
{
    static const char *const why[] = {"the object was matched by similarity",
                                      "the iterations are the candidate thread's own",
                                      "the thread pair is by key signature",
                                      "the reference shows no waits",
                                      "the thread pair is by call site",
                                      "the object is the only orphan on each side",
                                      "the thread pair is the last one left on each side",
                                      "it presumes a producer outside the traced program"};
    wdg_buf_printf(b, "   Confidence: **%s**", wdg_root_confidence_name(x->inferred));
    for (unsigned i = 0, n = 0; i < sizeof why / sizeof *why; i++)
        if (x->inferred & (1u << i))
            wdg_buf_printf(b, "%s%s", n++ ? "; " : " (", why[i]);
    wdg_buf_printf(b, "%s. Rule: %s", x->inferred ? ")" : "", wdg_root_rule(x->kind));
    for (size_t i = 0; i < x->n_evidence; i++) {
        const wdg_evidence_event *v = &x->evidence[i];
        const wdg_event *e = &(v->cand ? r->cand : r->ref)->events[v->event];
        wdg_buf_printf(b, "%s%s line %llu (thread %u, %s)", i ? ", " : "; events: ",
                       v->cand ? r->opts.cand_name : r->opts.ref_name, (unsigned long long)wdg_ev_line((v->cand ? r->cand : r->ref), e),
                       e->tid, v->what);
    }
    wdg_buf_puts(b, ".\n");
}

/* An external root's wait: "`read` at prog+0x16FA (`pipe_mode+0x6A`)", the
 * function where symbols name one. */
static void external_site(const wdg_report *r, const wdg_root *x, char *out, size_t cap)
{
    char a[WDG_ADDR_TEXT] = "?", fn[160] = "";
    const char *op = x->has_key ? wdg_ops_name(r->ref->ops, x->op) : "its wait";
    if (!x->has_key || !x->key_has_lr) {
        wdg_utf8_snprintf(out, cap, "`%s`", op);
        return;
    }
    wdg_fmt_addr(r, x->lr, a, sizeof a);
    wdg_fmt_function(r, x->lr, fn, sizeof fn);
    if (strcmp(a, fn) == 0)
        wdg_utf8_snprintf(out, cap, "`%s` at %s", op, a);
    else
        wdg_utf8_snprintf(out, cap, "`%s` at %s (`%s`)", op, a, fn);
}

static void evidence(wdg_buf *b, const wdg_report *r, const wdg_root *x)
{
    const wdg_diagnosis *d = &r->diag;
    char who[128], site[256], obj[WDG_ADDR_TEXT] = "?", w[128], ws[256];
    const wdg_key *k = x->key != WDG_NO_KEY ? &r->keys.keys[x->key] : NULL;
    if (x->has_obj)
        wdg_fmt_addr(r, x->obj, obj, sizeof obj);
    if (x->has_key)
        site_of(r, x->key_has_lr, x->lr, x->op, site, sizeof site);
    const wdg_thread *me = root_thread(r, x);
    label(me, who, sizeof who);
    /* the wedged thread whose wait on the object found it (the right
     * waiter), else the first it blocks */
    const wdg_thread *first = x->has_waiter  ? wdg_diag_cand_thread(d, x->waiter)
                              : x->n_blocks ? wdg_diag_cand_thread(d, x->blocks[0])
                                            : NULL;
    label(first, w, sizeof w);
    ws[0] = 0;
    if (first) {
        const wdg_event *e = &r->cand->events[first->last];
        site_of(r, (e->flags & WDG_EV_LR) != 0, wdg_ev_lr(e), e->op, ws, sizeof ws);
    }
    switch (x->kind) {
    case WDG_ROOT_SIGNALED_BUT_BLOCKED: {
        const wdg_event *e = me ? &r->cand->events[me->last] : NULL;
        char mine[256] = "its wait";
        if (e)
            site_of(r, (e->flags & WDG_EV_LR) != 0, wdg_ev_lr(e), e->op, mine, sizeof mine);
        wdg_buf_printf(b, "**%s** waits at %s on %s although a signal on it was left unconsumed",
                       who, mine, obj);
        if (x->has_key)
            wdg_buf_printf(b, ": the last producer was `%s` at %s", wdg_category_name(x->cat), site);
        wdg_buf_printf(b, ". %s did not hand that signal to the waiter: look at its wait semantics "
                          "(an auto-reset event set with no waiter, WaitAny, semaphore counts).",
                       r->opts.cand_name);
        break;
    }
    case WDG_ROOT_MISSING_THREAD: {
        char entry[WDG_ADDR_TEXT] = "?";
        if (x->has_entry)
            wdg_fmt_addr(r, x->entry_pc, entry, sizeof entry);
        wdg_buf_printf(b, "%s thread %u (%s, entry %s) has no analog in %s. In %s it fires `%s` "
                          "at %s %llu times on the object %s waits on (%s in %s). Check that %s "
                          "creates and resumes the thread that starts at %s.",
                       r->opts.ref_name, x->ref_tid, x->family, entry, r->opts.cand_name,
                       r->opts.ref_name, wdg_category_name(x->cat), site,
                       (unsigned long long)x->ref_thread_fires, w, obj,
                       r->opts.cand_name, r->opts.cand_name, entry);
        break;
    }
    case WDG_ROOT_SKIPPED_PRODUCER:
        wdg_buf_printf(b, "**%s** went round its loop without signalling: %s fires `%s` at %s in "
                          "%llu of %llu iterations at its wait%s, but its last iteration in %s "
                          "does not, and it waits there now (on behalf of %s, waiting on %s).",
                       who, x->evidence_from_cand ? "it" : r->opts.ref_name,
                       wdg_category_name(x->cat), site, (unsigned long long)x->ref_fires,
                       (unsigned long long)x->ref_iterations,
                       x->evidence_from_cand ? " (its own earlier iterations: the reference trace "
                                               "shows no waits)"
                                             : "",
                       r->opts.cand_name, w, obj);
        break;
    case WDG_ROOT_LIVE_MISSING_PRODUCER:
        wdg_buf_printf(b, "**%s** runs on, but it has not fired `%s` at %s since %s began to wait "
                          "at %s on %s.",
                       who, wdg_category_name(x->cat), site, w, ws, obj);
        break;
    case WDG_ROOT_SILENT_THREAD:
        wdg_buf_printf(b, "**%s** fell silent before firing `%s` at %s, which %s waits for on %s.",
                       who, wdg_category_name(x->cat), site, w, obj);
        break;
    case WDG_ROOT_UNKNOWN:   /* not made any more: unexplained instead */
        wdg_buf_printf(b, "**%s**: the traces cannot say.", who);
        break;
    case WDG_ROOT_CYCLE:
        wdg_buf_printf(b, "**%s** and the threads it waits for wait on each other: a true deadlock.",
                       who);
        break;
    case WDG_ROOT_EXTERNAL: {
        char at[WDG_ADDR_TEXT + 200], ro[WDG_ADDR_TEXT] = "?";
        external_site(r, x, at, sizeof at);
        if (x->has_ref_obj)
            wdg_fmt_addr(r, x->ref_obj, ro, sizeof ro);
        wdg_buf_printf(b, "**%s** waits in %s on %s, waiting on input from outside the program: "
                          "nothing in either trace signals that object, and in %s thread %u's "
                          "wait on its counterpart (%s) returned. wedge sees only the traced "
                          "program: check what feeds it (a pipe, socket, file or terminal) in "
                          "the %s run.",
                       who, at, obj, r->opts.ref_name, x->ref_tid, ro, r->opts.cand_name);
        break;
    }
    }
    if (k)
        wdg_buf_printf(b, " The key fires %llu time%s in %s and %llu in %s.",
                       (unsigned long long)k->ref_total, k->ref_total == 1 ? "" : "s",
                       r->opts.ref_name, (unsigned long long)k->cand_total, r->opts.cand_name);
    wdg_buf_puts(b, "\n");
    confidence(b, r, x);
}

/* the short form that ends a ladder chain */
static void root_tail(wdg_buf *b, const wdg_report *r, const wdg_root *x)
{
    char site[256] = "";
    if (x->has_key)
        site_of(r, x->key_has_lr, x->lr, x->op, site, sizeof site);
    switch (x->kind) {
    case WDG_ROOT_SIGNALED_BUT_BLOCKED:
    {
        char a[WDG_ADDR_TEXT];
        wdg_buf_printf(b, "(signal left unconsumed on %s)", wdg_fmt_addr(r, x->obj, a, sizeof a));
    }
        break;
    case WDG_ROOT_MISSING_THREAD:
        wdg_buf_printf(b, "(%s thread %u never spawned: %s)", r->opts.ref_name, x->ref_tid, x->family);
        break;
    case WDG_ROOT_SKIPPED_PRODUCER: {
        char who[128];
        label(root_thread(r, x), who, sizeof who);
        wdg_buf_printf(b, "(%s went round its loop without `%s` at %s)", who,
                       wdg_category_name(x->cat), site);
        break;
    }
    case WDG_ROOT_LIVE_MISSING_PRODUCER: {
        char who[128];
        label(root_thread(r, x), who, sizeof who);
        wdg_buf_printf(b, "(%s runs on without `%s` at %s)", who, wdg_category_name(x->cat), site);
        break;
    }
    case WDG_ROOT_SILENT_THREAD: {
        char who[128];
        label(root_thread(r, x), who, sizeof who);
        wdg_buf_printf(b, "(%s fell silent)", who);
        break;
    }
    case WDG_ROOT_UNKNOWN:
        wdg_buf_puts(b, "(unknown)");
        break;
    case WDG_ROOT_CYCLE:
        wdg_buf_puts(b, "(deadlock cycle)");
        break;
    case WDG_ROOT_EXTERNAL: {
        char who[128], at[WDG_ADDR_TEXT + 200];
        label(root_thread(r, x), who, sizeof who);
        external_site(r, x, at, sizeof at);
        wdg_buf_printf(b, "(%s waits on input from outside the program in %s)", who, at);
        break;
    }
    }
}

/* a ladder's threads, each followed by " -> " */
void md_ladder_threads(wdg_buf *b, const wdg_report *r, const wdg_ladder *l)
{
    const wdg_diagnosis *d = &r->diag;
    char name[128];
    for (size_t i = 0; i < l->n_tids; i++) {
        cand_label(r, d->ladder_tids[l->first + i], name, sizeof name);
        wdg_buf_printf(b, "%s -> ", name);
    }
}

/* one ladder: each thread, then the root's short form */
static void ladder(wdg_buf *b, const wdg_report *r, const wdg_ladder *l)
{
    md_ladder_threads(b, r, l);
    root_tail(b, r, &r->diag.roots[l->root]);
}

/* the terminal's one line of a root: kind, confidence, thread, short form */
void md_root_line(wdg_buf *b, const wdg_report *r, const wdg_root *x)
{
    wdg_buf_printf(b, "`%s` (**%s**)", wdg_root_kind_name(x->kind),
                   wdg_root_confidence_name(x->inferred));
    if (x->has_tid) {
        char who[128];
        label(root_thread(r, x), who, sizeof who);
        wdg_buf_printf(b, " in **%s**", who);
    }
    wdg_buf_puts(b, ": ");
    /* the short form without its parentheses */
    size_t at = b->len;
    root_tail(b, r, x);
    if (b->len - at >= 2 && b->ptr[at] == '(' && b->ptr[b->len - 1] == ')') {
        memmove(b->ptr + at, b->ptr + at + 1, b->len - at - 2);
        b->len -= 2;
    }
    wdg_buf_printf(b, "; it blocks %zu wedged thread%s.", x->n_blocks, x->n_blocks == 1 ? "" : "s");
}

/* the wedged threads no root explains, and the suspects, once */
static void md_unexplained(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    if (!d->n_unexplained && !d->n_suspects)
        return;
    wdg_buf_puts(b, "## Unexplained\n\n");
    if (d->n_unexplained)
        wdg_buf_puts(b, "Wedged threads no root cause explains:\n\n");
    for (size_t i = 0; i < d->n_unexplained; i++) {
        const wdg_unexplained *u = &d->unexplained[i];
        char l[128], a[WDG_ADDR_TEXT];
        cand_label(r, u->tid, l, sizeof l);
        wdg_buf_printf(b, "- **%s**", l);
        if (u->has_obj)
            wdg_buf_printf(b, " (on %s)", wdg_fmt_addr(r, u->obj, a, sizeof a));
        wdg_buf_printf(b, ": %s.\n", u->why);
    }
    if (d->n_suspects)
        wdg_buf_printf(b, "%s%s threads with no analog in %s that signal objects wedged threads "
                          "may wait on, suspects:",
                       d->n_unexplained ? "\n" : "", r->opts.ref_name, r->opts.cand_name);
    for (size_t i = 0; i < d->n_suspects; i++) {
        const wdg_suspect *s = &d->suspects[i];
        char l[128], entry[WDG_ADDR_TEXT] = "unknown", a[WDG_ADDR_TEXT];
        label(wdg_diag_ref_thread(d, s->ref_tid), l, sizeof l);
        if (s->has_entry)
            wdg_fmt_addr(r, s->entry_pc, entry, sizeof entry);
        wdg_buf_printf(b, "%s %s (entry %s, on", i ? ";" : "", l, entry);
        for (size_t k = 0; k < s->n_objs && k < 8; k++)
            wdg_buf_printf(b, " %s", wdg_fmt_addr(r, s->objs[k], a, sizeof a));
        wdg_buf_puts(b, s->n_objs > 8 ? " ...)" : ")");
    }
    wdg_buf_puts(b, d->n_suspects ? ".\n\n" : "\n");
}

void md_roots(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    if (!d->n_roots) {
        md_unexplained(b, r);
        return;
    }
    wdg_buf_puts(b, d->outcome == WDG_OUTCOME_INCONCLUSIVE
                        ? "## Root causes (provisional: the verdict is INCONCLUSIVE)\n\n"
                        : "## Root causes\n\n");
    for (size_t i = 0; i < d->n_roots; i++) {
        const wdg_root *x = &d->roots[i];
        wdg_buf_printf(b, "%zu. `%s`: ", i + 1, wdg_root_kind_name(x->kind));
        evidence(b, r, x);
        wdg_buf_printf(b, "   It blocks %zu wedged thread%s:", x->n_blocks, x->n_blocks == 1 ? "" : "s");
        for (size_t k = 0; k < x->n_blocks; k++) {
            char l[128];
            cand_label(r, x->blocks[k], l, sizeof l);
            wdg_buf_printf(b, "%s %s", k ? "," : "", l);
        }
        wdg_buf_puts(b, ".\n");
    }
    wdg_buf_puts(b, "\n### Ladders\n\nEach wedged thread, then who it waits for, down to the root.\n\n");
    for (size_t i = 0; i < d->n_roots; i++) {
        const wdg_root *x = &d->roots[i];
        for (size_t k = 0; k < x->n_ladders; k++) {
            wdg_buf_puts(b, "- ");
            ladder(b, r, &d->ladders[x->ladder + k]);
            wdg_buf_putc(b, '\n');
        }
        if (x->n_blocks > x->n_ladders)
            wdg_buf_printf(b, "- ... and %zu more\n", x->n_blocks - x->n_ladders);
    }
    wdg_buf_putc(b, '\n');
    md_unexplained(b, r);
}

static void state_text(const wdg_report *r, const wdg_trace *t, const wdg_thread *th, char *out,
                       size_t cap)
{
    const wdg_event *e = th->count ? &t->events[th->last] : NULL;
    char at[32];
    if (!e) {
        snprintf(out, cap, "created, never ran");
        return;
    }
    when(t, e, at, sizeof at);
    if (th->state == WDG_TS_WEDGED) {
        char fn[160], objs[256] = "", a[WDG_ADDR_TEXT];
        wdg_addr list[8];
        size_t n = 0;
        wdg_event_ext x_buf, *x = wdg_event_ext_of(t, e, &x_buf);
        if ((e->flags & WDG_EV_OBJ) && wdg_ev_cat(t->ops, e) != WDG_CAT_SIGNAL_WAIT)
            list[n++] = wdg_ev_obj(e);
        for (uint32_t i = 0; x && (e->flags & WDG_EV_OBJS) && i < x->objs_n && n < 8; i++)
            list[n++] = wdg_x_obj(t, x, i);
        size_t o = 0;
        for (size_t i = 0; i < n && o + 12 < sizeof objs; i++) {
            /* whole addresses only: a wide one may not fit */
            size_t len = strlen(wdg_fmt_addr(r, list[i], a, sizeof a)) + (i ? 2 : 0);
            if (o + len >= sizeof objs)
                break;
            o += (size_t)snprintf(objs + o, sizeof objs - o, "%s%s", i ? ", " : "", a);
        }
        if (e->flags & WDG_EV_LR)
            wdg_fmt_function(r, wdg_ev_lr(e), fn, sizeof fn);
        else
            wdg_utf8_snprintf(fn, sizeof fn, "%s", wdg_ops_name(t->ops, e->op));
        wdg_utf8_snprintf(out, cap, "**wedged** (%s) at `%s`%s%s since %s%s",
                          th->wedged_by == WDG_WEDGED_ALL_BLOCKED ? "all blocked" : "silence", fn,
                          n ? " on " : "", objs, at, th->divergent ? "" : " (so is its analog)");
    } else if (th->state == WDG_TS_SILENT) {
        snprintf(out, cap, "silent since %s", at);
    } else {
        snprintf(out, cap, "%s", wdg_thread_state_name(th->state));
    }
}

static void thread_rows(wdg_buf *b, const wdg_report *r, int cand)
{
    const wdg_diagnosis *d = &r->diag;
    const wdg_thread *ts = cand ? d->cand_threads : d->ref_threads;
    size_t n = cand ? d->n_cand_threads : d->n_ref_threads;
    const wdg_trace *t = cand ? r->cand : r->ref;
    for (size_t i = 0; i < n && i < WDG_MD_MAX_ROWS; i++) {
        const wdg_thread *th = &ts[i];
        char first[32] = "-", last[32] = "-", st[384], analog[48] = "none";
        if (th->count) {
            when(t, &t->events[th->first], first, sizeof first);
            when(t, &t->events[th->last], last, sizeof last);
        }
        if (th->has_analog)
            snprintf(analog, sizeof analog, "%u (%s)", th->analog, wdg_map_how_name(th->how));
        state_text(r, t, th, st, sizeof st);
        wdg_buf_printf(b, "| %s | %u | %s | %s | %s | %llu | %s | %s |\n",
                       cand ? r->opts.cand_name : r->opts.ref_name, th->tid, th->family, first, last,
                       (unsigned long long)th->count, st, analog);
    }
}

/* the end of the run used for one trace, and the all-blocked rule if it applied */
static void run_end_text(wdg_buf *b, const wdg_trace *t, const wdg_run_end *re, const char *name)
{
    static const char *const from[] = {"its last event", "the header's ended_at",
                                       "its trace.end line", "--ended-at"};
    char at[40];
    if (re->has_ended_at)
        wdg_format_ns(re->ended_at, at, sizeof at);
    else
        wdg_fmt_when(t, re->end, "line", at, sizeof at);
    wdg_buf_printf(b, "The %s run ends at %s%s (%s).", name, at,
                   re->has_ended_at ? " after its first event" : "",
                   re->source >= 0 && re->source <= WDG_END_OPTION ? from[re->source] : "?");
    if (re->all_blocked)
        wdg_buf_printf(b, " It has no explicit end and every live %s thread ends in a wait with "
                          "no timeout: a total hang, so all of them are wedged (all blocked).",
                       name);
    wdg_buf_putc(b, ' ');
}

void md_threads(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_buf_puts(b, "## Threads\n\n");
    char s0[32], s1[32];
    wdg_fmt_when(r->ref, d->ref_silence, "line count", s0, sizeof s0);
    wdg_fmt_when(r->cand, d->cand_silence, "line count", s1, sizeof s1);
    wdg_buf_printf(b, "A thread is wedged (silence) when its last event is a wait with no timeout "
                      "and nothing follows up to the end of the run for at least the silence "
                      "threshold (%s: %s, %s: %s). ",
                   r->opts.ref_name, s0, r->opts.cand_name, s1);
    run_end_text(b, r->ref, &d->ref_end, r->opts.ref_name);
    run_end_text(b, r->cand, &d->cand_end, r->opts.cand_name);
    wdg_buf_puts(b, "The family is the function its entry PC is in.\n\n");
    wdg_buf_puts(b, "| engine | tid | family | first | last | events | state | analog (how) |\n"
                    "|---|---:|---|---|---|---:|---|---|\n");
    thread_rows(b, r, 0);
    thread_rows(b, r, 1);
    /* each engine's rows are capped on their own */
    wdg_md_rows_left_out(b, wdg_md_over(d->n_ref_threads) + wdg_md_over(d->n_cand_threads),
                         "report.json (thread_map, wedged)");
    const size_t *by = d->pairs_by_how;
    size_t sig = by[WDG_HOW_SIGNATURE], ent = by[WDG_HOW_ENTRY_PC], exp = by[WDG_HOW_EXPLICIT],
           mains = by[WDG_HOW_MAIN], site = by[WDG_HOW_CALL_SITE], last = by[WDG_HOW_ELIMINATION];
    wdg_buf_printf(b, "\nThread map: %zu pairs (%zu explicit, %zu by entry PC, %zu main, %zu by "
                      "key signature, %zu by call site%s",
                   d->n_pairs, exp, ent, mains, sig, site, last ? ", 1 by elimination" : "");
    for (size_t i = 0, n = 0; i < d->n_pairs; i++)
        if (d->pairs[i].how == WDG_HOW_SIGNATURE) {
            char sim[64];
            wdg_buf_printf(b, "%s%u=%u %s", n++ ? ", " : ": ", d->pairs[i].ref, d->pairs[i].cand,
                           wdg_fmt_num(sim, sizeof sim, d->pairs[i].similarity, 'f', 2));
        }
    wdg_buf_puts(b, ").");
    int any = 0;
    for (size_t i = 0; i < d->n_ref_threads; i++) {
        const wdg_thread *t = &d->ref_threads[i];
        if (t->has_analog)
            continue;
        char l[128], entry[WDG_ADDR_TEXT] = "unknown";
        label(t, l, sizeof l);
        if (t->has_entry)
            wdg_fmt_addr(r, t->entry_pc, entry, sizeof entry);
        wdg_buf_printf(b, "%s%s (entry %s)", any ? ", " : " No analog in cand: ", l, entry);
        any = 1;
    }
    wdg_buf_puts(b, any ? ".\n\n" : "\n\n");
    wdg_buf_printf(b, "Object map: %zu %s objects matched to %s objects", d->n_objects,
                   r->opts.cand_name, r->opts.ref_name);
    /* how many by each rule, in the order the rules are tried */
    const char *sep = ": ";
    for (int how = WDG_OBJ_HOW_IDENTITY; how < WDG_OBJ_HOW_COUNT; how++) {
        size_t n = d->objects_by_how[how];
        if (n) {
            wdg_buf_printf(b, "%s%zu by %s", sep, n, wdg_object_how_name(how));
            sep = ", ";
        }
    }
    wdg_buf_puts(b, ".\n\n");
}

/* the skew sentence of the boot delta (or that there is none) */
void md_skew(wdg_buf *b, const wdg_report *r)
{
    const wdg_boot_delta *bd = &r->boot;
    if (bd->skew_start >= 0) {
        const wdg_milestone *m = &bd->milestones[bd->skew_start];
        char a[32], z[32], x[32] = "", what[192];
        wdg_milestone_text(r, m, what, sizeof what);
        wdg_format_ns(m->ref_t, a, sizeof a);
        wdg_format_ns(m->cand_t, z, sizeof z);
        if (m->has_ratio) {
            char n[64];
            snprintf(x, sizeof x, ", %sx later", wdg_fmt_num(n, sizeof n, m->ratio, 'f', 1));
        }
        wdg_buf_printf(b, "**The skew starts at: %s%s in %s: %s vs %s after each trace's first "
                          "event.** It is the first milestone more than twice as late and at "
                          "least 10 ms late.",
                       what, x, r->opts.cand_name, a, z);
        if (bd->n_threads && bd->threads[0].differs) {
            char l[128];
            label(wdg_diag_ref_thread(&r->diag, bd->threads[0].ref_tid), l, sizeof l);
            wdg_buf_printf(b, " Before it, %s's boot sequence parts at token %zu.", l,
                           bd->threads[0].index);
        }
        wdg_buf_puts(b, "\n\n");
    } else if (bd->has_t) {
        wdg_buf_puts(b, "No milestone is both more than twice as late and at least 10 ms late: "
                        "no skew.\n\n");
    } else {
        wdg_buf_puts(b, "No milestones: a trace carries no t.\n\n");
    }
}

void md_boot(wdg_buf *b, const wdg_report *r)
{
    const wdg_boot_delta *bd = &r->boot;
    wdg_buf_puts(b, "## Boot delta\n\n");
    char win[40];
    /* one past t = INT64_MAX prints as INT64_MAX does at this precision */
    wdg_fmt_when(r->ref, bd->window > INT64_MAX ? INT64_MAX : (int64_t)bd->window, "event", win,
                 sizeof win);
    wdg_buf_printf(b, "The early boot of each thread pair: the %s tokens (op and call site) "
                      "before %s%s, against as many %s tokens plus slack, diffed with Myers' "
                      "algorithm.\n\n",
                   r->opts.ref_name, win,
                   bd->window_given ? " (--boot-window)"
                   : r->first_divergence.found ? " (the first divergence)"
                                               : " (the end of the common span)",
                   r->opts.cand_name);
    if (bd->left_out) {
        /* a token the other engine cannot log is no difference */
        wdg_buf_puts(b, "Left out of both streams, as only one engine observes them:");
        for (int c = 0, k = 0; c < WDG_CAT_COUNT; c++)
            if (bd->left_out & WDG_CAT_BIT(c))
                wdg_buf_printf(b, "%s %s", k++ ? "," : "", wdg_category_name(c));
        wdg_buf_puts(b, " events.\n\n");
    }
    md_skew(b, r);
    if (bd->n_threads) {
        wdg_buf_printf(b, "| %s | %s | tokens | first difference | %s there | %s there | "
                          "before it | inserted | deleted |\n|---:|---:|---|---:|---|---|---|---:|---:|\n",
                       r->opts.ref_name, r->opts.cand_name, r->opts.ref_name, r->opts.cand_name);
        for (size_t i = 0; i < bd->n_threads && i < WDG_MD_MAX_ROWS; i++) {
            const wdg_thread_delta *t = &bd->threads[i];
            wdg_buf_printf(b, "| %u | %u | %zu / %zu | ", t->ref_tid, t->cand_tid, t->ref_tokens,
                           t->cand_tokens);
            if (!t->differs) {
                wdg_buf_puts(b, "none | | | | 0 | 0 |\n");
                continue;
            }
            char tok[256];
            wdg_buf_printf(b, "%zu | ", t->index);
            if (t->ref_event != WDG_NO_EVENT) {
                wdg_token_run_name(r, r->ref, t->ref_event, t->ref_run, tok, sizeof tok);
                wdg_buf_printf(b, "`%s`", tok);
            } else {
                wdg_buf_puts(b, "(end)");
            }
            wdg_buf_puts(b, " | ");
            if (t->cand_event != WDG_NO_EVENT) {
                wdg_token_run_name(r, r->cand, t->cand_event, t->cand_run, tok, sizeof tok);
                wdg_buf_printf(b, "`%s`", tok);
            } else {
                wdg_buf_puts(b, "(its stream ends)");
            }
            wdg_buf_puts(b, " | ");
            for (int k = 0; k < t->n_before; k++) {
                wdg_token_run_name(r, r->ref, t->before[k], t->before_run[k], tok, sizeof tok);
                wdg_buf_printf(b, "%s`%s`", k ? ", " : "", tok);
            }
            wdg_buf_printf(b, " | %zu | %zu%s |\n", t->inserted, t->deleted,
                           t->bounded ? " (bounded: not minimal)" : "");
        }
        wdg_md_rows_left_out(b, wdg_md_over(bd->n_threads), "report.json (boot_delta)");
        wdg_buf_putc(b, '\n');
    }
    if (bd->n_milestones) {
        wdg_buf_printf(b, "| milestone | %s t | %s t | ratio |\n|---|---:|---:|---:|\n",
                       r->opts.ref_name, r->opts.cand_name);
        size_t shown = 0;
        for (size_t i = 0; i < bd->n_milestones && shown < 40; i++, shown++) {
            const wdg_milestone *m = &bd->milestones[i];
            char a[32], z[32] = "-", ratio[32] = "-", what[192];
            wdg_milestone_text(r, m, what, sizeof what);
            wdg_format_ns(m->ref_t, a, sizeof a);
            if (m->has_cand)
                wdg_format_ns(m->cand_t, z, sizeof z);
            if (m->has_ratio)
                wdg_fmt_num(ratio, sizeof ratio, m->ratio, 'f', 2);
            if ((long)i == bd->skew_start)
                snprintf(ratio + strlen(ratio), sizeof ratio - strlen(ratio), " **skew starts**");
            wdg_buf_printf(b, "| %s | %s | %s | %s |\n", what, a, z, ratio);
        }
        if (bd->n_milestones > shown)
            wdg_buf_printf(b, "| ... %zu more in report.json | | | |\n", bd->n_milestones - shown);
        wdg_buf_putc(b, '\n');
    }
}
