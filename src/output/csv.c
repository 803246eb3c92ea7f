/* keys.csv and aligned-sequence.csv. */
#include "render.h"

#include <stdlib.h>
#include <string.h>

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
            wdg_buf_printf(b, "0x%08X", k->lr);
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
    wdg_buf_printf(b, "%llu,", (unsigned long long)index);
    if (e->flags & WDG_EV_T)
        wdg_buf_printf(b, "%lld", (long long)e->t);
    wdg_buf_printf(b, ",%u,", e->tid);
    wdg_buf_csv_str(b, wdg_ops_name(t->ops, e->op));
    wdg_buf_putc(b, ',');
    if (e->flags & WDG_EV_OBJ)
        wdg_buf_printf(b, "0x%08X", e->obj);
    (void)r;
}

static void row(wdg_buf *b, const wdg_report *r, uint32_t key, uint64_t ordinal,
                const wdg_event *re, uint64_t ri, const wdg_event *ce, uint64_t ci)
{
    const wdg_key *k = &r->keys.keys[key];
    char label[96], fn[160] = "";
    wdg_fmt_key(r, k, label, sizeof label);
    if (k->has_lr && !wdg_symbols_format(r->symbols, k->lr, fn, sizeof fn))
        fn[0] = 0;
    wdg_buf_csv_str(b, label);
    wdg_buf_putc(b, ',');
    wdg_buf_csv_str(b, fn);
    wdg_buf_printf(b, ",%s,%llu,", wdg_status_name(k->status), (unsigned long long)ordinal);
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

/* Producers in order, with each event's ordinal within its key. */
typedef struct prod {
    size_t event;
    uint64_t index, ordinal;
} prod;

static int producers(const wdg_trace *t, const uint32_t *keys, size_t nkeys, prod **out,
                     size_t *n)
{
    uint64_t *seen = calloc(nkeys + 1, sizeof *seen);
    prod *p = malloc((t->producers + 1) * sizeof *p);
    if (!seen || !p) {
        free(seen);
        free(p);
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < t->n_events; i++)
        if (keys[i] != WDG_NO_KEY) {
            p[k].event = i;
            p[k].index = k;
            p[k].ordinal = ++seen[keys[i]];
            k++;
        }
    free(seen);
    *out = p;
    *n = k;
    return 0;
}

int wdg_report_aligned_csv(const wdg_report *r, wdg_outfile *f, wdg_error *err)
{
    const wdg_keytable *kt = &r->keys;
    prod *rp = NULL, *cp = NULL;
    size_t nr = 0, nc = 0;
    uint64_t *first_cand = NULL;   /* per key: position in cp of its n-th events */
    size_t *cand_pos = NULL;
    char *used = NULL;
    wdg_buf b = WDG_BUF_INIT;
    int rc = 0;
    if (producers(r->ref, kt->ref_key, kt->n, &rp, &nr) < 0 ||
        producers(r->cand, kt->cand_key, kt->n, &cp, &nc) < 0)
        goto oom;
    /* cand events of each key in order: bucket by key (counting sort) */
    first_cand = calloc(kt->n + 1, sizeof *first_cand);
    cand_pos = malloc((nc + 1) * sizeof *cand_pos);
    used = calloc(nc + 1, 1);
    if (!first_cand || !cand_pos || !used)
        goto oom;
    for (size_t j = 0; j < nc; j++)
        first_cand[kt->cand_key[cp[j].event] + 1]++;
    for (size_t k = 0; k < kt->n; k++)
        first_cand[k + 1] += first_cand[k];
    {
        uint64_t *fill = calloc(kt->n + 1, sizeof *fill);
        if (!fill)
            goto oom;
        for (size_t j = 0; j < nc; j++) {
            uint32_t k = kt->cand_key[cp[j].event];
            cand_pos[first_cand[k] + fill[k]++] = j;
        }
        free(fill);
    }
    wdg_buf_puts(&b, "key,function,status,ordinal,ref_index,ref_t,ref_tid,ref_op,ref_obj,"
                     "cand_index,cand_t,cand_tid,cand_op,cand_obj\n");
    size_t next_c = 0;
    for (size_t i = 0; i < nr; i++) {
        uint32_t k = kt->ref_key[rp[i].event];
        uint64_t have = first_cand[k + 1] - first_cand[k];
        size_t partner = SIZE_MAX;
        if (rp[i].ordinal <= have)
            partner = cand_pos[first_cand[k] + rp[i].ordinal - 1];
        /* cand events with no ref partner go where cand's order puts them */
        for (; partner != SIZE_MAX && next_c < partner; next_c++) {
            const prod *c = &cp[next_c];
            uint32_t ck = kt->cand_key[c->event];
            if (c->ordinal <= kt->keys[ck].ref_total)
                continue;  /* it has (or will get) a ref partner */
            row(&b, r, ck, c->ordinal, NULL, 0, &r->cand->events[c->event], c->index);
            used[next_c] = 1;
        }
        const wdg_event *ce = partner != SIZE_MAX ? &r->cand->events[cp[partner].event] : NULL;
        if (partner != SIZE_MAX)
            used[partner] = 1;
        row(&b, r, k, rp[i].ordinal, &r->ref->events[rp[i].event], rp[i].index, ce,
            partner != SIZE_MAX ? cp[partner].index : 0);
        if ((rc = flush(&b, f, 0, err)) < 0)
            goto done;
    }
    for (size_t j = 0; j < nc; j++) {
        if (used[j] || cp[j].ordinal <= kt->keys[kt->cand_key[cp[j].event]].ref_total)
            continue;
        row(&b, r, kt->cand_key[cp[j].event], cp[j].ordinal, NULL, 0,
            &r->cand->events[cp[j].event], cp[j].index);
        if ((rc = flush(&b, f, 0, err)) < 0)
            goto done;
    }
    rc = flush(&b, f, 1, err);
    goto done;
oom:
    rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
done:
    wdg_buf_free(&b);
    free(rp);
    free(cp);
    free(first_cand);
    free(cand_pos);
    free(used);
    return rc;
}
