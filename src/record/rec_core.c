/* rec_core.c - the recorder's state: the trace, the guard against
 * recording itself, call sites as module+offset, frames, the fault
 * variable and the file-descriptor cache (rec.h). */
#define _GNU_SOURCE
#include "rec.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define TLS __thread __attribute__((tls_model("initial-exec")))

static wdg_writer *W;
static atomic_int disabled;      /* a child forked without exec */
static int trace_fd = -1;
static TLS int inside;
static TLS uintptr_t stack_hi;   /* the top of this thread's stack, 0 unknown */

/* WEDGE_RECORD_DROP=SITE:N */
static char drop_site[REC_SITE_MAX];
static unsigned long drop_nth;
static atomic_ulong drop_seen;

wdg_writer *rec_writer(void) { return atomic_load_explicit(&disabled, memory_order_relaxed) ? NULL : W; }

int rec_enter(void)
{
    if (inside || !rec_writer())
        return 0;
    inside = 1;
    return 1;
}

void rec_leave(void) { inside = 0; }
void rec_forever_inside(void) { inside = 1; }
int rec_is_inside(void) { return inside; }

void *rec_real(const char *name)
{
    /* the condition-variable calls have an old version (glibc 2.2.5) that
     * a plain dlsym finds first; the program calls the current one */
    void *p = NULL;
    if (strncmp(name, "pthread_cond_", 13) == 0)
        p = dlvsym(RTLD_NEXT, name, "GLIBC_2.3.2");
    return p ? p : dlsym(RTLD_NEXT, name);
}

/* --- stack bounds, sites and frames --------------------------------------- */

void rec_stack_init(void)
{
    pthread_attr_t a;
    void *lo;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &a) != 0)
        return;
    if (pthread_attr_getstack(&a, &lo, &size) == 0)
        stack_hi = (uintptr_t)lo + size;
    pthread_attr_destroy(&a);
}

/* a small per-thread cache of return address -> module, as dladdr takes
 * the loader's lock */
#define SITE_CACHE 64
static TLS struct {
    uintptr_t addr, base;
    const char *name;
} site_cache[SITE_CACHE];

static const char *module_of(uintptr_t addr, uintptr_t *base)
{
    unsigned h = (unsigned)((addr >> 2) ^ (addr >> 11)) % SITE_CACHE;
    if (site_cache[h].addr == addr) {
        *base = site_cache[h].base;
        return site_cache[h].name;
    }
    Dl_info info;
    if (!dladdr((void *)addr, &info) || !info.dli_fname || !info.dli_fbase)
        return NULL;
    const char *slash = strrchr(info.dli_fname, '/');
    const char *name = slash ? slash + 1 : info.dli_fname;
    if (!*name)
        name = program_invocation_short_name;
    site_cache[h].addr = addr;
    site_cache[h].base = (uintptr_t)info.dli_fbase;
    site_cache[h].name = name;
    *base = (uintptr_t)info.dli_fbase;
    return name;
}

static void put_site(char *out, const char *module, uintptr_t off)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strnlen(module, REC_SITE_MAX - 20);
    memcpy(out, module, n);
    out[n++] = '+', out[n++] = '0', out[n++] = 'x';
    char d[16];
    int k = 0;
    do
        d[k++] = hex[off & 15];
    while ((off >>= 4) && k < 16);
    while (k)
        out[n++] = d[--k];
    out[n] = 0;
}

int rec_site(uintptr_t addr, char *out)
{
    uintptr_t base;
    const char *mod = module_of(addr, &base);
    if (!mod)
        return 0;
    put_site(out, mod, addr - base);
    return 1;
}

void rec_where(wdg_writer_event *ev, void *ret, void *fp, char *site, uint64_t *frames)
{
    uintptr_t lr = (uintptr_t)ret, base;
    const char *mod = module_of(lr, &base);
    if (mod) {
        put_site(site, mod, lr - base);
        ev->site = site;
    } else {
        ev->lr = lr;
    }
    /* frame pointers above the interposer's frame, while they stay on
     * this thread's stack and go up it (a caller built without frame
     * pointers ends the walk, or gives a wrong frame, never a fault) */
    uint32_t n = 0;
    uintptr_t cur = (uintptr_t)fp;
    while (n < REC_FRAMES && stack_hi) {
        uintptr_t next = ((uintptr_t *)cur)[0];
        if (next <= cur || next >= stack_hi - 2 * sizeof(uintptr_t) || (next & 7))
            break;
        uintptr_t r = ((uintptr_t *)next)[1], b;
        if (r < 4096 || !module_of(r, &b))   /* not a return address */
            break;
        frames[n++] = r;
        cur = next;
    }
    ev->frames = n ? frames : NULL;
    ev->n_frames = n;
}

/* --- the fault variable ---------------------------------------------------- */

int rec_drop(const char *site)
{
    if (!drop_nth || !site || strcmp(site, drop_site) != 0)
        return 0;
    if (atomic_fetch_add(&drop_seen, 1) + 1 != drop_nth)
        return 0;
    static const char msg[] = "wedge-record: dropped a producer call at ";
    ssize_t rc = write(2, msg, sizeof msg - 1);
    rc = write(2, site, strlen(site));
    rc = write(2, "\n", 1);
    (void)rc;
    return 1;
}

static void parse_drop(const char *spec)
{
    const char *colon = spec ? strrchr(spec, ':') : NULL;
    if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof drop_site)
        return;
    char *end;
    unsigned long n = strtoul(colon + 1, &end, 10);
    if (*end || n == 0)
        return;
    memcpy(drop_site, spec, (size_t)(colon - spec));
    drop_site[colon - spec] = 0;
    drop_nth = n;
}

/* --- file descriptors ------------------------------------------------------ */

#define FDTAB 4096
static _Atomic uint64_t fdtab[FDTAB];   /* kind | inode << 2; 0 unknown */

int rec_fd_kind(int fd, uint64_t *ino)
{
    uint64_t v = fd >= 0 && fd < FDTAB ? atomic_load_explicit(&fdtab[fd], memory_order_relaxed) : 0;
    if (!v) {
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0)
            return REC_FD_OTHER;
        v = (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)) ? REC_FD_PIPE | (uint64_t)st.st_ino << 2
                                                           : REC_FD_OTHER;
        if (fd < FDTAB)
            atomic_store_explicit(&fdtab[fd], v, memory_order_relaxed);
    }
    *ino = v >> 2;
    return (int)(v & 3);
}

void rec_fd_set(int fd, int kind)
{
    if (fd >= 0 && fd < FDTAB)
        atomic_store_explicit(&fdtab[fd], (uint64_t)kind, memory_order_relaxed);
}

void rec_fd_forget(int fd) { rec_fd_set(fd, 0); }

/* --- start ----------------------------------------------------------------- */

/* the descriptor the writer opened the trace on: a child forked without
 * exec gets /dev/null there, so it neither writes its parent's lines
 * again nor a second trace.end */
static void find_trace_fd(const char *path)
{
    struct stat want, st;
    if (stat(path, &want) != 0)
        return;
    for (int fd = 3; fd < 1024; fd++)
        if (fstat(fd, &st) == 0 && st.st_dev == want.st_dev && st.st_ino == want.st_ino) {
            trace_fd = fd;
            return;
        }
}

static void at_fork_child(void)
{
    atomic_store(&disabled, 1);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (null >= 0 && trace_fd >= 0)
        dup3(null, trace_fd, O_CLOEXEC);
    if (null >= 0)
        close(null);
}

/* At a normal exit the main thread ends too: without its thread.exit its
 * last event (a completed pthread_join, say) would read as a wait that
 * never ended.  Registered after the writer's own handler, so it runs
 * first (atexit's order is the reverse). */
static void main_exit(void)
{
    if ((pid_t)syscall(SYS_gettid) != getpid() || !rec_enter())
        return;
    wdg_writer_event ev;
    memset(&ev, 0, sizeof ev);
    ev.op = "thread.exit";
    wdg_writer_emit(rec_writer(), &ev);
    rec_leave();
}

__attribute__((constructor)) static void rec_start(void)
{
    const char *out = getenv(REC_ENV_OUT);
    if (!out || !*out)
        return;
    char path[4096];
    if (strlen(out) >= sizeof path)
        return;
    strcpy(path, out);
    /* programs this one execs run with the library but record nothing */
    unsetenv(REC_ENV_OUT);
    parse_drop(getenv(REC_ENV_DROP));
    rec_stack_init();
    static const char *const observes[] = {"set", "release", "wait", "thread", "other"};
    wdg_writer_opts o;
    memset(&o, 0, sizeof o);
    o.engine = "wedge-record";
    o.observes = observes;
    o.n_observes = sizeof observes / sizeof observes[0];
    wdg_error err;
    wdg_writer *w;
    inside = 1;   /* the writer's own calls (its flusher thread) are not recorded */
    int rc = wdg_writer_open(&w, path, &o, &err);
    inside = 0;
    if (rc != 0) {
        fprintf(stderr, "wedge-record: %s\n", err.msg);
        return;
    }
    find_trace_fd(path);
    pthread_atfork(NULL, NULL, at_fork_child);
    W = w;
    atexit(main_exit);
}
