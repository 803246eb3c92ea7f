/* --line-format templates. */
#include "../../src/formats/formats.h"
#include "harness.h"
#include "wedge/wedge.h"

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

    wdg_rec r;
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

    /* a whole file */
    const char *text = "# my engine's log\n[10] T1 KeSetEvent lr=82000010 h=10\n"
                       "[20] T1 KeSetEvent lr=82000010 h=10\r\n[30] T99999999999 A lr=1 h=1\n"
                       "noise";
    wdg_ops *ops;
    wdg_ops_new(&ops, &err);
    wdg_read_opts ro = {ts, 0, NULL, NULL};
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
