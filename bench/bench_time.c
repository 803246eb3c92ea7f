/* make bench's stopwatch: bench-time OUT PROGRAM ARGS... runs PROGRAM and
 * appends one line to OUT: wall seconds, user and system CPU seconds (of
 * PROGRAM and every child it waited for) and peak RSS in KiB.  GNU time
 * rounds to 10 ms, too coarse for `wc -l` on 100 MB; this keeps
 * microseconds.  Exits with PROGRAM's status. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double secs(struct timeval tv) {
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench-time OUT PROGRAM [ARGS...]\n");
        return 64;
    }
    double t0 = now();
    pid_t pid = fork();
    if (pid < 0) {
        perror("bench-time: fork");
        return 70;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        fprintf(stderr, "bench-time: %s: %s\n", argv[2], strerror(errno));
        _exit(127);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) < 0) {
        perror("bench-time: waitpid");
        return 70;
    }
    double wall = now() - t0;
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    FILE *out = fopen(argv[1], "a");
    if (!out) {
        perror(argv[1]);
        return 73;
    }
    fprintf(out, "%.6f %.6f %.6f %ld\n", wall, secs(ru.ru_utime), secs(ru.ru_stime), ru.ru_maxrss);
    if (fclose(out) != 0) {
        perror(argv[1]);
        return 73;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
