/* wedge/error.h - errors as values.
 *
 * Every fallible library function returns 0 on success or a negative
 * WDG_E* code, and fills the caller's wdg_error (when not NULL) with a
 * one-line message.  Where input is involved the error names the file and
 * the 1-based line number (0 = the file as a whole).  The library never
 * exits the process; the command line turns codes into exit statuses with
 * wdg_exit_status().
 */
#ifndef WEDGE_ERROR_H
#define WEDGE_ERROR_H

#include <stdint.h>

#include "wedge/api.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    WDG_OK = 0,
    WDG_EUSAGE = -1,     /* bad option or argument            -> exit 64 */
    WDG_EMALFORMED = -2, /* malformed line under --strict     -> exit 65 */
    WDG_EINPUT = -3,     /* unreadable, truncated, no format  -> exit 66 */
    WDG_ENOMEM = -4,     /* out of memory                     -> exit 71 */
    WDG_EOUTPUT = -5,    /* cannot write an output file       -> exit 73 */
    WDG_EINTERNAL = -6   /* a bug in wedge                    -> exit 70 */
};

#define WDG_ERROR_MSG_MAX 512
#define WDG_ERROR_FILE_MAX 4096   /* a whole path (PATH_MAX) */

typedef struct wdg_error {
    int code;                        /* one of WDG_E*, 0 when clear */
    uint64_t line;                   /* 1-based input line, 0 when none */
    char file[WDG_ERROR_FILE_MAX];   /* input file, "" when none */
    char msg[WDG_ERROR_MSG_MAX];     /* message without file/line prefix */
} wdg_error;

/* Fills err (if not NULL) and returns code, so callers can write
 * `return wdg_error_set(err, WDG_EINPUT, path, 0, "...")`. */
WDG_API int wdg_error_set(wdg_error *err, int code, const char *file, uint64_t line,
                          const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

WDG_API void wdg_error_clear(wdg_error *err);

/* "file:line: msg", "file: msg" or "msg" into out (always NUL-terminated). */
WDG_API void wdg_error_format(const wdg_error *err, char *out, unsigned out_size);

/* Process exit status for a code: 0, 64, 65, 66, 70, 71, 73. */
WDG_API int wdg_exit_status(int code);

#ifdef __cplusplus
}
#endif

#endif
