/* The common span (docs/analysis.md, "Common span"): how
 * far each trace is compared.  Engines run at different speeds and are
 * stopped at different points, so by default the span is cut by progress:
 * a heartbeat key that fires until the end of both traces says how far the
 * shorter one got, and the longer one is cut at the same beat. */
#include <stdlib.h>
#include <string.h>

#include "wedge/analysis.h"

enum { HEARTBEAT_MIN_BEATS = 8 };

static const char no_heartbeat[] =
    "no heartbeat: no producer key fires at least 8 times and until the last 10 % of both traces";

const char *wdg_span_method_name(wdg_span_method m)
{
    switch (m) {
    case WDG_SPAN_PROGRESS: return "progress";
    case WDG_SPAN_TIME: return "time";
    case WDG_SPAN_WHOLE: return "whole";
    }
    return "?";
}

int wdg_span_method_parse(const char *s, wdg_span_method *out)
{
    static const wdg_span_method all[] = {WDG_SPAN_PROGRESS, WDG_SPAN_TIME, WDG_SPAN_WHOLE};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (strcmp(s, wdg_span_method_name(all[i])) == 0) {
            *out = all[i];
            return 0;
        }
    return -1;
}

/* an event's position: its t in a timed trace, else its index */
static int64_t pos(const wdg_trace *t, size_t i)
{
    return t->all_t ? t->events[i].t : (int64_t)i;
}

/* how many ordered events have position <= end (a prefix: positions grow) */
static size_t prefix_upto(const wdg_trace *t, int64_t end)
{
    size_t lo = 0, hi = t->n_events;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pos(t, mid) <= end)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void set_whole(wdg_span *sp, const wdg_trace *const tr[2], const char *reason)
{
    sp->method = WDG_SPAN_WHOLE;
    sp->reason = reason;
    for (int s = 0; s < 2; s++)
        sp->end[s] = tr[s]->n_events ? pos(tr[s], tr[s]->n_events - 1) : -1;
}

static void by_time(wdg_span *sp, const wdg_trace *const tr[2])
{
    if (!tr[0]->all_t || !tr[1]->all_t) {
        set_whole(sp, tr, tr[0]->all_t || tr[1]->all_t
                              ? "span by time needs t in both traces: one has none"
                              : "span by time needs t in both traces: neither has any");
        return;
    }
    sp->method = WDG_SPAN_TIME;
    int64_t len[2] = {tr[0]->last_t - tr[0]->first_t, tr[1]->last_t - tr[1]->first_t};
    int64_t cut = len[0] < len[1] ? len[0] : len[1];
    for (int s = 0; s < 2; s++)
        sp->end[s] = tr[s]->first_t + cut;
}

/* Does the last beat lie in the last 10 % of the trace?  (last - first0)
 * >= 0.9 (end - first0), exactly in integers: (span - into) <= span / 10. */
static int reaches_end(const wdg_trace *t, int64_t last_beat)
{
    uint64_t span = (uint64_t)pos(t, t->n_events - 1) - (uint64_t)pos(t, 0);
    uint64_t into = (uint64_t)last_beat - (uint64_t)pos(t, 0);
    return span - into <= span / 10;
}

/* The heartbeat (the common span): the key with >= 8 events in each trace, the last
 * in the last 10 % of each, firing most often in the sparser trace; ties
 * to the smaller key id.  Returns its index or WDG_NO_KEY; -1 on OOM. */
static int64_t find_heartbeat(const wdg_trace *const tr[2], const uint32_t *const key[2],
                              const uint64_t *key_id, size_t n_keys, uint64_t beats[][2])
{
    int64_t(*last)[2] = malloc((n_keys + 1) * sizeof *last);
    if (!last)
        return -1;
    for (size_t k = 0; k < n_keys; k++)
        beats[k][0] = beats[k][1] = 0;
    for (int s = 0; s < 2; s++)
        for (size_t i = 0; i < tr[s]->n_events; i++) {
            uint32_t k = key[s][i];
            if (k == WDG_NO_KEY)
                continue;
            beats[k][s]++;
            last[k][s] = pos(tr[s], i);
        }
    int64_t best = WDG_NO_KEY;
    uint64_t best_n = 0;
    for (size_t k = 0; k < n_keys; k++) {
        uint64_t n = beats[k][0] < beats[k][1] ? beats[k][0] : beats[k][1];
        if (n < HEARTBEAT_MIN_BEATS || !reaches_end(tr[0], last[k][0]) ||
            !reaches_end(tr[1], last[k][1]))
            continue;
        if (best == WDG_NO_KEY || n > best_n || (n == best_n && key_id[k] < key_id[best])) {
            best = (int64_t)k;
            best_n = n;
        }
    }
    free(last);
    return best;
}

/* positions of the heartbeat's beats number a, b and c (1-based) in one
 * trace; a beat past the last gives INT64_MAX */
static void beat_pos(const wdg_trace *t, const uint32_t *key, uint32_t k, uint64_t want[3],
                     int64_t out[3])
{
    uint64_t seen = 0;
    for (int j = 0; j < 3; j++)
        out[j] = INT64_MAX;
    for (size_t i = 0; i < t->n_events; i++) {
        if (key[i] != k)
            continue;
        seen++;
        for (int j = 0; j < 3; j++)
            if (seen == want[j])
                out[j] = pos(t, i);
        if (seen >= want[2])
            break;
    }
}

/* Cuts the longer side L at the beat where the shorter side S stopped,
 * plus S's time after its last beat scaled by L's beat rate. */
static void by_progress(wdg_span *sp, const wdg_trace *const tr[2], const uint32_t *const key[2],
                        uint32_t hb)
{
    uint64_t n = sp->beats[0] < sp->beats[1] ? sp->beats[0] : sp->beats[1];
    sp->method = WDG_SPAN_PROGRESS;
    for (int s = 0; s < 2; s++)
        sp->end[s] = pos(tr[s], tr[s]->n_events - 1);
    if (sp->beats[0] == sp->beats[1])
        return;
    int S = sp->beats[0] == n ? 0 : 1, L = 1 - S;
    uint64_t want[3] = {1, n, n + 1};
    int64_t ps[3], pl[3];
    beat_pos(tr[S], key[S], hb, want, ps);
    beat_pos(tr[L], key[L], hb, want, pl);
    double rate = 1.0;
    if (n >= 2 && ps[1] > ps[0])
        rate = (double)(pl[1] - pl[0]) / (double)(ps[1] - ps[0]);
    int64_t lo = pl[1], hi = pl[2] - 1;
    /* add >= 0 (S ends at or after its n-th beat): rounding half up is
     * llround's; clamped first, as a double past int64 does not convert */
    double add = (double)(sp->end[S] - ps[1]) * rate;
    int64_t end;
    if (add >= (double)(hi - lo))
        end = hi;
    else
        end = lo + (int64_t)(add + 0.5);
    if (end > hi)
        end = hi;
    if (end < lo)
        end = lo;
    sp->end[L] = end;
}

int wdg_span_find(wdg_span *sp, const wdg_trace *const tr[2], const uint32_t *const key[2],
                  const uint64_t *key_id, size_t n_keys, wdg_span_method requested,
                  wdg_error *err)
{
    memset(sp, 0, sizeof *sp);
    sp->requested = requested;
    if (requested == WDG_SPAN_WHOLE) {
        set_whole(sp, tr, NULL);
    } else if (requested == WDG_SPAN_TIME) {
        by_time(sp, tr);
    } else if (!tr[0]->n_events || !tr[1]->n_events) {
        set_whole(sp, tr, no_heartbeat);
    } else {
        uint64_t(*beats)[2] = malloc((n_keys + 1) * sizeof *beats);
        if (!beats)
            return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
        int64_t hb = find_heartbeat(tr, key, key_id, n_keys, beats);
        if (hb < 0) {
            free(beats);
            return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
        }
        if (hb == WDG_NO_KEY) {
            set_whole(sp, tr, no_heartbeat);
        } else {
            sp->has_heartbeat = 1;
            sp->heartbeat = (uint32_t)hb;
            sp->beats[0] = beats[hb][0];
            sp->beats[1] = beats[hb][1];
            by_progress(sp, tr, key, (uint32_t)hb);
        }
        free(beats);
    }
    for (int s = 0; s < 2; s++)
        sp->count[s] = prefix_upto(tr[s], sp->end[s]);
    return 0;
}
