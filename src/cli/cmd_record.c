/* wedge record -o TRACE [--timeout T] [--qemu[=BIN]] -- PROGRAM ARGS...:
 * runs PROGRAM with libwedge-record.so preloaded (docs/wedge.md, "wedge
 * record"), natively or under qemu-user, and makes sure the trace ends
 * with trace.end. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#ifndef WDG_RECORD_LIBDIR
#define WDG_RECORD_LIBDIR "/usr/local/lib"
#endif
#define RECORD_LIB "libwedge-record.so"
#define GRACE_NS 1000000000ull   /* SIGTERM, then SIGKILL this much later */
#define PATH_CAP 4096

typedef struct record_args {
    const char *out;
    const char *timeout;
    const char *qemu;   /* NULL: native; else the qemu-user binary */
} record_args;

static const cli_opt record_opts[] = {
    {"output", 'o', CLI_STR, offsetof(record_args, out), NULL},
    {"timeout", 0, CLI_STR, offsetof(record_args, timeout), NULL},
    CLI_OPT_END};

static int no_positional(void *ctx, const char *name, const char *value, wdg_error *err)
{
    (void)ctx, (void)name;
    return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                         "record runs the program after '--': wedge record -o TRACE -- %s ...",
                         value);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* "2", "1.5" (seconds) or "300ms" in ns; 0 on a bad value */
static uint64_t parse_timeout(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v <= 0 || v > 1e6)
        return 0;
    if (strcmp(end, "ms") == 0)
        v /= 1000;
    else if (*end && strcmp(end, "s") != 0)
        return 0;
    return (uint64_t)(v * 1e9);
}

/* libwedge-record.so beside this wedge, else in the install's libdir */
static int find_lib(char *out, wdg_error *err)
{
    char self[PATH_CAP];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = 0;
        char *slash = strrchr(self, '/');
        if (slash) {
            *slash = 0;
            if ((size_t)snprintf(out, PATH_CAP, "%s/%s", self, RECORD_LIB) < PATH_CAP &&
                access(out, R_OK) == 0)
                return 0;
        }
    }
    if ((size_t)snprintf(out, PATH_CAP, "%s/%s", WDG_RECORD_LIBDIR, RECORD_LIB) < PATH_CAP &&
        access(out, R_OK) == 0)
        return 0;
    return wdg_error_set(err, WDG_EINPUT, NULL, 0,
                         "%s is neither beside the wedge binary nor in %s (make builds it)",
                         RECORD_LIB, WDG_RECORD_LIBDIR);
}

/* path made absolute: the program may change directory */
static int absolute(const char *path, char *out, wdg_error *err)
{
    char cwd[PATH_CAP];
    if (path[0] == '/') {
        if (strlen(path) >= PATH_CAP)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "-o: path too long");
        strcpy(out, path);
        return 0;
    }
    if (!getcwd(cwd, sizeof cwd) ||
        (size_t)snprintf(out, PATH_CAP, "%s/%s", cwd, path) >= PATH_CAP)
        return wdg_error_set(err, WDG_EOUTPUT, path, 0, "cannot make the path absolute");
    return 0;
}

/* 1 when name runs as a command (a path, or found in PATH), its path
 * in found (qemu-user takes a path, never searches PATH) */
static int runnable(const char *name, char *found)
{
    if (strchr(name, '/')) {
        snprintf(found, PATH_CAP, "%s", name);
        return access(name, X_OK) == 0;
    }
    const char *p = getenv("PATH");
    while (p && *p) {
        size_t n = strcspn(p, ":");
        if (n && n < PATH_CAP - 2 &&
            (size_t)snprintf(found, PATH_CAP, "%.*s/%s", (int)n, p, name) < PATH_CAP &&
            access(found, X_OK) == 0)
            return 1;
        p += n + (p[n] == ':');
    }
    return 0;
}

/* the program's argv: PROGRAM ARGS, or under qemu BIN -E ... PROGRAM ARGS */
static char **program_argv(const record_args *a, char **prog, int nprog, const char *lib,
                           const char *out)
{
    char **v = calloc((size_t)nprog + 6, sizeof *v);
    if (!v)
        return NULL;
    int k = 0;
    if (a->qemu) {
        size_t n1 = strlen(lib) + 16, n2 = strlen(out) + 32;
        char *e1 = malloc(n1), *e2 = malloc(n2);
        if (!e1 || !e2) {
            free(e1), free(e2), free(v);
            return NULL;
        }
        snprintf(e1, n1, "LD_PRELOAD=%s", lib);
        snprintf(e2, n2, "WEDGE_RECORD_OUT=%s", out);
        v[k++] = (char *)a->qemu;
        v[k++] = "-E", v[k++] = e1, v[k++] = "-E", v[k++] = e2;
    }
    for (int i = 0; i < nprog; i++)
        v[k++] = prog[i];
    return v;
}

static void free_argv(const record_args *a, char **v)
{
    if (v && a->qemu)
        free(v[2]), free(v[4]);
    free(v);
}

/* waits for pid; past deadline (0: none) sends SIGTERM, then SIGKILL
 * after the grace.  *killed_at: when SIGTERM went (0: not killed) */
static int wait_child(pid_t pid, uint64_t deadline, uint64_t *killed_at, int *status)
{
    int sent_kill = 0;
    *killed_at = 0;
    for (;;) {
        pid_t r = waitpid(pid, status, deadline ? WNOHANG : 0);
        if (r == pid)
            return 0;
        if (r < 0 && errno != EINTR)
            return -1;
        if (r == 0) {
            uint64_t t = now_ns();
            if (!*killed_at && t >= deadline) {
                *killed_at = t;
                kill(pid, SIGTERM);
            } else if (*killed_at && !sent_kill && t >= *killed_at + GRACE_NS) {
                sent_kill = 1;
                kill(pid, SIGKILL);
            }
            struct timespec ts = {0, 5000000};
            nanosleep(&ts, NULL);
        }
    }
}

/* Appends trace.end at t unless the trace's last line is one (a program
 * killed before its writer could write it, or one that never exited
 * normally), with reason "killed" after --timeout (else none: how the
 * program ended is not known).  1 when it appended, 0 when not, -1 on a
 * missing trace. */
static int ensure_end(const char *path, uint64_t t, int killed)
{
    int fd = open(path, O_RDWR | O_APPEND);
    if (fd < 0)
        return -1;
    struct stat st;
    char tail[256];
    ssize_t n = 0;
    if (fstat(fd, &st) == 0 && st.st_size > 0) {
        off_t from = st.st_size > (off_t)sizeof tail ? st.st_size - (off_t)sizeof tail : 0;
        n = pread(fd, tail, sizeof tail, from);
    }
    if (n > 0) {
        size_t m = (size_t)n;
        int whole = tail[m - 1] == '\n';
        /* the last complete line */
        size_t end = whole ? m - 1 : m, start = end;
        while (start > 0 && tail[start - 1] != '\n')
            start--;
        const char *mark = "\"op\":\"trace.end\"";
        size_t ml = strlen(mark);
        for (size_t i = start; whole && i + ml <= end; i++)
            if (memcmp(tail + i, mark, ml) == 0) {
                close(fd);
                return 0;
            }
        if (!whole && write(fd, "\n", 1) != 1) {
            close(fd);
            return -1;
        }
    }
    char line[96];
    int k = snprintf(line, sizeof line, "{\"op\":\"trace.end\",\"t\":%llu%s}\n",
                     (unsigned long long)t, killed ? ",\"reason\":\"killed\"" : "");
    int ok = write(fd, line, (size_t)k) == k;
    return close(fd) == 0 && ok ? 1 : -1;
}

/* --qemu and --qemu=BIN are taken out before the table's parse (a value
 * of its own is optional) */
static int take_qemu(int *argc, char **argv, record_args *a)
{
    int k = 1;
    for (int i = 1; i < *argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            while (i < *argc)
                argv[k++] = argv[i++];
            break;
        }
        if (strcmp(argv[i], "--qemu") == 0)
            a->qemu = "qemu-x86_64";
        else if (strncmp(argv[i], "--qemu=", 7) == 0 && argv[i][7])
            a->qemu = argv[i] + 7;
        else
            argv[k++] = argv[i];
    }
    *argc = k;
    return 0;
}

static int run(const record_args *a, char **prog, int nprog, wdg_error *err, int *exit_code)
{
    char lib[PATH_CAP], out[PATH_CAP];
    uint64_t timeout = 0;
    int rc;
    if (a->timeout && !(timeout = parse_timeout(a->timeout)))
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--timeout takes seconds (2, 1.5) or milliseconds (300ms): '%s'",
                             a->timeout);
    if ((rc = find_lib(lib, err)) < 0 || (rc = absolute(a->out, out, err)) < 0)
        return rc;
    char found[PATH_CAP];
    if (a->qemu && !runnable(a->qemu, found))
        return wdg_error_set(err, WDG_EINPUT, NULL, 0,
                             "--qemu: '%s' not found (Debian: qemu-user)", a->qemu);
    if (!runnable(prog[0], found))
        return wdg_error_set(err, WDG_EINPUT, NULL, 0, "'%s' not found or not executable",
                             prog[0]);
    char *name = prog[0];
    if (a->qemu)
        prog[0] = found;
    /* a trace left from an earlier run must not pass for this one's */
    if (unlink(out) != 0 && errno != ENOENT)
        return wdg_error_set(err, WDG_EOUTPUT, out, 0, "cannot replace: %s", strerror(errno));
    char **argv = program_argv(a, prog, nprog, lib, out);
    prog[0] = name;
    if (!argv)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    fflush(NULL);
    uint64_t start = now_ns();
    pid_t pid = fork();
    if (pid < 0) {
        free_argv(a, argv);
        return wdg_error_set(err, WDG_EOUTPUT, NULL, 0, "cannot fork: %s", strerror(errno));
    }
    if (pid == 0) {
        /* two runs of one program get the same addresses (threads' entry
         * points, objects), as under a debugger; where this is refused
         * the addresses vary and the sites still match */
        int pers = personality(0xffffffff);
        if (pers != -1)
            personality((unsigned long)pers | ADDR_NO_RANDOMIZE);
        if (!a->qemu) {
            /* qemu itself must not load the library: -E gives it the guest only */
            const char *old = getenv("LD_PRELOAD");
            char pre[2 * PATH_CAP];
            snprintf(pre, sizeof pre, "%s%s%s", lib, old && *old ? ":" : "", old ? old : "");
            setenv("LD_PRELOAD", pre, 1);
            setenv("WEDGE_RECORD_OUT", out, 1);
        }
        execvp(argv[0], argv);
        fprintf(stderr, "wedge: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    free_argv(a, argv);
    int status;
    uint64_t killed_at;
    if (wait_child(pid, timeout ? start + timeout : 0, &killed_at, &status) < 0)
        return wdg_error_set(err, WDG_EOUTPUT, NULL, 0, "waitpid: %s", strerror(errno));
    uint64_t ended = killed_at ? killed_at : now_ns();
    *exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    if (killed_at)
        fprintf(stderr, "wedge: %s did not end within %s s: killed (%s)\n", prog[0], a->timeout,
                WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? "SIGTERM, then SIGKILL"
                                                                    : "SIGTERM");
    int end = ensure_end(out, ended, killed_at != 0);
    if (end < 0 && *exit_code != 127)
        return wdg_error_set(err, WDG_EINPUT, out, 0,
                             "no trace: %s did not load %s (a static program, or a "
                             "set-user-ID one?)", prog[0], RECORD_LIB);
    if (end > 0)
        fprintf(stderr, "wedge: %s: trace.end appended (the program could not write it)\n", out);
    if (killed_at)
        *exit_code = 124;
    return 0;
}

int cmd_record(int argc, char **argv)
{
    record_args a = {NULL, NULL, NULL};
    cli_help help = {cli_help_record, NULL, NULL};
    const cli_table tables[] = {{record_opts, &a}, {cli_help_opts, &help}, {NULL, NULL}};
    wdg_error err = {0};
    int code = 0;
    take_qemu(&argc, argv, &a);
    int dash = 1;
    while (dash < argc && strcmp(argv[dash], "--") != 0)
        dash++;
    int rc = cli_parse(dash, argv, tables, no_positional, NULL, &err);
    if (rc == CLI_DONE)
        return 0;
    if (rc == 0 && !a.out)
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0, "record needs -o TRACE");
    if (rc == 0 && dash + 1 >= argc)
        rc = wdg_error_set(&err, WDG_EUSAGE, NULL, 0,
                           "record needs a program: wedge record -o TRACE -- PROGRAM ARGS...");
    if (rc == 0)
        rc = run(&a, argv + dash + 1, argc - dash - 1, &err, &code);
    return rc < 0 ? cli_fail(&err) : code;
}
