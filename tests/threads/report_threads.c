/* Report building is thread-safe: two threads build reports at once, each
 * from its own ops table, and each report's JSON must be the one built
 * alone.  The two tables hold the same op names under different ids (their
 * categories were given in opposite orders), and the traces' keys tie on
 * everything but the op name, so a report that sorted its keys by names
 * looked up in the other thread's table would come out in another order.
 * Writes its traces to a fresh directory under /tmp and removes it.
 *   report-threads [ROUNDS]
 * Ends with "threads: N passed, N failed"; exits 1 on any failure. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wedge/wedge.h"

enum { OPS = 400 };

static int passed, failed;

static void check(int ok, const char *what)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("FAIL %s\n", what);
    }
}

/* NAME: ops Op000..Op399, each once on thread 1, no lr: one key per op,
 * all tied on counts and category */
static int write_trace(const char *path, const char *engine)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "{\"wedge_trace\":1,\"engine\":\"%s\",\"observes\":[\"set\"]}\n", engine);
    for (int i = 0; i < OPS; i++)
        fprintf(f, "{\"t\":%d,\"tid\":1,\"op\":\"Op%03d\",\"obj\":\"0x%X\"}\n", 1000 * (i + 1),
                (i * 7919) % OPS, 0xF8000000u + 4u * (unsigned)i);
    return fclose(f);
}

typedef struct side {
    wdg_ops *ops;
    wdg_trace *t[2];
    const char *want;      /* the JSON built alone */
    char *got;
    pthread_barrier_t *start;
} side;

/* the report's JSON, malloc'd, or NULL */
static char *report_json(const side *s)
{
    wdg_report r;
    wdg_report_opts ro = WDG_REPORT_OPTS_INIT;
    wdg_error err = {0};
    memset(&r, 0, sizeof r);
    if (wdg_report_build(&r, s->t[0], s->t[1], NULL, &ro, &err) < 0) {
        printf("report-threads: %s\n", err.msg);
        return NULL;
    }
    wdg_buf b;
    wdg_buf_init(&b);
    wdg_report_json(&r, &b);
    wdg_report_free(&r);
    char *json = b.oom ? NULL : strdup(b.ptr ? b.ptr : "");
    wdg_buf_free(&b);
    return json;
}

static void *run(void *arg)
{
    side *s = arg;
    pthread_barrier_wait(s->start);
    s->got = report_json(s);
    return NULL;
}

/* an ops table with every OpNNN a set op, given in ascending or
 * descending order (so the two tables number them differently), and the
 * traces read through it */
static int load(side *s, int descending, const char *const *paths)
{
    wdg_error err = {0};
    wdg_read_opts rd = {NULL, 0, NULL, NULL, 0, 0, 0};
    if (wdg_ops_new(&s->ops, &err) < 0)
        return -1;
    for (int i = 0; i < OPS; i++) {
        char spec[32];
        snprintf(spec, sizeof spec, "Op%03d=set", descending ? OPS - 1 - i : i);
        if (wdg_ops_override(s->ops, spec, &err) < 0)
            return -1;
    }
    if (wdg_load_traces(s->t, paths, 2, s->ops, &rd, NULL, 0, &err) < 0) {
        printf("report-threads: %s: %s\n", err.file, err.msg);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 100;
    char dir[] = "/tmp/wedge-threads-XXXXXX";
    if (!mkdtemp(dir)) {
        perror("report-threads: mkdtemp");
        return 1;
    }
    char ref[64], cand[64];
    snprintf(ref, sizeof ref, "%s/ref.jsonl", dir);
    snprintf(cand, sizeof cand, "%s/cand.jsonl", dir);
    const char *paths[2] = {ref, cand};
    side s[2];
    memset(s, 0, sizeof s);
    int ok = write_trace(ref, "reference") == 0 && write_trace(cand, "candidate") == 0 &&
             load(&s[0], 0, paths) == 0 && load(&s[1], 1, paths) == 0;
    remove(ref);
    remove(cand);
    rmdir(dir);
    check(ok, "the traces are written and read");
    if (!ok)
        goto out;
    check(wdg_ops_find(s[0].ops, "Op000", 5) != wdg_ops_find(s[1].ops, "Op000", 5),
          "the two ops tables number Op000 differently");
    char *alone[2] = {report_json(&s[0]), report_json(&s[1])};
    check(alone[0] && alone[1], "each report builds alone");
    if (!alone[0] || !alone[1]) {
        free(alone[0]);
        free(alone[1]);
        goto out;
    }
    check(strcmp(alone[0], alone[1]) == 0, "the two tables give the same JSON");
    check(strstr(alone[0], "Op399") != NULL, "the JSON names the ops");
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, 2);
    int same = 1;
    for (int r = 0; r < rounds && same; r++) {
        pthread_t th[2];
        for (int i = 0; i < 2; i++) {
            s[i].want = alone[i];
            s[i].start = &start;
            s[i].got = NULL;
            if (pthread_create(&th[i], NULL, run, &s[i]) != 0) {
                printf("report-threads: pthread_create failed\n");
                return 1;
            }
        }
        for (int i = 0; i < 2; i++)
            pthread_join(th[i], NULL);
        for (int i = 0; i < 2; i++) {
            if (!s[i].got || strcmp(s[i].got, s[i].want) != 0) {
                printf("round %d: the report of thread %d differs from the one built alone\n", r,
                       i);
                same = 0;
            }
            free(s[i].got);
        }
    }
    check(same, "reports built in two threads at once equal the ones built alone");
    pthread_barrier_destroy(&start);
    free(alone[0]);
    free(alone[1]);
out:
    for (int i = 0; i < 2; i++) {
        wdg_trace_free(s[i].t[0]);
        wdg_trace_free(s[i].t[1]);
        wdg_ops_free(s[i].ops);
    }
    printf("threads: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
