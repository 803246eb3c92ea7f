#define _GNU_SOURCE
#include "source.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>


enum { CODEC_NONE, CODEC_GZIP, CODEC_ZSTD };
enum {
    RAW_CHUNK = 1 << 18,
    PEEK_MIN = 1 << 16,
    /* room for the longest line plus a large read, so most reads are big */
    BUF_CAP = WDG_SOURCE_MAX_LINE + (1 << 22),
    /* decoded blocks queued by the decoder thread */
    BLOCK = 1 << 20,
    BLOCKS = 12
};

/* Compressed input is decoded on a thread of its own, BLOCKS blocks
 * ahead of the lines handed out, so that decompression and parsing
 * overlap on two cores.  The first block is decoded before the thread
 * starts (zlib's allocations all happen there, in line order); when the
 * thread or its blocks cannot be had, decoding stays inline: same bytes. */
typedef struct decoder {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    char *blk[BLOCKS];
    size_t len[BLOCKS];
    size_t head, count, off;  /* the ring of full blocks; off into the head */
    int done, rc, stop;       /* the thread has finished (rc < 0: err) */
    wdg_error err;
    uint64_t raw_done;        /* raw_done as of the last block */
} decoder;

/* Why plain files are read, not mapped: a mapped file that another process
 * truncates (an engine still writing, log rotation) raises SIGBUS on the
 * next access to a vanished page, and no check made before the access can
 * rule that out.  read() just returns less.  Reading into one buffer that
 * stays in cache costs about what the page faults of a mapping cost. */
struct wdg_source {
    const char *path;
    int fd, own_fd;
    int codec;
    /* compressed input, read from fd into raw_buf */
    unsigned char *raw_buf;
    size_t raw_pos, raw_len;  /* window of unconsumed raw bytes */
    uint64_t raw_done, raw_total;
    int raw_eof;
    /* decoded bytes */
    char *buf;
    size_t pos, fill;
    int eof;          /* no more decoded bytes will come */
    int skipping;     /* discarding the rest of an over-long line */
    uint64_t bytes;
    z_stream z;
    int z_live, z_ended;
    ZSTD_DCtx *zd;
    size_t zstd_last;
    const char *truncated;   /* why the input ends early; NULL when whole */
    int tried_thread;
    decoder *dec;            /* the decoder thread, NULL when inline */
    int dec_eof;             /* the decoder's own end of input */
    int ranged;              /* a chunk: reads stop at raw_total bytes */
    int pend_rc;             /* an error met by read_lines, returned after */
    wdg_error pend_err;      /* the lines before it (decode_more) */
};

const char *wdg_source_compression(const wdg_source *s)
{
    return s->codec == CODEC_GZIP ? "gzip" : s->codec == CODEC_ZSTD ? "zstd" : "none";
}

int wdg_source_is_file(const wdg_source *s)
{
    struct stat st;
    return fstat(s->fd, &st) == 0 && S_ISREG(st.st_mode);
}

uint64_t wdg_source_raw_done(const wdg_source *s)
{
    if (!s->dec)
        return s->raw_done;
    pthread_mutex_lock(&s->dec->mu);
    uint64_t v = s->dec->raw_done;
    pthread_mutex_unlock(&s->dec->mu);
    return v;
}
uint64_t wdg_source_raw_total(const wdg_source *s) { return s->raw_total; }
uint64_t wdg_source_bytes(const wdg_source *s) { return s->bytes; }
const char *wdg_source_truncated(const wdg_source *s) { return s->truncated; }

static const char *display(const wdg_source *s)
{
    return strcmp(s->path, "-") == 0 ? "<stdin>" : s->path;
}

static int stopping(wdg_source *s)
{
    pthread_mutex_lock(&s->dec->mu);
    int v = s->dec->stop;
    pthread_mutex_unlock(&s->dec->mu);
    return v;
}

/* On the decoder thread: 1 once fd has data (or its end), 0 when the
 * source is being closed, so that a pipe whose writer stalls cannot hold
 * up wdg_source_close(). */
static int wait_readable(wdg_source *s)
{
    struct pollfd p = {s->fd, POLLIN, 0};
    while (!stopping(s))
        if (poll(&p, 1, 100) != 0)
            return 1;
    return 0;
}

/* read() up to cap bytes into dst; 0 at end of file, < 0 on error. */
static ssize_t read_some(wdg_source *s, void *dst, size_t cap, wdg_error *err)
{
    ssize_t n;
    if (s->ranged && cap > s->raw_total - s->raw_done)
        cap = (size_t)(s->raw_total - s->raw_done);
    if (s->ranged && cap == 0)
        return 0;
    if (s->dec && !wait_readable(s))
        return 0;   /* closing: the lines are no longer wanted */
    do
        n = read(s->fd, dst, cap);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        return wdg_error_set(err, WDG_EINPUT, display(s), 0, "read error: %s",
                             strerror(errno));
    s->raw_done += (uint64_t)n;
    /* a regular file that ends before the size it had at open was cut
     * while being read (raw_total is 0 for anything else) */
    if (n == 0 && s->raw_done < s->raw_total)
        s->truncated = "the file shrank while it was read";
    return n;
}

/* Makes raw bytes available in [raw_pos, raw_len) of raw_buf. */
static int raw_fill(wdg_source *s, wdg_error *err)
{
    if (s->raw_eof || s->raw_pos < s->raw_len)
        return 0;
    ssize_t n = read_some(s, s->raw_buf, RAW_CHUNK, err);
    if (n < 0)
        return (int)n;
    s->raw_pos = 0;
    s->raw_len = (size_t)n;
    if (n == 0)
        s->raw_eof = 1;
    return 0;
}

static const unsigned char *raw_ptr(const wdg_source *s) { return s->raw_buf + s->raw_pos; }

static int decode_gzip(wdg_source *s, char *dst, size_t *fill, size_t avail, size_t room,
                       wdg_error *err)
{
    if (avail == 0) {
        /* a killed writer leaves a member open: keep what it wrote */
        if (!s->z_ended)
            s->truncated = "the gzip stream ends inside a member";
        s->dec_eof = 1;
        return 0;
    }
    if (s->z_ended && *raw_ptr(s) == 0) {
        s->raw_pos++;   /* zero padding after the last member, as gzip -d allows */
        return 0;
    }
    if (s->z_ended) {
        /* another member follows; inflate was set up for gzip only, so a
         * zlib or raw deflate stream here is reported corrupt.  inflate
         * judges the magic only once it has both bytes, so a lone stray
         * byte at the end would pass for a cut member: check the first. */
        if (*raw_ptr(s) != 0x1f)
            return wdg_error_set(err, WDG_EINPUT, display(s), 0,
                                 "corrupt gzip stream: data after a member is not gzip");
        if (inflateReset(&s->z) != Z_OK)
            return wdg_error_set(err, WDG_EINPUT, display(s), 0, "gzip reset failed");
        s->z_ended = 0;
    }
    s->z.next_in = (Bytef *)raw_ptr(s);
    s->z.avail_in = (uInt)avail;
    s->z.next_out = (Bytef *)dst + *fill;
    s->z.avail_out = (uInt)room;
    int zr = inflate(&s->z, Z_NO_FLUSH);
    s->raw_pos += avail - s->z.avail_in;
    *fill += room - s->z.avail_out;
    if (zr == Z_STREAM_END)
        s->z_ended = 1;
    else if (zr == Z_MEM_ERROR)
        return wdg_error_set(err, WDG_ENOMEM, display(s), 0, "out of memory");
    else if (zr != Z_OK && zr != Z_BUF_ERROR)
        return wdg_error_set(err, WDG_EINPUT, display(s), 0, "corrupt gzip stream: %s",
                             s->z.msg ? s->z.msg : "inflate failed");
    return 0;
}

static int decode_zstd(wdg_source *s, char *dst, size_t *fill, size_t avail, size_t room,
                       wdg_error *err)
{
    if (avail == 0) {
        if (s->zstd_last != 0)
            s->truncated = "the zstd stream ends inside a frame";
        s->dec_eof = 1;
        return 0;
    }
    ZSTD_inBuffer in = {raw_ptr(s), avail, 0};
    ZSTD_outBuffer out = {dst + *fill, room, 0};
    size_t zr = ZSTD_decompressStream(s->zd, &out, &in);
    if (ZSTD_isError(zr) && ZSTD_getErrorCode(zr) == ZSTD_error_memory_allocation)
        return wdg_error_set(err, WDG_ENOMEM, display(s), 0, "out of memory");
    if (ZSTD_isError(zr))
        return wdg_error_set(err, WDG_EINPUT, display(s), 0, "corrupt zstd stream: %s",
                             ZSTD_getErrorName(zr));
    s->zstd_last = zr;
    s->raw_pos += in.pos;
    *fill += out.pos;
    return 0;
}

/* Decodes compressed input into dst[*fill..cap), at least one byte
 * unless at the end (then dec_eof is set); fill_all: until dst is full. */
static int decode_into(wdg_source *s, char *dst, size_t *fill, size_t cap, int fill_all,
                       wdg_error *err)
{
    size_t before = *fill;
    while (!s->dec_eof && *fill < cap && (fill_all || *fill == before)) {
        int rc = raw_fill(s, err);
        if (rc < 0)
            return rc;
        size_t avail = s->raw_len - s->raw_pos;
        if (avail > UINT32_MAX / 2)
            avail = UINT32_MAX / 2;
        rc = s->codec == CODEC_GZIP ? decode_gzip(s, dst, fill, avail, cap - *fill, err)
                                    : decode_zstd(s, dst, fill, avail, cap - *fill, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void *decoder_main(void *arg)
{
    wdg_source *s = arg;
    decoder *d = s->dec;
    for (;;) {
        pthread_mutex_lock(&d->mu);
        while (d->count == BLOCKS && !d->stop)
            pthread_cond_wait(&d->cv, &d->mu);
        int stop = d->stop;
        size_t slot = (d->head + d->count) % BLOCKS;
        pthread_mutex_unlock(&d->mu);
        if (stop)
            break;
        size_t got = 0;
        int rc = decode_into(s, d->blk[slot], &got, BLOCK, 1, &d->err);
        pthread_mutex_lock(&d->mu);
        if (got) {
            d->len[slot] = got;
            d->count++;
        }
        d->raw_done = s->raw_done;
        d->done = rc < 0 || s->dec_eof || d->stop;
        d->rc = rc;
        pthread_cond_broadcast(&d->cv);
        int done = d->done;
        pthread_mutex_unlock(&d->mu);
        if (done)
            break;
    }
    return NULL;
}

static void decoder_free(decoder *d)
{
    for (int i = 0; i < BLOCKS; i++)
        free(d->blk[i]);
    free(d);
}

/* The decoder thread, or nothing (decoding stays inline) when it cannot
 * be had: a matter of speed only. */
static void decoder_start(wdg_source *s)
{
    s->tried_thread = 1;
    decoder *d = calloc(1, sizeof *d);
    if (!d)
        return;
    for (int i = 0; i < BLOCKS; i++)
        if (!(d->blk[i] = malloc(BLOCK))) {
            decoder_free(d);
            return;
        }
    d->raw_done = s->raw_done;
    if (pthread_mutex_init(&d->mu, NULL) != 0) {
        decoder_free(d);
        return;
    }
    if (pthread_cond_init(&d->cv, NULL) != 0) {
        pthread_mutex_destroy(&d->mu);
        decoder_free(d);
        return;
    }
    s->dec = d;
    if (pthread_create(&d->th, NULL, decoder_main, s) != 0) {
        s->dec = NULL;
        pthread_cond_destroy(&d->cv);
        pthread_mutex_destroy(&d->mu);
        decoder_free(d);
    }
}

static void decoder_stop(wdg_source *s)
{
    decoder *d = s->dec;
    if (!d)
        return;
    pthread_mutex_lock(&d->mu);
    d->stop = 1;
    pthread_cond_broadcast(&d->cv);
    pthread_mutex_unlock(&d->mu);
    pthread_join(d->th, NULL);
    pthread_cond_destroy(&d->cv);
    pthread_mutex_destroy(&d->mu);
    decoder_free(d);
    s->dec = NULL;
}

/* Copies decoded bytes from the decoder thread's blocks into
 * dst[*fill..*fill+room). */
static int take_blocks(wdg_source *s, char *dst, size_t *fill, size_t room, wdg_error *err)
{
    decoder *d = s->dec;
    pthread_mutex_lock(&d->mu);
    while (d->count == 0 && !d->done)
        pthread_cond_wait(&d->cv, &d->mu);
    int rc = 0;
    if (d->count) {
        size_t n = d->len[d->head] - d->off;
        if (n > room)
            n = room;
        memcpy(dst + *fill, d->blk[d->head] + d->off, n);
        *fill += n;
        d->off += n;
        if (d->off == d->len[d->head]) {
            d->head = (d->head + 1) % BLOCKS;
            d->count--;
            d->off = 0;
            pthread_cond_broadcast(&d->cv);
        }
    } else if (d->rc < 0) {
        if (err)
            *err = d->err;
        rc = d->rc;
    } else {
        s->eof = 1;   /* truncated is final: the thread wrote it before done */
    }
    pthread_mutex_unlock(&d->mu);
    return rc;
}

/* Decodes (or reads) more bytes into dst[*fill..cap), at least one
 * unless at the end (then eof is set). */
static int more_into(wdg_source *s, char *dst, size_t *fill, size_t cap, wdg_error *err)
{
    size_t room = cap - *fill;
    if (room == 0)
        return 0;
    if (s->pend_rc) {
        if (err)
            *err = s->pend_err;
        return s->pend_rc;
    }
    if (s->codec == CODEC_NONE) {
        ssize_t n = read_some(s, dst + *fill, room, err);
        if (n < 0)
            return (int)n;
        if (n == 0)
            s->eof = 1;
        *fill += (size_t)n;
        return 0;
    }
    if (s->dec)
        return take_blocks(s, dst, fill, room, err);
    int rc = decode_into(s, dst, fill, cap, 0, err);
    if (rc < 0)
        return rc;
    s->eof = s->dec_eof;
    if (!s->tried_thread && !s->eof)
        decoder_start(s);
    return 0;
}

/* Decodes more bytes into buf[fill..BUF_CAP). */
static int decode_more(wdg_source *s, wdg_error *err)
{
    return more_into(s, s->buf, &s->fill, BUF_CAP, err);
}

/* Reads until at least 4 bytes are buffered (a pipe may deliver less), to
 * see a magic number. */
static int fill_magic(wdg_source *s, unsigned char *dst, size_t cap, size_t *len,
                      wdg_error *err)
{
    *len = 0;
    while (*len < 4) {
        ssize_t n = read_some(s, dst + *len, cap - *len, err);
        if (n < 0)
            return (int)n;
        if (n == 0)
            break;
        *len += (size_t)n;
    }
    return 0;
}

static int detect_codec(const unsigned char *p, size_t n)
{
    if (n >= 2 && p[0] == 0x1f && p[1] == 0x8b)
        return CODEC_GZIP;
    if (n >= 4 && p[0] == 0x28 && p[1] == 0xb5 && p[2] == 0x2f && p[3] == 0xfd)
        return CODEC_ZSTD;
    /* a zstd skippable frame first, which zstd -d reads too */
    if (n >= 4 && (p[0] & 0xf0) == 0x50 && p[1] == 0x2a && p[2] == 0x4d && p[3] == 0x18)
        return CODEC_ZSTD;
    return CODEC_NONE;
}

static int open_fd(wdg_source *s, wdg_error *err)
{
    if (strcmp(s->path, "-") == 0) {
        s->fd = STDIN_FILENO;
    } else {
        s->fd = open(s->path, O_RDONLY | O_CLOEXEC);
        if (s->fd < 0)
            return wdg_error_set(err, WDG_EINPUT, s->path, 0, "cannot open: %s",
                                 strerror(errno));
        s->own_fd = 1;
    }
    struct stat st;
    if (fstat(s->fd, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return wdg_error_set(err, WDG_EINPUT, display(s), 0, "is a directory");
        /* stdin may be a file another command has already read from:
         * what is left is what lies past its offset */
        off_t at = lseek(s->fd, 0, SEEK_CUR);
        if (S_ISREG(st.st_mode) && at >= 0 && at <= st.st_size) {
            s->raw_total = (uint64_t)(st.st_size - at);
            posix_fadvise(s->fd, 0, 0, POSIX_FADV_SEQUENTIAL);
        }
    }
    return 0;
}

/* zlib allocates through wedge's calloc and free, so that the allocation
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

static int start_codec(wdg_source *s, wdg_error *err)
{
    if (s->codec == CODEC_GZIP) {
        s->z.zalloc = z_alloc;
        s->z.zfree = z_free;
        int zr = inflateInit2(&s->z, 15 + 16);
        if (zr != Z_OK)
            return zr == Z_MEM_ERROR
                       ? wdg_error_set(err, WDG_ENOMEM, display(s), 0, "out of memory")
                       : wdg_error_set(err, WDG_EINTERNAL, display(s), 0, "zlib init failed");
        s->z_live = 1;
    } else if (s->codec == CODEC_ZSTD) {
        s->zd = ZSTD_createDCtx();
        if (!s->zd)
            return wdg_error_set(err, WDG_ENOMEM, display(s), 0, "out of memory");
    }
    return 0;
}

/* A source with path's file open and nothing read: 0, or < 0 with *out
 * NULL and nothing left open. */
static int source_new(wdg_source **out, const char *path, wdg_error *err)
{
    *out = NULL;
    wdg_source *s = calloc(1, sizeof *s);
    if (!s)
        return wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
    s->path = path;
    s->fd = -1;
    int rc = open_fd(s, err);
    if (rc < 0) {
        wdg_source_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

int wdg_source_open(wdg_source **out, const char *path, wdg_error *err)
{
    wdg_source *s;
    int rc = source_new(&s, path, err);
    if (rc < 0)
        return rc;
    s->buf = malloc(BUF_CAP);
    s->raw_buf = malloc(RAW_CHUNK);
    if (!s->buf || !s->raw_buf) {
        rc = wdg_error_set(err, WDG_ENOMEM, display(s), 0, "out of memory");
        goto done;
    }
    size_t head;
    if ((rc = fill_magic(s, s->raw_buf, RAW_CHUNK, &head, err)) < 0)
        goto done;
    s->codec = detect_codec(s->raw_buf, head);
    if (s->codec == CODEC_NONE) {
        /* plain bytes go straight to the line buffer */
        memcpy(s->buf, s->raw_buf, head);
        s->fill = head;
        s->eof = head == 0;
    } else {
        s->raw_len = head;
        s->raw_eof = head == 0;
    }
    rc = start_codec(s, err);
done:
    if (rc < 0) {
        wdg_source_close(s);
        return rc;
    }
    *out = s;
    return 0;
}

int wdg_source_open_range(wdg_source **out, const char *path, uint64_t start, uint64_t end,
                          wdg_error *err)
{
    wdg_source *s;
    int rc = source_new(&s, path, err);
    if (rc < 0)
        return rc;
    if (lseek(s->fd, (off_t)start, SEEK_SET) < 0)
        rc = wdg_error_set(err, WDG_EINPUT, display(s), 0, "cannot seek: %s", strerror(errno));
    if (rc == 0 && !(s->buf = malloc(BUF_CAP)))
        rc = wdg_error_set(err, WDG_ENOMEM, display(s), 0, "out of memory");
    if (rc < 0) {
        wdg_source_close(s);
        return rc;
    }
    s->raw_total = end - start;
    s->ranged = 1;
    s->eof = start == end;
    *out = s;
    return 0;
}

/* The first newline at or after from, by pread in blocks; -1 when none. */
static int64_t newline_from(int fd, uint64_t from, uint64_t size)
{
    char blk[1 << 16];
    while (from < size) {
        ssize_t n = pread(fd, blk, sizeof blk, (off_t)from);
        if (n <= 0)
            return -1;
        const char *nl = memchr(blk, '\n', (size_t)n);
        if (nl)
            return (int64_t)(from + (uint64_t)(nl - blk));
        from += (uint64_t)n;
    }
    return -1;
}

int wdg_source_split(const char *path, uint64_t min_size, uint64_t *split, uint64_t *size)
{
    if (strcmp(path, "-") == 0)
        return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    unsigned char head[4];
    int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 2 &&
             (uint64_t)st.st_size >= min_size && pread(fd, head, 4, 0) >= 2 &&
             detect_codec(head, (size_t)st.st_size < 4 ? (size_t)st.st_size : 4) == CODEC_NONE;
    if (ok) {
        *size = (uint64_t)st.st_size;
        int64_t nl = newline_from(fd, *size / 2, *size);
        /* the second chunk starts a line and holds at least one byte */
        ok = nl >= 0 && (uint64_t)nl + 1 < *size;
        if (ok)
            *split = (uint64_t)nl + 1;
    }
    close(fd);
    return ok;
}

void wdg_source_close(wdg_source *s)
{
    if (!s)
        return;
    decoder_stop(s);
    if (s->own_fd)
        close(s->fd);
    if (s->z_live)
        inflateEnd(&s->z);
    ZSTD_freeDCtx(s->zd);
    free(s->raw_buf);
    free(s->buf);
    free(s);
}

int wdg_source_peek(wdg_source *s, const char **data, size_t *len, wdg_error *err)
{
    while (!s->eof && s->fill - s->pos < PEEK_MIN && s->fill < BUF_CAP) {
        int rc = decode_more(s, err);
        if (rc < 0)
            return rc;
    }
    /* the same bytes whatever the transport, so what is judged from them
     * never depends on it */
    *data = s->buf + s->pos;
    *len = s->fill - s->pos < PEEK_MIN ? s->fill - s->pos : PEEK_MIN;
    return 0;
}

static void trim_cr(const char *line, size_t *len)
{
    if (*len && line[*len - 1] == '\r')
        (*len)--;
}

static void take(wdg_source *s, size_t n)
{
    s->pos += n;
    s->bytes += n;
}

int wdg_source_next_line(wdg_source *s, const char **line, size_t *len, int *flag,
                         wdg_error *err)
{
    *flag = WDG_LINE_WHOLE;
    for (;;) {
        char *start = s->buf + s->pos;
        size_t avail = s->fill - s->pos;
        char *nl = avail ? memchr(start, '\n', avail) : NULL;
        if (s->skipping) {
            /* discard the rest of an over-long line already returned */
            take(s, nl ? (size_t)(nl - start) + 1 : avail);
            if (nl) {
                s->skipping = 0;
                continue;
            }
            s->pos = s->fill = 0;
        } else if (nl && (size_t)(nl - start) <= WDG_SOURCE_MAX_LINE) {
            *line = start;
            *len = (size_t)(nl - start);
            take(s, *len + 1);
            trim_cr(start, len);
            return 1;
        } else if (avail > WDG_SOURCE_MAX_LINE) {
            *line = start;
            *len = WDG_SOURCE_MAX_LINE;
            *flag = WDG_LINE_TOO_LONG;
            s->skipping = 1;
            take(s, WDG_SOURCE_MAX_LINE);
            return 1;
        } else if (s->eof) {
            if (!avail)
                return 0;
            *line = start;
            *len = avail;
            take(s, avail);
            if (s->truncated)
                *flag = WDG_LINE_CUT;   /* the writer stopped inside it */
            else
                trim_cr(start, len);
            return 1;
        } else if (s->pos) {
            /* move the partial line to the front to make room */
            memmove(s->buf, start, avail);
            s->pos = 0;
            s->fill = avail;
        }
        if (s->eof)
            return 0;
        int rc = decode_more(s, err);
        if (rc < 0)
            return rc;
    }
}

/* The decoded bytes go from the decoder's blocks straight into dst (the
 * one copy a line buffer costs too); only the part line after the last
 * newline goes back into buf.  Whatever stops the run of whole lines (an
 * error, no newline, a line being skipped) puts every byte back, so that
 * next_line hands out the same lines and then the error, as without. */
int wdg_source_read_lines(wdg_source *s, char *dst, size_t cap, size_t *len)
{
    if (s->skipping || s->pend_rc || cap > WDG_SOURCE_RUN_MAX)
        return 0;
    size_t fill = s->fill - s->pos;
    if (fill >= cap) {
        /* enough lines already buffered (after the sample) */
        const char *start = s->buf + s->pos, *last = memrchr(start, '\n', cap);
        if (!last)
            return 0;
        *len = (size_t)(last - start) + 1;
        memcpy(dst, start, *len);
        take(s, *len);
        return 1;
    }
    memcpy(dst, s->buf + s->pos, fill);
    s->pos = s->fill = 0;
    while (fill < cap && !s->eof) {
        int rc = more_into(s, dst, &fill, cap, &s->pend_err);
        if (rc < 0) {
            s->pend_rc = rc;
            break;
        }
    }
    const char *nl = fill ? memrchr(dst, '\n', fill) : NULL;
    size_t n = nl && !s->pend_rc ? (size_t)(nl - dst) + 1 : 0;
    memcpy(s->buf, dst + n, fill - n);
    s->fill = fill - n;
    s->bytes += n;
    *len = n;
    return n > 0;
}

size_t wdg_source_ready(wdg_source *s)
{
    decoder *d = s->dec;
    if (s->codec == CODEC_NONE || s->eof || (!d && s->dec_eof))
        return SIZE_MAX;
    if (!d)
        return 0;
    pthread_mutex_lock(&d->mu);
    size_t n = d->done ? SIZE_MAX : 0;
    for (size_t i = 0; i < d->count && !d->done; i++)
        n += d->len[(d->head + i) % BLOCKS] - (i ? 0 : d->off);
    pthread_mutex_unlock(&d->mu);
    return n;
}
