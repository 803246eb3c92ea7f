#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../model/grow.h"
#include "cli.h"

int cli_next(cli_iter *it, const cli_opt *opts, const char **name, const char **value,
             wdg_error *err)
{
    *name = *value = NULL;
    if (it->i >= it->argc)
        return CLI_END;
    const char *a = it->argv[it->i++];
    if (it->positional_only || a[0] != '-' || a[1] == 0) {
        *value = a;
        return CLI_POSITIONAL;
    }
    if (strcmp(a, "--") == 0) {
        it->positional_only = 1;
        return cli_next(it, opts, name, value, err);
    }
    const cli_opt *o = NULL;
    const char *inline_value = NULL;
    if (a[1] == '-') {
        const char *n = a + 2;
        const char *eq = strchr(n, '=');
        size_t len = eq ? (size_t)(eq - n) : strlen(n);
        for (const cli_opt *p = opts; p->name; p++)
            if (strlen(p->name) == len && memcmp(p->name, n, len) == 0)
                o = p;
        if (eq)
            inline_value = eq + 1;
    } else if (a[2] == 0) {
        for (const cli_opt *p = opts; p->name; p++)
            if (p->short_name && p->short_name == a[1])
                o = p;
    }
    if (!o)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "unknown option '%s'", a);
    *name = o->name;
    if (!o->takes_value) {
        if (inline_value)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "option --%s takes no value", o->name);
        return CLI_OPTION;
    }
    if (inline_value) {
        *value = inline_value;
        return CLI_OPTION;
    }
    if (it->i >= it->argc)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "option --%s needs a value", o->name);
    *value = it->argv[it->i++];
    return CLI_OPTION;
}

int cli_list_push(cli_list *l, const char *v)
{
    if (wdg_grow((void **)&l->items, &l->cap, l->n + 1, sizeof *l->items, 8) < 0)
        return -1;
    l->items[l->n++] = v;
    return 0;
}

void cli_list_free(cli_list *l)
{
    free(l->items);
    memset(l, 0, sizeof *l);
}

int cli_fail(const wdg_error *err)
{
    char msg[WDG_ERROR_MSG_MAX + WDG_ERROR_FILE_MAX + 32];
    wdg_error_format(err, msg, sizeof msg);
    cli_progress_done();
    fprintf(stderr, "wedge: %s\n", msg);
    if (err->code == WDG_EUSAGE)
        fprintf(stderr, "Try 'wedge --help'.\n");
    return wdg_exit_status(err->code);
}

int cli_write_stdout(const wdg_buf *b, wdg_error *err)
{
    if (b->oom)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    if (fwrite(b->ptr ? b->ptr : "", 1, b->len, stdout) != b->len || fflush(stdout) != 0)
        return wdg_error_set(err, WDG_EOUTPUT, "<stdout>", 0, "cannot write: %s", strerror(errno));
    return 0;
}

void cli_warn_read(const wdg_trace *t)
{
    if (t->truncated)
        fprintf(stderr, "wedge: warning: %s: truncated (%s): read up to its last complete line\n",
                wdg_trace_display_name(t), t->truncated);
    if (!t->malformed)
        return;
    fprintf(stderr, "wedge: warning: %s: %llu malformed line%s (counted, not read); first: %s:%llu: %s\n",
            wdg_trace_display_name(t), (unsigned long long)t->malformed,
            t->malformed == 1 ? "" : "s", wdg_trace_display_name(t),
            (unsigned long long)t->samples[0].line, t->samples[0].msg);
}

/* --- progress ------------------------------------------------------- */
#include <time.h>

static int progress_shown;
static double progress_last;

int cli_progress_wanted(void) { return isatty(STDERR_FILENO); }

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress(void *ud, const char *path, uint64_t done, uint64_t total)
{
    (void)ud;
    double t = now();
    if (done < total && t - progress_last < 0.25)
        return;
    progress_last = t;
    if (total)
        fprintf(stderr, "\rwedge: reading %s: %3.0f%% of %.1f MB  ", path,
                100.0 * (double)done / (double)total, (double)total / 1e6);
    else
        fprintf(stderr, "\rwedge: reading %s: %.1f MB  ", path, (double)done / 1e6);
    progress_shown = 1;
}

void cli_progress_done(void)
{
    if (progress_shown)
        fprintf(stderr, "\r\033[K");
    progress_shown = 0;
}
