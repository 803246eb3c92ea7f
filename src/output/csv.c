/* keys.csv and aligned-sequence.csv: the rows are the analysis's
 * (wdg_align_next()), this only formats them. */
#include <stdlib.h>

#include "render.h"
#include "../base/numfmt.h"

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

/* Texts formatted once per id and copied after: a row's first three
 * columns (key, function, status) depend on its key alone, its op columns
 * on the op alone (formatting them per row was most of the file's cost). */
typedef struct text_cache {
    wdg_buf text;
    size_t *at;        /* per id: 1 + its offset in text, 0 before its first use */
    uint32_t *len;
    size_t n;
} text_cache;

static int cache_init(text_cache *c, size_t n)
{
    c->text = (wdg_buf)WDG_BUF_INIT;
    c->n = n;
    c->at = calloc(n ? n : 1, sizeof *c->at);
    c->len = calloc(n ? n : 1, sizeof *c->len);
    return c->at && c->len ? 0 : -1;
}

static void cache_free(text_cache *c)
{
    wdg_buf_free(&c->text);
    free(c->at);
    free(c->len);
}

/* Appends id's text, made by fill(c->text, ...) the first time. */
typedef void cache_fill(wdg_buf *b, const wdg_report *r, const wdg_trace *t, uint32_t id);

static void cache_put(wdg_buf *b, text_cache *c, cache_fill *fill, const wdg_report *r,
                      const wdg_trace *t, uint32_t id)
{
    if (id >= c->n) {   /* not counted when the cache was made: as it is */
        fill(b, r, t, id);
        return;
    }
    if (!c->at[id]) {
        size_t from = c->text.len;
        fill(&c->text, r, t, id);
        c->at[id] = from + 1;
        c->len[id] = (uint32_t)(c->text.len - from);
    }
    if (c->text.oom)
        b->oom = 1;
    else
        wdg_buf_put(b, c->text.ptr + c->at[id] - 1, c->len[id]);
}

static void op_text(wdg_buf *b, const wdg_report *r, const wdg_trace *t, uint32_t op)
{
    (void)r;
    wdg_buf_csv_str(b, wdg_ops_name(t->ops, op));
    wdg_buf_putc(b, ',');
}

static void key_text(wdg_buf *b, const wdg_report *r, const wdg_trace *t, uint32_t key)
{
    const wdg_key *k = &r->keys.keys[key];
    char label[96], fn[160] = "";
    (void)t;
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

typedef struct csv_caches {
    text_cache keys, ops[2];
} csv_caches;

/* index,t,tid,op,obj of one side's event (empty columns without one) */
static void side(wdg_buf *b, const wdg_report *r, text_cache *ops, const wdg_trace *t,
                 const wdg_event *e, uint64_t index)
{
    if (!e) {
        wdg_buf_put(b, ",,,,,", 5);
        return;
    }
    char *o = wdg_buf_room(b, 3 * WDG_NUMFMT_MAX);
    if (!o)
        return;
    size_t n = wdg_fmt_u64(o, index);
    o[n++] = ',';
    if (e->flags & WDG_EV_T)
        n += wdg_fmt_i64(o + n, e->t);
    o[n++] = ',';
    n += wdg_fmt_u64(o + n, e->tid);
    o[n++] = ',';
    wdg_buf_added(b, n);
    cache_put(b, ops, op_text, r, t, e->op);
    char a[WDG_ADDR_TEXT];
    if (e->flags & WDG_EV_OBJ)
        wdg_buf_csv_str(b, wdg_fmt_addr(r, wdg_ev_obj(e), a, sizeof a));
}

static void row(wdg_buf *b, const wdg_report *r, csv_caches *c, uint32_t key, uint64_t ordinal,
                const wdg_event *re, uint64_t ri, const wdg_event *ce, uint64_t ci)
{
    cache_put(b, &c->keys, key_text, r, NULL, key);
    wdg_buf_u64(b, ordinal);
    wdg_buf_putc(b, ',');
    side(b, r, &c->ops[0], r->ref, re, ri);
    wdg_buf_putc(b, ',');
    side(b, r, &c->ops[1], r->cand, ce, ci);
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
    csv_caches c;
    int rc = wdg_align_new(&a, &r->keys, r->ref, r->cand, err);
    if (rc < 0)
        return rc;
    int ok = cache_init(&c.keys, r->keys.n) == 0;
    ok &= cache_init(&c.ops[0], wdg_ops_count(r->ref->ops)) == 0;
    ok &= cache_init(&c.ops[1], wdg_ops_count(r->cand->ops)) == 0;
    if (!ok)
        rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    wdg_buf_puts(&b, "key,function,status,ordinal,ref_index,ref_t,ref_tid,ref_op,ref_obj,"
                     "cand_index,cand_t,cand_tid,cand_op,cand_obj\n");
    while (rc == 0 && wdg_align_next(a, &x)) {
        const wdg_event *re = x.ref_event != WDG_NO_EVENT ? &r->ref->events[x.ref_event] : NULL;
        const wdg_event *ce = x.cand_event != WDG_NO_EVENT ? &r->cand->events[x.cand_event] : NULL;
        row(&b, r, &c, x.key, x.ordinal, re, x.ref_index, ce, x.cand_index);
        if ((rc = flush(&b, f, 0, err)) < 0)
            break;
    }
    if (rc == 0)
        rc = flush(&b, f, 1, err);
    wdg_buf_free(&b);
    cache_free(&c.keys);
    cache_free(&c.ops[0]);
    cache_free(&c.ops[1]);
    wdg_align_free(a);
    return rc;
}
