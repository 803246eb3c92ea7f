/* The simulator's trace writers: wedge JSONL, xenia key=value audit lines
 * (producers only, as a fork's hooks write them), stock xenia logs
 * (kernel-call lines without lr or time) and debug-level logs of a
 * patched xenia (both: every stock line, each producer's audit line right
 * after its stock line). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sim_internal.h"
#include "wedge/ops.h"

enum { BUF = 1 << 20 };

/* A failed write is remembered (the outfile keeps its errno) and
 * reported by sim_writer_close(). */
static void flush(sim_writer *w)
{
    if (w->len)
        (void)wdg_outfile_write(&w->f, w->buf, w->len, NULL);
    w->len = 0;
}

static void out(sim_writer *w, const char *fmt, ...)
{
    if (w->cap - w->len < 1024)
        flush(w);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w->buf + w->len, w->cap - w->len, fmt, ap);
    va_end(ap);
    if (n > 0)
        w->len += (size_t)n < w->cap - w->len ? (size_t)n : w->cap - w->len - 1;
}

int sim_writer_open(sim_writer *w, const char *dir, const char *name, sim_format fmt,
                    const char *engine, wdg_error *err)
{
    memset(w, 0, sizeof *w);
    w->fmt = fmt;
    int rc = wdg_outfile_open_in(&w->f, dir, name, err);
    if (rc < 0)
        return rc;
    w->buf = malloc(BUF);
    w->cap = BUF;
    if (!w->buf) {
        wdg_outfile_abort(&w->f);
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    }
    if (fmt == FMT_SIM_PROBE)
        return 0;   /* a probe's log has no header */
    if (fmt == FMT_SIM_JSONL)
        out(w, "{\"wedge_trace\":1,\"engine\":\"%s\",\"observes\":[\"set\",\"release\",\"wait\","
               "\"signal_wait\",\"create\",\"thread\",\"other\"]}\n",
            engine);
    else
        out(w, "i> 00000F28 wedge simulate: %s engine\n", engine);
    return 0;
}

int sim_writer_finish(sim_writer *w, wdg_error *err)
{
    flush(w);
    if (w->oom)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    return wdg_outfile_close(&w->f, err);
}

void sim_writer_free(sim_writer *w)
{
    wdg_outfile_abort(&w->f);
    free(w->buf);
    w->buf = NULL;
    wdg_map_free(&w->started);
}

static void jsonl(sim_writer *w, const sim_event *e)
{
    if (e->use_cycle)
        out(w, "{\"cycle\":%llu,\"tid\":%u,\"op\":\"%s\"", (unsigned long long)e->cycle, e->tid,
            e->op);
    else
        out(w, "{\"t\":%lld,\"tid\":%u,\"op\":\"%s\"", (long long)e->t, e->tid, e->op);
    if (e->has_lr)
        out(w, ",\"lr\":\"0x%08X\"", e->lr);
    if (e->has_frame)
        out(w, ",\"frames\":[\"0x%08X\"]", e->frame);
    if (e->has_obj)
        out(w, ",\"obj\":\"0x%08X\"", e->obj);
    if (e->nobjs) {
        out(w, ",\"objs\":[");
        for (int i = 0; i < e->nobjs; i++)
            out(w, "%s\"0x%08X\"", i ? "," : "", e->objs[i]);
        out(w, "]");
    }
    if (e->has_wait_kind)
        out(w, ",\"wait_all\":%s", e->wait_all ? "true" : "false");
    if (e->has_timeout)
        out(w, ",\"timeout\":%lld", (long long)e->timeout);
    if (e->has_count)
        out(w, ",\"count\":%u", e->count);
    if (e->has_entry)
        out(w, ",\"entry_pc\":\"0x%08X\"", e->entry_pc);
    if (strcmp(e->op, "thread.create") == 0)
        out(w, ",\"new_tid\":%u,\"suspended\":%s", e->new_tid, e->suspended ? "true" : "false");
    out(w, "}\n");
}

/* "K> F8000010 XThread::Execute thid 6 (...)" before a thread's first line */
static void bind_thread(sim_writer *w, const sim_event *e)
{
    int inserted = 0;
    if (!wdg_map_put(&w->started, e->tid, 0, &inserted))
        w->oom = 1;
    if (inserted)
        out(w, "K> %08X XThread::Execute thid %u (handle=%08X, 'XThread%08X', native=%08X)\n",
            e->handle, e->tid, e->handle, e->handle, 0x1000 + e->tid * 16);
}

static void xenia_kv(sim_writer *w, const sim_event *e)
{
    if (!wdg_category_is_producer(e->cat))
        return;
    bind_thread(w, e);
    out(w, "i> %08X audit_%d op=%s tid=%u handle=%08X lr=%08X host_ns=%lld\n", e->handle,
        e->cat == WDG_CAT_SET ? 69 : 70, e->op, e->tid, e->obj, e->lr, (long long)e->t);
}

static void xenia_log(sim_writer *w, const sim_event *e)
{
    const char *op = e->op;
    if (strcmp(op, "thread.exit") == 0)
        return;
    bind_thread(w, e);
    if (strcmp(op, "thread.create") == 0) {
        out(w, "i> %08X XThread%08X (%X) Stack: 70000000-70040000\n", e->handle, e->new_handle,
            e->new_tid);
        return;
    }
    out(w, "d> %08X %s(", e->handle, op);
    if (strcmp(op, "KeSetEvent") == 0)
        out(w, "%08X, 00000001, 00000000", e->obj);
    else if (strcmp(op, "NtSetEvent") == 0)
        out(w, "%08X, 00000000", e->obj);
    else if (strcmp(op, "NtReleaseSemaphore") == 0)
        out(w, "%08X, %08X, 00000000", e->obj, e->count);
    else if (strcmp(op, "KeReleaseSemaphore") == 0)
        out(w, "%08X, 00000001, %08X, 00000000", e->obj, e->count);
    else if (strcmp(op, "KeWaitForSingleObject") == 0)
        out(w, "%08X, 00000003, 00000001, 00000000, 00000000", e->obj);
    else if (strcmp(op, "NtWaitForSingleObjectEx") == 0)
        out(w, "%08X, 00000001, 00000000, 00000000", e->obj);
    else if (strcmp(op, "KeWaitForMultipleObjects") == 0)
        out(w, "%08X, 7015F000, %08X, 00000003, 00000001, 00000000, 00000000, 00000000",
            e->nobjs, e->wait_all ? 0 : 1);
    else if (strcmp(op, "KeDelayExecutionThread") == 0)
        out(w, "00000001, 00000000, 7015F100");
    else if (strcmp(op, "NtCreateEvent") == 0)
        out(w, "7015F200, 00000000, %08X, 00000000", e->create_kind == OBJ_AUTO_EVENT);
    else if (strcmp(op, "KeInitializeEvent") == 0)
        out(w, "%08X, %08X, 00000000", e->obj, e->create_kind == OBJ_AUTO_EVENT);
    else if (strcmp(op, "NtCreateSemaphore") == 0)
        out(w, "7015F200, 00000000, %08X, %08X", e->sem_init, e->sem_max);
    else if (strcmp(op, "KeInitializeSemaphore") == 0)
        out(w, "%08X, %08X, %08X", e->obj, e->sem_init, e->sem_max);
    else if (strcmp(op, "ExCreateThread") == 0)
        out(w, "7015F300, 00010000, 7015F304, 00000000, %08X, 00000000, 00000001", e->entry_pc);
    else if (strcmp(op, "KeResumeThread") == 0)
        out(w, "%08X", e->obj);
    else if (e->has_obj)
        out(w, "%08X", e->obj);
    out(w, ")\n");
}

/* Every import the program calls, in the order of its import table; an
 * IAT probe records the import's thunk as pc. */
static const char *const imports[] = {
    "KeQueryPerformanceCounter", "NtCreateSemaphore", "NtCreateEvent", "KeInitializeEvent",
    "KeInitializeSemaphore", "ExCreateThread", "KeResumeThread", "KeWaitForSingleObject",
    "KeWaitForMultipleObjects", "NtWaitForSingleObjectEx", "NtWaitForMultipleObjectsEx",
    "NtReleaseSemaphore", "KeReleaseSemaphore", "KeSetEvent", "NtSetEvent", "KePulseEvent",
    "RtlEnterCriticalSection", "RtlLeaveCriticalSection", "NtCreateFile", "NtReadFile",
    "NtClose", "KeDelayExecutionThread", "KeQuerySystemTime", "pthread_cond_init",
    "pthread_cond_signal", "pthread_cond_wait", "KeRaiseIrqlToDpcLevel",
    "KeAcquireSpinLockAtRaisedIrql", "KeReleaseSpinLockFromRaisedIrql", "KfLowerIrql",
};

const char *const *sim_imports(size_t *n)
{
    *n = sizeof imports / sizeof imports[0];
    return imports;
}

uint32_t sim_thunk(const char *op)
{
    size_t n = sizeof imports / sizeof imports[0], i = 0;
    while (i < n && strcmp(imports[i], op) != 0)
        i++;
    return 0x8284E000u + 0xC * (uint32_t)i;   /* an unknown op: past the table */
}

void sim_writer_imports(sim_writer *w)
{
    size_t n;
    const char *const *ops = sim_imports(&n);
    for (size_t i = 0; i < n; i++)
        out(w, "  F %08X %08X %03zX (%4zu)    %s\n", 0x82000700u + 4 * (unsigned)i,
            sim_thunk(ops[i]), i + 1, i + 1, ops[i]);
}

/* an IAT probe sees calls through the import thunks only: no pseudo op,
 * no object, no time */
static void probe(sim_writer *w, const sim_event *e)
{
    if (!e->has_lr)
        return;   /* thread.create, thread.exit */
    out(w, "{\"tid\":%u,\"pc\":\"0x%08X\",\"lr\":\"0x%08X\",\"cycle\":%llu}\n", e->tid,
        sim_thunk(e->op), e->lr, (unsigned long long)e->cycle);
}

void sim_writer_end_marker(sim_writer *w, int64_t t)
{
    if (w->fmt == FMT_SIM_JSONL)
        out(w, "{\"t\":%lld,\"op\":\"trace.end\"}\n", (long long)t);
}

void sim_writer_emit(void *ud, const sim_event *e)
{
    sim_writer *w = ud;
    switch (w->fmt) {
    case FMT_SIM_JSONL: jsonl(w, e); break;
    case FMT_SIM_PROBE: probe(w, e); break;
    case FMT_SIM_XENIA_KV: xenia_kv(w, e); break;
    case FMT_SIM_XENIA_LOG: xenia_log(w, e); break;
    case FMT_SIM_XENIA_DEBUG:
        xenia_log(w, e);
        xenia_kv(w, e);
        break;
    }
}
