/* progs.c - small programs for tests/e2e/record.sh, one per mode:
 *   sem       a producer posts a semaphore 20 times, a consumer waits 20
 *             (with WEDGE_RECORD_DROP at the post it hangs: a lost signal)
 *   cond      the same through a queue, a mutex and a condition variable
 *   deadlock  two threads lock two mutexes in opposite orders (hangs)
 *   serial    the same two threads one after the other (ends: the
 *             reference for deadlock, from the same call sites)
 *   stubborn  deadlock, ignoring SIGTERM (only SIGKILL ends it)
 *   pipe      the main thread reads stdin and hands each chunk to a worker
 *             (hangs while stdin gives nothing)
 *   eventfd   a producer writes an eventfd 5 times, a consumer reads it
 *   timed     sem_timedwait, sem_trywait, pthread_mutex_trylock and
 *             pthread_cond_timedwait that all time out or fail
 * Built without sanitizers: it runs under LD_PRELOAD. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define N 20

static sem_t items;
static void *sem_producer(void *p)
{
    (void)p;
    for (int i = 0; i < N; i++)
        sem_post(&items);
    return NULL;
}

static void *sem_consumer(void *p)
{
    (void)p;
    for (int i = 0; i < N; i++)
        sem_wait(&items);
    return NULL;
}

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER, mu2 = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int queued, done_producing;

static void *cond_producer(void *p)
{
    (void)p;
    for (int i = 0; i < N; i++) {
        pthread_mutex_lock(&mu);
        queued++;
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

static void *cond_consumer(void *p)
{
    (void)p;
    for (int got = 0; got < N;) {
        pthread_mutex_lock(&mu);
        while (!queued && !done_producing)
            pthread_cond_wait(&cv, &mu);
        got += queued;
        queued = 0;
        pthread_mutex_unlock(&mu);
    }
    return NULL;
}

/* Two threads each take both mutexes ROUNDS times, in opposite orders.
 * Their first ROUNDS - 1 rounds do not overlap (done_a, done_b); in the
 * last round each holds its first mutex before either takes its second
 * (held_a, held_b): a deadlock, unless the threads run one after the
 * other (serial: the reference, from the same call sites, whose earlier
 * rounds show each lock's wait site going round) */
#define ROUNDS 4
static sem_t held_a, held_b, done_a, done_b;
static int serial;

/* one round, from one call site for every round and both threads (so
 * that each wait site goes round), holding first while it takes second;
 * with a handshake, after the other thread holds its first */
__attribute__((noinline)) static void lock_round(pthread_mutex_t *first, pthread_mutex_t *second,
                                                 sem_t *mine, sem_t *other, int handshake)
{
    pthread_mutex_lock(first);
    if (handshake) {
        sem_post(mine);
        sem_wait(other);
    }
    pthread_mutex_lock(second);
    pthread_mutex_unlock(second);
    pthread_mutex_unlock(first);
}

static void *lock_ab(void *p)
{
    (void)p;
    for (int i = 0; i < ROUNDS; i++) {
        if (i == ROUNDS - 1) {
            sem_post(&done_a);
            sem_wait(&done_b);
        }
        lock_round(&mu, &mu2, &held_a, &held_b, i == ROUNDS - 1 && !serial);
    }
    return NULL;
}

static void *lock_ba(void *p)
{
    (void)p;
    sem_wait(&done_a);
    for (int i = 0; i < ROUNDS; i++) {
        if (i == ROUNDS - 1)
            sem_post(&done_b);
        lock_round(&mu2, &mu, &held_b, &held_a, i == ROUNDS - 1 && !serial);
    }
    return NULL;
}

static int one_then_other(void)
{
    pthread_t ta, tb;
    serial = 1;
    sem_post(&done_b);   /* the first thread's last round need not wait */
    if (pthread_create(&ta, NULL, lock_ab, NULL) != 0)
        return 1;
    pthread_join(ta, NULL);
    if (pthread_create(&tb, NULL, lock_ba, NULL) != 0)
        return 1;
    pthread_join(tb, NULL);
    return 0;
}

static void *chunk_worker(void *p)
{
    (void)p;
    pthread_mutex_lock(&mu);
    while (!done_producing) {
        while (!queued && !done_producing)
            pthread_cond_wait(&cv, &mu);
        queued = 0;
    }
    pthread_mutex_unlock(&mu);
    return NULL;
}

static int efd;
static void *efd_producer(void *p)
{
    (void)p;
    for (int i = 0; i < 5; i++)
        eventfd_write(efd, 1);
    return NULL;
}

static void *efd_consumer(void *p)
{
    (void)p;
    eventfd_t v, total = 0;
    while (total < 5 && eventfd_read(efd, &v) == 0)
        total += v;
    return NULL;
}

static int two(void *(*a)(void *), void *(*b)(void *))
{
    pthread_t ta, tb;
    if (pthread_create(&ta, NULL, a, NULL) != 0 || pthread_create(&tb, NULL, b, NULL) != 0)
        return 1;
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    return 0;
}

static int pipe_mode(void)
{
    pthread_t w;
    char buf[4096];
    if (pthread_create(&w, NULL, chunk_worker, NULL) != 0)
        return 1;
    for (;;) {
        ssize_t n = read(0, buf, sizeof buf);
        pthread_mutex_lock(&mu);
        if (n <= 0)
            done_producing = 1;
        else
            queued++;
        pthread_cond_signal(&cv);
        pthread_mutex_unlock(&mu);
        if (n <= 0)
            break;
    }
    pthread_join(w, NULL);
    return 0;
}

static void *try_mu2(void *p)
{
    (void)p;
    return (void *)(intptr_t)(pthread_mutex_trylock(&mu2) == EBUSY);
}

static int timed_mode(void)
{
    struct timespec ts;
    sem_t s;
    sem_init(&s, 0, 0);
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 20 * 1000000;
    if (ts.tv_nsec >= 1000000000)
        ts.tv_sec++, ts.tv_nsec -= 1000000000;
    if (sem_timedwait(&s, &ts) == 0 || sem_trywait(&s) == 0)
        return 1;
    pthread_mutex_lock(&mu);
    if (pthread_cond_timedwait(&cv, &mu, &ts) != ETIMEDOUT)
        return 1;
    pthread_mutex_unlock(&mu);
    pthread_mutex_lock(&mu2);
    pthread_t t;
    void *rc;
    /* another thread's trylock of a held mutex fails */
    if (pthread_create(&t, NULL, try_mu2, NULL) != 0)
        return 1;
    pthread_join(t, &rc);
    return rc != (void *)1;
}

int main(int argc, char **argv)
{
    const char *m = argc > 1 ? argv[1] : "";
    sem_init(&items, 0, 0);
    sem_init(&held_a, 0, 0);
    sem_init(&held_b, 0, 0);
    sem_init(&done_a, 0, 0);
    sem_init(&done_b, 0, 0);
    if (strcmp(m, "sem") == 0)
        return two(sem_producer, sem_consumer);
    if (strcmp(m, "cond") == 0)
        return two(cond_producer, cond_consumer);
    if (strcmp(m, "deadlock") == 0)
        return two(lock_ab, lock_ba);
    if (strcmp(m, "serial") == 0)
        return one_then_other();
    if (strcmp(m, "stubborn") == 0) {
        signal(SIGTERM, SIG_IGN);
        return two(lock_ab, lock_ba);
    }
    if (strcmp(m, "pipe") == 0)
        return pipe_mode();
    if (strcmp(m, "eventfd") == 0) {
        efd = eventfd(0, 0);
        return efd < 0 || two(efd_producer, efd_consumer);
    }
    if (strcmp(m, "timed") == 0)
        return timed_mode();
    fprintf(stderr, "usage: record-progs sem|cond|deadlock|serial|stubborn|pipe|eventfd|timed\n");
    return 2;
}
