/* examples/engine/engine.c - a small "engine" that traces itself with the
 * trace writer (wedge/writer.h, docs/writer.md).
 *
 * The main thread (guest tid 1) hands work to N worker threads (tids 2..)
 * through one semaphore each and waits for each worker's "done" event:
 *
 *   main:    KeReleaseSemaphore(work[w])  ...  KeWaitForSingleObject(done[w])
 *   worker:  KeWaitForSingleObject(work[w]) -> KeSetEvent(done[w])
 *
 * Addresses are made-up 32-bit guest ones, as an emulator would log them.
 *
 *   example-engine -o TRACE [--zstd] [--threads N] [--iterations N]
 *                  [--delay-us US] [--hang] [--kill-after MS]
 *
 * --hang: the last worker skips its KeSetEvent half-way (a lost signal),
 * so the main thread waits for good and the others behind it: the engine
 * wedges itself until it is killed (SIGTERM writes trace.end).
 * --kill-after MS: the engine SIGKILLs itself after MS ms (nothing can
 * write trace.end then; what the writer flushed is in the trace).
 * It prints the number of events each thread emitted when it ends. */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wedge/writer.h"

#define MAX_WORKERS 16
#define MAIN_TID 1u
#define LR_RELEASE 0x82001010u
#define LR_WAIT_DONE 0x82001040u
#define LR_JOIN 0x82001080u
#define LR_WAIT_WORK 0x82002020u
#define LR_SET_DONE 0x82002064u
#define ENTRY_WORKER 0x82002000u
#define OBJ_WORK(w) (0x40001000u + 0x10u * (unsigned)(w))
#define OBJ_DONE(w) (0x40002000u + 0x10u * (unsigned)(w))
#define OBJ_THREAD(w) (0x40003000u + 0x10u * (unsigned)(w))

static wdg_writer *trace;
static int n_workers = 3;
static long iterations = 1000;
static long delay_us;
static int hang;
static sem_t work[MAX_WORKERS], done[MAX_WORKERS];
static long emitted[MAX_WORKERS + 1]; /* per thread, each written by its own thread */

static void emit(unsigned idx, const wdg_writer_event *ev)
{
    if (wdg_writer_emit(trace, ev) != 0) {
        fprintf(stderr, "example-engine: an event was refused\n");
        exit(70);
    }
    emitted[idx]++;
}

static void event(unsigned idx, const char *op, uint32_t tid, uint64_t lr, uint64_t obj)
{
    wdg_writer_event ev;
    memset(&ev, 0, sizeof ev);
    ev.op = op, ev.tid = tid, ev.lr = lr, ev.obj = obj;
    emit(idx, &ev);
}

static void sem_wait_all(sem_t *s)
{
    while (sem_wait(s) != 0 && errno == EINTR)
        ;
}

static void *worker(void *arg)
{
    int w = (int)(intptr_t)arg;
    uint32_t tid = MAIN_TID + 1 + (uint32_t)w;
    /* two frames above the call site, as a real stack would give */
    static const uint64_t frames[2] = {0x82003010u, 0x82000400u};
    for (long i = 0;; i++) {
        event((unsigned)w + 1, "KeWaitForSingleObject", tid, LR_WAIT_WORK, OBJ_WORK(w));
        sem_wait_all(&work[w]);
        if (i == iterations)
            break;
        if (hang && w == n_workers - 1 && i == iterations / 2)
            continue; /* the lost signal */
        wdg_writer_event ev;
        memset(&ev, 0, sizeof ev);
        ev.op = "KeSetEvent", ev.tid = tid, ev.lr = LR_SET_DONE, ev.obj = OBJ_DONE(w);
        ev.frames = frames, ev.n_frames = 2;
        emit((unsigned)w + 1, &ev);
        sem_post(&done[w]);
    }
    event((unsigned)w + 1, "thread.exit", tid, 0, 0);
    return NULL;
}

static void *killer(void *arg)
{
    long ms = (long)(intptr_t)arg;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    kill(getpid(), SIGKILL);
    return NULL;
}

static int usage(void)
{
    fprintf(stderr, "usage: example-engine -o TRACE [--zstd] [--threads N] [--iterations N]\n"
                    "                      [--delay-us US] [--hang] [--kill-after MS]\n");
    return 64;
}

static long num(const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = s ? strtol(s, &end, 10) : -1;
    if (!s || errno || *end || v < lo || v > hi)
        return -1;
    return v;
}

int main(int argc, char **argv)
{
    const char *out = NULL;
    long kill_after = 0;
    wdg_writer_opts opts;
    memset(&opts, 0, sizeof opts);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "-o") && v)
            out = argv[++i];
        else if (!strcmp(a, "--zstd"))
            opts.zstd = 1;
        else if (!strcmp(a, "--hang"))
            hang = 1;
        else if (!strcmp(a, "--threads") && (n_workers = (int)num(v, 1, MAX_WORKERS)) > 0)
            i++;
        else if (!strcmp(a, "--iterations") && (iterations = num(v, 2, 1000000000L)) > 0)
            i++;
        else if (!strcmp(a, "--delay-us") && (delay_us = num(v, 0, 1000000L)) >= 0)
            i++;
        else if (!strcmp(a, "--kill-after") && (kill_after = num(v, 1, 3600000L)) > 0)
            i++;
        else
            return usage();
    }
    if (!out)
        return usage();

    static const char *const observes[] = {"set", "release", "wait", "thread", "create", "other"};
    opts.engine = "example-engine";
    opts.title_id = "0x00000000";
    opts.observes = observes;
    opts.n_observes = sizeof observes / sizeof observes[0];
    wdg_error err;
    if (wdg_writer_open(&trace, out, &opts, &err) != 0) {
        char msg[WDG_ERROR_MSG_MAX + WDG_ERROR_FILE_MAX + 8];
        wdg_error_format(&err, msg, sizeof msg);
        fprintf(stderr, "example-engine: %s\n", msg);
        return 73;
    }
    pthread_t kt, th[MAX_WORKERS];
    if (kill_after && pthread_create(&kt, NULL, killer, (void *)(intptr_t)kill_after) != 0)
        return 71;
    for (int w = 0; w < n_workers; w++) {
        sem_init(&work[w], 0, 0);
        sem_init(&done[w], 0, 0);
        wdg_writer_event ev;
        memset(&ev, 0, sizeof ev);
        ev.op = "thread.create", ev.tid = MAIN_TID, ev.entry_pc = ENTRY_WORKER;
        ev.new_tid = MAIN_TID + 1 + (uint32_t)w;
        emit(0, &ev);
        if (pthread_create(&th[w], NULL, worker, (void *)(intptr_t)w) != 0)
            return 71;
    }
    for (long i = 0; i < iterations; i++) {
        for (int w = 0; w < n_workers; w++) {
            event(0, "KeReleaseSemaphore", MAIN_TID, LR_RELEASE, OBJ_WORK(w));
            sem_post(&work[w]);
        }
        for (int w = 0; w < n_workers; w++) {
            event(0, "KeWaitForSingleObject", MAIN_TID, LR_WAIT_DONE, OBJ_DONE(w));
            sem_wait_all(&done[w]);
        }
        if (delay_us) {
            struct timespec ts = {0, delay_us * 1000L};
            nanosleep(&ts, NULL);
        }
    }
    /* the end: release each worker once more, wait for all to exit */
    uint64_t objs[MAX_WORKERS];
    for (int w = 0; w < n_workers; w++) {
        event(0, "KeReleaseSemaphore", MAIN_TID, LR_RELEASE, OBJ_WORK(w));
        sem_post(&work[w]);
        objs[w] = OBJ_THREAD(w);
    }
    wdg_writer_event ev;
    memset(&ev, 0, sizeof ev);
    ev.op = "KeWaitForMultipleObjects", ev.tid = MAIN_TID, ev.lr = LR_JOIN;
    ev.objs = objs, ev.n_objs = (uint32_t)n_workers, ev.wait_all = 1;
    emit(0, &ev);
    for (int w = 0; w < n_workers; w++)
        pthread_join(th[w], NULL);
    int rc = wdg_writer_close(trace, &err);
    if (rc != 0) {
        fprintf(stderr, "example-engine: %s\n", err.msg);
        return 73;
    }
    for (int w = 0; w <= n_workers; w++)
        printf("tid %u: %ld events\n", MAIN_TID + (unsigned)w, emitted[w]);
    return 0;
}
