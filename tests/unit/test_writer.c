/* The trace writer (wedge/writer.h): its lines byte for byte (escapes,
 * 64-bit values, negative timeouts), the limits it refuses, the lines read
 * back by wedge's own JSONL parser, events from several threads, and the
 * flusher writing without a flush or a close. */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../../src/formats/formats.h"
#include "harness.h"
#include "wedge/wedge.h"

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *s = size >= 0 ? malloc((size_t)size + 1) : NULL;
    size_t n = s ? fread(s, 1, (size_t)size, f) : 0;
    fclose(f);
    if (s)
        s[n] = 0;
    if (len)
        *len = n;
    return s;
}

static void tmp_path(char *out, size_t cap, const char *name)
{
    snprintf(out, cap, "/tmp/wedge-unit-writer-%ld-%s", (long)getpid(), name);
}

static wdg_writer *open_plain(const char *path)
{
    wdg_writer_opts o;
    memset(&o, 0, sizeof o);
    o.no_handlers = 1; /* the unit tests' process: no handlers left behind */
    o.engine = "unit \"engine\"";
    static const char *const obs[] = {"set", "wait"};
    o.observes = obs;
    o.n_observes = 2;
    wdg_writer *w = NULL;
    wdg_error err;
    CHECK_INT(wdg_writer_open(&w, path, &o, &err), 0);
    return w;
}

/* the n-th line (0-based) of s, into out */
static void nth_line(const char *s, int n, char *out, size_t cap)
{
    for (; n > 0 && s; n--) {
        s = strchr(s, '\n');
        s = s ? s + 1 : NULL;
    }
    out[0] = 0;
    if (!s)
        return;
    size_t k = strcspn(s, "\n");
    if (k >= cap)
        k = cap - 1;
    memcpy(out, s, k);
    out[k] = 0;
}

void test_writer_lines(void)
{
    char path[256];
    tmp_path(path, sizeof path, "lines.jsonl");
    wdg_writer *w = open_plain(path);
    if (!w)
        return;
    wdg_writer_event ev;
    memset(&ev, 0, sizeof ev);
    /* a quote, a backslash, a newline, a control byte, a character and a
     * stray byte that is no UTF-8 */
    ev.op = "A\"b\\c\nd\x01\xC3\xA9\xFF";
    ev.t = 9223372036854775807ull;
    ev.tid = 4294967295u;
    ev.lr = 0xFFFFFFFFFFFFFFFFull;
    ev.obj = 0x1;
    ev.timeout = INT64_MIN, ev.has_timeout = 1;
    uint64_t objs[2] = {0x100000000ull, 0x824AB168u};
    ev.objs = objs, ev.n_objs = 2;
    ev.count = 4294967295u;
    CHECK_INT(wdg_writer_emit(w, &ev), 0);

    /* 32-bit values, for the reader of today */
    memset(&ev, 0, sizeof ev);
    ev.op = "Ke\"Set\\Event";
    ev.t = 5400000, ev.tid = 7, ev.lr = 0x824AB168u, ev.obj = 0x1004;
    ev.timeout = -10000, ev.has_timeout = 1;
    uint64_t frames[2] = {0x824D3010u, 0x824D1F00u};
    ev.frames = frames, ev.n_frames = 2;
    CHECK_INT(wdg_writer_emit(w, &ev), 0);

    memset(&ev, 0, sizeof ev);
    ev.op = "thread.create", ev.t = 1, ev.tid = 1, ev.new_tid = 10, ev.entry_pc = 0x824D2878u;
    ev.site = "libzstd.so.1+0x1c4ce";
    CHECK_INT(wdg_writer_emit(w, &ev), 0);

    /* refused, and nothing written: no op, an empty op, an op of 256
     * bytes, 65 objects, a t over INT64_MAX, objects without their array */
    char long_op[257];
    memset(long_op, 'x', 256);
    long_op[256] = 0;
    uint64_t many[65] = {0};
    const char *bad_ops[] = {NULL, "", long_op, "K", "K", "K"};
    for (int i = 0; i < 6; i++) {
        memset(&ev, 0, sizeof ev);
        ev.op = bad_ops[i];
        if (i == 3)
            ev.objs = many, ev.n_objs = 65;
        if (i == 4)
            ev.t = 9223372036854775808ull;
        if (i == 5)
            ev.n_frames = 1;
        CHECK_INT(wdg_writer_emit(w, &ev), WDG_EUSAGE);
    }
    long_op[255] = 0; /* 255 bytes: the longest op */
    CHECK_INT(wdg_writer_signal(w, long_op, 0x10, 0x20), 0);
    /* t and tid filled in */
    CHECK_INT(wdg_writer_wait(w, "KeWaitForSingleObject", 0x824D2A90u, 0x1010), 0);
    wdg_error err;
    CHECK_INT(wdg_writer_close(w, &err), 0);

    char *s = slurp(path, NULL);
    CHECK(s != NULL);
    if (!s)
        return;
    char line[4096];
    nth_line(s, 0, line, sizeof line);
    CHECK_STR(line, "{\"wedge_trace\":1,\"engine\":\"unit \\\"engine\\\"\",\"observes\":[\"set\",\"wait\"]}");
    nth_line(s, 1, line, sizeof line);
    CHECK_STR(line, "{\"t\":9223372036854775807,\"tid\":4294967295,"
                    "\"op\":\"A\\\"b\\\\c\\u000Ad\\u0001\xC3\xA9\xEF\xBF\xBD\","
                    "\"lr\":\"0xFFFFFFFFFFFFFFFF\",\"obj\":\"0x00000001\","
                    "\"objs\":[\"0x100000000\",\"0x824AB168\"],\"wait_all\":false,"
                    "\"timeout\":-9223372036854775808,\"count\":4294967295}");
    nth_line(s, 2, line, sizeof line);
    CHECK_STR(line, "{\"t\":5400000,\"tid\":7,\"op\":\"Ke\\\"Set\\\\Event\",\"lr\":\"0x824AB168\","
                    "\"obj\":\"0x00001004\",\"timeout\":-10000,"
                    "\"frames\":[\"0x824D3010\",\"0x824D1F00\"]}");
    nth_line(s, 3, line, sizeof line);
    CHECK_STR(line, "{\"t\":1,\"tid\":1,\"op\":\"thread.create\",\"lr\":\"libzstd.so.1+0x1c4ce\","
                    "\"new_tid\":10,\"entry_pc\":\"0x824D2878\"}");

    /* wedge's parser reads the 32-bit line back as written */
    nth_line(s, 2, line, sizeof line);
    wdg_rec r;
    wdg_rec_init(&r, NULL);
    wdg_line_result res;
    wdg_jsonl_header hdr;
    CHECK_INT(wdg_jsonl_parse(line, strlen(line), &r, &hdr, &res), LINE_EVENT);
    CHECK_INT(r.op_len, 12);
    CHECK(r.op_len == 12 && memcmp(r.op, "Ke\"Set\\Event", 12) == 0);
    CHECK_INT(r.lr, 0x824AB168);
    CHECK_INT(r.obj, 0x1004);
    CHECK_INT(r.timeout, -10000);
    CHECK_INT(r.t, 5400000);

    /* and the whole trace, 64-bit values and sites included, with no
     * malformed line */
    {
        wdg_ops *ops = NULL;
        wdg_trace *t = NULL;
        wdg_error e2;
        const char *paths[1] = {path};
        CHECK_INT(wdg_ops_new(&ops, &e2), 0);
        CHECK_INT(wdg_load_traces(&t, paths, 1, ops, NULL, NULL, 0, &e2), 0);
        if (t) {
            char a[64];
            const wdg_sites *st = wdg_ops_sites(ops);
            CHECK_INT(t->malformed, 0);
            CHECK_INT(t->n_events, 5);
            CHECK_INT(t->end_reason, WDG_END_REASON_EXIT);   /* closed */
            /* ordered by t: find them by line (the header is line 1) */
            const wdg_event *ev0 = &t->events[0], *ev2 = &t->events[0];
            for (size_t i = 0; i < t->n_events; i++) {
                if (wdg_ev_line(t, &t->events[i]) == 2)
                    ev0 = &t->events[i];
                if (wdg_ev_line(t, &t->events[i]) == 4)
                    ev2 = &t->events[i];
            }
            wdg_event_ext x0_buf, *x0 = wdg_event_ext_of(t, ev0, &x0_buf);
            CHECK_STR(wdg_addr_format(st, wdg_ev_lr(ev0), a, sizeof a), "0xFFFFFFFFFFFFFFFF");
            CHECK(x0 && x0->objs_n == 2);
            if (x0 && x0->objs_n == 2) {
                CHECK_STR(wdg_addr_format(st, wdg_x_obj(t, x0, 0), a, sizeof a), "0x100000000");
                CHECK_STR(wdg_addr_format(st, wdg_x_obj(t, x0, 1), a, sizeof a), "0x824AB168");
            }
            CHECK_STR(wdg_addr_format(st, wdg_ev_lr(ev2), a, sizeof a),
                      "libzstd.so.1+0x1C4CE");
            wdg_trace_free(t);
        }
        wdg_ops_free(ops);
    }

    nth_line(s, 4, line, sizeof line);
    CHECK(strncmp(line, "{\"t\":", 5) == 0 && strstr(line, "\"lr\":\"0x00000010\",\"obj\":\"0x00000020\"}"));
    nth_line(s, 5, line, sizeof line);
    char want_tid[64];
    snprintf(want_tid, sizeof want_tid, ",\"tid\":%ld,", (long)getpid()); /* the main thread */
    CHECK(strstr(line, want_tid) != NULL);
    CHECK(strstr(line, "\"t\":0,") == NULL);
    nth_line(s, 6, line, sizeof line);
    CHECK(strncmp(line, "{\"op\":\"trace.end\",\"t\":", 22) == 0);
    CHECK(strstr(line, ",\"reason\":\"exit\"}") != NULL);
    nth_line(s, 7, line, sizeof line);
    CHECK_STR(line, "");
    free(s);
    unlink(path);
}

static wdg_writer *shared;

static void *emitter(void *arg)
{
    uint32_t tid = (uint32_t)(intptr_t)arg;
    wdg_writer_event ev;
    memset(&ev, 0, sizeof ev);
    ev.op = "KeSetEvent", ev.tid = tid, ev.lr = 0x1000 + tid;
    /* enough to fill a 64 KiB ring several times: the full-ring path */
    for (int i = 0; i < 5000; i++) {
        ev.obj = (uint64_t)i + 1;
        if (wdg_writer_emit(shared, &ev) != 0)
            return arg;
    }
    return NULL;
}

/* The first needle in [p, end), or NULL.  Not strstr: the sanitizers'
 * strstr measures the whole rest of the 2 MB text on every call, which
 * made these loops quadratic (50 s under ASan). */
static const char *find_in(const char *p, const char *end, const char *needle)
{
    size_t k = strlen(needle);
    for (; (size_t)(end - p) >= k; p++)
        if (*p == *needle && memcmp(p, needle, k) == 0)
            return p;
    return NULL;
}

static int count_of(const char *s, const char *needle)
{
    int n = 0;
    const char *end = s + strlen(s);
    for (const char *p = s; (p = find_in(p, end, needle)) != NULL; p++)
        n++;
    return n;
}

void test_writer_threads(void)
{
    char path[256];
    tmp_path(path, sizeof path, "threads.jsonl");
    wdg_writer_opts o;
    memset(&o, 0, sizeof o);
    o.no_handlers = 1, o.buffer_bytes = 1; /* the smallest ring, 64 KiB */
    CHECK_INT(wdg_writer_open(&shared, path, &o, NULL), 0);
    if (!shared)
        return;
    pthread_t th[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&th[i], NULL, emitter, (void *)(intptr_t)(i + 1));
    for (int i = 0; i < 4; i++) {
        void *rv = (void *)1;
        pthread_join(th[i], &rv);
        CHECK(rv == NULL);
    }
    /* a thread after those ended adopts a ring: its lines are there too */
    pthread_create(&th[0], NULL, emitter, (void *)(intptr_t)5);
    pthread_join(th[0], NULL);
    CHECK_INT(wdg_writer_close(shared, NULL), 0);
    size_t len;
    char *s = slurp(path, &len);
    CHECK(s != NULL && len > 25000 * 80);
    if (!s)
        return;
    for (int t = 1; t <= 5; t++) {
        char needle[32];
        snprintf(needle, sizeof needle, "\"tid\":%d,", t);
        CHECK_INT(count_of(s, needle), 5000);
    }
    CHECK_INT(count_of(s, "\n"), 1 + 5 * 5000 + 1);
    CHECK_INT(count_of(s, "trace.end"), 1);
    /* each thread's lines in its own order: obj 1, 2, ... for thread 3 */
    const char *p = s, *end = s + strlen(s);
    int in_order = 1;
    for (int i = 1; i <= 5000 && in_order; i++) {
        char needle[96];
        snprintf(needle, sizeof needle, "\"tid\":3,\"op\":\"KeSetEvent\",\"lr\":\"0x00001003\",\"obj\":\"0x%08X\"}", i);
        p = find_in(p, end, needle);
        in_order = p != NULL;
    }
    CHECK(in_order);
    free(s);
    unlink(path);
}

void test_writer_flusher(void)
{
    char path[256];
    tmp_path(path, sizeof path, "flush.jsonl");
    wdg_writer_opts o;
    memset(&o, 0, sizeof o);
    o.no_handlers = 1, o.flush_interval_ms = 20;
    wdg_writer *w = NULL;
    CHECK_INT(wdg_writer_open(&w, path, &o, NULL), 0);
    if (!w)
        return;
    CHECK_INT(wdg_writer_signal(w, "KeSetEvent", 0x10, 0x20), 0);
    /* neither flushed nor closed: the flusher writes it within its interval */
    int seen = 0;
    for (int i = 0; i < 100 && !seen; i++) {
        struct timespec ts = {0, 10000000L};
        nanosleep(&ts, NULL);
        char *s = slurp(path, NULL);
        seen = s && strstr(s, "KeSetEvent\",\"lr\":\"0x00000010\"") != NULL;
        free(s);
    }
    CHECK(seen);
    CHECK_INT(wdg_writer_flush(w, NULL), 0);
    CHECK_INT(wdg_writer_close(w, NULL), 0);
    unlink(path);

    /* a path that cannot be created: an error naming it, no writer */
    wdg_error err;
    w = (wdg_writer *)&o;
    CHECK_INT(wdg_writer_open(&w, "/nonexistent-dir/t.jsonl", NULL, &err), WDG_EOUTPUT);
    CHECK(w == NULL);
    CHECK_STR(err.file, "/nonexistent-dir/t.jsonl");
}

/* nothing after trace.end: a thread still running while the process
 * exits (or after a fatal signal's end) emits into its ring, and a later
 * drain must not write it past the end marker */
void test_writer_after_end(void)
{
    char path[256];
    tmp_path(path, sizeof path, "after.jsonl");
    wdg_writer_opts o;
    memset(&o, 0, sizeof o);   /* handlers on: emergency_end sees the writer */
    wdg_writer *w = NULL;
    CHECK_INT(wdg_writer_open(&w, path, &o, NULL), 0);
    if (!w)
        return;
    CHECK_INT(wdg_writer_signal(w, "KeSetEvent", 0x10, 0x20), 0);
    wdg_writer_emergency_end();
    CHECK_INT(wdg_writer_signal(w, "KeSetEvent", 0x11, 0x21), 0);
    CHECK_INT(wdg_writer_flush(w, NULL), 0);
    CHECK_INT(wdg_writer_close(w, NULL), 0);
    char *s = slurp(path, NULL);
    CHECK(s != NULL);
    if (s) {
        CHECK(strstr(s, "\"lr\":\"0x00000010\"") != NULL);   /* before the end: kept */
        CHECK(strstr(s, "\"lr\":\"0x00000011\"") == NULL);   /* after it: dropped */
        const char *end = strstr(s, "trace.end");
        CHECK(end != NULL && strchr(end, '\n') && strchr(end, '\n')[1] == '\0');
        free(s);
    }
    unlink(path);
}

/* t across the formatter's chunks of 8 digits and 32 bits */
void test_writer_numbers(void)
{
    static const char *const want[] = {"1", "9", "10", "99", "100", "99999999", "100000000",
                                       "4294967295", "4294967296", "10000000000000001",
                                       "100000000000000000", "1000000000000000000",
                                       "9223372036854775807"};
    enum { N = sizeof want / sizeof want[0] };
    char path[256];
    tmp_path(path, sizeof path, "numbers.jsonl");
    wdg_writer_opts o;
    memset(&o, 0, sizeof o);
    o.no_handlers = 1;
    wdg_writer *w = NULL;
    CHECK_INT(wdg_writer_open(&w, path, &o, NULL), 0);
    if (!w)
        return;
    for (int i = 0; i < N; i++) {
        wdg_writer_event ev;
        memset(&ev, 0, sizeof ev);
        ev.op = "x", ev.tid = 1, ev.t = strtoull(want[i], NULL, 10);
        ev.has_timeout = 1, ev.timeout = -(int64_t)ev.t;
        CHECK_INT(wdg_writer_emit(w, &ev), 0);
    }
    CHECK_INT(wdg_writer_close(w, NULL), 0);
    char *s = slurp(path, NULL);
    CHECK(s != NULL);
    for (int i = 0; s && i < N; i++) {
        char line[256], expect[256];
        nth_line(s, i + 1, line, sizeof line);
        snprintf(expect, sizeof expect, "{\"t\":%s,\"tid\":1,\"op\":\"x\",\"timeout\":-%s}", want[i],
                 want[i]);
        CHECK_STR(line, expect);
    }
    free(s);
    unlink(path);
}

/* entry_site: thread.create's entry_pc as a module site, in place of the
 * number; read back as a site; 256 bytes refused */
void test_writer_entry_site(void)
{
    char path[256];
    tmp_path(path, sizeof path, "entry.jsonl");
    wdg_writer *w = open_plain(path);
    if (!w)
        return;
    wdg_writer_event ev;
    memset(&ev, 0, sizeof ev);
    ev.op = "thread.create", ev.t = 1, ev.tid = 1, ev.new_tid = 10, ev.entry_pc = 0x824D2878u;
    ev.entry_site = "record-progs+0x12da";
    CHECK_INT(wdg_writer_emit(w, &ev), 0);
    char long_site[257];
    memset(long_site, 'x', 256);
    long_site[256] = 0;
    ev.entry_site = long_site;
    CHECK_INT(wdg_writer_emit(w, &ev), WDG_EUSAGE);
    wdg_error err;
    CHECK_INT(wdg_writer_close(w, &err), 0);
    char *s = slurp(path, NULL);
    CHECK(s != NULL);
    if (!s)
        return;
    char line[4096];
    nth_line(s, 1, line, sizeof line);
    CHECK_STR(line, "{\"t\":1,\"tid\":1,\"op\":\"thread.create\",\"new_tid\":10,"
                    "\"entry_pc\":\"record-progs+0x12da\"}");
    nth_line(s, 2, line, sizeof line);
    CHECK(strncmp(line, "{\"op\":\"trace.end\"", 17) == 0);
    free(s);

    wdg_ops *ops = NULL;
    wdg_trace *t = NULL;
    const char *paths[1] = {path};
    CHECK_INT(wdg_ops_new(&ops, &err), 0);
    CHECK_INT(wdg_load_traces(&t, paths, 1, ops, NULL, NULL, 0, &err), 0);
    if (t) {
        char a[64];
        CHECK_INT(t->malformed, 0);
        CHECK_INT(t->n_events, 1);
        wdg_event_ext x_buf, *x = t->n_events ? wdg_event_ext_of(t, &t->events[0], &x_buf) : NULL;
        CHECK(x != NULL);
        if (x)
            CHECK_STR(wdg_addr_format(wdg_ops_sites(ops), wdg_x_entry_pc(x), a, sizeof a),
                      "record-progs+0x12DA");
        wdg_trace_free(t);
    }
    wdg_ops_free(ops);
    unlink(path);
}
