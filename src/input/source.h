/* source.h - a trace file as a sequence of lines.
 *
 * Plain files, gzip and zstd input (detected from magic bytes) and
 * stdin/pipes are all streamed through one bounded buffer (plain files are
 * read, not mapped: see source.c).  A line is returned without its '\n' and without one
 * trailing '\r'.  A line longer than WDG_MAX_LINE is returned cut to that
 * length flagged WDG_LINE_TOO_LONG; the rest of it is skipped.
 *
 * Input that ends early is not an error: a gzip or zstd stream cut inside a
 * member or frame (a writer killed mid-write), or a plain file that shrinks
 * while it is read, ends the lines there.  The bytes after the last newline
 * come back as one line flagged WDG_LINE_CUT, and wdg_source_truncated()
 * says why the input is short.  Corrupt data stays an error.
 */
#ifndef WEDGE_SOURCE_H
#define WEDGE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/error.h"

/* The longest line a source hands out whole; a longer one comes as a
 * too_long flag.  The public WDG_MAX_LINE (wedge/trace.h) equals it, checked
 * where both are seen (src/formats/reader.c). */
#define WDG_SOURCE_MAX_LINE (1u << 20)
/* The most bytes wdg_source_read_lines copies at once. */
#define WDG_SOURCE_RUN_MAX (4u << 20)

typedef struct wdg_source wdg_source;

int wdg_source_open(wdg_source **out, const char *path, wdg_error *err);
void wdg_source_close(wdg_source *s);

/* One chunk of a plain file: its bytes [start, end) as lines, with no
 * compression check (wdg_source_split has looked).  start is a line's
 * first byte; the chunk's line numbers count from 1. */
int wdg_source_open_range(wdg_source **out, const char *path, uint64_t start, uint64_t end,
                          wdg_error *err);
/* 1 when path is an uncompressed regular file of at least min_size bytes
 * with a newline at or after its middle that is not its last byte: then
 * *split is the byte after that newline and *size the file's size, so
 * that [0, split) and [split, size) are two chunks of whole lines. */
int wdg_source_split(const char *path, uint64_t min_size, uint64_t *split, uint64_t *size);

/* "none", "gzip" or "zstd". */
const char *wdg_source_compression(const wdg_source *s);

/* The first 64 KiB of the (decompressed) input, or all of it when
 * shorter: the same bytes whatever the transport.  Consumes nothing.  Valid
 * until the next call on s. */
int wdg_source_peek(wdg_source *s, const char **data, size_t *len, wdg_error *err);

enum { WDG_LINE_WHOLE = 0, WDG_LINE_TOO_LONG = 1, WDG_LINE_CUT = 2 };

/* 1 = a line (*flag one of WDG_LINE_*), 0 = end of input, < 0 = error
 * (corrupt stream, read error).  The line is valid until the next call. */
int wdg_source_next_line(wdg_source *s, const char **line, size_t *len,
                         int *flag, wdg_error *err);

/* A run of whole lines for a caller that splits them itself: up to cap
 * bytes (at most WDG_SOURCE_RUN_MAX) copied into dst, ending at a newline; 1 with *len
 * set, or 0 when no such run comes next (the next line is longer than
 * cap or being skipped, the input ends without a newline, an error is
 * due): then take the next line with next_line, which also returns the
 * error.  The lines are consumed as next_line would have handed them
 * out; they hold lines longer than WDG_SOURCE_MAX_LINE whole. */
int wdg_source_read_lines(wdg_source *s, char *dst, size_t cap, size_t *len);

/* Decoded bytes waiting to be taken: what the decoder thread is ahead by
 * (0 when it has no block ready yet, and when decoding is done inline),
 * without waiting; SIZE_MAX when nothing is left to decode, and for plain
 * input, which costs this process no decoding. */
size_t wdg_source_ready(wdg_source *s);

/* 1 when the input is a regular file (also stdin redirected from one),
 * 0 for a pipe, a terminal or a socket, whose writer may pause. */
int wdg_source_is_file(const wdg_source *s);

/* Why the input ended early (a static string), or NULL when it is whole.
 * Final once next_line has returned 0. */
const char *wdg_source_truncated(const wdg_source *s);

/* Raw (compressed) bytes consumed so far and in all (0 when unknown). */
uint64_t wdg_source_raw_done(const wdg_source *s);
uint64_t wdg_source_raw_total(const wdg_source *s);
/* Decompressed bytes returned so far. */
uint64_t wdg_source_bytes(const wdg_source *s);

#endif
