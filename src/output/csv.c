/* keys.csv and aligned-sequence.csv: the rows are the analysis's
 * (wdg_align_next()), this only formats them. */
#include <stdlib.h>

#include "render.h"

void wdg_report_keys_csv(const wdg_report *r, wdg_buf *b)
{
    /* the class column only when a class formed: other tables stay as they were */
    int classes = r->keys.n_classes > 0;
    wdg_buf_printf(b, "category,lr,op,function,ref,cand,ref_total,cand_total,status%s\n",
                   classes ? ",class" : "");
    for (size_t i = 0; i < r->keys.n; i++) {
        const wdg_key *k = &r->keys.keys[i];
        char fn[160] = "";
        wdg_buf_printf(b, "%s,", wdg_category_name(k->cat));
        if (k->has_lr) {
            char a[WDG_ADDR_TEXT];
            wdg_buf_csv_str(b, wdg_fmt_addr(r, k->lr, a, sizeof a));
            if (!wdg_symbols_format(r->symbols, k->lr, fn, sizeof fn))
                fn[0] = 0;
        }
        wdg_buf_putc(b, ',');
        wdg_buf_csv_str(b, wdg_ops_name(r->ref->ops, k->op));
        wdg_buf_putc(b, ',');
        wdg_buf_csv_str(b, fn);
        wdg_buf_printf(b, ",%llu,%llu,%llu,%llu,%s", (unsigned long long)k->ref,
                       (unsigned long long)k->cand, (unsigned long long)k->ref_total,
                       (unsigned long long)k->cand_total, wdg_status_name(k->status));
        if (classes && k->status == WDG_ST_MIXED)
            wdg_buf_printf(b, ",%u", k->cls);
        else if (classes)
            wdg_buf_putc(b, ',');
        wdg_buf_putc(b, '\n');
    }
}

static void side(wdg_buf *b, const wdg_report *r, const wdg_trace *t, const wdg_event *e,
                 uint64_t index)
{
    if (!e) {
        wdg_buf_puts(b, ",,,,,");
        return;
    }
    wdg_buf_u64(b, index);
    wdg_buf_putc(b, ',');
    if (e->flags & WDG_EV_T)
        wdg_buf_i64(b, e->t);
    wdg_buf_putc(b, ',');
    wdg_buf_u64(b, e->tid);
    wdg_buf_putc(b, ',');
    wdg_buf_csv_str(b, wdg_ops_name(t->ops, e->op));
    wdg_buf_putc(b, ',');
    char a[WDG_ADDR_TEXT];
    if (e->flags & WDG_EV_OBJ)
        wdg_buf_csv_str(b, wdg_fmt_addr(r, wdg_ev_obj(e), a, sizeof a));
}

/* A row's first three columns (key, function, status) depend on its key
 * alone: each key's are formatted once, when its first row comes, and
 * copied after (formatting them per row was most of the file's cost). */
typedef struct key_cols {
    wdg_buf text;
    size_t *at;        /* per key: 1 + its offset in text, 0 before its first row */
    uint32_t *len;
} key_cols;

static void key_prefix(wdg_buf *b, const wdg_report *r, uint32_t key)
{
    const wdg_key *k = &r->keys.keys[key];
    char label[96], fn[160] = "";
    wdg_fmt_key(r, k, label, sizeof label);
    if (k->has_lr && !wdg_symbols_format(r->symbols, k->lr, fn, sizeof fn))
        fn[0] = 0;
    wdg_buf_csv_str(b, label);
    wdg_buf_putc(b, ',');
    wdg_buf_csv_str(b, fn);
    wdg_buf_putc(b, ',');
    wdg_buf_puts(b, wdg_status_name(k->status));
    wdg_buf_putc(b, ',');
}

static void row(wdg_buf *b, const wdg_report *r, key_cols *kc, uint32_t key, uint64_t ordinal,
                const wdg_event *re, uint64_t ri, const wdg_event *ce, uint64_t ci)
{
    if (!kc->at[key]) {
        size_t from = kc->text.len;
        key_prefix(&kc->text, r, key);
        kc->at[key] = from + 1;
        kc->len[key] = (uint32_t)(kc->text.len - from);
    }
    if (kc->text.oom)
        b->oom = 1;
    else
        wdg_buf_put(b, kc->text.ptr + kc->at[key] - 1, kc->len[key]);
    wdg_buf_u64(b, ordinal);
    wdg_buf_putc(b, ',');
    side(b, r, r->ref, re, ri);
    wdg_buf_putc(b, ',');
    side(b, r, r->cand, ce, ci);
    wdg_buf_putc(b, '\n');
}

/* Writes b out once it holds 1 MiB (or at the end); b holds whole rows,
 * so repairing it alone keeps characters whole. */
static int flush(wdg_buf *b, wdg_outfile *f, int force, wdg_error *err)
{
    if (b->len < (1u << 20) && !force)
        return 0;
    wdg_buf_repair_utf8(b, 0);
    if (b->oom)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    int rc = wdg_outfile_write(f, b->ptr ? b->ptr : "", b->len, err);
    wdg_buf_reset(b);
    return rc;
}

int wdg_report_aligned_csv(const wdg_report *r, wdg_outfile *f, wdg_error *err)
{
    wdg_align *a = NULL;
    wdg_aligned_row x;
    wdg_buf b = WDG_BUF_INIT;
    key_cols kc = {WDG_BUF_INIT, NULL, NULL};
    int rc = wdg_align_new(&a, &r->keys, r->ref, r->cand, err);
    if (rc < 0)
        return rc;
    kc.at = calloc(r->keys.n ? r->keys.n : 1, sizeof *kc.at);
    kc.len = calloc(r->keys.n ? r->keys.n : 1, sizeof *kc.len);
    if (!kc.at || !kc.len)
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    wdg_buf_puts(&b, "key,function,status,ordinal,ref_index,ref_t,ref_tid,ref_op,ref_obj,"
                     "cand_index,cand_t,cand_tid,cand_op,cand_obj\n");
    while (rc == 0 && wdg_align_next(a, &x)) {
        const wdg_event *re = x.ref_event != WDG_NO_EVENT ? &r->ref->events[x.ref_event] : NULL;
        const wdg_event *ce = x.cand_event != WDG_NO_EVENT ? &r->cand->events[x.cand_event] : NULL;
        row(&b, r, &kc, x.key, x.ordinal, re, x.ref_index, ce, x.cand_index);
        if ((rc = flush(&b, f, 0, err)) < 0)
            break;
    }
    if (rc == 0)
        rc = flush(&b, f, 1, err);
    wdg_buf_free(&b);
    wdg_buf_free(&kc.text);
    free(kc.at);
    free(kc.len);
    wdg_align_free(a);
    return rc;
}
