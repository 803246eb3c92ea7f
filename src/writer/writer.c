/* writer.c - the trace writer (wedge/writer.h, docs/writer.md).
 *
 * Each emitting thread owns a ring buffer (single producer): it formats
 * its line on the stack, copies it in and publishes the new head with a
 * release store; no lock.  Draining (the consumer side) is serialised by
 * drain_lock, an atomic flag rather than a mutex so that a signal handler
 * can try it: the flusher thread drains every flush_interval_ms, a thread
 * whose ring is full drains before it appends, and close, flush, exit and
 * the fatal-signal handlers drain last.  Rings only ever hold whole lines,
 * and each drain writes whole lines with one writev(2) on an O_APPEND
 * file, so the file is whole lines at every moment a kill can hit it.
 *
 * zstd: each drain becomes one complete frame (ZSTD_compress2), so the
 * file is always a run of whole frames, which wedge reads as one stream.
 * A signal handler cannot call libzstd safely: it writes what is left as
 * hand-built frames of raw (stored) blocks.
 *
 * The one piece of process-wide state: the table of open writers that the
 * atexit() and signal handlers walk (a process has one set of those). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <zstd.h>

#include "wedge/error.h"
#include "writer_internal.h"

#define DEFAULT_INTERVAL_MS 100
#define DEFAULT_RING (256u * 1024)
#define MIN_RING (64u * 1024)
#define STAGE_CAP (1024u * 1024)
#define RAW_BLOCK (64u * 1024)
#define MAX_OPEN 16

/* one thread's ring; head and tail on their own cache lines */
typedef struct tbuf {
    _Atomic uint64_t head; /* written by the producer */
    char pad1[56];
    _Atomic uint64_t tail; /* written under drain_lock */
    char pad2[56];
    atomic_int orphan;     /* its thread ended: another may adopt it */
    uint32_t tid;
    struct tbuf *next;     /* fixed once the ring is published */
    char *data;
    uint64_t cap;          /* a power of two */
} tbuf;

struct wdg_writer {
    int fd;
    int zstd;
    uint64_t ring_cap;
    pthread_key_t key;
    _Atomic(tbuf *) bufs;
    atomic_int drain_lock;
    atomic_int ended;      /* trace.end written */
    atomic_int werr;       /* first errno of a failed write, 0 none */
    int slot;              /* index in open_writers, -1 none */
    /* the flusher */
    pthread_t flusher;
    int flusher_on;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    uint32_t interval_ms;
    /* zstd: lines staged under drain_lock, compressed as one frame */
    ZSTD_CCtx *cctx;
    char *stage;
    size_t stage_len;
    char *zout;
    size_t zout_cap;
};

static _Atomic(wdg_writer *) open_writers[MAX_OPEN];
static pthread_mutex_t install_mu = PTHREAD_MUTEX_INITIALIZER;
static int installed;
static const int fatal_sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTERM, SIGINT};
#define N_FATAL (sizeof fatal_sigs / sizeof fatal_sigs[0])
static struct sigaction old_actions[N_FATAL];

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void note_err(wdg_writer *w, int e)
{
    int zero = 0;
    atomic_compare_exchange_strong(&w->werr, &zero, e ? e : EIO);
}

/* writes all of iov[0..n) (async-signal-safe); a failure is noted and
 * the bytes are dropped, so a full disk never stalls the engine */
static void write_all(wdg_writer *w, struct iovec *iov, int n)
{
    while (n > 0) {
        ssize_t k = writev(w->fd, iov, n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            note_err(w, errno);
            return;
        }
        while (n > 0 && (size_t)k >= iov->iov_len) {
            k -= (ssize_t)iov->iov_len;
            iov++, n--;
        }
        if (n > 0) {
            iov->iov_base = (char *)iov->iov_base + k;
            iov->iov_len -= (size_t)k;
        }
    }
}

static void write_bytes(wdg_writer *w, const void *p, size_t n)
{
    struct iovec iov = {(void *)p, n};
    write_all(w, &iov, 1);
}

/* --- zstd ------------------------------------------------------------ */

/* one frame of raw blocks holding p[0..n), n <= RAW_BLOCK: libzstd is not
 * async-signal-safe, this is (RFC 8878: magic, a single-segment header
 * with a 4-byte content size, one last raw block) */
static void raw_frame(wdg_writer *w, const char *p, size_t n)
{
    unsigned char h[12] = {0x28, 0xB5, 0x2F, 0xFD, 0xA0};
    for (int i = 0; i < 4; i++)
        h[5 + i] = (unsigned char)(n >> (8 * i));
    uint32_t bh = (uint32_t)(n << 3) | 1u; /* raw block, the last */
    h[9] = (unsigned char)bh;
    h[10] = (unsigned char)(bh >> 8);
    h[11] = (unsigned char)(bh >> 16);
    struct iovec iov[2] = {{h, sizeof h}, {(void *)p, n}};
    write_all(w, iov, n ? 2 : 1);
}

static void raw_frames(wdg_writer *w, const char *p, size_t n)
{
    while (n) {
        size_t k = n < RAW_BLOCK ? n : RAW_BLOCK;
        raw_frame(w, p, k);
        p += k, n -= k;
    }
}

static void stage_flush(wdg_writer *w)
{
    if (!w->stage_len)
        return;
    size_t z = ZSTD_compress2(w->cctx, w->zout, w->zout_cap, w->stage, w->stage_len);
    if (ZSTD_isError(z))
        raw_frames(w, w->stage, w->stage_len); /* still readable, only bigger */
    else
        write_bytes(w, w->zout, z);
    w->stage_len = 0;
}

static void stage_put(wdg_writer *w, const char *p, size_t n)
{
    while (n) {
        if (w->stage_len == STAGE_CAP)
            stage_flush(w);
        size_t k = STAGE_CAP - w->stage_len;
        if (k > n)
            k = n;
        memcpy(w->stage + w->stage_len, p, k);
        w->stage_len += k;
        p += k, n -= k;
    }
}

/* --- draining (under drain_lock) --------------------------------------- */

static int try_lock(wdg_writer *w)
{
    int zero = 0;
    return atomic_compare_exchange_strong(&w->drain_lock, &zero, 1);
}

static void lock(wdg_writer *w)
{
    for (unsigned i = 0; !try_lock(w); i++) {
        if (i < 64) {
            sched_yield();
        } else {
            struct timespec ts = {0, 50000};
            nanosleep(&ts, NULL);
        }
    }
}

static void unlock(wdg_writer *w)
{
    atomic_store(&w->drain_lock, 0);
}

/* writes b's published lines: staged (zstd), raw frames (zstd from a
 * signal handler) or straight to the file */
static void drain_buf(wdg_writer *w, tbuf *b, int in_signal)
{
    uint64_t t = atomic_load_explicit(&b->tail, memory_order_relaxed);
    uint64_t h = atomic_load_explicit(&b->head, memory_order_acquire);
    if (h == t)
        return;
    if (atomic_load(&w->ended)) {
        /* events of threads still running while the process exits: the
         * end marker is written, and nothing may follow it */
        atomic_store_explicit(&b->tail, h, memory_order_release);
        return;
    }
    uint64_t start = t & (b->cap - 1), len = h - t;
    uint64_t first = len < b->cap - start ? len : b->cap - start;
    struct iovec iov[2] = {{b->data + start, (size_t)first}, {b->data, (size_t)(len - first)}};
    int n = len > first ? 2 : 1;
    for (int i = 0; w->zstd && i < n; i++) {
        if (in_signal)
            raw_frames(w, iov[i].iov_base, iov[i].iov_len);
        else
            stage_put(w, iov[i].iov_base, iov[i].iov_len);
    }
    if (!w->zstd)
        write_all(w, iov, n);
    atomic_store_explicit(&b->tail, h, memory_order_release);
}

static void drain_all(wdg_writer *w, int in_signal)
{
    for (tbuf *b = atomic_load_explicit(&w->bufs, memory_order_acquire); b; b = b->next)
        drain_buf(w, b, in_signal);
    if (w->zstd && !in_signal)
        stage_flush(w);
}

/* trace.end, once, after whatever was drained: its reason "exit" from
 * close and exit, "signal" from a fatal signal's handler */
static void write_end(wdg_writer *w, int in_signal)
{
    if (atomic_exchange(&w->ended, 1))
        return;
    char line[WDG_WLINE_END_MAX];
    size_t n = wdg_wline_end(line, now_ns(), in_signal ? "signal" : "exit");
    if (!w->zstd) {
        write_bytes(w, line, n);
    } else if (in_signal) {
        raw_frame(w, line, n);
    } else {
        stage_put(w, line, n);
        stage_flush(w);
    }
}

/* --- threads' rings ------------------------------------------------------ */

static void ring_orphan(void *p)
{
    atomic_store(&((tbuf *)p)->orphan, 1);
}

/* the calling thread's first event: adopt the ring of a thread that ended
 * (lines it left are still drained in order) or make a new one */
static tbuf *attach(wdg_writer *w)
{
    uint32_t tid = (uint32_t)syscall(SYS_gettid);
    for (tbuf *b = atomic_load(&w->bufs); b; b = b->next) {
        int one = 1;
        if (atomic_compare_exchange_strong(&b->orphan, &one, 0)) {
            b->tid = tid;
            if (pthread_setspecific(w->key, b) != 0) {
                atomic_store(&b->orphan, 1);
                return NULL;
            }
            return b;
        }
    }
    tbuf *b = calloc(1, sizeof *b);
    char *data = b ? malloc((size_t)w->ring_cap) : NULL;
    if (!data) {
        free(b);
        return NULL;
    }
    b->data = data;
    b->cap = w->ring_cap;
    b->tid = tid;
    if (pthread_setspecific(w->key, b) != 0) {
        free(data);
        free(b);
        return NULL;
    }
    tbuf *head = atomic_load(&w->bufs);
    do
        b->next = head;
    while (!atomic_compare_exchange_weak(&w->bufs, &head, b));
    return b;
}

static void ring_put(wdg_writer *w, tbuf *b, const char *line, size_t n)
{
    uint64_t h = atomic_load_explicit(&b->head, memory_order_relaxed);
    if (b->cap - (h - atomic_load_explicit(&b->tail, memory_order_acquire)) < n) {
        /* full: drain every ring, so the file stays near time order */
        lock(w);
        drain_all(w, 0);
        unlock(w);
    }
    uint64_t start = h & (b->cap - 1);
    size_t first = n < b->cap - start ? n : (size_t)(b->cap - start);
    memcpy(b->data + start, line, first);
    memcpy(b->data, line + first, n - first);
    atomic_store_explicit(&b->head, h + n, memory_order_release);
}

int wdg_writer_emit(wdg_writer *w, const wdg_writer_event *ev)
{
    if (!w || !ev)
        return WDG_EUSAGE;
    tbuf *b = pthread_getspecific(w->key);
    if (!b && !(b = attach(w)))
        return WDG_ENOMEM;
    char line[WDG_WLINE_MAX];
    int n = wdg_wline_event(line, ev, ev->t ? ev->t : now_ns(), ev->tid ? ev->tid : b->tid);
    if (n < 0)
        return n;
    ring_put(w, b, line, (size_t)n);
    return 0;
}

int wdg_writer_signal(wdg_writer *w, const char *op, uint64_t lr, uint64_t obj)
{
    wdg_writer_event ev;
    memset(&ev, 0, sizeof ev);
    ev.op = op, ev.lr = lr, ev.obj = obj;
    return wdg_writer_emit(w, &ev);
}

int wdg_writer_wait(wdg_writer *w, const char *op, uint64_t lr, uint64_t obj)
{
    return wdg_writer_signal(w, op, lr, obj); /* an infinite wait: no timeout */
}

/* --- the flusher --------------------------------------------------------- */

static void *flusher_main(void *arg)
{
    wdg_writer *w = arg;
    pthread_mutex_lock(&w->mu);
    while (!w->stop) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        uint64_t ns = (uint64_t)ts.tv_nsec + (uint64_t)w->interval_ms * 1000000u;
        ts.tv_sec += (time_t)(ns / 1000000000u);
        ts.tv_nsec = (long)(ns % 1000000000u);
        pthread_cond_timedwait(&w->cv, &w->mu, &ts);
        if (w->stop)
            break;
        pthread_mutex_unlock(&w->mu);
        lock(w);
        drain_all(w, 0);
        unlock(w);
        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

static int start_flusher(wdg_writer *w)
{
    pthread_condattr_t ca;
    if (pthread_condattr_init(&ca) != 0)
        return -1;
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int rc = pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    if (rc != 0)
        return -1;
    if (pthread_mutex_init(&w->mu, NULL) != 0) {
        pthread_cond_destroy(&w->cv);
        return -1;
    }
    /* the flusher blocks every signal, so the engine's threads get them */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    rc = pthread_create(&w->flusher, NULL, flusher_main, w);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (rc != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->cv);
        return -1;
    }
    w->flusher_on = 1;
    return 0;
}

static void stop_flusher(wdg_writer *w)
{
    if (!w->flusher_on)
        return;
    pthread_mutex_lock(&w->mu);
    w->stop = 1;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->flusher, NULL);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    w->flusher_on = 0;
}

/* --- exit and fatal signals ---------------------------------------------- */

/* drains what it may (the lock, if another thread frees it soon; the
 * crashing thread itself may hold it) and writes trace.end */
static void end_in_signal(wdg_writer *w)
{
    if (atomic_load(&w->ended))
        return;
    for (int i = 0; i < 1000; i++) {
        if (try_lock(w)) {
            drain_all(w, 1);
            unlock(w);
            break;
        }
        sched_yield();
    }
    write_end(w, 1);
}

void wdg_writer_emergency_end(void)
{
    int saved = errno;
    for (int i = 0; i < MAX_OPEN; i++) {
        wdg_writer *w = atomic_load(&open_writers[i]);
        if (w)
            end_in_signal(w);
    }
    errno = saved;
}

static void on_fatal(int sig)
{
    wdg_writer_emergency_end();
    for (size_t i = 0; i < N_FATAL; i++)
        if (fatal_sigs[i] == sig)
            sigaction(sig, &old_actions[i], NULL);
    /* blocked while this handler runs: delivered, with the old action,
     * as it returns (a fault re-executes and faults again) */
    raise(sig);
}

static void at_exit(void)
{
    for (int i = 0; i < MAX_OPEN; i++) {
        wdg_writer *w = atomic_load(&open_writers[i]);
        if (!w || atomic_load(&w->ended))
            continue;
        lock(w);
        drain_all(w, 0);
        write_end(w, 0);
        unlock(w);
    }
}

/* the handlers, once per process: only over default actions, so an
 * engine's own handlers (and a shell's ignored SIGINT) stay */
static void install_handlers(void)
{
    pthread_mutex_lock(&install_mu);
    if (!installed) {
        installed = 1;
        atexit(at_exit);
        for (size_t i = 0; i < N_FATAL; i++) {
            struct sigaction sa;
            if (sigaction(fatal_sigs[i], NULL, &old_actions[i]) != 0 ||
                (old_actions[i].sa_flags & SA_SIGINFO) || old_actions[i].sa_handler != SIG_DFL)
                continue;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = on_fatal;
            sigemptyset(&sa.sa_mask);
            sigaction(fatal_sigs[i], &sa, NULL);
        }
    }
    pthread_mutex_unlock(&install_mu);
}

static void register_writer(wdg_writer *w)
{
    w->slot = -1;
    for (int i = 0; i < MAX_OPEN && w->slot < 0; i++) {
        wdg_writer *none = NULL;
        if (atomic_compare_exchange_strong(&open_writers[i], &none, w))
            w->slot = i;
    }
}

/* --- open, flush, close -------------------------------------------------- */

static void writer_free(wdg_writer *w)
{
    tbuf *b = atomic_load(&w->bufs);
    while (b) {
        tbuf *next = b->next;
        free(b->data);
        free(b);
        b = next;
    }
    ZSTD_freeCCtx(w->cctx);
    free(w->stage);
    free(w->zout);
    free(w);
}

static int setup_zstd(wdg_writer *w)
{
    w->cctx = ZSTD_createCCtx();
    w->stage = malloc(STAGE_CAP);
    w->zout_cap = ZSTD_compressBound(STAGE_CAP);
    w->zout = malloc(w->zout_cap);
    if (!w->cctx || !w->stage || !w->zout)
        return -1;
    ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, 1);
    return 0;
}

static uint64_t ring_size(uint32_t want)
{
    uint64_t cap = MIN_RING;
    while (cap < want && cap < (1u << 30))
        cap <<= 1;
    return want ? cap : DEFAULT_RING;
}

int wdg_writer_open(wdg_writer **out, const char *path, const wdg_writer_opts *opts,
                    wdg_error *err)
{
    if (!out || !path)
        return wdg_error_set(err, WDG_EUSAGE, "", 0, "writer: no trace path");
    *out = NULL;
    wdg_writer *w = calloc(1, sizeof *w);
    if (!w)
        return wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
    w->zstd = opts && opts->zstd;
    w->ring_cap = ring_size(opts ? opts->buffer_bytes : 0);
    w->interval_ms = opts && opts->flush_interval_ms ? opts->flush_interval_ms : DEFAULT_INTERVAL_MS;
    w->slot = -1;
    if ((w->zstd && setup_zstd(w) != 0) || pthread_key_create(&w->key, ring_orphan) != 0) {
        writer_free(w);
        return wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
    }
    wdg_buf hdr = WDG_BUF_INIT;
    wdg_wline_header(&hdr, opts);
    if (hdr.oom) {
        pthread_key_delete(w->key);
        writer_free(w);
        return wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
    }
    w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        int e = errno;
        wdg_buf_free(&hdr);
        pthread_key_delete(w->key);
        writer_free(w);
        return wdg_error_set(err, WDG_EOUTPUT, path, 0, "cannot create the trace: %s", strerror(e));
    }
    if (w->zstd) {
        stage_put(w, hdr.ptr, hdr.len);
        stage_flush(w);
    } else {
        write_bytes(w, hdr.ptr, hdr.len);
    }
    wdg_buf_free(&hdr);
    if (atomic_load(&w->werr) || start_flusher(w) != 0) {
        int e = atomic_load(&w->werr);
        close(w->fd);
        pthread_key_delete(w->key);
        writer_free(w);
        return e ? wdg_error_set(err, WDG_EOUTPUT, path, 0, "cannot write the trace: %s", strerror(e))
                 : wdg_error_set(err, WDG_ENOMEM, path, 0, "cannot start the flusher thread");
    }
    if (!(opts && opts->no_handlers)) {
        install_handlers();
        register_writer(w);
    }
    *out = w;
    return 0;
}

static int write_error(wdg_writer *w, wdg_error *err, const char *what)
{
    int e = atomic_load(&w->werr);
    if (!e)
        return 0;
    return wdg_error_set(err, WDG_EOUTPUT, "", 0, "writer: %s: %s", what, strerror(e));
}

int wdg_writer_flush(wdg_writer *w, wdg_error *err)
{
    if (!w)
        return wdg_error_set(err, WDG_EUSAGE, "", 0, "writer: no writer");
    lock(w);
    drain_all(w, 0);
    unlock(w);
    return write_error(w, err, "a write of the trace failed");
}

int wdg_writer_close(wdg_writer *w, wdg_error *err)
{
    if (!w)
        return 0;
    if (w->slot >= 0)
        atomic_store(&open_writers[w->slot], NULL);
    stop_flusher(w);
    lock(w);
    drain_all(w, 0);
    write_end(w, 0);
    unlock(w);
    pthread_key_delete(w->key);
    if (close(w->fd) != 0)
        note_err(w, errno);
    int rc = write_error(w, err, "the trace is incomplete");
    writer_free(w);
    return rc;
}
