/* rec.h - the recorder's core (rec_core.c), shared by the interposers
 * (preload.c) and nothing else.  Not part of the library: these files
 * build build/libwedge-record.so, an LD_PRELOAD library (docs/wedge.md,
 * "wedge record"). */
#ifndef WEDGE_REC_H
#define WEDGE_REC_H

#include <stdint.h>

#include "wedge/writer.h"

/* what the environment set by `wedge record` names */
#define REC_ENV_OUT "WEDGE_RECORD_OUT"
#define REC_ENV_DROP "WEDGE_RECORD_DROP"

/* The trace, or NULL when nothing is recorded (no WEDGE_RECORD_OUT, the
 * trace could not be opened, or a child forked without exec). */
wdg_writer *rec_writer(void);

/* Set while this thread runs an interposer or the writer, so that a call
 * the recorder makes itself (or a signal handler's call nested in an
 * interposer) is passed through unrecorded.  rec_enter() returns 0 when
 * the call must not be recorded (already inside, or nothing to record). */
int rec_enter(void);
void rec_leave(void);
/* 1 while this thread is inside (the writer's calls and thread) */
int rec_is_inside(void);
/* Marks the calling thread as the writer's own (its flusher): never recorded. */
void rec_forever_inside(void);

/* The event's call site and frames from ret, the interposer's return
 * address, and fp, its frame address: ev->site points into site (at least
 * REC_SITE_MAX bytes), ev->frames into frames (REC_FRAMES). */
#define REC_SITE_MAX 256
#define REC_FRAMES 4
/* finds the calling thread's stack top, for the frame walk */
void rec_stack_init(void);
void rec_where(wdg_writer_event *ev, void *ret, void *fp, char *site, uint64_t *frames);

/* "module+0xOFF" of addr into out (REC_SITE_MAX bytes): 1, or 0 when no
 * module holds addr (out untouched). */
int rec_site(uintptr_t addr, char *out);

/* 1 when the producer call at site is the one WEDGE_RECORD_DROP=SITE:N
 * names (its N-th call): the interposer then skips the real call. */
int rec_drop(const char *site);

/* What a file descriptor is, from fstat once (cached until close or dup2):
 * REC_FD_PIPE (a pipe or socket: its inode in *ino), REC_FD_EVENTFD, or
 * REC_FD_OTHER.  Async-signal-safe. */
enum { REC_FD_OTHER = 1, REC_FD_PIPE = 2, REC_FD_EVENTFD = 3 };
int rec_fd_kind(int fd, uint64_t *ino);
void rec_fd_set(int fd, int kind);
void rec_fd_forget(int fd);

/* The real function name (dlsym RTLD_NEXT; the pthread_cond_* ones by
 * their current version), or NULL. */
void *rec_real(const char *name);

#endif
