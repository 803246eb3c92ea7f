/* wedge diff REF CAND --tid R[=C]: one thread pair, side by side. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common_opts.h"

static const cli_opt diff_opts[] = {
    {"tid", 0, 1}, {"context", 'C', 1}, {"all", 0, 0}, {"width", 0, 1}, {"help", 'h', 0},
    CLI_PAIR_OPTS, CLI_INPUT_OPTS, {NULL, 0, 0}};

static int whole_number(const char *name, const char *v, long max, long *out, wdg_error *err)
{
    char *end;
    errno = 0;
    *out = strtol(v, &end, 10);
    if (errno || end == v || *end || *out < 0 || *out > max)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--%s takes a whole number up to %ld: '%s'",
                             name, max, v);
    return 0;
}

int cmd_diff(int argc, char **argv)
{
    cli_iter it = {argc, argv, 1, 0};
    cli_input in = {0};
    cli_pair pair = CLI_PAIR_INIT;
    const char *paths[2] = {NULL, NULL}, *tid = NULL;
    size_t npaths = 0;
    long context = 3, width = 48;
    int whole = 0, rc = 0;
    wdg_error err = {0};
    wdg_buf out = WDG_BUF_INIT;
    for (;;) {
        const char *name, *value;
        int kind = cli_next(&it, diff_opts, &name, &value, &err);
        if (kind < 0) {
            rc = kind;
            goto done;
        }
        if (kind == CLI_END)
            break;
        if (kind == CLI_POSITIONAL) {
            if (npaths == 2) {
                rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "diff takes two traces");
                goto done;
            }
            paths[npaths++] = value;
            continue;
        }
        int taken = cli_pair_take(&pair, &in, name, value, &err);
        if (taken < 0) {
            rc = taken;
            goto done;
        }
        if (taken)
            continue;
        if (strcmp(name, "help") == 0) {
            fputs(cli_help_diff, stdout);
            goto done;
        } else if (strcmp(name, "tid") == 0) {
            tid = value;
        } else if (strcmp(name, "all") == 0) {
            whole = 1;
        } else if (strcmp(name, "context") == 0) {
            if ((rc = whole_number(name, value, 100000, &context, &err)) < 0)
                goto done;
        } else if (strcmp(name, "width") == 0) {
            if ((rc = whole_number(name, value, 200, &width, &err)) < 0)
                goto done;
        }
    }
    if (npaths != 2 || !tid) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "usage: wedge diff REF CAND --tid R[=C]");
        goto done;
    }
    uint32_t rt, ct = 0;
    int has_ct = 0;   /* C given; else R's analog */
    char *end;
    errno = 0;
    unsigned long r_id = strtoul(tid, &end, 10), c_id = 0;
    int bad = errno || end == tid || (*end && *end != '=') || r_id > UINT32_MAX;
    if (!bad && *end == '=') {
        const char *c = end + 1;
        c_id = strtoul(c, &end, 10);
        bad = errno || end == c || *end || c_id > UINT32_MAX || *c == '-';
        ct = (uint32_t)c_id;
        has_ct = 1;
    }
    rt = (uint32_t)r_id;
    if (bad || tid[0] == '-') {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "--tid takes REF or REF=CAND thread ids: '%s'",
                           tid);
        goto done;
    }
    if ((rc = cli_pair_open(&pair, &in, paths, &err)) < 0)
        goto done;
    const wdg_thread *r = wdg_diag_ref_thread(&pair.rep.diag, rt);
    if (!r) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "ref has no thread %u", rt);
        goto done;
    }
    if (!has_ct && !r->has_analog) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                           "ref thread %u has no analog in cand: name one with --tid %u=C", rt, rt);
        goto done;
    }
    if (!has_ct)
        ct = r->analog;
    if (!wdg_diag_cand_thread(&pair.rep.diag, ct)) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "cand has no thread %u", ct);
        goto done;
    }
    if ((rc = wdg_render_diff(&out, &pair.rep, rt, ct, whole, (int)context, (int)width, &err)) < 0)
        goto done;
    rc = cli_write_stdout(&out, &err);
done:
    wdg_buf_free(&out);
    cli_pair_close(&pair);
    cli_input_free(&in);
    return rc < 0 ? cli_fail(&err) : 0;
}
