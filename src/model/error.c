#include "wedge/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wedge/utf8.h"

int wdg_error_set(wdg_error *err, int code, const char *file, uint64_t line,
                  const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    err->line = line;
    wdg_utf8_snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    va_list ap;
    va_start(ap, fmt);
    wdg_utf8_vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

void wdg_error_clear(wdg_error *err)
{
    if (err)
        memset(err, 0, sizeof *err);
}

void wdg_error_format(const wdg_error *err, char *out, unsigned out_size)
{
    if (!out_size)
        return;
    if (err->file[0] && err->line)
        snprintf(out, out_size, "%s:%llu: %s", err->file,
                 (unsigned long long)err->line, err->msg);
    else if (err->file[0])
        snprintf(out, out_size, "%s: %s", err->file, err->msg);
    else
        snprintf(out, out_size, "%s", err->msg);
}

int wdg_exit_status(int code)
{
    switch (code) {
    case WDG_OK: return 0;
    case WDG_EUSAGE: return 64;
    case WDG_EMALFORMED: return 65;
    case WDG_EINPUT: return 66;
    case WDG_ENOMEM: return 71;
    case WDG_EOUTPUT: return 73;
    default: return 70;
    }
}
