#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/grow.h"
#include "cli.h"

/* The option a names, searched in every table; *ctx is its table's. */
static const cli_opt *find(const cli_table *tables, const char *a, void **ctx,
                           const char **inline_value)
{
    *inline_value = NULL;
    if (a[1] == '-') {
        const char *n = a + 2;
        const char *eq = strchr(n, '=');
        size_t len = eq ? (size_t)(eq - n) : strlen(n);
        if (eq)
            *inline_value = eq + 1;
        for (const cli_table *t = tables; t->opts; t++)
            for (const cli_opt *o = t->opts; o->name; o++)
                if (strlen(o->name) == len && memcmp(o->name, n, len) == 0) {
                    *ctx = t->ctx;
                    return o;
                }
    } else if (a[2] == 0) {
        for (const cli_table *t = tables; t->opts; t++)
            for (const cli_opt *o = t->opts; o->name; o++)
                if (o->short_name && o->short_name == a[1]) {
                    *ctx = t->ctx;
                    return o;
                }
    }
    return NULL;
}

static int oom(wdg_error *err)
{
    return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
}

/* Stores value as o says: 0, CLI_DONE after an action, < 0 on failure. */
static int take(const cli_opt *o, void *ctx, const char *value, wdg_error *err)
{
    char *at = (char *)ctx + o->off;
    int rc;
    switch (o->kind) {
    case CLI_FLAG:
        *(int *)(void *)at = 1;
        return 0;
    case CLI_STR:
        *(const char **)(void *)at = value;
        return 0;
    case CLI_LIST:
        return cli_list_push((cli_list *)(void *)at, value) < 0 ? oom(err) : 0;
    case CLI_PARSE:
        return o->fn(ctx, o->name, value, err);
    case CLI_ACTION:
        rc = o->fn(ctx, o->name, NULL, err);
        return rc < 0 ? rc : CLI_DONE;
    }
    return wdg_error_set(err, WDG_EINTERNAL, NULL, 0, "option --%s: no such kind", o->name);
}

int cli_parse(int argc, char **argv, const cli_table *tables, cli_take_fn positional,
              void *pos_ctx, wdg_error *err)
{
    int positional_only = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int rc;
        if (positional_only || a[0] != '-' || a[1] == 0) {
            if ((rc = positional(pos_ctx, NULL, a, err)) < 0)
                return rc;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            positional_only = 1;
            continue;
        }
        void *ctx = NULL;
        const char *value;
        const cli_opt *o = find(tables, a, &ctx, &value);
        if (!o)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "unknown option '%s'", a);
        int wants_value = o->kind == CLI_STR || o->kind == CLI_LIST || o->kind == CLI_PARSE;
        if (!wants_value && value)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "option --%s takes no value", o->name);
        if (wants_value && !value) {
            if (i + 1 >= argc)
                return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "option --%s needs a value",
                                     o->name);
            value = argv[++i];
        }
        if ((rc = take(o, ctx, value, err)) != 0)
            return rc;
    }
    return 0;
}

static int print_help(void *ctx, const char *name, const char *value, wdg_error *err)
{
    const cli_help *h = ctx;
    (void)name, (void)value, (void)err;
    fputs(h->text, stdout);
    if (h->more)
        fputs(h->more, stdout);
    if (h->last)
        fputs(h->last, stdout);
    return 0;
}

const cli_opt cli_help_opts[] = {{"help", 'h', CLI_ACTION, 0, print_help}, CLI_OPT_END};

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
#include <pthread.h>
#include <sys/ioctl.h>
#include <time.h>

/* A read that ends within PROGRESS_AFTER seconds shows nothing; a longer
 * one shows its line, updated every PROGRESS_EVERY seconds, and clears it
 * when done.  The state is the command's (traces may be read in threads). */
#define PROGRESS_AFTER 1.0
#define PROGRESS_EVERY 0.25

static pthread_mutex_t progress_lock = PTHREAD_MUTEX_INITIALIZER;
static int progress_shown;
static double progress_t0, progress_last;

int cli_progress_wanted(void) { return isatty(STDERR_FILENO); }

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(void)
{
    pthread_mutex_lock(&progress_lock);
    progress_t0 = now();
    progress_last = 0;
    pthread_mutex_unlock(&progress_lock);
}

/* the line for path, cut from the left to fit cols columns */
static void progress_line(const char *path, uint64_t done, uint64_t total, int cols)
{
    char tail[64];
    if (total)
        snprintf(tail, sizeof tail, ": %3.0f%% of %.1f MB", 100.0 * (double)done / (double)total,
                 (double)total / 1e6);
    else   /* stdin and pipes: no size to count against */
        snprintf(tail, sizeof tail, ": %.1f MB", (double)done / 1e6);
    size_t room = (size_t)(cols > 40 ? cols : 40) - 1 - strlen("wedge: reading ") - strlen(tail);
    size_t len = strlen(path);
    const char *cut = len > room ? "..." : "";
    if (len > room) {
        path += len - room + 3;
        while ((*path & 0xC0) == 0x80)   /* not inside a UTF-8 character */
            path++;
    }
    fprintf(stderr, "\r\033[Kwedge: reading %s%s%s", cut, path, tail);
    fflush(stderr);
}

void cli_progress(void *ud, const char *path, uint64_t done, uint64_t total)
{
    (void)ud;
    double t = now();
    pthread_mutex_lock(&progress_lock);
    if (progress_t0 == 0)
        progress_t0 = t;
    /* the reader's call at the end: (size, size), or (0, 0) for a stream */
    int last = total ? done >= total : done == 0;
    if (t - progress_t0 >= PROGRESS_AFTER && (total ? progress_shown || !last : !last) &&
        t - progress_last >= PROGRESS_EVERY) {
        struct winsize ws;
        int cols = ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;
        progress_last = t;
        progress_line(path, done, total, cols);
        progress_shown = 1;
    }
    pthread_mutex_unlock(&progress_lock);
}

void cli_progress_done(void)
{
    pthread_mutex_lock(&progress_lock);
    if (progress_shown)
        fprintf(stderr, "\r\033[K");
    progress_shown = 0;
    progress_t0 = 0;
    pthread_mutex_unlock(&progress_lock);
}
