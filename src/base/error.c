#include "wedge/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wedge/utf8.h"

/* Copies s into out (cap bytes) with control characters written as \n,
 * \t, \r or \xHH: a message quotes what the user gave (a template, a
 * --probe, a path) and must stay one line.  A cut falls before a
 * character, never inside one. */
static void copy_escaped(char *out, size_t cap, const char *s)
{
    size_t o = 0, left = strlen(s);
    while (left) {
        unsigned char c = (unsigned char)*s;
        char esc[5] = {(char)c, 0, 0, 0, 0};
        size_t take = 1, n = 1;
        if (c < 0x20 || c == 0x7f) {
            const char *named = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;
            if (named)
                memcpy(esc, named, 2);
            else
                snprintf(esc, sizeof esc, "\\x%02X", c);
            n = strlen(esc);
        } else if (c >= 0x80) {
            size_t k = wdg_utf8_char_len(s, left);
            take = n = k ? k : 1;   /* an invalid byte is kept as given */
            memcpy(esc, s, n);
        }
        if (o + n >= cap)
            break;
        memcpy(out + o, esc, n);
        o += n;
        s += take;
        left -= take;
    }
    out[o] = 0;
}

int wdg_error_set(wdg_error *err, int code, const char *file, uint64_t line,
                  const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    err->line = line;
    copy_escaped(err->file, sizeof err->file, file ? file : "");
    char msg[WDG_ERROR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    wdg_utf8_vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    copy_escaped(err->msg, sizeof err->msg, msg);
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
