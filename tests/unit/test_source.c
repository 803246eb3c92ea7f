/* The input stage: mmap, streams, compression, line splitting. */
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>

#include "../../src/input/source.h"
#include "harness.h"
#include "wedge/wedge.h"

/* Collects lines joined by '|' ('!' for a too-long one, '~' before a cut one). */
static int read_all(const char *path, char *out, size_t cap, int *too_long_seen, wdg_error *err)
{
    wdg_source *s;
    int rc = wdg_source_open(&s, path, err);
    if (rc < 0)
        return rc;
    size_t o = 0;
    out[0] = 0;
    *too_long_seen = 0;
    const char *line;
    size_t len;
    int tl;
    while ((rc = wdg_source_next_line(s, &line, &len, &tl, err)) > 0) {
        if (tl == WDG_LINE_CUT && o + 1 < cap)
            out[o++] = '~';
        if (tl == WDG_LINE_TOO_LONG) {
            (*too_long_seen)++;
            if (o + 2 < cap)
                out[o++] = '!', out[o++] = '|';
            continue;
        }
        if (o + len + 2 < cap) {
            memcpy(out + o, line, len);
            o += len;
            out[o++] = '|';
        }
    }
    out[o] = 0;
    wdg_source_close(s);
    return rc;
}

/* Reads path to the end; the reason it was short, or NULL. */
static const char *source_truncated(const char *path)
{
    wdg_source *s;
    wdg_error err;
    if (wdg_source_open(&s, path, &err) < 0)
        return "(open failed)";
    const char *line;
    size_t len;
    int flag;
    while (wdg_source_next_line(s, &line, &len, &flag, &err) > 0)
        ;
    const char *why = wdg_source_truncated(s);
    wdg_source_close(s);
    return why;
}

static const char *gz_file(const char *data, size_t len, int members)
{
    const char *p = t_tempfile("", 0);
    for (int m = 0; m < members; m++) {
        gzFile g = gzopen(p, m ? "ab" : "wb");
        gzwrite(g, data, (unsigned)len);
        gzclose(g);
    }
    return p;
}

static const char *zst_file(const char *data, size_t len, size_t cut)
{
    size_t cap = ZSTD_compressBound(len);
    char *z = malloc(cap);
    size_t n = ZSTD_compress(z, cap, data, len, 3);
    const char *p = t_tempfile(z, n - cut);
    free(z);
    return p;
}

void test_source_plain(void)
{
    char out[256];
    int tl;
    wdg_error err = {0};
    CHECK_INT(read_all(t_tempfile("a\nb\n", 4), out, sizeof out, &tl, &err), 0);
    CHECK_STR(out, "a|b|");
    CHECK_INT(read_all(t_tempfile("a\r\nb", 4), out, sizeof out, &tl, &err), 0);
    CHECK_STR(out, "a|b|");
    CHECK_INT(read_all(t_tempfile("", 0), out, sizeof out, &tl, &err), 0);
    CHECK_STR(out, "");
    CHECK_INT(read_all(t_tempfile("\n\n", 2), out, sizeof out, &tl, &err), 0);
    CHECK_STR(out, "||");
    CHECK_INT(read_all("/nonexistent/wedge", out, sizeof out, &tl, &err), WDG_EINPUT);
    CHECK(strstr(err.msg, "cannot open") != NULL);
    CHECK_STR(err.file, "/nonexistent/wedge");
    CHECK_INT(read_all("/tmp", out, sizeof out, &tl, &err), WDG_EINPUT);
}

void test_source_compressed(void)
{
    char out[256];
    int tl;
    wdg_error err = {0};
    const char *text = "one\ntwo\r\nthree";
    CHECK_INT(read_all(gz_file(text, strlen(text), 1), out, sizeof out, &tl, &err), 0);
    CHECK_STR(out, "one|two|three|");
    /* two gzip members read as one stream */
    CHECK_INT(read_all(gz_file("x\n", 2, 2), out, sizeof out, &tl, &err), 0);
    CHECK_STR(out, "x|x|");
    CHECK_INT(read_all(zst_file(text, strlen(text), 0), out, sizeof out, &tl, &err), 0);
    CHECK_STR(out, "one|two|three|");
    /* a truncated stream keeps every complete line, returns the partial
     * last one flagged cut, and says why it is short */
    const char *gz = gz_file(text, strlen(text), 1);
    FILE *f = fopen(gz, "rb");
    char raw[256];
    size_t n = fread(raw, 1, sizeof raw, f);
    fclose(f);
    const char *cut = t_tempfile(raw, n - 6);
    CHECK_INT(read_all(cut, out, sizeof out, &tl, &err), 0);
    CHECK_STR(out, "one|two|~three|");
    CHECK_STR(source_truncated(cut), "the gzip stream ends inside a member");
    CHECK(source_truncated(gz) == NULL);
    const char *zcut = zst_file(text, strlen(text), 3);
    CHECK_INT(read_all(zcut, out, sizeof out, &tl, &err), 0);
    CHECK_STR(source_truncated(zcut), "the zstd stream ends inside a frame");
    /* corrupt gzip body stays fatal */
    memset(raw + 12, 0xff, 4);
    CHECK_INT(read_all(t_tempfile(raw, n), out, sizeof out, &tl, &err), WDG_EINPUT);
    /* a bare magic number and nothing else: a stream cut at once */
    CHECK_INT(read_all(t_tempfile("\x28\xb5\x2f\xfd", 4), out, sizeof out, &tl, &err), 0);
    CHECK_STR(out, "");
    CHECK_STR(source_truncated(t_tempfile("\x1f\x8b", 2)), "the gzip stream ends inside a member");

    /* a big compressed JSONL trace reads the same as the plain one */
    wdg_buf b = WDG_BUF_INIT;
    for (int i = 0; i < 50000; i++)
        wdg_buf_printf(&b, "{\"t\":%d,\"tid\":%d,\"op\":\"KeSetEvent\",\"lr\":\"0x%08X\"}\n", i,
                       i % 7, 0x82000000 + (i % 13) * 4);
    wdg_ops *ops;
    wdg_ops_new(&ops, &err);
    wdg_trace *plain = t_load(t_tempfile(b.ptr, b.len), ops, NULL, &err);
    wdg_trace *z = t_load(zst_file(b.ptr, b.len, 0), ops, NULL, &err);
    wdg_trace *g = t_load(gz_file(b.ptr, b.len, 1), ops, NULL, &err);
    CHECK(plain && z && g);
    if (plain && z && g) {
        CHECK_INT(plain->n_events, 50000);
        CHECK_INT(z->n_events, 50000);
        CHECK_INT(g->n_events, 50000);
        CHECK_STR(z->compression, "zstd");
        CHECK_STR(g->compression, "gzip");
        CHECK(memcmp(plain->events, z->events, 50000 * sizeof *plain->events) == 0);
        CHECK(memcmp(plain->events, g->events, 50000 * sizeof *plain->events) == 0);
    }
    wdg_trace_free(plain);
    wdg_trace_free(z);
    wdg_trace_free(g);
    wdg_ops_free(ops);
    wdg_buf_free(&b);
}

void test_source_long_lines(void)
{
    /* a line over WDG_MAX_LINE is one malformed line, in both paths */
    size_t big = WDG_MAX_LINE + 100;
    char *data = malloc(big + 200);
    size_t o = 0;
    o += (size_t)sprintf(data + o, "{\"tid\":1,\"op\":\"A\"}\n{\"tid\":1,\"op\":\"");
    memset(data + o, 'x', big);
    o += big;
    o += (size_t)sprintf(data + o, "\"}\n{\"tid\":2,\"op\":\"B\"}\n");
    char out[64];
    int tl;
    wdg_error err = {0};
    (void)out;
    wdg_ops *ops;
    wdg_ops_new(&ops, &err);
    const char *paths[2] = {t_tempfile(data, o), gz_file(data, o, 1)};
    for (int i = 0; i < 2; i++) {
        wdg_trace *t = t_load(paths[i], ops, NULL, &err);
        CHECK(t != NULL);
        if (!t)
            continue;
        CHECK_INT(t->lines, 3);
        CHECK_INT(t->n_events, 2);
        CHECK_INT(t->malformed, 1);
        CHECK_INT(t->malformed_by_reason[WDG_MAL_TOO_LONG], 1);
        CHECK_INT(t->samples[0].line, 2);
        CHECK_STR(wdg_ops_name(ops, t->events[1].op), "B");
        wdg_trace_free(t);
    }
    char buf[256];
    CHECK_INT(read_all(paths[1], buf, sizeof buf, &tl, &err), 0);
    CHECK_INT(tl, 1);
    wdg_ops_free(ops);
    free(data);
}
