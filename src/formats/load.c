/* Loading a set of traces.  Two traces (wedge report's pair) are read at
 * once, the second on a thread of its own: it interns into a copy of the
 * op table (wdg_ops_clone), and afterwards its new op ids and site indexes
 * are interned into the shared table in the order it first asked for
 * them, which is the order reading it second would have given them, so
 * every id and every output byte equals a one-thread read. */
#include "wedge/load.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../base/grow.h"
#include "../input/source.h"
#include "../model/trace_build.h"
#include "formats.h"

enum { CHUNK_MIN_DEFAULT = 4u << 20 };

typedef struct job {
    wdg_trace *t;
    const char *path;
    wdg_ops *ops;
    const wdg_read_opts *opts;
    const wdg_read_part *part;   /* a file's second chunk, or NULL */
    int chunked;                 /* the whole file, in two chunks */
    wdg_error err;
    int rc;
} job;

static int read_chunked(wdg_trace **out, const char *path, wdg_ops *ops,
                        const wdg_read_opts *opts, wdg_error *err);

static void *read_job(void *arg)
{
    job *j = arg;
    if (j->part)
        j->rc = wdg_trace_read_part(&j->t, j->path, j->ops, j->opts, j->part, &j->err);
    else if (j->chunked)
        j->rc = read_chunked(&j->t, j->path, j->ops, j->opts, &j->err);
    else
        j->rc = wdg_trace_read(&j->t, j->path, j->ops, j->opts, &j->err);
    return NULL;
}

/* An address word of t read with private sites, as the shared table's. */
static void map_word(uint32_t *w, int is_site, const uint32_t *site_map)
{
    if (is_site)
        *w = site_map[*w];
}

/* A list at its length word n of t->words, when wide. */
static void map_list(wdg_trace *t, uint32_t n, int wide, const uint32_t *site_map)
{
    if (!wide || n == UINT32_MAX)
        return;
    for (uint32_t i = 0; i < t->words[n]; i++) {
        uint32_t *lo = &t->words[n + 1 + 2 * i], *hi = lo + 1;
        if (*hi & 0x80000000u)   /* a site: WDG_ADDR_SITE | index */
            *lo = site_map[*lo];
    }
}

/* The site words of e's record. */
static void map_record(wdg_trace *t, const wdg_event *e, const uint32_t *site_map)
{
    wdg_ext_pos p;
    wdg_ext_layout(t, e, &p);
    if (wdg_ev_xsites(e) & WDG_X_PC_SITE)
        map_word(&t->words[p.pc], 1, site_map);
    if (wdg_ev_xsites(e) & WDG_X_ENTRY_SITE)
        map_word(&t->words[p.entry_pc], 1, site_map);
    if (wdg_ev_xsites(e) & WDG_X_ALIAS_SITE)
        map_word(&t->words[p.alias], 1, site_map);
    map_list(t, p.objs, (wdg_ev_xsites(e) & WDG_X_OBJS_WIDE) != 0, site_map);
    map_list(t, p.frames, (wdg_ev_xsites(e) & WDG_X_FRAMES_WIDE) != 0, site_map);
}

int wdg_part_adopt(wdg_trace *t, wdg_ops *priv, wdg_ops *ops, wdg_error *err)
{
    uint32_t n_ops = wdg_ops_count(priv);
    wdg_sites *ps = wdg_ops_sites(priv), *ss = wdg_ops_sites(ops);
    size_t n_sites = wdg_sites_count(ps);
    uint32_t *op_map = malloc((n_ops ? n_ops : 1) * sizeof *op_map);
    uint32_t *site_map = malloc((n_sites ? n_sites : 1) * sizeof *site_map);
    int rc = 0;
    if (!op_map || !site_map)
        goto oom;
    /* in id order: the order the trace first asked for each */
    for (uint32_t id = 0; id < n_ops; id++) {
        const char *name = wdg_ops_name(priv, id);
        op_map[id] = wdg_ops_intern(ops, name, strlen(name));
        if (op_map[id] == WDG_OP_NONE)
            goto oom;
    }
    for (size_t i = 0; i < n_sites; i++) {
        const char *m;
        uint64_t v;
        wdg_addr a;
        if (wdg_sites_get(ps, WDG_ADDR_SITE | i, &m, &v) < 0 ||
            (m ? wdg_sites_module(ss, m, strlen(m), v, &a) : wdg_sites_absolute(ss, v, &a)) < 0)
            goto oom;
        site_map[i] = (uint32_t)a;
    }
    for (size_t i = 0; i < t->n_events; i++) {
        wdg_event *e = &t->events[i];
        if (e->op != WDG_OP_NONE)
            e->op = op_map[e->op];
        map_word(&e->lr, (e->flags & WDG_EV_LR_SITE) != 0, site_map);
        map_word(&e->obj, (e->flags & WDG_EV_OBJ_SITE) != 0, site_map);
        if ((e->flags & WDG_EV_EXT) && wdg_ev_xsites(e))
            map_record(t, e, site_map);
    }
    for (size_t i = 0; i < t->n_imports; i++)
        if (t->imports[i].op != WDG_OP_NONE)
            t->imports[i].op = op_map[t->imports[i].op];
    t->ops = ops;
    goto done;
oom:
    rc = wdg_error_set(err, WDG_ENOMEM, wdg_trace_display_name(t), 0, "out of memory");
done:
    free(op_map);
    free(site_map);
    return rc;
}

/* --- one file in two chunks ------------------------------------------ */
/* The second chunk's line l as a line of the whole file (event lines
 * saturate as the reader's do). */
static uint32_t shift_line32(uint32_t l, uint64_t by)
{
    uint64_t v = (uint64_t)l + by;
    return l == UINT32_MAX || v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
}

/* Adds the events f2 folded (the second chunk's, lines shifted by by) to
 * t's fold, which covers everything before them. */
static int merge_fold(wdg_trace *t, const struct wdg_fold *f2, uint64_t by)
{
    if (!t->fold && !(t->fold = calloc(1, sizeof *t->fold)))
        return -1;
    struct wdg_fold *f = t->fold;
    for (size_t i = 0; i < f2->n_tids; i++) {
        int added = 0;
        if (!wdg_map_put(&f->tids, f2->tid_list[i], 0, &added) ||
            (added && wdg_grow((void **)&f->tid_list, &f->cap_tids, f->n_tids + 1,
                               sizeof *f->tid_list, 64) < 0))
            return -1;
        if (added)
            f->tid_list[f->n_tids++] = f2->tid_list[i];
    }
    if (!f->n)
        f->first_line = shift_line32(f2->first_line, by);
    f->last_line = shift_line32(f2->last_line, by);
    f->n += f2->n;
    for (int c = 0; c < WDG_CAT_COUNT; c++)
        f->by_cat[c] += f2->by_cat[c];
    f->producers += f2->producers;
    f->producers_with_lr += f2->producers_with_lr;
    f->seen |= f2->seen;
    f->untimed += f2->untimed;
    if (f2->any_t) {
        if (!f->any_t || f2->min_t < f->min_t)
            f->min_t = f2->min_t;
        if (!f->any_t || f2->max_t > f->max_t)
            f->max_t = f2->max_t;
        f->any_t = 1;
        f->last_t = f2->last_t;
    }
    return 0;
}

/* Appends the second chunk's held events (already in t's ids) to t's:
 * their records hold no offsets, so the pool is copied as it is. */
static int append_events(wdg_trace *t, wdg_trace *t2, uint64_t by)
{
    if (wdg_grow((void **)&t->events, &t->cap_events, t->n_events + t2->n_events,
                 sizeof *t->events, 64) < 0 ||
        t->n_words + t2->n_words >= UINT32_MAX ||
        wdg_grow((void **)&t->words, &t->cap_words, t->n_words + t2->n_words,
                 sizeof *t->words, 64) < 0)
        return -1;
    uint32_t words0 = (uint32_t)t->n_words;
    for (size_t i = 0; i < t2->n_events; i++) {
        wdg_event e = t2->events[i];
        if (!(e.flags & WDG_EV_EXT))
            e.slot = shift_line32(e.slot, by);
        else
            e.slot += words0;
        t->events[t->n_events++] = e;
    }
    if (t2->n_words)
        memcpy(t->words + t->n_words, t2->words, t2->n_words * sizeof *t->words);
    /* a record's first word is its event's line */
    for (size_t i = t->n_events - t2->n_events; i < t->n_events; i++)
        if (t->events[i].flags & WDG_EV_EXT) {
            uint32_t *line = &t->words[t->events[i].slot - 1];
            *line = shift_line32(*line, by);
        }
    t->n_words += t2->n_words;
    return 0;
}

/* What a line of the second chunk set, as reading it after the first
 * would have set it: the header's members each when given, the last
 * trace.end, the first malformed samples. */
static void merge_lines(wdg_trace *t, const wdg_trace *t2, uint64_t by)
{
    if (t2->has_header) {
        wdg_trace_set_header(t, t2->has_observes, t2->header_observes, t2->engine,
                             t2->title_id, t2->module_hash);
        if (t2->has_header_end) {
            t->has_header_end = 1;
            t->header_end = t2->header_end;
        }
    }
    if (t2->has_end_marker) {
        t->has_end_marker = 1;
        t->end_marker_t = t2->end_marker_t;
        t->end_marker_line = t2->end_marker_line + by;
        t->end_reason = t2->end_reason;
    }
    for (unsigned i = 0; i < t2->n_samples && t->n_samples < WDG_MALFORMED_SAMPLES; i++) {
        t->samples[t->n_samples] = t2->samples[i];
        t->samples[t->n_samples++].line += by;
    }
    t->lines += t2->lines;
    t->ignored += t2->ignored;
    t->merged += t2->merged;
    t->malformed += t2->malformed;
    for (int r = 0; r < WDG_MAL_COUNT; r++)
        t->malformed_by_reason[r] += t2->malformed_by_reason[r];
    t->probe_events += t2->probe_events;
    t->bytes += t2->bytes;
    if (!t->truncated)
        t->truncated = t2->truncated;
}

int wdg_part_merge(wdg_trace *t, wdg_trace *t2, wdg_error *err)
{
    uint64_t by = t->lines;
    if (t2->fold && t2->fold->n) {
        /* the fold is what comes before the held events */
        if (t->n_events && t->probe_events)
            return 1;
        if ((t->n_events && wdg_trace_fold(t, err) < 0) || merge_fold(t, t2->fold, by) < 0)
            goto oom;
    }
    if (append_events(t, t2, by) < 0)
        goto oom;
    merge_lines(t, t2, by);
    return 0;
oom:
    return wdg_error_set(err, WDG_ENOMEM, wdg_trace_display_name(t), 0, "out of memory");
}

/* A format whose lines stand alone: no state across lines, nothing done
 * after the last one. */
static int stateless(const wdg_format_def *f)
{
    return f && !f->state_new && !f->note_unbound && !f->finish;
}

/* Starts j on a thread of its own with a copy of ops: 0, or 1 when no
 * thread or copy could be had (then nothing started). */
static int start_job(job *j, pthread_t *th, const wdg_ops *ops)
{
    j->ops = wdg_ops_clone(ops);
    if (!j->ops)
        return 1;
    if (pthread_create(th, NULL, read_job, j) != 0) {
        wdg_ops_free(j->ops);
        return 1;
    }
    return 0;
}

/* Reads path in two chunks, the second on a thread of its own with a copy
 * of the op table, as in read_pair; 1 when the file is not one to split
 * (compressed, small, not a regular file, a format with state, a sample
 * that reaches the middle), then nothing was read. */
static int try_chunked(wdg_trace **out, const char *path, wdg_ops *ops,
                       const wdg_read_opts *opts, wdg_error *err)
{
    uint64_t split, size;
    if (!wdg_source_split(path, opts->chunk_min ? opts->chunk_min : CHUNK_MIN_DEFAULT, &split,
                          &size))
        return 1;
    const wdg_format_def *fmt = wdg_detect_part(path, ops, opts, split);
    if (!stateless(fmt))
        return 1;
    wdg_read_part second = {split, size, fmt, NULL}, first = {0, split, NULL, NULL};
    job j = {NULL, path, NULL, opts, &second, 0, {0}, 0};
    pthread_t th;
    if (start_job(&j, &th, ops))
        return 1;
    wdg_trace *t = NULL;
    int rc = wdg_trace_read_part(&t, path, ops, opts, &first, err);
    pthread_join(th, NULL);
    if (rc == 0 && j.rc < 0) {
        /* the second chunk's lines named as lines of the file */
        *err = j.err;
        if (err->line)
            err->line += t->lines;
        rc = j.rc;
    }
    if (rc == 0)
        rc = wdg_part_adopt(j.t, j.ops, ops, err);
    if (rc == 0 && (rc = wdg_part_merge(t, j.t, err)) == 0)
        t->chunks = 2;
    wdg_trace_free(j.t);
    wdg_ops_free(j.ops);
    if (rc != 0) {
        wdg_trace_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

static int read_chunked(wdg_trace **out, const char *path, wdg_ops *ops,
                        const wdg_read_opts *opts, wdg_error *err)
{
    int rc = try_chunked(out, path, ops, opts, err);
    return rc == 1 ? wdg_trace_read(out, path, ops, opts, err) : rc;
}

/* A file's size, 0 when it is not a regular file (stdin, a pipe). */
static uint64_t file_size(const char *path)
{
    struct stat st;
    return strcmp(path, "-") != 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode)
               ? (uint64_t)st.st_size : 0;
}

/* Reads the two traces at once; 1 when it could not start (then nothing
 * was read: read them one after the other). */
static int read_pair(wdg_trace **out, const char *const *paths, wdg_ops *ops,
                     const wdg_read_opts *opts, wdg_error *err)
{
    /* a trace at least twice the other's size is read in two chunks as
     * well, so that both cores stay busy after the smaller one is done */
    uint64_t size[2];
    for (int i = 0; i < 2; i++)
        size[i] = file_size(paths[i]);
    job j = {NULL, paths[1], NULL, opts, NULL, size[1] / 2 >= size[0], {0}, 0};
    pthread_t th;
    if (start_job(&j, &th, ops))
        return 1;
    int rc = size[0] / 2 >= size[1] ? read_chunked(&out[0], paths[0], ops, opts, err)
                                     : wdg_trace_read(&out[0], paths[0], ops, opts, err);
    pthread_join(th, NULL);
    /* the first trace's error first, as when read in turn */
    if (rc == 0 && j.rc < 0) {
        *err = j.err;
        rc = j.rc;
    }
    if (rc == 0)
        rc = wdg_part_adopt(j.t, j.ops, ops, err);
    if (rc == 0) {
        out[1] = j.t;
    } else {
        wdg_trace_free(j.t);
        if (out[0]) {
            wdg_trace_free(out[0]);
            out[0] = NULL;
        }
    }
    wdg_ops_free(j.ops);
    return rc;
}

int wdg_load_traces(wdg_trace **out, const char *const *paths, size_t n, wdg_ops *ops,
                    const wdg_read_opts *opts, const char *const *probe_specs,
                    size_t n_probe_specs, wdg_error *err)
{
    wdg_probes probes = {0};
    int rc = 0;
    size_t loaded = 0;
    for (size_t i = 0; i < n_probe_specs; i++)
        if ((rc = wdg_probes_add_spec(&probes, ops, probe_specs[i], err)) < 0)
            goto done;
    /* progress is reported from one thread only */
    if (n == 2 && opts && opts->threads != 1 && !opts->progress) {
        out[0] = out[1] = NULL;
        rc = read_pair(out, paths, ops, opts, err);
        if (rc < 0)
            goto done;
        if (rc == 0)
            loaded = 2;
        rc = 0;
    }
    /* one trace: its two halves at once */
    if (n == 1 && opts && opts->threads != 1 && !opts->progress) {
        if ((rc = read_chunked(&out[0], paths[0], ops, opts, err)) < 0)
            goto done;
        loaded = 1;
    }
    for (; loaded < n; loaded++)
        if ((rc = wdg_trace_read(&out[loaded], paths[loaded], ops, opts, err)) < 0)
            goto done;
    for (size_t i = 0; i < n; i++)
        if ((rc = wdg_probes_add_imports(&probes, out[i], err)) < 0)
            goto done;
    for (size_t i = 0; i < n; i++) {
        if ((rc = wdg_trace_resolve_probes(out[i], &probes, opts ? opts->strict : 0, err)) < 0)
            goto done;
        if ((rc = wdg_trace_finalize(out[i], err)) < 0)
            goto done;
    }
done:
    wdg_probes_free(&probes);
    if (rc < 0)
        for (size_t i = 0; i < loaded; i++) {
            wdg_trace_free(out[i]);
            out[i] = NULL;
        }
    return rc;
}
