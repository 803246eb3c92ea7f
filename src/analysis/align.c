/* The producer alignment: the n-th ref event of a key against the n-th
 * cand event of that key, as rows in the order aligned-sequence.csv
 * prints them (wedge/analysis.h).  The renderer only formats the rows. */
#include <stdlib.h>

#include "wedge/analysis.h"

/* A producer: its event and its ordinal within its key. */
typedef struct prod {
    size_t event;
    uint64_t ordinal;
} prod;

struct wdg_align {
    const wdg_keytable *kt;
    prod *rp, *cp;           /* the producers of each side, in order */
    size_t nr, nc;
    size_t *first_cand;      /* per key: where its cand events start in cand_pos */
    size_t *cand_pos;        /* cp positions bucketed by key, in order */
    char *used;              /* per cp position: already in a row */
    size_t i;                /* the next ref producer */
    size_t next_c;           /* cand producers before this were passed */
    size_t partner;          /* the partner of rp[i], or SIZE_MAX */
    int have_partner;        /* partner is worked out for i */
    size_t j;                /* the trailing pass, once i == nr */
};

static prod *producers(const wdg_trace *t, const uint32_t *keys, size_t nkeys, size_t *n)
{
    uint64_t *seen = calloc(nkeys + 1, sizeof *seen);
    prod *p = malloc((t->producers + 1) * sizeof *p);
    if (!seen || !p) {
        free(seen);
        free(p);
        return NULL;
    }
    size_t k = 0;
    for (size_t i = 0; i < t->n_events; i++)
        if (keys[i] != WDG_NO_KEY) {
            p[k].event = i;
            p[k].ordinal = ++seen[keys[i]];
            k++;
        }
    free(seen);
    *n = k;
    return p;
}

/* cand events of each key in order: bucketed by key (counting sort) */
static int bucket_cand(wdg_align *a)
{
    const wdg_keytable *kt = a->kt;
    size_t *fill = calloc(kt->n + 1, sizeof *fill);
    a->first_cand = calloc(kt->n + 1, sizeof *a->first_cand);
    a->cand_pos = malloc((a->nc + 1) * sizeof *a->cand_pos);
    a->used = calloc(a->nc + 1, 1);
    if (!fill || !a->first_cand || !a->cand_pos || !a->used) {
        free(fill);
        return -1;
    }
    for (size_t j = 0; j < a->nc; j++)
        a->first_cand[kt->cand_key[a->cp[j].event] + 1]++;
    for (size_t k = 0; k < kt->n; k++)
        a->first_cand[k + 1] += a->first_cand[k];
    for (size_t j = 0; j < a->nc; j++) {
        uint32_t k = kt->cand_key[a->cp[j].event];
        a->cand_pos[a->first_cand[k] + fill[k]++] = j;
    }
    free(fill);
    return 0;
}

int wdg_align_new(wdg_align **out, const wdg_keytable *kt, const wdg_trace *ref,
                  const wdg_trace *cand, wdg_error *err)
{
    wdg_align *a = calloc(1, sizeof *a);
    *out = NULL;
    if (!a)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    a->kt = kt;
    if (!(a->rp = producers(ref, kt->ref_key, kt->n, &a->nr)) ||
        !(a->cp = producers(cand, kt->cand_key, kt->n, &a->nc)) || bucket_cand(a) < 0) {
        wdg_align_free(a);
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    }
    *out = a;
    return 0;
}

/* A cand event whose ordinal its key's ref total covers has (or will get)
 * a ref partner. */
static int paired(const wdg_align *a, size_t c)
{
    return a->cp[c].ordinal <= a->kt->keys[a->kt->cand_key[a->cp[c].event]].ref_total;
}

static void cand_only(const wdg_align *a, size_t c, wdg_aligned_row *row)
{
    row->key = a->kt->cand_key[a->cp[c].event];
    row->ordinal = a->cp[c].ordinal;
    row->ref_event = WDG_NO_EVENT;
    row->ref_index = 0;
    row->cand_event = a->cp[c].event;
    row->cand_index = c;
}

int wdg_align_next(wdg_align *a, wdg_aligned_row *row)
{
    const wdg_keytable *kt = a->kt;
    if (a->i < a->nr) {
        const prod *p = &a->rp[a->i];
        uint32_t k = kt->ref_key[p->event];
        if (!a->have_partner) {
            size_t have = a->first_cand[k + 1] - a->first_cand[k];
            a->partner = p->ordinal <= have ? a->cand_pos[a->first_cand[k] + p->ordinal - 1]
                                            : SIZE_MAX;
            a->have_partner = 1;
        }
        /* cand events with no ref partner go where cand's order puts them */
        while (a->partner != SIZE_MAX && a->next_c < a->partner) {
            size_t c = a->next_c++;
            if (paired(a, c))
                continue;
            a->used[c] = 1;
            cand_only(a, c, row);
            return 1;
        }
        row->key = k;
        row->ordinal = p->ordinal;
        row->ref_event = p->event;
        row->ref_index = a->i;
        row->cand_event = a->partner != SIZE_MAX ? a->cp[a->partner].event : WDG_NO_EVENT;
        row->cand_index = a->partner != SIZE_MAX ? a->partner : 0;
        if (a->partner != SIZE_MAX)
            a->used[a->partner] = 1;
        a->i++;
        a->have_partner = 0;
        return 1;
    }
    for (; a->j < a->nc; a->j++) {
        if (a->used[a->j] || paired(a, a->j))
            continue;
        cand_only(a, a->j++, row);
        return 1;
    }
    return 0;
}

void wdg_align_free(wdg_align *a)
{
    if (!a)
        return;
    free(a->rp);
    free(a->cp);
    free(a->first_cand);
    free(a->cand_pos);
    free(a->used);
    free(a);
}
