/* Two jobs on two threads (par.h). */
#include <pthread.h>

#include "par.h"

typedef struct par_task {
    par_job fn;
    void *arg;
    int rc;
} par_task;

static void *run_task(void *p)
{
    par_task *t = p;
    t->rc = t->fn(t->arg);
    return NULL;
}

void par_run2(int threads, par_job a, void *arg_a, int *rc_a, par_job b, void *arg_b,
              int *rc_b)
{
    par_task tb = {b, arg_b, 0};
    pthread_t th;
    /* no thread (one asked for, or none to be had): a then b, inline */
    if (threads == 1 || pthread_create(&th, NULL, run_task, &tb) != 0) {
        *rc_a = a(arg_a);
        *rc_b = *rc_a < 0 ? 0 : b(arg_b);
        return;
    }
    *rc_a = a(arg_a);
    pthread_join(th, NULL);
    *rc_b = tb.rc;
}
