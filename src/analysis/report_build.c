#include <string.h>

#include "../base/clock.h"
#include "diag_internal.h"
#include "par.h"
#include "wedge/report.h"

const char *wdg_stage_name(int stage)
{
    static const char *const names[] = {"keys", "divergence", "diagnosis", "verdict",
                                        "boot_delta", "critpath"};
    _Static_assert(sizeof names / sizeof *names == WDG_STAGE_COUNT, "one name per stage");
    return stage >= 0 && stage < WDG_STAGE_COUNT ? names[stage] : "?";
}

/* The boot delta and the critical path only read the keys and the
 * diagnosis: each is a job of its own, timed where it runs, with its own
 * error. */
typedef struct stage_job {
    wdg_report *r;
    wdg_error err;
} stage_job;

static int boot_job(void *p)
{
    stage_job *j = p;
    uint64_t t0 = wdg_now_ns();
    int rc = wdg_boot_delta_build(&j->r->boot, j->r, j->r->opts.boot_window, &j->err);
    j->r->stage_ns[WDG_STAGE_BOOT] = wdg_now_ns() - t0;
    return rc;
}

static int critpath_job(void *p)
{
    stage_job *j = p;
    wdg_report *r = j->r;
    uint64_t t0 = wdg_now_ns();
    int rc = critpath_build_par(&r->critpath, r->ref, r->cand, &r->keys, &r->diag, r->symbols,
                                r->opts.threads, &j->err);
    r->stage_ns[WDG_STAGE_CRITPATH] = wdg_now_ns() - t0;
    return rc;
}

/* both, side by side; on an error the first one's (in one thread's order)
 * is the report's, and the diagnosis and whatever was built are freed */
static int boot_and_critpath(wdg_report *r, wdg_error *err)
{
    stage_job jb = {r, {0}}, jc = {r, {0}};
    int rc_b, rc_c;
    par_run2(r->opts.threads, boot_job, &jb, &rc_b, critpath_job, &jc, &rc_c);
    if (rc_b >= 0 && rc_c >= 0)
        return 0;
    if (err)
        *err = rc_b < 0 ? jb.err : jc.err;
    if (rc_b >= 0)
        wdg_boot_delta_free(&r->boot);
    if (rc_c >= 0)
        wdg_critpath_free(&r->critpath);
    wdg_diagnosis_free(&r->diag);
    return rc_b < 0 ? rc_b : rc_c;
}

/* The key table and the first divergence, as a par_run2() job */
typedef struct keys_job {
    wdg_report *r;
    wdg_error *err;            /* the report's: the views job sets none */
} keys_job;

static int keys_divergence_job(void *p)
{
    keys_job *j = p;
    wdg_report *r = j->r;
    uint64_t t0 = wdg_now_ns();
    int rc = wdg_keytable_build_keyed(&r->keys, r->ref, r->cand, r->opts.tolerance,
                                      r->opts.span, &r->opts.keys, j->err);
    uint64_t t1 = wdg_now_ns();
    r->stage_ns[WDG_STAGE_KEYS] = t1 - t0;
    if (rc < 0)
        return rc;
    rc = wdg_find_divergence(&r->keys, r->ref, &r->first_divergence, &r->first_shortfall,
                             &r->first_key_divergence, j->err);
    r->stage_ns[WDG_STAGE_DIVERGENCE] = wdg_now_ns() - t1;
    if (rc < 0)
        wdg_keytable_free(&r->keys);
    return rc;
}

/* Both engines' thread tables, as a par_run2() job */
typedef struct views_job {
    engine_view ref, cand;
    wdg_report *r;
    uint64_t ns;
} views_job;

static int build_views_job(void *p)
{
    views_job *j = p;
    uint64_t t0 = wdg_now_ns();
    /* one thread here: the key table takes the other core */
    int rc = diag_build_views(&j->ref, &j->cand, j->r->ref, j->r->cand, j->r->symbols, 1);
    if (rc == 0)
        rc = diag_build_signatures(&j->ref, &j->cand);
    j->ns = wdg_now_ns() - t0;
    return rc;
}

int wdg_report_build(wdg_report *r, const wdg_trace *ref, const wdg_trace *cand,
                     const wdg_symbols *symbols, const wdg_report_opts *opts,
                     wdg_error *err)
{
    static const wdg_report_opts defaults = WDG_REPORT_OPTS_INIT;
    memset(r, 0, sizeof *r);
    r->ref = ref;
    r->cand = cand;
    r->symbols = symbols;
    r->opts = opts ? *opts : defaults;
    if (!r->opts.ref_name)
        r->opts.ref_name = "ref";
    if (!r->opts.cand_name)
        r->opts.cand_name = "cand";
    r->opts.keys.symbols = symbols;
    r->opts.diag.threads = r->opts.threads;
    /* the key table, and beside it the thread tables (which need none) */
    keys_job jk = {r, err};
    views_job jv = {{0}, {0}, r, 0};
    int rc, rc_v;
    par_run2(r->opts.threads, keys_divergence_job, &jk, &rc, build_views_job, &jv, &rc_v);
    if (rc < 0 || rc_v < 0) {
        diag_free_view(&jv.ref);
        diag_free_view(&jv.cand);
        if (rc >= 0) {
            wdg_keytable_free(&r->keys);
            rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
        }
        return rc;
    }
    uint64_t t0 = wdg_now_ns(), t1;
#define LAP(stage) (t1 = wdg_now_ns(), r->stage_ns[stage] = t1 - t0, t0 = t1)
    rc = diag_diagnose_views(&r->diag, &jv.ref, &jv.cand, &r->keys, symbols, &r->opts.diag,
                             jv.ns, err);
    LAP(WDG_STAGE_DIAGNOSIS);
    if (rc == 0)
        wdg_verdict(&r->diag, ref, cand, &r->keys, &r->opts.diag);
    LAP(WDG_STAGE_VERDICT);
    if (rc == 0 && !r->opts.one_pair)
        rc = boot_and_critpath(r, err);
    else if (rc == 0 && (rc = wdg_boot_window(&r->boot, r, r->opts.boot_window)) < 0)
        wdg_diagnosis_free(&r->diag);
#undef LAP
    if (rc < 0)
        wdg_keytable_free(&r->keys);
    return rc;
}

void wdg_report_free(wdg_report *r)
{
    wdg_keytable_free(&r->keys);
    wdg_diagnosis_free(&r->diag);
    wdg_boot_delta_free(&r->boot);
    wdg_critpath_free(&r->critpath);
}
