/* libFuzzer target, differential: the same bytes read through every
 * transport - a plain file, a gzip file, a zstd file, and stdin (a pipe:
 * streamed) plain, gzip and zstd - must give the same trace: format,
 * counts, malformed reasons, header, import table and events, or the same
 * error.  Only the compression name may differ.  The whole input is
 * compressed, so those compressed streams are complete.
 * Input that is itself compressed (or starts like a zstd skippable frame)
 * is compared as a plain file against stdin only: wrapping it in a second
 * layer would rightly change what is read.  Otherwise, three more checks:
 * - cut streams: the gzip and zstd streams cut at an offset the input's
 *   last two bytes choose are flagged truncated, and their events are a
 *   prefix of the whole input's (when the lines before the cut still show
 *   the same format);
 * - a UTF-8 byte-order mark before the input changes nothing but the byte
 *   count;
 * - a UTF-16 byte-order mark before it is refused on line 1.
 * Every read's lines add up (events + ignored + malformed).  Aborts on any
 * difference. */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "wedge/wedge.h"

#include "fuzz_files.h"

/* The JSONL header (engine, title_id, module_hash, observes) is compared
 * too: each line's header is read afresh, so it never differs by chance.
 * -DFUZZ_COMPARE_HEADER=0 leaves it out. */
#ifndef FUZZ_COMPARE_HEADER
#define FUZZ_COMPARE_HEADER 1
#endif

typedef struct blob {
    uint8_t *data;
    size_t len;
} blob;

/* gzip (one member) of data; 0 on success. */
static int gzip_bytes(const uint8_t *data, size_t size, blob *out)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t cap = deflateBound(&z, (uLong)size) + 64;
    out->data = malloc(cap);
    if (!out->data) {
        deflateEnd(&z);
        return -1;
    }
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)size;
    z.next_out = out->data;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    out->len = cap - z.avail_out;
    deflateEnd(&z);
    return rc == Z_STREAM_END ? 0 : -1;
}

static int zstd_bytes(const uint8_t *data, size_t size, blob *out)
{
    size_t cap = ZSTD_compressBound(size);
    out->data = malloc(cap);
    if (!out->data)
        return -1;
    size_t n = ZSTD_compress(out->data, cap, data, size, 3);
    if (ZSTD_isError(n))
        return -1;
    out->len = n;
    return 0;
}

/* One read: the trace, or the error it gave. */
typedef struct result {
    const char *transport;
    size_t bom;   /* bytes of a UTF-8 byte-order mark put before the input */
    int rc;
    wdg_error err;
    wdg_trace *t;
} result;

static wdg_read_opts read_opts(void)
{
    static wdg_templates *ts;
    if (!ts) {
        wdg_error err = {0};
        /* the templates of fuzz_reader.c: the template reader is a transport
         * client like the others */
        if (wdg_templates_new(&ts, &err) < 0 ||
            wdg_templates_add(ts, "[{t:dec}] T{tid:dec} {op:word} lr={lr:hex} h={obj:hex}", &err) < 0 ||
            wdg_templates_add(ts, "{tid:dec}:{op:word}:{pc:hex}", &err) < 0)
            abort();
    }
    wdg_read_opts ro = {ts, 0, NULL, NULL, 0, 0, 0};
    return ro;
}

static void read_file(result *r, const char *transport, const char *path, const blob *b,
                      wdg_ops *ops)
{
    wdg_read_opts ro = read_opts();
    r->transport = transport;
    r->t = NULL;
    memset(&r->err, 0, sizeof r->err);
    if (fuzz_write_file(path, b->data, b->len) < 0) {
        r->rc = 1;   /* not a result: skipped */
        return;
    }
    r->rc = wdg_trace_read(&r->t, path, ops, &ro, &r->err);
}

/* Reads b as stdin through a pipe.  Small inputs fit in the pipe at once;
 * larger ones are written by a child process while this one reads. */
static void read_stdin(result *r, const char *transport, const blob *b, wdg_ops *ops)
{
    wdg_read_opts ro = read_opts();
    r->transport = transport;
    r->t = NULL;
    r->rc = 1;
    memset(&r->err, 0, sizeof r->err);
    int fds[2];
    if (pipe(fds) < 0)
        return;
    pid_t child = -1;
    if (b->len <= 4096) {
        if (b->len && write(fds[1], b->data, b->len) != (ssize_t)b->len)
            abort();
    } else if ((child = fork()) == 0) {
        close(fds[0]);
        signal(SIGPIPE, SIG_DFL);   /* the reader may stop early */
        size_t done = 0;
        while (done < b->len) {
            ssize_t n = write(fds[1], b->data + done, b->len - done);
            if (n <= 0)
                _exit(0);
            done += (size_t)n;
        }
        _exit(0);
    } else if (child < 0) {
        close(fds[0]);
        close(fds[1]);
        return;
    }
    close(fds[1]);
    int saved = dup(STDIN_FILENO);
    if (saved < 0 || dup2(fds[0], STDIN_FILENO) < 0)
        abort();
    close(fds[0]);
    r->rc = wdg_trace_read(&r->t, "-", ops, &ro, &r->err);
    if (dup2(saved, STDIN_FILENO) < 0)
        abort();
    close(saved);
    if (child > 0)
        waitpid(child, NULL, 0);
}

static void differ(const result *a, const result *b, const char *what, unsigned long long x,
                   unsigned long long y)
{
    fprintf(stderr, "fuzz-transport: %s and %s differ in %s: %llu against %llu\n", a->transport,
            b->transport, what, x, y);
    abort();
}

#define SAME(a, b, field)                                                         \
    do {                                                                          \
        if ((a)->t->field != (b)->t->field)                                       \
            differ(a, b, #field, (unsigned long long)(a)->t->field,               \
                   (unsigned long long)(b)->t->field);                            \
    } while (0)

static void same_ext(const result *a, const result *b, size_t i)
{
    const wdg_event *x = &a->t->events[i], *y = &b->t->events[i];
    wdg_event_ext bx, by;
    const wdg_event_ext *ex = wdg_event_ext_of(a->t, x, &bx), *ey = wdg_event_ext_of(b->t, y, &by);
    if (!ex != !ey)
        differ(a, b, "an event's extra fields", i, i);
    if (!ex)
        return;
    if (ex->cycle != ey->cycle || ex->timeout != ey->timeout || ex->ret != ey->ret ||
        ex->pc != ey->pc || ex->entry_pc != ey->entry_pc || ex->new_tid != ey->new_tid ||
        ex->alias != ey->alias || ex->count != ey->count || ex->objs_n != ey->objs_n ||
        ex->frames_n != ey->frames_n)
        differ(a, b, "an event's extra fields", i, i);
    if ((ex->objs_n && memcmp(a->t->words + ex->objs_off, b->t->words + ey->objs_off,
                              ex->objs_n * sizeof *a->t->words) != 0) ||
        (ex->frames_n && memcmp(a->t->words + ex->frames_off, b->t->words + ey->frames_off,
                                ex->frames_n * sizeof *a->t->words) != 0))
        differ(a, b, "an event's objs or frames", i, i);
}

/* The first n events; tids only when tids is set. */
static void same_events(const result *a, const result *b, size_t n, int tids)
{
    for (size_t i = 0; i < n; i++) {
        const wdg_event *x = &a->t->events[i], *y = &b->t->events[i];
        if (x->t != y->t || (tids && x->tid != y->tid) || x->op != y->op || x->lr != y->lr ||
            x->obj != y->obj || wdg_ev_line(a->t, x) != wdg_ev_line(b->t, y) || x->flags != y->flags ||
            wdg_ev_cat(a->t->ops, x) != wdg_ev_cat(b->t->ops, y))
            differ(a, b, "event (index)", i, i);
        same_ext(a, b, i);
    }
}

static void same(const result *a, const result *b)
{
    if (a->rc > 0 || b->rc > 0)
        return;   /* one could not be set up */
    if (a->rc != b->rc)
        differ(a, b, "result code", (unsigned long long)-a->rc, (unsigned long long)-b->rc);
    if (a->rc < 0) {
        if (a->err.line != b->err.line)
            differ(a, b, "error line", a->err.line, b->err.line);
        return;
    }
    if (strcmp(a->t->format, b->t->format) != 0) {
        fprintf(stderr, "fuzz-transport: %s reads format %s, %s reads %s\n", a->transport,
                a->t->format, b->transport, b->t->format);
        abort();
    }
    if (a->t->bytes + b->bom != b->t->bytes + a->bom)
        differ(a, b, "bytes", a->t->bytes, b->t->bytes);
    if (!a->t->truncated != !b->t->truncated)
        differ(a, b, "truncated", !!a->t->truncated, !!b->t->truncated);
    SAME(a, b, lines);
    SAME(a, b, n_events);
    SAME(a, b, ignored);
    SAME(a, b, malformed);
    for (int r = 0; r < WDG_MAL_COUNT; r++)
        SAME(a, b, malformed_by_reason[r]);
    SAME(a, b, n_samples);
    for (unsigned i = 0; i < a->t->n_samples; i++) {
        SAME(a, b, samples[i].line);
        SAME(a, b, samples[i].reason);
    }
    SAME(a, b, has_header);
    if (FUZZ_COMPARE_HEADER) {
        SAME(a, b, has_observes);
        SAME(a, b, header_observes);
        if (strcmp(a->t->engine, b->t->engine) || strcmp(a->t->title_id, b->t->title_id) ||
            strcmp(a->t->module_hash, b->t->module_hash))
            differ(a, b, "header strings", 0, 0);
    }
    SAME(a, b, probe_events);
    SAME(a, b, n_imports);
    if (a->t->n_imports &&
        memcmp(a->t->imports, b->t->imports, a->t->n_imports * sizeof *a->t->imports) != 0)
        differ(a, b, "import table", 0, 0);
    same_events(a, b, a->t->n_events, 1);
}

static void fail(const result *r, const char *what)
{
    fprintf(stderr, "fuzz-transport: %s: %s\n", r->transport, what);
    abort();
}

static void lines_add_up(const result *r)
{
    if (r->rc == 0 && r->t->lines != r->t->n_events + r->t->ignored + r->t->malformed)
        fail(r, "lines are not events + ignored + malformed");
}

/* A stream cut short keeps every complete line: flagged truncated, the
 * partial last line malformed "truncated", the whole input's events up to
 * the cut.  Only the format may change, when the lines that showed it (a
 * xenia line, a template match) are past the cut; then nothing is
 * compared.  In a xenia log a later thread line binds handles to tids, so
 * tids may differ. */
static void cut_prefix(const result *whole, const result *cut, const uint8_t *data,
                       size_t size)
{
    if (cut->rc > 0)
        return;
    if (cut->rc < 0) {
        if (cut->rc != WDG_EINPUT || strstr(cut->err.msg, "corrupt") ||
            (whole->rc == 0 && !strstr(cut->err.msg, "no known trace format")))
            fail(cut, cut->err.msg);
        return;
    }
    const wdg_trace *c = cut->t, *w = whole->rc == 0 ? whole->t : NULL;
    if (!c->truncated)
        fail(cut, "a cut stream is not flagged truncated");
    if (c->bytes > size)
        fail(cut, "more than the input read from a cut stream");
    /* the bytes after the last newline, and only they, are one line cut */
    if (c->malformed_by_reason[WDG_MAL_TRUNCATED] != (c->bytes && data[c->bytes - 1] != '\n'))
        fail(cut, "the partial last line is not malformed \"truncated\"");
    if (!w || strcmp(w->format, c->format) != 0)
        return;
    if (c->lines > w->lines || c->n_events > w->n_events)
        differ(whole, cut, "lines or events (cut has more)", w->n_events, c->n_events);
    same_events(whole, cut, c->n_events, strcmp(c->format, "xenia-log") != 0);
}

/* prefix + input */
static blob prefixed(const char *prefix, size_t n, const uint8_t *data, size_t size)
{
    blob b = {malloc(n + size + 1), n + size};
    if (!b.data)
        abort();
    memcpy(b.data, prefix, n);
    if (size)
        memcpy(b.data + n, data, size);
    return b;
}

/* Where a stream of len bytes is cut: past its magic number (min bytes),
 * before its end, at the point sel (0..65535) chooses. */
static size_t cut_at(size_t len, size_t min, unsigned sel)
{
    return min + (size_t)(((uint64_t)sel * (len - min)) >> 16);
}

static int refused_utf16(const result *r)
{
    return r->rc == WDG_EINPUT && r->err.line == 1 && strstr(r->err.msg, "UTF-16");
}

static int starts_compressed(const uint8_t *d, size_t n)
{
    return (n >= 2 && d[0] == 0x1f && d[1] == 0x8b) ||
           (n >= 4 && d[0] == 0x28 && d[1] == 0xb5 && d[2] == 0x2f && d[3] == 0xfd) ||
           (n >= 4 && (d[0] & 0xf0) == 0x50 && d[1] == 0x2a && d[2] == 0x4d && d[3] == 0x18);
}

static const char *temp_path(const char *what)
{
    static char path[3][64];
    int i = what[0] == 'p' ? 0 : what[0] == 'g' ? 1 : 2;
    if (!path[i][0])
        snprintf(path[i], sizeof path[i], "/tmp/wedge-fuzz-tr-%d-%s", (int)getpid(), what);
    return path[i];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The cut streams, the UTF-8 mark and the UTF-16 mark (see the top). */
static void more_checks(const result *whole, const uint8_t *data, size_t size, const blob *gz,
                        const blob *zs, wdg_ops *ops)
{
    enum { N = 7 };
    result r[N];
    memset(r, 0, sizeof r);
    unsigned sel = size >= 2 ? (unsigned)data[size - 2] << 8 | data[size - 1] : 0;
    blob gcut = {gz->data, cut_at(gz->len, 2, sel)}, zcut = {zs->data, cut_at(zs->len, 4, sel)};
    read_file(&r[0], "cut gzip file", temp_path("gzip"), &gcut, ops);
    read_stdin(&r[1], "cut gzip stdin", &gcut, ops);
    read_file(&r[2], "cut zstd file", temp_path("zstd"), &zcut, ops);
    read_stdin(&r[3], "cut zstd stdin", &zcut, ops);
    for (int i = 0; i < 4; i++) {
        lines_add_up(&r[i]);
        cut_prefix(whole, &r[i], data, size);
    }
    same(&r[0], &r[1]);
    same(&r[2], &r[3]);

    blob bom = prefixed("\xef\xbb\xbf", 3, data, size), bgz = {NULL, 0};
    if (gzip_bytes(bom.data, bom.len, &bgz) < 0)
        abort();
    read_stdin(&r[4], "UTF-8 mark, plain stdin", &bom, ops);
    read_file(&r[5], "UTF-8 mark, gzip file", temp_path("gzip"), &bgz, ops);
    /* an empty input has no line; the mark alone is one (blank) line.  An
     * input that opens with a mark or with UTF-16 keeps it after ours. */
    int cmp = size && !(size >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) &&
              !refused_utf16(whole);
    for (int i = 4; i < 6; i++) {
        r[i].bom = 3;
        lines_add_up(&r[i]);
        if (cmp)
            same(whole, &r[i]);
    }

    blob u16 = prefixed(sel & 1 ? "\xfe\xff" : "\xff\xfe", 2, data, size), uzs = {NULL, 0};
    if (zstd_bytes(u16.data, u16.len, &uzs) < 0)
        abort();
    read_file(&r[6], "UTF-16 mark, zstd file", temp_path("zstd"), &uzs, ops);
    if (r[6].rc <= 0 && !refused_utf16(&r[6]))
        fail(&r[6], "UTF-16 not refused on line 1");

    for (int i = 0; i < N; i++)
        wdg_trace_free(r[i].t);
    free(bom.data);
    free(bgz.data);
    free(u16.data);
    free(uzs.data);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    enum { N = 6 };
    result r[N];
    memset(r, 0, sizeof r);
    blob plain = {(uint8_t *)(uintptr_t)data, size}, gz = {NULL, 0}, zs = {NULL, 0};
    wdg_ops *ops = NULL;
    wdg_error err = {0};
    int n = 0;
    /* one op table: op ids then compare directly */
    if (wdg_ops_new(&ops, &err) < 0)
        abort();
    read_file(&r[n++], "plain file", temp_path("plain"), &plain, ops);
    read_stdin(&r[n++], "plain stdin", &plain, ops);
    if (!starts_compressed(data, size)) {
        if (gzip_bytes(data, size, &gz) < 0 || zstd_bytes(data, size, &zs) < 0)
            abort();
        read_file(&r[n++], "gzip file", temp_path("gzip"), &gz, ops);
        read_stdin(&r[n++], "gzip stdin", &gz, ops);
        read_file(&r[n++], "zstd file", temp_path("zstd"), &zs, ops);
        read_stdin(&r[n++], "zstd stdin", &zs, ops);
    }
    for (int i = 0; i < n; i++)
        lines_add_up(&r[i]);
    for (int i = 1; i < n; i++)
        same(&r[0], &r[i]);
    if (gz.data)
        more_checks(&r[0], data, size, &gz, &zs, ops);
    for (int i = 0; i < n; i++)
        wdg_trace_free(r[i].t);
    unlink(temp_path("plain"));
    unlink(temp_path("gzip"));
    unlink(temp_path("zstd"));
    free(gz.data);
    free(zs.data);
    wdg_ops_free(ops);
    return 0;
}
