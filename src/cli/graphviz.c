/* waitgraph.svg: Graphviz's dot run on waitgraph.dot.  Only the command
 * line runs programs (the library never execs).  Never fatal: a missing
 * dot, a dot that fails or outlives its time is one note on stderr and no
 * SVG; only running out of memory fails the command. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* dot's time on any graph wedge draws, with room to spare */
#define DOT_TIMEOUT_S 20

/* an unlinked temporary file: gone however the run ends */
static int temp_fd(void)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/wedge-dot-XXXXXX", dir && *dir ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd >= 0)
        unlink(path);
    return fd;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return lseek(fd, 0, SEEK_SET) == 0 ? 0 : -1;
}

/* the child's exit status, killing it past the deadline; -1: killed */
static int wait_dot(pid_t pid, int timeout_s)
{
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
        if (r < 0 && errno != EINTR)
            return -2;
        clock_gettime(CLOCK_MONOTONIC, &t);
        if (t.tv_sec - t0.tv_sec >= timeout_s) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return -1;
        }
        struct timespec nap = {0, 5000000};
        nanosleep(&nap, NULL);
    }
}

static int read_all(int fd, wdg_buf *out)
{
    char chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
        wdg_buf_put(out, chunk, (size_t)n);
        if (out->oom)
            return 0;
    }
}

int cli_render_svg(const wdg_buf *dot, wdg_buf *svg, wdg_error *err)
{
    const char *prog = getenv("WEDGE_DOT");   /* tests point it elsewhere */
    const char *limit = getenv("WEDGE_DOT_TIMEOUT");
    int timeout_s = limit && atoi(limit) > 0 ? atoi(limit) : DOT_TIMEOUT_S;
    if (!prog || !*prog)
        prog = "dot";
    int in = temp_fd(), out = temp_fd(), rc = 1;
    const char *why = NULL;
    char whybuf[96];
    if (in < 0 || out < 0 || write_all(in, dot->ptr ? dot->ptr : "", dot->len) < 0) {
        why = "cannot write a temporary file";
        goto done;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        why = "cannot fork";
        goto done;
    }
    if (pid == 0) {
        char *argv[] = {(char *)prog, "-Tsvg", NULL};
        setpgid(0, 0);   /* its own group: a timeout kills what it started too */
        int null = open("/dev/null", O_WRONLY);
        if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || null < 0 || dup2(null, 2) < 0)
            _exit(126);
        execvp(prog, argv);
        _exit(127);
    }
    int st = wait_dot(pid, timeout_s);
    if (st == 127) {
        why = "Graphviz's dot is not installed (scripts/install-deps.sh installs it)";
    } else if (st == -1) {
        snprintf(whybuf, sizeof whybuf, "dot ran past %d s and was stopped", timeout_s);
        why = whybuf;
    } else if (st != 0) {
        snprintf(whybuf, sizeof whybuf, "dot failed (%s %d)", st < 0 ? "status" : "exit", st);
        why = whybuf;
    } else if (lseek(out, 0, SEEK_SET) != 0 || read_all(out, svg) < 0) {
        why = "cannot read dot's output";
    } else if (svg->oom) {
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    } else if (!svg->len) {
        why = "dot wrote nothing";
    } else {
        rc = 0;
    }
done:
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    if (why) {
        wdg_buf_reset(svg);
        fprintf(stderr, "wedge: no waitgraph.svg: %s\n", why);
    }
    return rc;
}
