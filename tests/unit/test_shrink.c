/* A plain trace cut short while it is read (an engine still writing, log
 * rotation): the reader must end at what exists and flag the trace, never
 * die of SIGBUS as a mapped reader does. */
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "wedge/wedge.h"

enum { LINES = 600000, CUT_AT = 20 << 20 };

typedef struct shrink_ctx {
    const char *path;
    int calls;
} shrink_ctx;

/* Progress comes every 2^18 lines: the first call cuts the file. */
static void cut_file(void *ud, const char *path, uint64_t done, uint64_t total)
{
    (void)path, (void)done, (void)total;
    shrink_ctx *c = ud;
    if (c->calls++ == 0 && truncate(c->path, CUT_AT) != 0)
        perror("truncate");
}

void test_source_shrinks(void)
{
    wdg_buf b = WDG_BUF_INIT;
    for (int i = 0; i < LINES; i++)
        wdg_buf_printf(&b, "{\"t\":%d,\"tid\":%d,\"op\":\"KeSetEvent\",\"lr\":\"0x%08X\"}\n",
                       i, i % 7, 0x82000000 + (i % 13) * 4);
    CHECK(b.len > (size_t)CUT_AT + (8 << 20));
    const char *path = t_tempfile(b.ptr, b.len);
    shrink_ctx c = {path, 0};
    wdg_read_opts opts = {0};
    opts.progress = cut_file;
    opts.progress_ud = &c;
    wdg_error err = {0};
    wdg_ops *ops;
    wdg_ops_new(&ops, &err);
    wdg_trace *t = t_load(path, ops, &opts, &err);
    CHECK(t != NULL);
    if (t) {
        CHECK(c.calls >= 1);
        CHECK_STR(t->truncated, "the file shrank while it was read");
        CHECK(t->n_events >= 262144 && t->n_events < LINES);
        CHECK_INT(t->lines, t->n_events + t->ignored + t->malformed);
        CHECK_INT(t->bytes, CUT_AT);
        /* the line the cut fell in is counted, as truncated */
        CHECK_INT(t->malformed_by_reason[WDG_MAL_TRUNCATED], 1);
        wdg_trace_free(t);
    }
    /* under --strict a trace cut short is an input error */
    path = t_tempfile(b.ptr, b.len);
    c.path = path;
    c.calls = 0;
    opts.strict = 1;
    t = t_load(path, ops, &opts, &err);
    CHECK(t == NULL);
    CHECK_INT(err.code, WDG_EINPUT);
    CHECK(strstr(err.msg, "shrank") != NULL);
    wdg_trace_free(t);
    wdg_ops_free(ops);
    wdg_buf_free(&b);
}

/* An event's rarer fields are stored as a record of only the fields it
 * has (wedge/trace.h), after the event's line, so a wait with a timeout
 * keeps 12 bytes besides its 32-byte event, a release its count 8, a
 * two-object wait its list 16; every field and every line reads back as it
 * was given, sites and 64-bit values included. */
void test_event_records(void)
{
    static const char text[] =
        "{\"t\":1,\"tid\":1,\"op\":\"KeDelayExecutionThread\",\"timeout\":-10000}\n"
        "{\"t\":2,\"tid\":1,\"op\":\"KeReleaseSemaphore\",\"obj\":\"0x10\",\"count\":3}\n"
        "{\"t\":3,\"tid\":1,\"op\":\"KeWaitForMultipleObjects\",\"objs\":[\"0x10\",\"0x20\"]}\n"
        "{\"t\":4,\"tid\":1,\"op\":\"KeSetEvent\",\"obj\":\"0x30\"}\n"
        "{\"t\":5,\"tid\":2,\"op\":\"KeWaitForMultipleObjects\",\"cycle\":-5,\"ret\":4294967297,"
        "\"pc\":\"lib.so+0x10\",\"objs\":[\"0x10\",\"lib.so+0x99\"],\"frames\":[\"0x40\"],"
        "\"timeout\":7}\n";
    wdg_error err = {0};
    wdg_ops *ops;
    wdg_ops_new(&ops, &err);
    wdg_trace *t = t_load(t_tempfile(text, sizeof text - 1), ops, NULL, &err);
    CHECK(t != NULL);
    if (!t) {
        wdg_ops_free(ops);
        return;
    }
    CHECK_INT(t->n_events, 5);
    /* a line word per record: 1+2, 1+1, 1+3 words, none for KeSetEvent,
     * then 1 + 2+2+2+1 + 1+4 + 1+1 */
    CHECK_INT(sizeof(wdg_event), 32);
    CHECK_INT(t->n_words, 9 + 15);
    CHECK_INT(wdg_trace_mem_bytes(t), 5 * sizeof(wdg_event) + 24 * 4);
    for (size_t i = 0; i < 5; i++)
        CHECK_INT(wdg_ev_line(t, &t->events[i]), i + 1);
    CHECK(!(t->events[3].flags & WDG_EV_EXT) && (t->events[4].flags & WDG_EV_EXT));
    wdg_event_ext xb, *x = wdg_event_ext_of(t, &t->events[0], &xb);
    CHECK(x && x->timeout == -10000 && x->count == 0 && x->objs_n == 0);
    x = wdg_event_ext_of(t, &t->events[1], &xb);
    CHECK(x && x->count == 3 && x->timeout == 0);
    x = wdg_event_ext_of(t, &t->events[2], &xb);
    CHECK(x && x->objs_n == 2 && wdg_x_obj(t, x, 0) == 0x10 && wdg_x_obj(t, x, 1) == 0x20);
    CHECK(wdg_event_ext_of(t, &t->events[3], &xb) == NULL);
    x = wdg_event_ext_of(t, &t->events[4], &xb);
    CHECK(x && x->cycle == -5 && x->ret == 4294967297LL && x->timeout == 7);
    CHECK(x && wdg_addr_is_site(wdg_x_pc(x)) && x->objs_n == 2 && x->frames_n == 1);
    CHECK(x && wdg_x_obj(t, x, 0) == 0x10 && wdg_addr_is_site(wdg_x_obj(t, x, 1)));
    CHECK(x && wdg_x_frame(t, x, 0) == 0x40);
    wdg_trace_free(t);
    wdg_ops_free(ops);
}

/* An event's line is in its record when it has one (wedge/trace.h): lines
 * read back the same whether or not the event has a record, after the
 * sort by t (ties in line order) and after a read in two chunks, whose
 * second chunk's lines (records' included) are shifted. */
void test_event_lines(void)
{
    static const char text[] =
        "{\"t\":5,\"tid\":1,\"op\":\"KeSetEvent\",\"obj\":\"0x30\"}\n"
        "not json\n"
        "{\"t\":3,\"tid\":1,\"op\":\"KeReleaseSemaphore\",\"obj\":\"0x10\",\"count\":3}\n"
        "{\"t\":5,\"tid\":2,\"op\":\"KeDelayExecutionThread\",\"timeout\":-10000}\n"
        "{\"t\":1,\"tid\":2,\"op\":\"KeSetEvent\",\"obj\":\"0x31\"}\n"
        "{\"t\":3,\"tid\":2,\"op\":\"KeSetEvent\",\"obj\":\"0x32\"}\n"
        "{\"t\":5,\"tid\":1,\"op\":\"KeReleaseSemaphore\",\"obj\":\"0x10\",\"count\":1}\n";
    static const uint32_t lines[] = {5, 3, 6, 1, 4, 7};
    const char *path = t_tempfile(text, sizeof text - 1);
    for (int chunks = 1; chunks <= 2; chunks++) {
        wdg_error err = {0};
        wdg_ops *ops;
        wdg_ops_new(&ops, &err);
        wdg_read_opts ro = {0};
        ro.threads = chunks == 2 ? 0 : 1;
        ro.chunk_min = chunks == 2 ? 1 : 0;
        wdg_trace *t = t_load(path, ops, &ro, &err);
        CHECK(t != NULL);
        if (t) {
            CHECK_INT(t->n_events, 6);
            CHECK_INT(t->malformed, 1);
            for (size_t i = 0; i < 6 && i < t->n_events; i++)
                CHECK_INT(wdg_ev_line(t, &t->events[i]), lines[i]);
            wdg_event_ext xb, *x = wdg_event_ext_of(t, &t->events[1], &xb);
            CHECK(x && x->count == 3);
            x = wdg_event_ext_of(t, &t->events[5], &xb);
            CHECK(x && x->count == 1);
            CHECK_INT(t->first_line, 1);
            CHECK_INT(t->last_line, 7);
        }
        wdg_trace_free(t);
        wdg_ops_free(ops);
    }
}
