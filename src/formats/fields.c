/* Field names shared by the line parsers, and the wdg_rec helpers. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "wedge/utf8.h"
#include "formats.h"

void wdg_rec_clear(wdg_rec *r)
{
    /* objs/frames arrays are only read up to n_objs/n_frames */
    r->have = 0;
    r->n_objs = r->n_frames = 0;
    r->op = NULL;
    r->op_len = 0;
    r->op_id = WDG_OP_NONE;
    r->wait_all = r->suspended = 0;
    r->tid_from_handle = 0;
}

wdg_line_kind wdg_malformed(wdg_line_result *res, int reason, const char *fmt, ...)
{
    res->reason = reason;
    va_list ap;
    va_start(ap, fmt);
    wdg_utf8_vsnprintf(res->msg, sizeof res->msg, fmt, ap);
    va_end(ap);
    return LINE_MALFORMED;
}

static const struct {
    const char *name;
    size_t len;
    wdg_field field;
} field_names[] = {
    {"t", 1, F_T},
    {"host_ns", 7, F_T},
    {"ts_ns", 5, F_T},
    {"time_ns", 7, F_T},
    {"cycle", 5, F_CYCLE},
    {"tid", 3, F_TID},
    {"thread", 6, F_TID},
    {"thread_id", 9, F_TID},
    {"op", 2, F_OP},
    {"name", 4, F_OP},
    {"event", 5, F_OP},
    {"fn", 2, F_OP},
    {"import", 6, F_OP},
    {"lr", 2, F_LR},
    {"frames", 6, F_FRAMES},
    {"stack", 5, F_FRAMES},
    {"pc", 2, F_PC},
    {"obj", 3, F_OBJ},
    {"handle", 6, F_OBJ},
    {"objs", 4, F_OBJS},
    {"handles", 7, F_OBJS},
    {"wait_all", 8, F_WAIT_ALL},
    {"timeout", 7, F_TIMEOUT},
    {"entry_pc", 8, F_ENTRY_PC},
    {"start_address", 13, F_ENTRY_PC},
    {"entry", 5, F_ENTRY_PC},
    {"new_tid", 7, F_NEW_TID},
    {"child_tid", 9, F_NEW_TID},
    {"ret", 3, F_RET},
    {"suspended", 9, F_SUSPENDED},
    {"alias", 5, F_ALIAS},
    {"count", 5, F_COUNT},
    {"wedge_trace", 11, F_HEADER},
    {"engine", 6, F_ENGINE},
    {"title_id", 8, F_TITLE_ID},
    {"module_hash", 11, F_MODULE_HASH},
    {"observes", 8, F_OBSERVES},
    {"ended_at", 8, F_ENDED_AT},
};

/* canonical names, in wdg_field order */
static const char *const canonical[] = {
    "?",
    "t",
    "cycle",
    "tid",
    "op",
    "lr",
    "frames",
    "pc",
    "obj",
    "objs",
    "wait_all",
    "timeout",
    "entry_pc",
    "new_tid",
    "ret",
    "suspended",
    "alias",
    "count",
    "wedge_trace",
    "engine",
    "title_id",
    "module_hash",
    "observes",
    "ended_at",
};

/* Called for every member of every JSONL line: compare only names of the
 * right length. */
wdg_field wdg_field_lookup(const char *s, size_t n)
{
    for (size_t i = 0; i < sizeof field_names / sizeof field_names[0]; i++)
        if (field_names[i].len == n && field_names[i].name[0] == s[0] &&
            memcmp(field_names[i].name, s, n) == 0)
            return field_names[i].field;
    return F_UNKNOWN;
}

const char *wdg_field_name(wdg_field f)
{
    return (size_t)f < sizeof canonical / sizeof canonical[0] ? canonical[f] : "?";
}

int wdg_field_is_address(wdg_field f)
{
    return f == F_LR || f == F_PC || f == F_OBJ || f == F_ENTRY_PC || f == F_ALIAS ||
           f == F_OBJS || f == F_FRAMES;
}
