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
