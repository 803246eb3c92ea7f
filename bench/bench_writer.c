/* bench_writer.c - the trace writer's cost per event (make bench), against
 * a baseline measured in the same run: fprintf() of the same line (the
 * clock read included) into a fully buffered stdio stream of each
 * thread's own.  Both write to /dev/null and are timed in the emitting
 * threads' CPU time, so the figures are the cost in the engine's threads
 * on a shared machine, not the disk's; then one run each into a real
 * file, plain and zstd, with the wall time (the flusher's writes
 * included).
 *   bench-writer [EVENTS_PER_THREAD] [DIR] */
#include <inttypes.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wedge/writer.h"

static long n_events = 2000000;
static int given_t; /* 1: the caller passes t (no clock read in the writer) */
static wdg_writer *shared;
static pthread_barrier_t start;
static double cpu_ns[2]; /* each emitting thread's CPU time in its loop */

static double thread_cpu_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *emit_loop(void *arg)
{
    int me = (int)(intptr_t)arg;
    wdg_writer_event ev;
    memset(&ev, 0, sizeof ev);
    ev.op = "KeSetEvent";
    ev.lr = 0x824D2AB4u;
    pthread_barrier_wait(&start);
    double c0 = thread_cpu_ns();
    for (long i = 0; i < n_events; i++) {
        ev.obj = 0x70160000u + (uint64_t)(i & 0xFFFF);
        if (given_t)
            ev.t = 18700874647744u + (uint64_t)i * 1000u;
        if (wdg_writer_emit(shared, &ev) != 0) {
            fprintf(stderr, "bench-writer: emit failed\n");
            exit(1);
        }
    }
    cpu_ns[me] = thread_cpu_ns() - c0;
    return NULL;
}

static void *fprintf_loop(void *arg)
{
    int me = (int)(intptr_t)arg;
    FILE *f = fopen("/dev/null", "w");
    if (!f)
        exit(1);
    static _Thread_local char buf[1 << 16];
    setvbuf(f, buf, _IOFBF, sizeof buf);
    unsigned tid = (unsigned)getpid();
    pthread_barrier_wait(&start);
    double c0 = thread_cpu_ns();
    for (long i = 0; i < n_events; i++) {
        struct timespec ts = {18700, 874647744 + (long)(i % 100000) * 1000};
        if (!given_t)
            clock_gettime(CLOCK_MONOTONIC, &ts);
        fprintf(f, "{\"t\":%" PRIu64 ",\"tid\":%u,\"op\":\"%s\",\"lr\":\"0x%08" PRIX64 "\",\"obj\":\"0x%08" PRIX64 "\"}\n",
                (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec, tid, "KeSetEvent",
                (uint64_t)0x824D2AB4u, (uint64_t)(0x70160000u + (uint64_t)(i & 0xFFFF)));
    }
    fflush(f);
    cpu_ns[me] = thread_cpu_ns() - c0;
    fclose(f);
    return NULL;
}

/* ns per event: the CPU time the emitting threads spent in their loops
 * (what the engine pays; the machine may be shared, so not wall time),
 * over all their events; *wall: the wall time per event per thread, the
 * writer's close included */
static double run(int threads, int writer, const char *path, int zstd, double *wall)
{
    pthread_t th[2];
    wdg_writer_opts o;
    memset(&o, 0, sizeof o);
    o.engine = "bench", o.zstd = zstd, o.no_handlers = 1;
    if (writer && wdg_writer_open(&shared, path, &o, NULL) != 0) {
        fprintf(stderr, "bench-writer: cannot open %s\n", path);
        exit(1);
    }
    pthread_barrier_init(&start, NULL, (unsigned)threads + 1);
    for (int i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, writer ? emit_loop : fprintf_loop, (void *)(intptr_t)i);
    pthread_barrier_wait(&start);
    double t0 = now_s();
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    if (writer && wdg_writer_close(shared, NULL) != 0) {
        fprintf(stderr, "bench-writer: writing %s failed\n", path);
        exit(1);
    }
    double t1 = now_s();
    pthread_barrier_destroy(&start);
    if (wall)
        *wall = (t1 - t0) * 1e9 / (double)n_events;
    double cpu = 0;
    for (int i = 0; i < threads; i++)
        cpu += cpu_ns[i];
    return cpu / (double)n_events / threads;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        n_events = atol(argv[1]);
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    if (n_events <= 0)
        return 64;
    /* with t read from the clock by the writer (and by the baseline),
     * then given by the caller, as an engine with its own clock would */
    for (given_t = 0; given_t <= 1; given_t++) {
        for (int threads = 1; threads <= 2; threads++) {
            double wr = run(threads, 1, "/dev/null", 0, NULL);
            double base = run(threads, 0, NULL, 0, NULL);
            printf("writer, %s, %d thread%s, %ld events each: %.1f ns/event | "
                   "baseline fprintf %.1f ns/event | ratio %.2fx baseline\n",
                   given_t ? "t given" : "t from the clock", threads, threads > 1 ? "s" : "",
                   n_events, wr, base, wr / base);
        }
    }
    given_t = 0;
    /* the floor under "t from the clock" on this machine */
    double c0 = thread_cpu_ns();
    uint64_t sink = 0;
    for (long i = 0; i < n_events; i++) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        sink += (uint64_t)ts.tv_nsec;
    }
    printf("clock_gettime(CLOCK_MONOTONIC) alone: %.1f ns/call%s\n",
           (thread_cpu_ns() - c0) / (double)n_events, sink == 1 ? " " : "");
    char path[4096];
    long keep = n_events;
    n_events = n_events < 500000 ? n_events : 500000;
    for (int zstd = 0; zstd <= 1; zstd++) {
        snprintf(path, sizeof path, "%s/wedge-bench-writer-%ld.%s", dir, (long)getpid(),
                 zstd ? "jsonl.zst" : "jsonl");
        double wall;
        double ns = run(1, 1, path, zstd, &wall);
        FILE *f = fopen(path, "rb");
        long size = 0;
        if (f && fseek(f, 0, SEEK_END) == 0)
            size = ftell(f);
        if (f)
            fclose(f);
        unlink(path);
        printf("writer into a file (%s), 1 thread, %ld events: %.1f ns/event in the thread, "
               "%.1f ns/event wall (flusher and close included), %.1f bytes/event\n",
               zstd ? "zstd" : "plain", n_events, ns, wall, (double)size / (double)n_events);
    }
    n_events = keep;
    return 0;
}
