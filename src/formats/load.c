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

#include "../model/trace_build.h"

typedef struct job {
    wdg_trace *t;
    const char *path;
    wdg_ops *ops;
    const wdg_read_opts *opts;
    wdg_error err;
    int rc;
} job;

static void *read_job(void *arg)
{
    job *j = arg;
    j->rc = wdg_trace_read(&j->t, j->path, j->ops, j->opts, &j->err);
    return NULL;
}

/* An address word of t read with private sites, as the shared table's. */
static void map_word(uint32_t *w, int is_site, const uint32_t *site_map)
{
    if (is_site)
        *w = site_map[*w];
}

static void map_list(wdg_trace *t, uint32_t off, uint32_t n, int wide, const uint32_t *site_map)
{
    if (!wide)
        return;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t *lo = &t->words[off + 2 * i], *hi = lo + 1;
        if (*hi & 0x80000000u)   /* a site: WDG_ADDR_SITE | index */
            *lo = site_map[*lo];
    }
}

/* Moves t from the private table priv (a clone of ops) to ops. */
static int adopt(wdg_trace *t, wdg_ops *priv, wdg_ops *ops, wdg_error *err)
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
    }
    for (size_t i = 0; i < t->n_ext; i++) {
        wdg_event_ext *x = &t->ext[i];
        map_word(&x->pc, (x->sites & WDG_X_PC_SITE) != 0, site_map);
        map_word(&x->entry_pc, (x->sites & WDG_X_ENTRY_SITE) != 0, site_map);
        map_word(&x->alias, (x->sites & WDG_X_ALIAS_SITE) != 0, site_map);
        map_list(t, x->objs_off, x->objs_n, (x->sites & WDG_X_OBJS_WIDE) != 0, site_map);
        map_list(t, x->frames_off, x->frames_n, (x->sites & WDG_X_FRAMES_WIDE) != 0, site_map);
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

/* Reads the two traces at once; 1 when it could not start (then nothing
 * was read: read them one after the other). */
static int read_pair(wdg_trace **out, const char *const *paths, wdg_ops *ops,
                     const wdg_read_opts *opts, wdg_error *err)
{
    job j = {NULL, paths[1], wdg_ops_clone(ops), opts, {0}, 0};
    pthread_t th;
    if (!j.ops)
        return 1;
    if (pthread_create(&th, NULL, read_job, &j) != 0) {
        wdg_ops_free(j.ops);
        return 1;
    }
    int rc = wdg_trace_read(&out[0], paths[0], ops, opts, err);
    pthread_join(th, NULL);
    /* the first trace's error first, as when read in turn */
    if (rc == 0 && j.rc < 0) {
        *err = j.err;
        rc = j.rc;
    }
    if (rc == 0)
        rc = adopt(j.t, j.ops, ops, err);
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
