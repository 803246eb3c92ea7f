/* bench_read: how fast wedge reads traces, against a baseline measured in
 * the same run on the same file: mmap + memchr line counting, the least
 * any reader must do.  Prints MB/s, events/s, the ratio to the baseline
 * and peak memory.  Usage: bench-read [EVENTS] [DIR] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "wedge/wedge.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void write_jsonl(const char *path, long n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    static const char *const ops[] = {"KeSetEvent", "NtReleaseSemaphore", "KeWaitForSingleObject",
                                      "RtlEnterCriticalSection", "NtSetEvent"};
    unsigned s = 12345;
    for (long i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        fprintf(f, "{\"t\":%ld,\"tid\":%u,\"op\":\"%s\",\"lr\":\"0x%08X\",\"obj\":\"0x%04X\"}\n",
                i * 1000 + (long)(s % 500), 1 + (s >> 8) % 24, ops[(s >> 16) % 5],
                0x82400000u + ((s >> 4) % 4096) * 4, 0x1000 + (s >> 20) % 64 * 4);
    }
    fclose(f);
}

static void write_xenia(const char *path, long n)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(2);
    }
    unsigned s = 777;
    for (long i = 0; i < n; i++) {
        s = s * 1103515245u + 12345u;
        unsigned tid = 1 + (s >> 8) % 24;
        if (s % 4 == 0)
            fprintf(f, "d> F80000%02X KeSetEvent(7015%04X, 00000001, 00000000)\n", tid * 4,
                    (s >> 12) & 0xffff);
        else
            fprintf(f, "i> F80000%02X audit_70 op=xeKeReleaseSemaphore tid=%u handle=F80000%02X "
                       "lr=%08X host_ns=%ld\n",
                    tid * 4, tid, (s >> 20) & 0xff, 0x82400000u + ((s >> 4) % 4096) * 4,
                    i * 1000);
    }
    fclose(f);
}

static double baseline(const char *path, long *lines)
{
    double t0 = now();
    int fd = open(path, O_RDONLY);
    struct stat st;
    fstat(fd, &st);
    const char *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    const char *end = p + st.st_size, *q = p;
    long n = 0;
    while (q < end) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        n++;
        q = nl ? nl + 1 : end;
    }
    munmap((void *)p, (size_t)st.st_size);
    close(fd);
    *lines = n;
    return now() - t0;
}

static double run_wedge(const char *path, size_t *events)
{
    wdg_error err = {0};
    wdg_ops *ops;
    wdg_ops_new(&ops, &err);
    wdg_trace *t = NULL;
    double t0 = now();
    if (wdg_load_traces(&t, &path, 1, ops, NULL, NULL, 0, &err) < 0) {
        fprintf(stderr, "bench: %s\n", err.msg);
        exit(1);
    }
    double dt = now() - t0;
    *events = t->n_events;
    wdg_trace_free(t);
    wdg_ops_free(ops);
    return dt;
}

static void bench(const char *label, const char *path)
{
    struct stat st;
    stat(path, &st);
    double mb = (double)st.st_size / 1e6;
    long lines;
    size_t events;
    /* warm the page cache, then take the best of three of each */
    baseline(path, &lines);
    double base = 1e9, wedge = 1e9;
    for (int i = 0; i < 3; i++) {
        double b = baseline(path, &lines), w = run_wedge(path, &events);
        base = b < base ? b : base;
        wedge = w < wedge ? w : wedge;
    }
    printf("%-8s %8.1f MB %9zu events | baseline %7.0f MB/s | wedge %6.0f MB/s %6.2f M events/s"
           " | ratio %5.1fx baseline\n",
           label, mb, events, mb / base, mb / wedge, (double)events / wedge / 1e6, wedge / base);
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 2000000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    char jp[512], xp[512];
    snprintf(jp, sizeof jp, "%s/wedge-bench-%d.jsonl", dir, (int)getpid());
    snprintf(xp, sizeof xp, "%s/wedge-bench-%d.log", dir, (int)getpid());
    write_jsonl(jp, n);
    write_xenia(xp, n);
    bench("jsonl", jp);
    bench("xenia", xp);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS %.0f MB for %ld events per trace (%.0f bytes/event; an event is %zu bytes)\n",
           (double)ru.ru_maxrss / 1024, n, (double)ru.ru_maxrss * 1024 / (double)n,
           sizeof(wdg_event));
    unlink(jp);
    unlink(xp);
    return 0;
}
