/* wedge/outfile.h - output files written whole or not at all.
 *
 * A regular file (or a path that does not exist yet) is written under a
 * temporary name, ".wedge-PID-N.tmp", in its own directory, and renamed
 * over the path by wdg_outfile_commit() once every byte is written and the
 * file is closed.  So a write that fails (full disk, quota, file size
 * limit, I/O error) leaves the path as it was - an older file stays whole -
 * and wdg_outfile_abort() removes the temporary.  A path naming something
 * else (a FIFO, /dev/stdout, /dev/null) is written in place; a symbolic
 * link is followed and the file it leads to replaced (a link that leads
 * nowhere is an error: it is never replaced by a file).  This is about failed
 * writes, not power cuts: files are not fsync()ed.
 *
 * Files are opened relative to their directory, so a directory whose path
 * is close to PATH_MAX still takes any name that fits NAME_MAX; no path is
 * ever cut short.
 *
 * Errors: WDG_EOUTPUT (WDG_ENOMEM when memory runs out) with the path as
 * the error's file and "cannot write: REASON" (the errno text) as message.
 *
 * Ownership: wdg_outfile_open*() fills *o; on failure *o is left released
 * (as WDG_OUTFILE_INIT).  Every opened outfile ends in exactly one
 * wdg_outfile_commit() or wdg_outfile_abort(), which release it; both do
 * nothing to a released outfile.  The temporary names come from an
 * unlocked counter: open outfiles from one thread at a time.
 */
#ifndef WEDGE_OUTFILE_H
#define WEDGE_OUTFILE_H

#include <stddef.h>

#include "wedge/api.h"
#include "wedge/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wdg_outfile {
    int fd;            /* -1 once closed */
    int dirfd;         /* the directory the names below are in */
    int in_place;      /* not a regular file: written directly */
    int failed;        /* errno of the first failure, 0 when none */
    char *path;        /* the path, for messages */
    char *name;        /* the final name in dirfd */
    char tmp[48];      /* the temporary name in dirfd */
} wdg_outfile;

#define WDG_OUTFILE_INIT {-1, -1, 0, 0, NULL, NULL, {0}}

/* Opens path, or name inside directory dir, for writing. */
WDG_API int wdg_outfile_open(wdg_outfile *o, const char *path, wdg_error *err);
WDG_API int wdg_outfile_open_in(wdg_outfile *o, const char *dir, const char *name, wdg_error *err);
/* Writes all n bytes. */
WDG_API int wdg_outfile_write(wdg_outfile *o, const void *data, size_t n, wdg_error *err);
/* Closes the file (late write errors show here) without renaming it yet,
 * so that several files can be completed before any replaces its path. */
WDG_API int wdg_outfile_close(wdg_outfile *o, wdg_error *err);
/* Closes the file if still open and renames it over its path; on failure
 * removes the temporary.  Releases o either way. */
WDG_API int wdg_outfile_commit(wdg_outfile *o, wdg_error *err);
/* Closes and removes the temporary; releases o. */
WDG_API void wdg_outfile_abort(wdg_outfile *o);
/* mkdir -p: dir and its parents, as they do not exist yet.  No copy of
 * dir is cut short, so a path too long fails (WDG_EOUTPUT naming it); an
 * empty name is WDG_EUSAGE. */
WDG_API int wdg_mkdir_p(const char *dir, wdg_error *err);
/* open, write, commit: path holds the n bytes at data, or is unchanged. */
WDG_API int wdg_outfile_save(const char *path, const void *data, size_t n, wdg_error *err);

#ifdef __cplusplus
}
#endif

#endif
