/* The reader: source -> format detection -> line parser -> events. */
#include <stdlib.h>
#include <string.h>

#include "../input/source.h"
#include "../model/trace_build.h"
#include "formats.h"

enum { PROGRESS_EVERY = 1 << 18 };

static int is_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* Checks the fields pseudo ops require; LINE_EVENT when fine. */
static wdg_line_kind check_pseudo(uint32_t op, const wdg_rec *rec, wdg_line_result *res)
{
    if (op == WDG_OP_THREAD_CREATE && (rec->have & (R_ENTRY | R_NEW_TID)) != (R_ENTRY | R_NEW_TID))
        return wdg_malformed(res, WDG_MAL_MISSING, "thread.create needs entry_pc and new_tid");
    if (op == WDG_OP_OBJECT_ALIAS && (rec->have & (R_OBJ | R_ALIAS)) != (R_OBJ | R_ALIAS))
        return wdg_malformed(res, WDG_MAL_MISSING, "object.alias needs obj and alias");
    return LINE_EVENT;
}

int wdg_trace_read(wdg_trace **out, const char *path, wdg_ops *ops,
                   const wdg_read_opts *opts, wdg_error *err)
{
    static const wdg_read_opts no_opts = {0};
    if (!opts)
        opts = &no_opts;
    wdg_source *src = NULL;
    wdg_xenia *xenia = NULL;
    wdg_rec *rec = malloc(sizeof *rec);
    wdg_trace *t = NULL;
    int rc = wdg_trace_new(&t, path, ops, err);
    if (rc < 0)
        goto done;
    if (!rec) {
        rc = wdg_error_set(err, WDG_ENOMEM, path, 0, "out of memory");
        goto done;
    }
    const char *name = wdg_trace_display_name(t);
    if ((rc = wdg_source_open(&src, path, err)) < 0)
        goto done;
    t->compression = wdg_source_compression(src);
    const char *head;
    size_t head_len;
    if ((rc = wdg_source_peek(src, &head, &head_len, err)) < 0)
        goto done;
    int at_eof = head_len < (1 << 16);
    wdg_format fmt = wdg_detect_format(head, head_len, at_eof, opts->templates);
    if (fmt == FMT_UNKNOWN) {
        rc = wdg_error_set(err, WDG_EINPUT, name, 0,
                           "no known trace format (not wedge JSONL, not a xenia log%s)",
                           wdg_templates_count(opts->templates)
                               ? ", no --line-format template matches"
                               : "; for another text log give --line-format");
        goto done;
    }
    t->format = wdg_format_name(fmt);
    if (fmt == FMT_XENIA && wdg_xenia_new(&xenia, ops) < 0) {
        rc = wdg_error_set(err, WDG_ENOMEM, name, 0, "out of memory");
        goto done;
    }
    uint64_t total = wdg_source_raw_total(src);
    for (;;) {
        const char *line;
        size_t len;
        int too_long;
        int got = wdg_source_next_line(src, &line, &len, &too_long, err);
        if (got < 0) {
            rc = got;
            goto done;
        }
        if (got == 0)
            break;
        t->lines++;
        if (opts->progress && (t->lines & (PROGRESS_EVERY - 1)) == 0)
            opts->progress(opts->progress_ud, name, wdg_source_raw_done(src), total);
        wdg_line_result res;
        wdg_line_kind kind;
        if (too_long) {
            kind = wdg_malformed(&res, WDG_MAL_TOO_LONG, "line longer than %u bytes",
                                 WDG_MAX_LINE);
        } else if (is_blank(line, len)) {
            kind = LINE_IGNORED;
        } else if (fmt == FMT_JSONL) {
            wdg_jsonl_header hdr;
            kind = wdg_jsonl_parse(line, len, rec, &hdr, &res);
            if (hdr.is_header && kind == LINE_IGNORED)
                wdg_trace_set_header(t, hdr.has_observes, hdr.observes, hdr.engine,
                                     hdr.title_id, hdr.module_hash);
        } else if (fmt == FMT_XENIA) {
            kind = wdg_xenia_parse(xenia, t, line, len, rec, &res);
        } else if (fmt == FMT_TEMPLATE) {
            kind = wdg_templates_parse(opts->templates, line, len, rec, &res);
        } else {
            kind = LINE_IGNORED;
        }
        if (kind == LINE_NOMEM) {
            rc = wdg_error_set(err, WDG_ENOMEM, name, t->lines, "out of memory");
            goto done;
        }
        if (kind == LINE_EVENT) {
            uint32_t op = WDG_OP_NONE;
            if (rec->op_id != WDG_OP_NONE)
                op = rec->op_id;
            else if (rec->have & R_OP)
                op = wdg_ops_intern(ops, rec->op, rec->op_len);
            if ((rec->have & R_OP) && op == WDG_OP_NONE) {
                rc = wdg_error_set(err, WDG_ENOMEM, name, t->lines, "out of memory");
                goto done;
            }
            kind = check_pseudo(op, rec, &res);
            if (kind == LINE_EVENT) {
                if ((rc = wdg_trace_append(t, rec, op, t->lines, err)) < 0)
                    goto done;
                if (rec->tid_from_handle && xenia &&
                    wdg_xenia_note_unbound(xenia, t->n_events - 1) < 0) {
                    rc = wdg_error_set(err, WDG_ENOMEM, name, t->lines, "out of memory");
                    goto done;
                }
                continue;
            }
        }
        if (kind == LINE_IGNORED) {
            t->ignored++;
            continue;
        }
        if ((rc = wdg_trace_add_malformed(t, t->lines, res.reason, res.msg, opts->strict,
                                          err)) < 0)
            goto done;
    }
    if (xenia)
        wdg_xenia_rebind(xenia, t);
    t->bytes = wdg_source_bytes(src);
    if (opts->progress)
        opts->progress(opts->progress_ud, name, total, total);
done:
    wdg_source_close(src);
    wdg_xenia_free(xenia);
    free(rec);
    if (rc < 0) {
        wdg_trace_free(t);
        return rc;
    }
    *out = t;
    return 0;
}
