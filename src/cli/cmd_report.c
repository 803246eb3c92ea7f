/* wedge report REF CAND */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common_opts.h"

static const cli_opt report_opts[] = {
    {"json", 0, 1}, {"output", 'o', 1}, {"tolerance", 0, 1}, {"dot", 0, 1},
    {"help", 'h', 0}, CLI_PAIR_OPTS, CLI_INPUT_OPTS, {NULL, 0, 0}};

static int write_file(const char *dir, const char *name, const wdg_buf *b, wdg_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (b->oom)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    FILE *f = fopen(path, "wb");
    if (!f)
        return wdg_error_set(err, WDG_EOUTPUT, path, 0, "cannot create: %s", strerror(errno));
    size_t n = b->len;
    int bad = n && fwrite(b->ptr, 1, n, f) != n;
    if (fclose(f) != 0)
        bad = 1;
    return bad ? wdg_error_set(err, WDG_EOUTPUT, path, 0, "write failed") : 0;
}

static int make_dir(const char *dir, wdg_error *err)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", dir);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
            return wdg_error_set(err, WDG_EOUTPUT, tmp, 0, "cannot create: %s", strerror(errno));
        *p = '/';
    }
    if (mkdir(tmp, 0777) < 0 && errno != EEXIST)
        return wdg_error_set(err, WDG_EOUTPUT, tmp, 0, "cannot create: %s", strerror(errno));
    return 0;
}

static int write_dir(const char *dir, const wdg_report *rep, const wdg_buf *md,
                     const wdg_buf *json, wdg_error *err)
{
    wdg_buf csv = WDG_BUF_INIT;
    int rc = make_dir(dir, err);
    if (rc == 0)
        rc = write_file(dir, "report.md", md, err);
    if (rc == 0)
        rc = write_file(dir, "report.json", json, err);
    if (rc == 0) {
        wdg_report_keys_csv(rep, &csv);
        rc = write_file(dir, "keys.csv", &csv, err);
    }
    if (rc == 0) {
        wdg_buf_reset(&csv);
        wdg_report_dot(rep, &csv);
        rc = write_file(dir, "waitgraph.dot", &csv, err);
    }
    if (rc == 0) {
        char path[4096];
        snprintf(path, sizeof path, "%s/aligned-sequence.csv", dir);
        FILE *f = fopen(path, "wb");
        if (!f) {
            rc = wdg_error_set(err, WDG_EOUTPUT, path, 0, "cannot create: %s", strerror(errno));
        } else {
            rc = wdg_report_aligned_csv(rep, f, err);
            if (fclose(f) != 0 && rc == 0)
                rc = wdg_error_set(err, WDG_EOUTPUT, path, 0, "write failed");
        }
    }
    wdg_buf_free(&csv);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    cli_iter it = {argc, argv, 1, 0};
    cli_input in = {0};
    cli_pair pair = CLI_PAIR_INIT;
    const char *paths[2] = {NULL, NULL};
    size_t npaths = 0;
    const char *json_path = NULL, *out_dir = NULL, *dot_path = NULL;
    wdg_error err = {0};
    wdg_buf md = WDG_BUF_INIT, json = WDG_BUF_INIT;
    int rc = 0;
    for (;;) {
        const char *name, *value;
        int kind = cli_next(&it, report_opts, &name, &value, &err);
        if (kind < 0) {
            rc = kind;
            goto done;
        }
        if (kind == CLI_END)
            break;
        if (kind == CLI_POSITIONAL) {
            if (npaths == 2) {
                rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                                   "report takes two traces, REF and CAND; '%s' is a third", value);
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
            fputs(cli_help_report, stdout);
            goto done;
        } else if (strcmp(name, "json") == 0) {
            json_path = value;
        } else if (strcmp(name, "output") == 0) {
            out_dir = value;
        } else if (strcmp(name, "dot") == 0) {
            dot_path = value;
        } else if (strcmp(name, "tolerance") == 0) {
            char *end;
            errno = 0;
            pair.ro.tolerance = strtod(value, &end);
            if (errno || end == value || *end || !(pair.ro.tolerance >= 0) ||
                pair.ro.tolerance > 1e9) {
                rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                                   "--tolerance takes a number >= 0, e.g. 0.25: '%s'", value);
                goto done;
            }
        }
    }
    if (npaths != 2) {
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                           "report needs two traces: wedge report REF CAND");
        goto done;
    }
    if ((rc = cli_pair_open(&pair, &in, paths, &err)) < 0)
        goto done;
    const wdg_report *rep = &pair.rep;
    wdg_report_markdown(rep, &md);
    wdg_report_json(rep, &json);
    if (md.oom || json.oom) {
        rc = wdg_error_set(&err, WDG_ENOMEM, NULL, 0, "out of memory");
        goto done;
    }
    int json_to_stdout = json_path && strcmp(json_path, "-") == 0;
    if (json_path && !json_to_stdout) {
        FILE *f = fopen(json_path, "wb");
        if (!f || fwrite(json.ptr, 1, json.len, f) != json.len) {
            rc = wdg_error_set(&err, WDG_EOUTPUT, json_path, 0, "cannot write: %s",
                               strerror(errno));
            if (f)
                fclose(f);
            goto done;
        }
        if (fclose(f) != 0) {
            rc = wdg_error_set(&err, WDG_EOUTPUT, json_path, 0, "write failed");
            goto done;
        }
    }
    if (dot_path) {
        wdg_buf dot = WDG_BUF_INIT;
        wdg_report_dot(rep, &dot);
        if (dot.oom) {
            wdg_buf_free(&dot);
            rc = wdg_error_set(&err, WDG_ENOMEM, NULL, 0, "out of memory");
            goto done;
        }
        FILE *f = strcmp(dot_path, "-") == 0 ? stdout : fopen(dot_path, "wb");
        int bad = !f || fwrite(dot.ptr, 1, dot.len, f) != dot.len;
        if (f && f != stdout && fclose(f) != 0)
            bad = 1;
        wdg_buf_free(&dot);
        if (bad) {
            rc = wdg_error_set(&err, WDG_EOUTPUT, dot_path, 0, "cannot write");
            goto done;
        }
    }
    if (out_dir && (rc = write_dir(out_dir, rep, &md, &json, &err)) < 0)
        goto done;
    const wdg_buf *out = json_to_stdout ? &json : &md;
    if (fwrite(out->ptr, 1, out->len, stdout) != out->len || fflush(stdout) != 0)
        rc = wdg_error_set(&err, WDG_EOUTPUT, "<stdout>", 0, "write failed");
done:
    wdg_buf_free(&md);
    wdg_buf_free(&json);
    cli_pair_close(&pair);
    cli_input_free(&in);
    return rc < 0 ? cli_fail(&err) : 0;
}
