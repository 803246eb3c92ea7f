/* Data-driven reader tests (in the manner of jq's): every file in
 * tests/cases/ holds cases of the form
 *
 *   === case NAME
 *   === template T        (optional, repeatable: a --line-format)
 *   === probe PC=OP       (optional, repeatable)
 *   === input             (or input-no-final-newline)
 *   ...the trace, line for line...
 *   === expect
 *   format jsonl
 *   counts lines=5 events=3 ignored=1 malformed=1
 *   event 0 tid=1 op=KeSetEvent cat=set lr=0x824D229C obj=0x00001004 t=100
 *   (placed=yes|no: the event's t was placed from a timed neighbour)
 *   merged 2              (lines merged into their partner's event)
 *   malformed 3 syntax
 *   === end
 *
 * Every case also checks lines = events + ignored + malformed.
 */
#include <dirent.h>
#include <stdlib.h>

#include "harness.h"
#include "wedge/wedge.h"

#ifndef CASES_DIR
#define CASES_DIR "tests/cases"
#endif

typedef struct tcase {
    char name[128];
    wdg_buf input;
    wdg_buf expect;
    const char *templates[8];
    unsigned n_templates;
    const char *probes[8];
    unsigned n_probes;
    int strip_final_newline;
} tcase;

static int field_ok(const wdg_trace *t, const wdg_event *e, const char *k, const char *v)
{
    wdg_event_ext x_buf, *x = wdg_event_ext_of(t, e, &x_buf);
    const wdg_sites *sites = wdg_ops_sites(t->ops);
    char buf[160];
    if (strcmp(k, "t") == 0)
        return (e->flags & WDG_EV_T) ? e->t == strtoll(v, NULL, 10) : strcmp(v, "none") == 0;
    if (strcmp(k, "placed") == 0)
        return !!(e->flags & WDG_EV_T_PLACED) == (strcmp(v, "yes") == 0);
    if (strcmp(k, "tid") == 0)
        return e->tid == strtoul(v, NULL, 10);
    if (strcmp(k, "op") == 0)
        return strcmp(wdg_ops_name(t->ops, e->op), v) == 0;
    if (strcmp(k, "cat") == 0)
        return strcmp(wdg_category_name(wdg_ev_cat(t->ops, e)), v) == 0;
    if (strcmp(k, "lr") == 0 || strcmp(k, "obj") == 0) {
        int has = strcmp(k, "lr") == 0 ? (e->flags & WDG_EV_LR) : (e->flags & WDG_EV_OBJ);
        if (!has)
            return strcmp(v, "none") == 0;
        wdg_addr_format(sites, strcmp(k, "lr") == 0 ? wdg_ev_lr(e) : wdg_ev_obj(e), buf, sizeof buf);
        return strcmp(buf, v) == 0;
    }
    if (strcmp(k, "objs") == 0 || strcmp(k, "frames") == 0) {
        int objs = k[0] == 'o';
        if (!(e->flags & (objs ? WDG_EV_OBJS : WDG_EV_FRAMES)))
            return strcmp(v, "none") == 0;
        wdg_buf b = WDG_BUF_INIT;
        for (uint32_t i = 0; i < (objs ? x->objs_n : x->frames_n); i++)
            wdg_buf_printf(&b, "%s%s", i ? "," : "",
                           wdg_addr_format(sites, objs ? wdg_x_obj(t, x, i) : wdg_x_frame(t, x, i),
                                           buf, sizeof buf));
        int ok = strcmp(b.ptr ? b.ptr : "", v) == 0;
        wdg_buf_free(&b);
        return ok;
    }
    if (strcmp(k, "wait") == 0) {
        const char *w = !(e->flags & WDG_EV_WAIT_KIND) ? "unknown"
                        : (e->flags & WDG_EV_WAIT_ALL) ? "all" : "any";
        return strcmp(w, v) == 0;
    }
    if (strcmp(k, "timeout") == 0) {
        if (!(e->flags & WDG_EV_TIMEOUT))
            return strcmp(v, "infinite") == 0;
        if (!(e->flags & WDG_EV_TIMEOUT_VALUE))
            return strcmp(v, "finite") == 0;
        return x->timeout == strtoll(v, NULL, 10);
    }
    if (strcmp(k, "entry_pc") == 0 || strcmp(k, "pc") == 0 || strcmp(k, "alias") == 0) {
        wdg_addr val = !x ? 0 : k[0] == 'e' ? wdg_x_entry_pc(x) : k[0] == 'p' ? wdg_x_pc(x) : wdg_x_alias(x);
        uint32_t flag = k[0] == 'e' ? WDG_EV_ENTRY : k[0] == 'p' ? WDG_EV_PC : WDG_EV_ALIAS;
        if (!(e->flags & flag))
            return strcmp(v, "none") == 0;
        wdg_addr_format(sites, val, buf, sizeof buf);
        return strcmp(buf, v) == 0;
    }
    if (strcmp(k, "new_tid") == 0)
        return x && (e->flags & WDG_EV_NEW_TID) && x->new_tid == strtoul(v, NULL, 10);
    if (strcmp(k, "count") == 0)
        return x && (e->flags & WDG_EV_COUNT) && x->count == strtoul(v, NULL, 10);
    if (strcmp(k, "cycle") == 0)
        return x && (e->flags & WDG_EV_CYCLE) && x->cycle == strtoll(v, NULL, 10);
    if (strcmp(k, "suspended") == 0)
        return !!(e->flags & WDG_EV_SUSPENDED) == (strcmp(v, "true") == 0);
    fprintf(stderr, "unknown field '%s' in a case\n", k);
    return 0;
}

static void run_case(const char *file, tcase *c)
{
    char label[300];
    snprintf(label, sizeof label, "%s: %s", file, c->name);
    t_current = label;
    wdg_error err = {0};
    wdg_ops *ops;
    wdg_templates *ts;
    wdg_ops_new(&ops, &err);
    wdg_templates_new(&ts, &err);
    for (unsigned i = 0; i < c->n_templates; i++)
        CHECK_INT(wdg_templates_add(ts, c->templates[i], &err), 0);
    wdg_read_opts ro = {ts, 0, NULL, NULL, 0, 0, 0};
    size_t len = c->input.len;
    if (c->strip_final_newline && len && c->input.ptr[len - 1] == '\n')
        len--;
    const char *path = t_tempfile(c->input.ptr ? c->input.ptr : "", len);
    wdg_trace *t = NULL;
    int rc = wdg_load_traces(&t, &path, 1, ops, &ro, c->probes, c->n_probes, &err);
    char *save = NULL;
    char *exp = c->expect.ptr ? c->expect.ptr : (char *)"";
    for (char *line = strtok_r(exp, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char word[32];
        int used = 0;
        if (sscanf(line, "%31s %n", word, &used) < 1)
            continue;
        char *rest = line + used;
        if (strcmp(word, "error") == 0) {
            CHECK(rc < 0);
            CHECK(rc < 0 && strstr(err.msg, rest) != NULL);
            continue;
        }
        CHECK(rc == 0);
        if (rc < 0) {
            fprintf(stderr, "  load failed: %s\n", err.msg);
            break;
        }
        if (strcmp(word, "format") == 0) {
            CHECK_STR(t->format, rest);
        } else if (strcmp(word, "counts") == 0) {
            unsigned long long l, ev, ig, ma;
            CHECK(sscanf(rest, "lines=%llu events=%llu ignored=%llu malformed=%llu", &l, &ev,
                         &ig, &ma) == 4);
            CHECK_INT(t->lines, l);
            CHECK_INT(t->n_events, ev);
            CHECK_INT(t->ignored, ig);
            CHECK_INT(t->malformed, ma);
        } else if (strcmp(word, "merged") == 0) {
            CHECK_INT(t->merged, strtoull(rest, NULL, 10));
        } else if (strcmp(word, "threads") == 0) {
            CHECK_INT(t->threads, strtoul(rest, NULL, 10));
        } else if (strcmp(word, "event") == 0) {
            char *s2 = NULL;
            char *idx = strtok_r(rest, " ", &s2);
            size_t i = strtoul(idx, NULL, 10);
            CHECK(i < t->n_events);
            if (i >= t->n_events)
                continue;
            for (char *kv = strtok_r(NULL, " ", &s2); kv; kv = strtok_r(NULL, " ", &s2)) {
                char *eq = strchr(kv, '=');
                if (!eq) {
                    CHECK(!"event check without '='");
                    continue;
                }
                *eq = 0;
                int ok = field_ok(t, &t->events[i], kv, eq + 1);
                if (!ok)
                    fprintf(stderr, "  event %zu: %s != %s\n", i, kv, eq + 1);
                CHECK(ok);
            }
        } else if (strcmp(word, "malformed") == 0) {
            unsigned long long ln;
            char reason[32];
            CHECK(sscanf(rest, "%llu %31s", &ln, reason) == 2);
            int found = 0;
            for (unsigned i = 0; i < t->n_samples; i++)
                if (t->samples[i].line == ln &&
                    strcmp(wdg_malformed_reason_name(t->samples[i].reason), reason) == 0)
                    found = 1;
            if (!found)
                fprintf(stderr, "  no malformed line %llu (%s)\n", ln, reason);
            CHECK(found);
        } else {
            fprintf(stderr, "  unknown expectation '%s'\n", word);
            CHECK(0);
        }
    }
    if (t)
        CHECK_INT(t->lines, t->n_events + t->ignored + t->malformed);
    wdg_trace_free(t);
    wdg_templates_free(ts);
    wdg_ops_free(ops);
}

static void run_file(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    CHECK(f != NULL);
    if (!f)
        return;
    tcase c;
    memset(&c, 0, sizeof c);
    enum { NONE, INPUT, EXPECT } mode = NONE;
    char line[8192];
    char *owned[32];
    unsigned n_owned = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "=== ", 4) == 0) {
            line[strcspn(line, "\n")] = 0;
            const char *d = line + 4;
            if (strncmp(d, "case ", 5) == 0) {
                snprintf(c.name, sizeof c.name, "%.127s", d + 5);
                mode = NONE;
            } else if (strncmp(d, "template ", 9) == 0 && c.n_templates < 8 && n_owned < 32) {
                c.templates[c.n_templates++] = owned[n_owned++] = strdup(d + 9);
            } else if (strncmp(d, "probe ", 6) == 0 && c.n_probes < 8 && n_owned < 32) {
                c.probes[c.n_probes++] = owned[n_owned++] = strdup(d + 6);
            } else if (strcmp(d, "input") == 0) {
                mode = INPUT;
            } else if (strcmp(d, "input-no-final-newline") == 0) {
                mode = INPUT;
                c.strip_final_newline = 1;
            } else if (strcmp(d, "expect") == 0) {
                mode = EXPECT;
            } else if (strcmp(d, "end") == 0) {
                run_case(name, &c);
                wdg_buf_free(&c.input);
                wdg_buf_free(&c.expect);
                for (unsigned i = 0; i < n_owned; i++)
                    free(owned[i]);
                n_owned = 0;
                memset(&c, 0, sizeof c);
                mode = NONE;
            }
            continue;
        }
        if (mode == INPUT)
            wdg_buf_puts(&c.input, line);
        else if (mode == EXPECT)
            wdg_buf_puts(&c.expect, line);
    }
    fclose(f);
    wdg_buf_free(&c.input);
    wdg_buf_free(&c.expect);
    for (unsigned i = 0; i < n_owned; i++)
        free(owned[i]);
}

void test_cases(void)
{
    DIR *d = opendir(CASES_DIR);
    CHECK(d != NULL);
    if (!d)
        return;
    struct dirent *de;
    int files = 0;
    while ((de = readdir(d)) != NULL) {
        size_t n = strlen(de->d_name);
        if (n > 5 && strcmp(de->d_name + n - 5, ".case") == 0) {
            run_file(CASES_DIR, de->d_name);
            files++;
        }
    }
    closedir(d);
    t_current = "cases";
    CHECK(files > 0);
}
