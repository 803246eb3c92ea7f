/* The diagnosis: threads, thread map, states, object map, roots, outcome. */
#include <stdlib.h>
#include <string.h>

#include "../base/clock.h"
#include "../base/numparse.h"
#include "diag_internal.h"
#include "par.h"
#include "wedge/report.h"

const char *wdg_thread_state_name(wdg_thread_state s)
{
    switch (s) {
    case WDG_TS_RUNNING: return "running";
    case WDG_TS_EXITED: return "exited";
    case WDG_TS_WEDGED: return "wedged";
    case WDG_TS_SILENT: return "silent";
    }
    return "?";
}

/* One table per kind, sized by its enum's count: a kind added to the enum
 * without its row fails to compile instead of printing "?". */
#define TABLE_CHECK(table, count) \
    _Static_assert(sizeof(table) / sizeof *(table) == (count), #table " needs one row per kind")

static const char *const map_how_names[] = {"none",      "explicit", "entry_pc",   "signature",
                                            "main",      "call_site", "elimination"};
TABLE_CHECK(map_how_names, WDG_HOW_COUNT);

const char *wdg_map_how_name(int how)
{
    return how >= 0 && how < WDG_HOW_COUNT ? map_how_names[how] : "none";
}

static const char *const object_how_names[] = {"none",          "identity",  "creation_site",
                                               "wait_position", "producers", "waiters",
                                               "orphan",        "address"};
TABLE_CHECK(object_how_names, WDG_OBJ_HOW_COUNT);

const char *wdg_object_how_name(int how)
{
    return how >= 0 && how < WDG_OBJ_HOW_COUNT ? object_how_names[how] : "none";
}

/* each root kind's name and the rule it rests on, in one sentence */
static const struct {
    const char *name, *rule;
} root_kinds[] = {
    [WDG_ROOT_SIGNALED_BUT_BLOCKED] = {"signaled_but_blocked",
        "a signal on the object the thread waits on was left unconsumed while it waited"},
    [WDG_ROOT_MISSING_THREAD] = {"missing_thread",
        "the reference thread that signals the object the wedged thread waits on has no "
        "analog in the candidate"},
    [WDG_ROOT_SKIPPED_PRODUCER] = {"skipped_producer",
        "the producer fires the key in most iterations of its loop, but not in its last "
        "one, and waits now"},
    [WDG_ROOT_LIVE_MISSING_PRODUCER] = {"live_missing_producer",
        "the producer runs on but has not fired the key since the wedged thread began to "
        "wait"},
    [WDG_ROOT_SILENT_THREAD] = {"silent_thread",
        "the producer fell silent before the wedged thread began to wait, without firing "
        "the key"},
    [WDG_ROOT_UNKNOWN] = {"unknown", "the traces cannot say"},
    [WDG_ROOT_CYCLE] = {"cycle", "the wedged threads wait for each other, every rung checked"},
    [WDG_ROOT_EXTERNAL] = {"external",
        "nothing in either trace signals the object the wedged thread waits on, and in the "
        "reference the same wait returned: it waits on input from outside the program"},
};
TABLE_CHECK(root_kinds, WDG_ROOT_KIND_COUNT);

const char *wdg_root_kind_name(int kind)
{
    return kind >= 0 && kind < WDG_ROOT_KIND_COUNT ? root_kinds[kind].name : "?";
}

const char *wdg_root_confidence_name(unsigned inferred)
{
    return inferred ? "inferred" : "proven";
}

const char *wdg_root_rule(int kind)
{
    return kind >= 0 && kind < WDG_ROOT_KIND_COUNT ? root_kinds[kind].rule
                                                   : "the traces cannot say";
}

static const char *const outcome_names[] = {"NONE", "A", "B", "C", "DIVERGED", "INCONCLUSIVE"};
TABLE_CHECK(outcome_names, WDG_OUTCOME_COUNT);

const char *wdg_diag_stage_name(int stage)
{
    static const char *const names[] = {"threads", "thread_map", "states",
                                        "object_map", "roots", "ladders"};
    TABLE_CHECK(names, WDG_DIAG_STAGE_COUNT);
    return stage >= 0 && stage < WDG_DIAG_STAGE_COUNT ? names[stage] : "?";
}

const char *wdg_outcome_name(int outcome)
{
    return outcome >= 0 && outcome < WDG_OUTCOME_COUNT ? outcome_names[outcome] : "?";
}

const char *wdg_wedged_by_name(int by)
{
    return by == WDG_WEDGED_SILENCE ? "silence" : by == WDG_WEDGED_ALL_BLOCKED ? "all_blocked" : NULL;
}

const char *wdg_end_source_name(int source)
{
    static const char *const names[] = {"last_event", "header", "marker", "option"};
    return source >= 0 && source <= WDG_END_OPTION ? names[source] : "?";
}

/* "12.5s", "300ms", "40us", "7ns" or a bare number of ns; -1 when not one */
static int parse_duration(const char *text, int64_t *out)
{
    double v;
    const char *end = text + wdg_scan_decimal(text, strlen(text), &v);   /* not strtod: locale-free */
    if (end == text || !(v >= 0))
        return -1;
    double scale = 1;
    if (strcmp(end, "s") == 0)
        scale = 1e9;
    else if (strcmp(end, "ms") == 0)
        scale = 1e6;
    else if (strcmp(end, "us") == 0)
        scale = 1e3;
    else if (*end && strcmp(end, "ns") != 0)
        return -1;
    if (v * scale > 9e18)
        return -1;
    *out = (int64_t)(v * scale + 0.5);   /* 15.000003s is 15000003000 ns, not ...2999 */
    return 0;
}

int wdg_parse_ended_at(wdg_diagnosis_opts *o, const char *text, wdg_error *err)
{
    int cand = strncmp(text, "cand=", 5) == 0;
    int64_t v;
    if ((!cand && strncmp(text, "ref=", 4) != 0) || parse_duration(text + (cand ? 5 : 4), &v) < 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--ended-at takes ref=T or cand=T, T in the trace's own clock: ns, or "
                             "a duration like 12.5s, 300ms, 40us: '%s'", text);
    if (cand)
        o->has_cand_end = 1, o->cand_end = v;
    else
        o->has_ref_end = 1, o->ref_end = v;
    return 0;
}

int wdg_parse_max_malformed(wdg_diagnosis_opts *o, const char *text, wdg_error *err)
{
    double v;
    const char *end = text + wdg_scan_decimal(text, strlen(text), &v);
    if (end == text || !(v >= 0) || v > 100 || (*end && strcmp(end, "%") != 0))
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--max-malformed takes a share of the lines from 0%% to 100%%, "
                             "like 5%%: '%s'", text);
    o->max_malformed = v / 100;
    return 0;
}

int wdg_parse_silence(wdg_diagnosis_opts *o, const char *text, wdg_error *err)
{
    double v;
    const char *end = text + wdg_scan_decimal(text, strlen(text), &v);
    if (end == text || !(v >= 0))
        goto bad;
    if (strcmp(end, "%") == 0) {
        if (v > 100)
            goto bad;
        o->silence_is_fraction = 1;
        o->silence_fraction = v / 100;
        return 0;
    }
    int64_t ns;
    if (parse_duration(text, &ns) < 0)
        goto bad;
    o->silence_is_fraction = 0;
    o->silence = ns;
    return 0;
bad:
    return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                         "--silence takes a share of the span like 25%%, or a duration like 2s, "
                         "500ms, 1500us, 1000ns: '%s'", text);
}

/* thread tid of ts, by the index sorted by tid when there is one (the
 * renderers and the boot delta look threads up once per pair or root) */
static const wdg_thread *find(const wdg_thread *ts, size_t n, const size_t *by_tid, uint32_t tid)
{
    if (!by_tid) {
        for (size_t i = 0; i < n; i++)
            if (ts[i].tid == tid)
                return &ts[i];
        return NULL;
    }
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ts[by_tid[mid]].tid < tid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ts[by_tid[lo]].tid == tid ? &ts[by_tid[lo]] : NULL;
}

const wdg_thread *wdg_diag_ref_thread(const wdg_diagnosis *d, uint32_t tid)
{
    return find(d->ref_threads, d->n_ref_threads, d->ref_by_tid, tid);
}

const wdg_thread *wdg_diag_cand_thread(const wdg_diagnosis *d, uint32_t tid)
{
    return find(d->cand_threads, d->n_cand_threads, d->cand_by_tid, tid);
}

typedef struct tid_at {
    uint32_t tid;
    size_t at;
} tid_at;

static int by_tid(const void *a, const void *b)
{
    const tid_at *x = a, *y = b;
    return x->tid < y->tid ? -1 : x->tid > y->tid;
}

/* the indexes of ts sorted by tid, or NULL when out of memory */
static size_t *tid_index(const wdg_thread *ts, size_t n)
{
    size_t *out = malloc((n + 1) * sizeof *out);
    tid_at *v = malloc((n + 1) * sizeof *v);
    if (out && v) {
        for (size_t i = 0; i < n; i++)
            v[i] = (tid_at){ts[i].tid, i};
        if (n)
            qsort(v, n, sizeof *v, by_tid);
        for (size_t i = 0; i < n; i++)
            out[i] = v[i].at;
    } else {
        free(out);
        out = NULL;
    }
    free(v);
    return out;
}

/* the thread and object map summaries: how many by each rule */
static void count_maps(wdg_diagnosis *d)
{
    for (size_t i = 0; i < d->n_ref_threads; i++)
        d->n_no_analog += !d->ref_threads[i].has_analog;
    for (size_t i = 0; i < d->n_pairs; i++)
        if (d->pairs[i].how >= 0 && d->pairs[i].how < WDG_HOW_COUNT)
            d->pairs_by_how[d->pairs[i].how]++;
    for (size_t i = 0; i < d->n_objects; i++)
        if (d->objects[i].how >= 0 && d->objects[i].how < WDG_OBJ_HOW_COUNT)
            d->objects_by_how[d->objects[i].how]++;
}

/* diag_build_threads() of one engine, as a par_run2() job */
typedef struct build_job {
    engine_view *v;
    const wdg_trace *t;
    const wdg_symbols *s;
} build_job;

static int build_threads_job(void *p)
{
    build_job *j = p;
    return diag_build_threads(j->v, j->t, j->s);
}

int diag_build_views(engine_view *ref_v, engine_view *cand_v, const wdg_trace *ref,
                     const wdg_trace *cand, const wdg_symbols *symbols, int threads)
{
    memset(ref_v, 0, sizeof *ref_v);
    memset(cand_v, 0, sizeof *cand_v);
    build_job jr = {ref_v, ref, symbols}, jc = {cand_v, cand, symbols};
    int rc_r, rc_c;
    par_run2(threads, build_threads_job, &jr, &rc_r, build_threads_job, &jc, &rc_c);
    return rc_r < 0 || rc_c < 0 ? -1 : 0;
}

int diag_diagnose_views(wdg_diagnosis *d, engine_view *ref_v, engine_view *cand_v,
                        const wdg_keytable *kt, const wdg_symbols *symbols,
                        const wdg_diagnosis_opts *opts, uint64_t views_ns, wdg_error *err)
{
    static const wdg_diagnosis_opts defaults = WDG_DIAGNOSIS_OPTS_INIT;
    if (!opts)
        opts = &defaults;
    memset(d, 0, sizeof *d);
    diag_ctx c;
    memset(&c, 0, sizeof c);
    c.d = d;
    c.kt = kt;
    c.symbols = symbols;
    c.ref = *ref_v;
    c.cand = *cand_v;
    c.common = c.ref.t->observes & c.cand.t->observes;
    c.threads = opts->threads;
    memset(ref_v, 0, sizeof *ref_v);
    memset(cand_v, 0, sizeof *cand_v);
    int rc = 0;
    uint64_t stage_ns[WDG_DIAG_STAGE_COUNT] = {0}, t0 = wdg_now_ns(), t1;
#define LAP(stage) (t1 = wdg_now_ns(), stage_ns[stage] = t1 - t0, t0 = t1)
    stage_ns[WDG_DIAG_STAGE_THREADS] = views_ns;
    if ((rc = diag_thread_map(&c, opts->tid_map, err)) < 0)
        goto done;
    LAP(WDG_DIAG_STAGE_THREAD_MAP);
    diag_states(&c, opts);
    LAP(WDG_DIAG_STAGE_STATES);
    if ((rc = diag_object_map(&c, err)) < 0)
        goto done;
    LAP(WDG_DIAG_STAGE_OBJECT_MAP);
    if ((rc = diag_roots(&c, err)) < 0)
        goto done;
    LAP(WDG_DIAG_STAGE_ROOTS);
done:
    /* the thread tables move into the diagnosis */
    d->ref_threads = c.ref.threads;
    d->n_ref_threads = c.ref.n;
    d->cand_threads = c.cand.threads;
    d->n_cand_threads = c.cand.n;
    d->ref_events = c.ref.by_thread;
    d->ref_start = c.ref.start;
    d->cand_events = c.cand.by_thread;
    d->cand_start = c.cand.start;
    c.ref.threads = c.cand.threads = NULL;
    c.ref.by_thread = c.cand.by_thread = NULL;
    c.ref.start = c.cand.start = NULL;
    diag_free_view(&c.ref);
    diag_free_view(&c.cand);
    free(c.prods);
    if (rc >= 0 && (!(d->ref_by_tid = tid_index(d->ref_threads, d->n_ref_threads)) ||
                    !(d->cand_by_tid = tid_index(d->cand_threads, d->n_cand_threads))))
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    if (rc >= 0) {
        count_maps(d);
        if (diag_ladders(d) < 0)
            rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
        LAP(WDG_DIAG_STAGE_LADDERS);
        memcpy(d->stage_ns, stage_ns, sizeof stage_ns);
    }
#undef LAP
    if (rc < 0)
        wdg_diagnosis_free(d);
    return rc;
}

int wdg_diagnose(wdg_diagnosis *d, const wdg_trace *ref, const wdg_trace *cand,
                 const wdg_keytable *kt, const wdg_symbols *symbols,
                 const wdg_diagnosis_opts *opts, wdg_error *err)
{
    engine_view rv, cv;
    uint64_t t0 = wdg_now_ns();
    if (diag_build_views(&rv, &cv, ref, cand, symbols, opts ? opts->threads : 0) < 0) {
        diag_free_view(&rv);
        diag_free_view(&cv);
        memset(d, 0, sizeof *d);
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    }
    return diag_diagnose_views(d, &rv, &cv, kt, symbols, opts, wdg_now_ns() - t0, err);
}

const size_t *wdg_diag_thread_events(const wdg_diagnosis *d, const wdg_thread *th, size_t *n)
{
    int cand = th >= d->cand_threads && th < d->cand_threads + d->n_cand_threads;
    size_t k = (size_t)(th - (cand ? d->cand_threads : d->ref_threads));
    const size_t *start = cand ? d->cand_start : d->ref_start;
    *n = start[k + 1] - start[k];
    return (cand ? d->cand_events : d->ref_events) + start[k];
}

void wdg_diagnosis_free(wdg_diagnosis *d)
{
    free(d->ref_events);
    free(d->ref_start);
    free(d->cand_events);
    free(d->cand_start);
    free(d->ref_threads);
    free(d->cand_threads);
    free(d->ref_by_tid);
    free(d->cand_by_tid);
    free(d->pairs);
    free(d->objects);
    free(d->edges);
    free(d->links);
    for (size_t i = 0; i < d->n_roots; i++)
        free(d->roots[i].blocks);
    free(d->roots);
    free(d->unexplained);
    for (size_t i = 0; i < d->n_suspects; i++)
        free(d->suspects[i].objs);
    free(d->suspects);
    free(d->ladders);
    free(d->ladder_tids);
    memset(d, 0, sizeof *d);
}

/* --timeline-window FROM:TO, two durations since each engine's first
 * event ("0:2s", "1.5s:3s"; an empty TO is the end) */
int wdg_parse_timeline_window(wdg_timeline_opts *o, const char *text, wdg_error *err)
{
    const char *colon = strchr(text, ':');
    char from[64];
    int64_t a, b = INT64_MAX;
    size_t n = colon ? (size_t)(colon - text) : 0;
    if (!colon || n == 0 || n >= sizeof from)
        goto bad;
    memcpy(from, text, n);
    from[n] = 0;
    if (parse_duration(from, &a) < 0 || (colon[1] && parse_duration(colon + 1, &b) < 0) || b < a)
        goto bad;
    o->has_window = 1;
    o->from = a;
    o->to = b;
    return 0;
bad:
    return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                         "--timeline-window '%s': expected FROM:TO, two durations such as "
                         "0:2s or 1.5s:3s (TO at least FROM; an empty TO is the end)",
                         text);
}
