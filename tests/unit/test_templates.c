/* --line-format templates. */
#include <stdlib.h>
#include <time.h>

#include "../../src/formats/formats.h"
#include "harness.h"
#include "wedge/wedge.h"

/* Templates no line can match are refused when given, with the reason
 * (issue 8, item 14), instead of failing the run later. */
static void never_matching(wdg_templates *ts)
{
    static const struct {
        const char *text, *reason;
    } refused[] = {
        {"{tid:dec} {op:word} ", "ends in white space"},
        {"{tid:dec} {op:word}\t", "ends in white space"},
        {"{tid:dec}{op:word}", "two fields side by side"},
        {"{tid:dec} {_}{op:word}", "two fields side by side"},
        {"{tid:dec} {op:word}{_}", "two fields side by side"},
        {"{tid:dec} \t{op:word}", "a tab right after a space"},
        {"{tid:dec}\n{op:word}", "newline"},
    };
    unsigned before = wdg_templates_count(ts);
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        wdg_error err = {0};
        CHECK_INT(wdg_templates_add(ts, refused[i].text, &err), WDG_EUSAGE);
        if (!strstr(err.msg, refused[i].reason))
            CHECK_STR(err.msg, refused[i].reason);
    }
    CHECK_INT(wdg_templates_count(ts), before);
    /* close to those, but each matches some line */
    wdg_templates *ok;
    wdg_error err = {0};
    wdg_templates_new(&ok, &err);
    CHECK_INT(wdg_templates_add(ok, " {tid:dec} {op:word}", &err), 0);
    CHECK_INT(wdg_templates_add(ok, "{tid:dec}\t{op:word}", &err), 0);
    CHECK_INT(wdg_templates_add(ok, "{tid:dec}:{op:word} x", &err), 0);
    wdg_rec r;
    wdg_rec_init(&r, NULL);
    wdg_line_result res;
    const char *l1 = "  7 KeSetEvent", *l2 = "7\tKeSetEvent", *l3 = "7:KeSetEvent  x ";
    CHECK_INT(wdg_templates_parse(ok, l1, strlen(l1), &r, &res), LINE_EVENT);
    CHECK_INT(wdg_templates_parse(ok, l2, strlen(l2), &r, &res), LINE_EVENT);
    CHECK_INT(wdg_templates_parse(ok, l3, strlen(l3), &r, &res), LINE_EVENT);
    wdg_templates_free(ok);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A 60,000-segment template compiles in linear time (it took minutes
 * under ASan when its array grew one element at a time), and still
 * matches its line. */
static void many_segments(void)
{
    enum { WORDS = 30000 };
    const char *head = "{tid:dec} {op:word}";
    size_t hn = strlen(head);
    char *text = malloc(hn + 2 * WORDS + 1), *line = malloc(12 + 2 * WORDS + 1);
    if (!text || !line) {
        CHECK(0);
        free(text);
        free(line);
        return;
    }
    memcpy(text, head, hn);
    memcpy(line, "7 KeSetEvent", 12);
    for (size_t i = 0; i < WORDS; i++) {
        memcpy(text + hn + 2 * i, " a", 2);
        memcpy(line + 12 + 2 * i, " a", 2);
    }
    text[hn + 2 * WORDS] = 0;
    line[12 + 2 * WORDS] = 0;
    wdg_error err = {0};
    wdg_templates *ts;
    wdg_templates_new(&ts, &err);
    double t0 = now();
    CHECK_INT(wdg_templates_add(ts, text, &err), 0);
    double took = now() - t0;
    if (took > 2.0)
        fprintf(stderr, "FAIL [templates] 60,000 segments took %.1f s\n", took);
    CHECK(took <= 2.0);
    wdg_rec r;
    wdg_rec_init(&r, NULL);
    wdg_line_result res;
    CHECK_INT(wdg_templates_parse(ts, line, strlen(line), &r, &res), LINE_EVENT);
    CHECK_INT(r.tid, 7);
    wdg_templates_free(ts);
    free(text);
    free(line);
}

void test_templates(void)
{
    wdg_error err = {0};
    wdg_templates *ts;
    CHECK_INT(wdg_templates_new(&ts, &err), 0);
    CHECK_INT(wdg_templates_add(ts, "[{t:dec}] T{tid:dec} {op:word} lr={lr:hex} h={obj:hex}", &err), 0);
    CHECK_INT(wdg_templates_add(ts, "{_} {tid:dec} {op:word}({obj:hex})", &err), 0);
    /* invalid templates are usage errors */
    CHECK_INT(wdg_templates_add(ts, "{t:dec} {op:word}", &err), WDG_EUSAGE);
    CHECK_INT(wdg_templates_add(ts, "{tid:dec} {op:word} {bogus:hex}", &err), WDG_EUSAGE);
    CHECK_INT(wdg_templates_add(ts, "{tid:dec} {op:word} {lr:float}", &err), WDG_EUSAGE);
    CHECK_INT(wdg_templates_add(ts, "{tid:dec} {op:word} {lr", &err), WDG_EUSAGE);
    CHECK_INT(wdg_templates_add(ts, "{tid:dec} {op:hex}", &err), WDG_EUSAGE);
    CHECK_INT(wdg_templates_add(ts, "{tid:dec} {op:word} {lr}", &err), WDG_EUSAGE);
    CHECK_INT(wdg_templates_count(ts), 2);
    never_matching(ts);
    many_segments();

    wdg_rec r;

    wdg_rec_init(&r, NULL);
    wdg_line_result res;
    const char *l1 = "[1200]   T6 KeSetEvent lr=0x824D2A44 h=F8000020  ";
    CHECK_INT(wdg_templates_parse(ts, l1, strlen(l1), &r, &res), LINE_EVENT);
    CHECK_INT(r.t, 1200);
    CHECK_INT(r.tid, 6);
    CHECK_INT(r.lr, 0x824D2A44);
    CHECK_INT(r.obj, 0xF8000020);
    CHECK(r.op_len == 10 && memcmp(r.op, "KeSetEvent", 10) == 0);
    const char *l2 = "xx 9 NtSetEvent(1004)";
    CHECK_INT(wdg_templates_parse(ts, l2, strlen(l2), &r, &res), LINE_EVENT);
    CHECK_INT(r.tid, 9);
    CHECK_INT(r.obj, 0x1004);
    CHECK(r.op_len == 10 && memcmp(r.op, "NtSetEvent", 10) == 0);
    const char *l3 = "[12] T6 KeSetEvent lr=0x824D2A44";   /* too short */
    CHECK_INT(wdg_templates_parse(ts, l3, strlen(l3), &r, &res), LINE_IGNORED);
    const char *l4 = "[12] T6 KeSetEvent lr=0x824D2A44 h=1 extra";
    CHECK_INT(wdg_templates_parse(ts, l4, strlen(l4), &r, &res), LINE_IGNORED);
    const char *l5 = "[12] Tx KeSetEvent lr=1 h=1";
    CHECK_INT(wdg_templates_parse(ts, l5, strlen(l5), &r, &res), LINE_IGNORED);
    const char *l6 = "[12] T99999999999 KeSetEvent lr=1 h=1";   /* shape fits, out of range */
    CHECK_INT(wdg_templates_parse(ts, l6, strlen(l6), &r, &res), LINE_MALFORMED);
    CHECK_INT(res.reason, WDG_MAL_RANGE);
    const char *l7 = "[12] T1 KeSetEvent lr=123456789 h=1";
    CHECK_INT(wdg_templates_parse(ts, l7, strlen(l7), &r, &res), LINE_MALFORMED);
    /* an op name longer than 255 bytes is malformed, as in every reader */
    char l8[400];
    snprintf(l8, sizeof l8, "[12] T1 %0256d lr=1 h=1", 0);
    CHECK_INT(wdg_templates_parse(ts, l8, strlen(l8), &r, &res), LINE_MALFORMED);
    CHECK_INT(res.reason, WDG_MAL_RANGE);
    snprintf(l8, sizeof l8, "[12] T1 %0255d lr=1 h=1", 0);
    CHECK_INT(wdg_templates_parse(ts, l8, strlen(l8), &r, &res), LINE_EVENT);
    CHECK_INT(r.op_len, 255);

    /* a whole file */
    const char *text = "# my engine's log\n[10] T1 KeSetEvent lr=82000010 h=10\n"
                       "[20] T1 KeSetEvent lr=82000010 h=10\r\n[30] T99999999999 A lr=1 h=1\n"
                       "noise";
    wdg_ops *ops;
    wdg_ops_new(&ops, &err);
    wdg_read_opts ro = {ts, 0, NULL, NULL, 0, 0, 0};
    wdg_trace *t = t_load(t_tempfile(text, strlen(text)), ops, &ro, &err);
    CHECK(t != NULL);
    if (t) {
        CHECK_STR(t->format, "template");
        CHECK_INT(t->lines, 5);
        CHECK_INT(t->n_events, 2);
        CHECK_INT(t->ignored, 2);
        CHECK_INT(t->malformed, 1);
        CHECK_INT(t->samples[0].line, 4);
        CHECK(t->all_t);
        wdg_trace_free(t);
    }
    wdg_ops_free(ops);
    wdg_templates_free(ts);
}
