/* Similar sets by a prefix index (simsets.h). */
#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "simsets.h"

#define NONE ((size_t)-1)

static uint64_t set_hash(const idset *s)
{
    uint64_t h = wdg_hash64(s->n);
    for (size_t i = 0; i < s->n; i++)
        h = wdg_hash64(h ^ s->v[i]) + i;
    return h == UINT64_MAX ? 0 : h;
}

static int same_set(const idset *a, const idset *b)
{
    return a->n == b->n && memcmp(a->v, b->v, a->n * sizeof *a->v) == 0;
}

static size_t prefix_len(const idset *s)
{
    return s->n / 2 + 1 < s->n ? s->n / 2 + 1 : s->n;
}

static uint64_t post_key(uint64_t e)
{
    return e == UINT64_MAX ? 0 : e;
}

void simindex_free(simindex *x)
{
    free(x->set);
    free(x->at);
    free(x->member);
    free(x->next);
    free(x->post_group);
    free(x->post_next);
    free(x->stamp);
    wdg_map_free(&x->by_hash);
    wdg_map_free(&x->post);
    memset(x, 0, sizeof *x);
}

long simindex_same(const simindex *x, const idset *q)
{
    if (!q->n)
        return -1;
    uint64_t *g = wdg_map_get(&x->by_hash, set_hash(q));
    for (size_t k = g ? (size_t)*g : NONE; k != NONE; k = x->next[k])
        if (same_set(x->set[k], q))
            return (long)k;
    return -1;
}

/* the group of set s (a new one when no set so far equals it), or NONE */
static size_t group_of(simindex *x, const idset *s)
{
    long k = simindex_same(x, s);
    if (k >= 0)
        return (size_t)k;
    size_t g = x->n_groups++;
    x->set[g] = s;
    x->next[g] = NONE;
    int added;
    uint64_t *head = wdg_map_put(&x->by_hash, set_hash(s), g, &added);
    if (!head)
        return NONE;
    if (!added) {
        x->next[g] = (size_t)*head;
        *head = g;
    }
    return g;
}

/* lists group g under each element of its set's prefix (room for the
 * postings is made beforehand) */
static int post(simindex *x, size_t g)
{
    const idset *s = x->set[g];
    for (size_t i = 0, p = prefix_len(s); i < p; i++) {
        int added;
        uint64_t *head = wdg_map_put(&x->post, post_key(s->v[i]), x->n_post, &added);
        if (!head)
            return -1;
        x->post_group[x->n_post] = g;
        x->post_next[x->n_post] = added ? NONE : (size_t)*head;
        *head = x->n_post++;
    }
    return 0;
}

int simindex_build(simindex *x, const idset *const *sets, size_t n)
{
    memset(x, 0, sizeof *x);
    size_t *gid = malloc((n + 1) * sizeof *gid);
    x->set = malloc((n + 1) * sizeof *x->set);
    x->next = malloc((n + 1) * sizeof *x->next);
    x->at = calloc(n + 2, sizeof *x->at);
    x->member = malloc((n + 1) * sizeof *x->member);
    if (!gid || !x->set || !x->next || !x->at || !x->member)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        gid[i] = NONE;
        if (!sets[i] || !sets[i]->n)
            continue;
        if ((gid[i] = group_of(x, sets[i])) == NONE)
            goto oom;
        x->at[gid[i] + 2]++;
    }
    /* members by group, in ascending order (a counting sort) */
    for (size_t g = 0; g < x->n_groups; g++)
        x->at[g + 2] += x->at[g + 1];
    for (size_t i = 0; i < n; i++)
        if (gid[i] != NONE)
            x->member[x->at[gid[i] + 1]++] = i;
    size_t total = 0;
    for (size_t g = 0; g < x->n_groups; g++)
        total += prefix_len(x->set[g]);
    x->post_group = malloc((total + 1) * sizeof *x->post_group);
    x->post_next = malloc((total + 1) * sizeof *x->post_next);
    if (!x->post_group || !x->post_next)
        goto oom;
    for (size_t g = 0; g < x->n_groups; g++)
        if (post(x, g) < 0)
            goto oom;
    x->stamp = calloc(x->n_groups + 1, sizeof *x->stamp);
    if (!x->stamp)
        goto oom;
    free(gid);
    return 0;
oom:
    free(gid);
    simindex_free(x);
    return -1;
}

int simindex_query(simindex *x, const idset *q, size_t **out, double **j, size_t *n_out,
                   size_t *cap, size_t *cap_j)
{
    *n_out = 0;
    size_t mark = ++x->queries;
    size_t p = prefix_len(q);
    for (size_t i = 0; i < p; i++) {
        uint64_t *head = wdg_map_get(&x->post, post_key(q->v[i]));
        for (size_t k = head ? (size_t)*head : NONE; k != NONE; k = x->post_next[k]) {
            size_t g = x->post_group[k];
            if (x->stamp[g] == mark)
                continue;
            x->stamp[g] = mark;
            double v = idset_jaccard(q, x->set[g]);
            if (v < 0.5)
                continue;
            if (wdg_grow((void **)out, cap, *n_out + 1, sizeof **out, 16) < 0 ||
                wdg_grow((void **)j, cap_j, *n_out + 1, sizeof **j, 16) < 0)
                return -1;
            (*out)[*n_out] = g;
            (*j)[(*n_out)++] = v;
        }
    }
    return 0;
}
