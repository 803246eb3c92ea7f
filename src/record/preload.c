/* preload.c - the interposed calls of libwedge-record.so (LD_PRELOAD; see
 * docs/wedge.md, "wedge record").  Each one logs its event, then calls the
 * real function (dlsym RTLD_NEXT): a wait is logged as it is entered, so a
 * call that never returns is in the trace.  Only these names are exported
 * (exports.map). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "rec.h"

#define EXPORT __attribute__((visibility("default"), noinline))

/* r_, the real name: resolved at its first call (a call may come before
 * the library's constructor runs) */
#define REAL(name)                                                           \
    static __typeof__(&name) real_##name;                                    \
    __typeof__(&name) r_ = __atomic_load_n(&real_##name, __ATOMIC_ACQUIRE);  \
    if (!r_) {                                                               \
        void *p_ = rec_real(#name);                                          \
        memcpy(&r_, &p_, sizeof r_);                                         \
        __atomic_store_n(&real_##name, r_, __ATOMIC_RELEASE);                \
    }

#define EVENT(ev, opname, object)                                            \
    wdg_writer_event ev;                                                     \
    memset(&ev, 0, sizeof ev);                                               \
    ev.op = (opname);                                                        \
    ev.obj = (uint64_t)(uintptr_t)(object)

static uint32_t gettid_(void) { return (uint32_t)syscall(SYS_gettid); }

static uint64_t now_ns(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* an absolute timeout on clock c as the format's relative one: negative,
 * in 100 ns units (0 when it has passed: a poll) */
static int64_t rel_timeout(const struct timespec *abs, clockid_t c)
{
    if (!abs)
        return 0;
    /* a condition may wait on CLOCK_MONOTONIC (pthread_condattr_setclock,
     * which xz uses), unseen here: a time before 2001 cannot be on the
     * realtime clock */
    if (c == CLOCK_REALTIME && abs->tv_sec < 1000000000)
        c = CLOCK_MONOTONIC;
    int64_t t = (int64_t)abs->tv_sec * 1000000000 + abs->tv_nsec;
    int64_t d = t - (int64_t)now_ns(c);
    return d > 0 ? -(d / 100) : 0;
}

/* logs op on obj (a wait with timeout when timed) from the caller of the
 * interposer; 1 when the producer is the one to drop */
#define LOG(opname, object, is_producer, timed, tmo)                         \
    int drop_ = 0;                                                           \
    if (rec_enter()) {                                                       \
        EVENT(ev_, opname, object);                                          \
        ev_.has_timeout = (timed);                                           \
        ev_.timeout = (tmo);                                                 \
        char rec_site_[REC_SITE_MAX];                                        \
        uint64_t rec_frames_[REC_FRAMES];                                    \
        rec_where(&ev_, __builtin_return_address(0),                         \
                  __builtin_frame_address(0), rec_site_, rec_frames_);       \
        drop_ = (is_producer) && rec_drop(ev_.site);                         \
        if (!drop_)                                                          \
            wdg_writer_emit(rec_writer(), &ev_);                             \
        rec_leave();                                                         \
    }

/* --- threads ---------------------------------------------------------------- */

typedef struct tramp {
    void *(*fn)(void *);
    void *arg;
    int internal;          /* the writer's own thread */
    int logged;            /* the fields below hold the creator's event */
    uint32_t parent;
    uint64_t t;
    wdg_writer_event ev;
    char site[REC_SITE_MAX];
    char entry_site[REC_SITE_MAX];
    uint64_t frames[REC_FRAMES];
} tramp;

static void thread_end(void *unused)
{
    (void)unused;
    if (rec_enter()) {
        /* the thread object pthread_join waits on is set, then the thread ends */
        EVENT(ev, "pthread_exit", pthread_self());
        wdg_writer_emit(rec_writer(), &ev);
        EVENT(ex, "thread.exit", 0);
        wdg_writer_emit(rec_writer(), &ex);
        rec_leave();
    }
}

static void *tramp_start(void *p)
{
    tramp *tr = p;
    void *(*fn)(void *) = tr->fn;
    void *arg = tr->arg;
    if (tr->internal) {
        free(tr);
        rec_forever_inside();
        return fn(arg);
    }
    rec_stack_init();
    if (tr->logged && rec_enter()) {
        /* logged by the new thread (whose kernel id is known only here),
         * with the creator's thread, time and call site */
        tr->ev.new_tid = gettid_();
        if (tr->ev.site)
            tr->ev.site = tr->site;
        if (tr->ev.frames)
            tr->ev.frames = tr->frames;
        wdg_writer_emit(rec_writer(), &tr->ev);
        rec_leave();
    }
    free(tr);
    void *ret;
    pthread_cleanup_push(thread_end, NULL);
    ret = fn(arg);
    pthread_cleanup_pop(1);
    return ret;
}

EXPORT int pthread_create(pthread_t *th, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
    REAL(pthread_create);
    if (!r_)
        return ENOSYS;
    tramp *tr = calloc(1, sizeof *tr);
    if (!tr)
        return r_(th, attr, fn, arg);
    tr->fn = fn, tr->arg = arg;
    tr->internal = rec_is_inside();
    if (!tr->internal && rec_enter()) {
        tr->ev.op = "thread.create";
        tr->ev.entry_pc = (uint64_t)(uintptr_t)fn;
        /* as a module site, like lr: the same native and under qemu, so
         * the threads' families pair */
        if (rec_site((uintptr_t)fn, tr->entry_site))
            tr->ev.entry_site = tr->entry_site;
        tr->ev.tid = gettid_();
        tr->ev.t = now_ns(CLOCK_MONOTONIC);
        rec_where(&tr->ev, __builtin_return_address(0), __builtin_frame_address(0), tr->site,
                  tr->frames);
        tr->logged = 1;
        rec_leave();
    }
    int rc = r_(th, attr, tramp_start, tr);
    if (rc != 0)
        free(tr);
    return rc;
}

EXPORT int pthread_join(pthread_t th, void **ret)
{
    REAL(pthread_join);
    LOG("pthread_join", th, 0, 0, 0);
    (void)drop_;
    return r_ ? r_(th, ret) : ENOSYS;
}

/* --- semaphores --------------------------------------------------------------- */

EXPORT int sem_post(sem_t *s)
{
    REAL(sem_post);
    LOG("sem_post", s, 1, 0, 0);
    if (drop_)
        return 0;
    return r_ ? r_(s) : (errno = ENOSYS, -1);
}

EXPORT int sem_wait(sem_t *s)
{
    REAL(sem_wait);
    LOG("sem_wait", s, 0, 0, 0);
    (void)drop_;
    return r_ ? r_(s) : (errno = ENOSYS, -1);
}

EXPORT int sem_timedwait(sem_t *s, const struct timespec *abs)
{
    REAL(sem_timedwait);
    LOG("sem_timedwait", s, 0, 1, rel_timeout(abs, CLOCK_REALTIME));
    (void)drop_;
    return r_ ? r_(s, abs) : (errno = ENOSYS, -1);
}

EXPORT int sem_trywait(sem_t *s)
{
    REAL(sem_trywait);
    LOG("sem_trywait", s, 0, 1, 0);
    (void)drop_;
    return r_ ? r_(s) : (errno = ENOSYS, -1);
}

/* --- mutexes -------------------------------------------------------------------- */

EXPORT int pthread_mutex_lock(pthread_mutex_t *m)
{
    REAL(pthread_mutex_lock);
    LOG("pthread_mutex_lock", m, 0, 0, 0);
    (void)drop_;
    return r_ ? r_(m) : ENOSYS;
}

EXPORT int pthread_mutex_trylock(pthread_mutex_t *m)
{
    REAL(pthread_mutex_trylock);
    LOG("pthread_mutex_trylock", m, 0, 1, 0);
    (void)drop_;
    return r_ ? r_(m) : ENOSYS;
}

EXPORT int pthread_mutex_unlock(pthread_mutex_t *m)
{
    REAL(pthread_mutex_unlock);
    LOG("pthread_mutex_unlock", m, 1, 0, 0);
    if (drop_)
        return 0;
    return r_ ? r_(m) : ENOSYS;
}

/* --- condition variables ----------------------------------------------------------- */

EXPORT int pthread_cond_signal(pthread_cond_t *c)
{
    REAL(pthread_cond_signal);
    LOG("pthread_cond_signal", c, 1, 0, 0);
    if (drop_)
        return 0;
    return r_ ? r_(c) : ENOSYS;
}

EXPORT int pthread_cond_broadcast(pthread_cond_t *c)
{
    REAL(pthread_cond_broadcast);
    LOG("pthread_cond_broadcast", c, 1, 0, 0);
    if (drop_)
        return 0;
    return r_ ? r_(c) : ENOSYS;
}

/* a condition wait releases the mutex, waits on the condition and takes
 * the mutex again: three events, the last once the wait is over */
#define COND_EVENTS(opn, c, m, timed, tmo, call)                              \
    if (rec_enter()) {                                                       \
        char site_[REC_SITE_MAX];                                            \
        uint64_t frames_[REC_FRAMES];                                        \
        EVENT(un_, "pthread_mutex_unlock", m);                               \
        rec_where(&un_, __builtin_return_address(0),                         \
                  __builtin_frame_address(0), site_, frames_);               \
        wdg_writer_emit(rec_writer(), &un_);                                 \
        un_.op = (opn), un_.obj = (uint64_t)(uintptr_t)(c);                   \
        un_.has_timeout = (timed), un_.timeout = (tmo);                      \
        wdg_writer_emit(rec_writer(), &un_);                                 \
        rec_leave();                                                         \
        int rc_ = (call);                                                    \
        if (rec_enter()) {                                                   \
            un_.op = "pthread_mutex_lock", un_.obj = (uint64_t)(uintptr_t)(m); \
            un_.has_timeout = 0, un_.timeout = 0, un_.t = 0;                 \
            wdg_writer_emit(rec_writer(), &un_);                             \
            rec_leave();                                                     \
        }                                                                    \
        return rc_;                                                          \
    }                                                                        \
    return (call)

EXPORT int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    REAL(pthread_cond_wait);
    if (!r_)
        return ENOSYS;
    COND_EVENTS("pthread_cond_wait", c, m, 0, 0, r_(c, m));
}

EXPORT int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *abs)
{
    REAL(pthread_cond_timedwait);
    if (!r_)
        return ENOSYS;
    /* the clock is the condition's (pthread_condattr_setclock); the
     * default, CLOCK_REALTIME, is assumed */
    COND_EVENTS("pthread_cond_timedwait", c, m, 1, rel_timeout(abs, CLOCK_REALTIME),
                r_(c, m, abs));
}

/* --- eventfd, pipes and sockets ----------------------------------------------------- */

EXPORT int eventfd(unsigned int initval, int flags)
{
    REAL(eventfd);
    if (!r_)
        return errno = ENOSYS, -1;
    int fd = r_(initval, flags);
    if (fd >= 0)
        rec_fd_set(fd, REC_FD_EVENTFD);
    return fd;
}

/* an eventfd is named by its descriptor */
EXPORT int eventfd_read(int fd, eventfd_t *v)
{
    REAL(eventfd_read);
    LOG("eventfd_read", fd, 0, 0, 0);
    (void)drop_;
    return r_ ? r_(fd, v) : (errno = ENOSYS, -1);
}

EXPORT int eventfd_write(int fd, eventfd_t v)
{
    REAL(eventfd_write);
    LOG("eventfd_write", fd, 1, 0, 0);
    if (drop_)
        return 0;
    return r_ ? r_(fd, v) : (errno = ENOSYS, -1);
}

/* the object of a blocking read or write: the pipe's (or socket's) inode,
 * or an eventfd's descriptor; 0 for anything else (not recorded) */
static uint64_t io_object(int fd, int *kind)
{
    uint64_t ino = 0;
    *kind = rec_fd_kind(fd, &ino);
    if (*kind == REC_FD_EVENTFD)
        return (uint64_t)fd;
    if (*kind != REC_FD_PIPE || !ino)
        return 0;
    int fl = fcntl(fd, F_GETFL);
    return fl >= 0 && !(fl & O_NONBLOCK) ? ino : 0;   /* a non-blocking call never waits */
}

EXPORT ssize_t read(int fd, void *buf, size_t n)
{
    REAL(read);
    if (!r_)
        return errno = ENOSYS, -1;
    int kind;
    uint64_t obj = rec_writer() ? io_object(fd, &kind) : 0;
    if (obj) {
        LOG(kind == REC_FD_EVENTFD ? "eventfd_read" : "read", obj, 0, 0, 0);
        (void)drop_;
    }
    return r_(fd, buf, n);
}

EXPORT ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(write);
    if (!r_)
        return errno = ENOSYS, -1;
    int kind;
    uint64_t obj = rec_writer() ? io_object(fd, &kind) : 0;
    if (obj) {
        LOG(kind == REC_FD_EVENTFD ? "eventfd_write" : "write", obj, 1, 0, 0);
        if (drop_)
            return (ssize_t)n;
    }
    return r_(fd, buf, n);
}

/* a poll for input on pipes or sockets with a timeout other than 0 is a
 * wait for any of them (the way xz reads its non-blocking input) */
EXPORT int poll(struct pollfd *fds, nfds_t n, int ms)
{
    REAL(poll);
    if (!r_)
        return errno = ENOSYS, -1;
    uint64_t objs[64];
    uint32_t k = 0;
    for (nfds_t i = 0; ms != 0 && rec_writer() && i < n && k < 64; i++) {
        uint64_t ino;
        if ((fds[i].events & POLLIN) && rec_fd_kind(fds[i].fd, &ino) == REC_FD_PIPE && ino)
            objs[k++] = ino;
    }
    if (k && rec_enter()) {
        EVENT(ev, "poll", 0);
        ev.objs = objs, ev.n_objs = k;
        ev.has_timeout = ms > 0, ev.timeout = -(int64_t)ms * 10000;
        char site[REC_SITE_MAX];
        uint64_t frames[REC_FRAMES];
        rec_where(&ev, __builtin_return_address(0), __builtin_frame_address(0), site, frames);
        wdg_writer_emit(rec_writer(), &ev);
        rec_leave();
    }
    return r_(fds, n, ms);
}

EXPORT int close(int fd)
{
    REAL(close);
    rec_fd_forget(fd);
    return r_ ? r_(fd) : (errno = ENOSYS, -1);
}

EXPORT int dup2(int from, int to)
{
    REAL(dup2);
    rec_fd_forget(to);
    return r_ ? r_(from, to) : (errno = ENOSYS, -1);
}

EXPORT int dup3(int from, int to, int flags)
{
    REAL(dup3);
    rec_fd_forget(to);
    return r_ ? r_(from, to, flags) : (errno = ENOSYS, -1);
}
