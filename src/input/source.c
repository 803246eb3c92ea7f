#define _GNU_SOURCE
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "wedge/trace.h"

enum { CODEC_NONE, CODEC_GZIP, CODEC_ZSTD };
enum { RAW_CHUNK = 1 << 18, PEEK_MIN = 1 << 16, BUF_CAP = WDG_MAX_LINE + (1 << 22) };

struct wdg_source {
    const char *path;
    int fd, own_fd;
    int codec;
    /* raw input: a mapping, or reads from fd into raw_buf */
    const unsigned char *map;
    size_t map_len;
    unsigned char *raw_buf;
    size_t raw_pos, raw_len;  /* window of unconsumed raw bytes */
    uint64_t raw_done, raw_total;
    int raw_eof;
    /* decoded bytes for the streaming path */
    char *buf;
    size_t pos, fill;
    int eof;          /* no more decoded bytes will come */
    int skipping;     /* discarding the rest of an over-long line */
    uint64_t bytes;
    z_stream z;
    int z_live, z_ended;
    ZSTD_DCtx *zd;
    size_t zstd_last;
    int zstd_any;
    /* plain mapped files */
    size_t mpos;
};

const char *wdg_source_compression(const wdg_source *s)
{
    return s->codec == CODEC_GZIP ? "gzip" : s->codec == CODEC_ZSTD ? "zstd" : "none";
}

uint64_t wdg_source_raw_done(const wdg_source *s) { return s->raw_done; }
uint64_t wdg_source_raw_total(const wdg_source *s) { return s->raw_total; }
uint64_t wdg_source_bytes(const wdg_source *s) { return s->bytes; }

static const char *display(const wdg_source *s)
{
    return strcmp(s->path, "-") == 0 ? "<stdin>" : s->path;
}

/* Makes raw bytes available in [raw_pos, raw_len) of the mapping or of
 * raw_buf.  Returns 0, or < 0 on a read error. */
static int raw_fill(wdg_source *s, wdg_error *err)
{
    if (s->map || s->raw_eof || s->raw_pos < s->raw_len)
        return 0;
    ssize_t n;
    do
        n = read(s->fd, s->raw_buf, RAW_CHUNK);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return wdg_error_set(err, WDG_EINPUT, display(s), 0, "read error: %s",
                             strerror(errno));
    s->raw_pos = 0;
    s->raw_len = (size_t)n;
    if (n == 0)
        s->raw_eof = 1;
    return 0;
}

static const unsigned char *raw_ptr(const wdg_source *s)
{
    return (s->map ? s->map : s->raw_buf) + s->raw_pos;
}

static void raw_consume(wdg_source *s, size_t n)
{
    s->raw_pos += n;
    s->raw_done += n;
    if (s->map && s->raw_pos >= s->raw_len)
        s->raw_eof = 1;
}

/* Decodes more bytes into buf[fill..cap).  Sets eof at the end. */
static int decode_more(wdg_source *s, wdg_error *err)
{
    size_t room = BUF_CAP - s->fill;
    if (room == 0)
        return 0;
    while (!s->eof) {
        int rc = raw_fill(s, err);
        if (rc < 0)
            return rc;
        size_t avail = s->raw_len - s->raw_pos;
        if (s->codec == CODEC_NONE) {
            if (avail == 0) {
                s->eof = 1;
                break;
            }
            size_t n = avail < room ? avail : room;
            memcpy(s->buf + s->fill, raw_ptr(s), n);
            raw_consume(s, n);
            s->fill += n;
            return 0;
        }
        if (s->codec == CODEC_GZIP) {
            if (avail == 0) {
                if (!s->z_ended)
                    return wdg_error_set(err, WDG_EINPUT, display(s), 0,
                                         "truncated gzip stream");
                s->eof = 1;
                break;
            }
            if (s->z_ended) {
                /* another gzip member follows */
                if (inflateReset(&s->z) != Z_OK)
                    return wdg_error_set(err, WDG_EINPUT, display(s), 0, "gzip reset failed");
                s->z_ended = 0;
            }
            s->z.next_in = (Bytef *)raw_ptr(s);
            s->z.avail_in = (uInt)(avail > UINT32_MAX / 2 ? UINT32_MAX / 2 : avail);
            s->z.next_out = (Bytef *)s->buf + s->fill;
            s->z.avail_out = (uInt)room;
            uInt in_before = s->z.avail_in;
            int zr = inflate(&s->z, Z_NO_FLUSH);
            raw_consume(s, in_before - s->z.avail_in);
            size_t produced = room - s->z.avail_out;
            s->fill += produced;
            if (zr == Z_STREAM_END)
                s->z_ended = 1;
            else if (zr == Z_MEM_ERROR)
                return wdg_error_set(err, WDG_ENOMEM, display(s), 0, "out of memory");
            else if (zr != Z_OK && zr != Z_BUF_ERROR)
                return wdg_error_set(err, WDG_EINPUT, display(s), 0,
                                     "corrupt gzip stream: %s",
                                     s->z.msg ? s->z.msg : "inflate failed");
            if (produced)
                return 0;
            continue;
        }
        /* zstd */
        if (avail == 0) {
            if (s->zstd_last != 0 || !s->zstd_any)
                return wdg_error_set(err, WDG_EINPUT, display(s), 0,
                                     "truncated zstd stream");
            s->eof = 1;
            break;
        }
        ZSTD_inBuffer in = {raw_ptr(s), avail, 0};
        ZSTD_outBuffer out = {s->buf + s->fill, room, 0};
        size_t zr = ZSTD_decompressStream(s->zd, &out, &in);
        if (ZSTD_isError(zr) && ZSTD_getErrorCode(zr) == ZSTD_error_memory_allocation)
            return wdg_error_set(err, WDG_ENOMEM, display(s), 0, "out of memory");
        if (ZSTD_isError(zr))
            return wdg_error_set(err, WDG_EINPUT, display(s), 0,
                                 "corrupt zstd stream: %s", ZSTD_getErrorName(zr));
        s->zstd_any = 1;
        s->zstd_last = zr;
        raw_consume(s, in.pos);
        s->fill += out.pos;
        if (out.pos)
            return 0;
    }
    return 0;
}

/* zlib allocates through wedge's calloc and free, so that an allocation
 * failure test reaches its allocations too */
static voidpf z_alloc(voidpf opaque, uInt items, uInt size)
{
    (void)opaque;
    return calloc(items, size);
}

static void z_free(voidpf opaque, voidpf p)
{
    (void)opaque;
    free(p);
}

int wdg_source_open(wdg_source **out, const char *path, wdg_error *err)
{
    wdg_source *s = calloc(1, sizeof *s);
    if (!s)
        return wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
    s->path = path;
    int rc = 0;
    if (strcmp(path, "-") == 0) {
        s->fd = STDIN_FILENO;
    } else {
        s->fd = open(path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0) {
            rc = wdg_error_set(err, WDG_EINPUT, path, 0, "cannot open: %s", strerror(errno));
            goto done;
        }
        s->own_fd = 1;
    }
    struct stat st;
    if (fstat(s->fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        rc = wdg_error_set(err, WDG_EINPUT, display(s), 0, "is a directory");
        goto done;
    }
    if (fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, s->fd, 0);
        if (m != MAP_FAILED) {
            s->map = m;
            s->map_len = (size_t)st.st_size;
            s->raw_len = s->map_len;
            s->raw_total = s->map_len;
            madvise(m, s->map_len, MADV_SEQUENTIAL);
        }
    }
    if (!s->map) {
        s->raw_buf = malloc(RAW_CHUNK);
        if (!s->raw_buf) {
            rc = wdg_error_set(err, WDG_ENOMEM, display(s), 0, "out of memory");
            goto done;
        }
        if (S_ISREG(st.st_mode))
            s->raw_total = (uint64_t)st.st_size;
    }
    rc = raw_fill(s, err);
    if (rc < 0)
        goto done;
    /* Fill enough raw bytes to see a magic number (a pipe may deliver less). */
    if (!s->map) {
        while (!s->raw_eof && s->raw_len < 4) {
            ssize_t n = read(s->fd, s->raw_buf + s->raw_len, RAW_CHUNK - s->raw_len);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            s->raw_len += (size_t)n;
        }
    }
    const unsigned char *p = raw_ptr(s);
    size_t avail = s->raw_len - s->raw_pos;
    if (avail >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        s->codec = CODEC_GZIP;
    else if (avail >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
        s->codec = CODEC_ZSTD;
    if (s->codec == CODEC_GZIP) {
        s->z.zalloc = z_alloc;
        s->z.zfree = z_free;
        int zr = inflateInit2(&s->z, 15 + 32);
        if (zr != Z_OK) {
            rc = zr == Z_MEM_ERROR ? wdg_error_set(err, WDG_ENOMEM, display(s), 0, "out of memory")
                                   : wdg_error_set(err, WDG_EINTERNAL, display(s), 0,
                                                   "zlib init failed");
            goto done;
        }
        s->z_live = 1;
    } else if (s->codec == CODEC_ZSTD) {
        s->zd = ZSTD_createDCtx();
        if (!s->zd) {
            rc = wdg_error_set(err, WDG_ENOMEM, display(s), 0, "out of memory");
            goto done;
        }
    }
    if (s->codec != CODEC_NONE || !s->map) {
        s->buf = malloc(BUF_CAP);
        if (!s->buf) {
            rc = wdg_error_set(err, WDG_ENOMEM, display(s), 0, "out of memory");
            goto done;
        }
    }
    if (s->map && s->codec == CODEC_NONE)
        s->bytes = 0;
done:
    if (rc < 0) {
        wdg_source_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

void wdg_source_close(wdg_source *s)
{
    if (!s)
        return;
    if (s->map)
        munmap((void *)s->map, s->map_len);
    if (s->own_fd)
        close(s->fd);
    if (s->z_live)
        inflateEnd(&s->z);
    ZSTD_freeDCtx(s->zd);
    free(s->raw_buf);
    free(s->buf);
    free(s);
}

static int is_plain_map(const wdg_source *s)
{
    return s->map && s->codec == CODEC_NONE;
}

int wdg_source_peek(wdg_source *s, const char **data, size_t *len, wdg_error *err)
{
    if (is_plain_map(s)) {
        *data = (const char *)s->map;
        *len = s->map_len < PEEK_MIN ? s->map_len : PEEK_MIN;
        return 0;
    }
    while (!s->eof && s->fill - s->pos < PEEK_MIN) {
        size_t before = s->fill;
        int rc = decode_more(s, err);
        if (rc < 0)
            return rc;
        if (s->fill == before && !s->eof && s->fill == BUF_CAP)
            break;
    }
    *data = s->buf + s->pos;
    *len = s->fill - s->pos;
    return 0;
}

static void trim_cr(const char *line, size_t *len)
{
    if (*len && line[*len - 1] == '\r')
        (*len)--;
}

static int next_mapped(wdg_source *s, const char **line, size_t *len, int *too_long)
{
    if (s->mpos >= s->map_len)
        return 0;
    const char *start = (const char *)s->map + s->mpos;
    size_t rest = s->map_len - s->mpos;
    const char *nl = memchr(start, '\n', rest);
    size_t n = nl ? (size_t)(nl - start) : rest;
    s->mpos += n + (nl ? 1 : 0);
    s->raw_done = s->mpos;
    s->bytes = s->mpos;
    *line = start;
    *too_long = n > WDG_MAX_LINE;
    *len = *too_long ? WDG_MAX_LINE : n;
    if (!*too_long)
        trim_cr(start, len);
    return 1;
}

int wdg_source_next_line(wdg_source *s, const char **line, size_t *len,
                         int *too_long, wdg_error *err)
{
    *too_long = 0;
    if (is_plain_map(s))
        return next_mapped(s, line, len, too_long);
    for (;;) {
        char *start = s->buf + s->pos;
        size_t avail = s->fill - s->pos;
        char *nl = avail ? memchr(start, '\n', avail) : NULL;
        if (s->skipping) {
            /* discard the rest of an over-long line already returned */
            if (nl) {
                s->pos += (size_t)(nl - start) + 1;
                s->bytes += (size_t)(nl - start) + 1;
                s->skipping = 0;
                continue;
            }
            s->bytes += avail;
            s->pos = s->fill = 0;
            if (s->eof)
                return 0;
            int rc = decode_more(s, err);
            if (rc < 0)
                return rc;
            continue;
        }
        if (nl && (size_t)(nl - start) <= WDG_MAX_LINE) {
            *line = start;
            *len = (size_t)(nl - start);
            s->pos += *len + 1;
            s->bytes += *len + 1;
            trim_cr(start, len);
            return 1;
        }
        if (avail > WDG_MAX_LINE) {
            *line = start;
            *len = WDG_MAX_LINE;
            *too_long = 1;
            s->skipping = 1;
            s->bytes += WDG_MAX_LINE;
            s->pos += WDG_MAX_LINE;
            return 1;
        }
        if (s->eof) {
            if (!avail)
                return 0;
            *line = start;
            *len = avail;
            s->pos = s->fill;
            s->bytes += avail;
            trim_cr(start, len);
            return 1;
        }
        /* move the partial line to the front, then decode more */
        if (s->pos) {
            memmove(s->buf, start, avail);
            s->pos = 0;
            s->fill = avail;
        }
        int rc = decode_more(s, err);
        if (rc < 0)
            return rc;
    }
}
