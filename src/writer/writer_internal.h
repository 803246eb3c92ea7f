/* writer_internal.h - the writer's line formatting (wline.c), shared by
 * writer.c and nothing else.  Every function writes into the caller's
 * memory and allocates nothing; wdg_wline_end() is async-signal-safe. */
#ifndef WEDGE_WRITER_INTERNAL_H
#define WEDGE_WRITER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "wedge/buf.h"
#include "wedge/writer.h"

/* the longest event line: op, site and entry_site escaped (255 bytes, 6
 * each at most: 4590), 64 objects and 64 frames of 21 bytes (2688), and
 * the other fields (under 300) */
#define WDG_WLINE_MAX 8192
/* the longest trace.end line */
#define WDG_WLINE_END_MAX 96

/* ev's line, '\n' included, with time t and thread tid, into out
 * (WDG_WLINE_MAX bytes); returns its length, or WDG_EUSAGE when ev breaks
 * a limit of the format (nothing useful is in out then). */
int wdg_wline_event(char *out, const wdg_writer_event *ev, uint64_t t, uint32_t tid);

/* {"op":"trace.end","t":T,"reason":R}\n into out (WDG_WLINE_END_MAX
 * bytes; reason a plain word of 16 bytes at most, or NULL for none);
 * returns its length. */
size_t wdg_wline_end(char *out, uint64_t t, const char *reason);

/* The header line, '\n' included, appended to b (check b->oom). */
void wdg_wline_header(wdg_buf *b, const wdg_writer_opts *o);

#endif
