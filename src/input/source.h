/* source.h - a trace file as a sequence of lines.
 *
 * Plain files are mmap'ed and lines point into the mapping; gzip and zstd
 * input (detected from magic bytes) and stdin/pipes are streamed through a
 * bounded buffer.  A line is returned without its '\n' and without one
 * trailing '\r'.  A line longer than WDG_MAX_LINE is returned cut to that
 * length with *too_long set; the rest of it is skipped.
 */
#ifndef WEDGE_SOURCE_H
#define WEDGE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/error.h"

typedef struct wdg_source wdg_source;

int wdg_source_open(wdg_source **out, const char *path, wdg_error *err);
void wdg_source_close(wdg_source *s);

/* "none", "gzip" or "zstd". */
const char *wdg_source_compression(const wdg_source *s);

/* The first bytes of the (decompressed) input, at least 64 KiB or all of
 * it, for format detection.  Consumes nothing.  Valid until the next call
 * on s. */
int wdg_source_peek(wdg_source *s, const char **data, size_t *len, wdg_error *err);

/* 1 = a line, 0 = end of input, < 0 = error (truncated or corrupt stream,
 * read error).  The line is valid until the next call. */
int wdg_source_next_line(wdg_source *s, const char **line, size_t *len,
                         int *too_long, wdg_error *err);

/* Raw (compressed) bytes consumed so far and in all (0 when unknown). */
uint64_t wdg_source_raw_done(const wdg_source *s);
uint64_t wdg_source_raw_total(const wdg_source *s);
/* Decompressed bytes returned so far. */
uint64_t wdg_source_bytes(const wdg_source *s);

#endif
