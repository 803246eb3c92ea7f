/* xenia logs: kernel-call lines, thread lines, import lines, key=value. */
#include "../../src/formats/formats.h"
#include "harness.h"
#include "wedge/wedge.h"

static wdg_trace *load_text(wdg_ops *ops, const char *text, wdg_error *err)
{
    return t_load(t_tempfile(text, strlen(text)), ops, NULL, err);
}

/* wdg_kv_line_looks() as it was first written, word by word: the quick
 * one (the '=' bytes only) must agree with it on every line. */
static int kv_looks_words(const char *m, size_t n)
{
    int op = 0, tid = 0;
    size_t i = 0;
    for (;;) {
        while (i < n && (m[i] == ' ' || m[i] == '\t'))
            i++;
        if (i >= n)
            break;
        size_t e = i;
        while (e < n && m[e] != ' ' && m[e] != '\t')
            e++;
        op |= e - i > 3 && memcmp(m + i, "op=", 3) == 0;
        tid |= e - i > 4 && memcmp(m + i, "tid=", 4) == 0;
        i = e;
    }
    return op && tid;
}

/* Random lines of the bytes that matter (and a few that do not), and
 * every prefix of a real one. */
static void test_kv_looks(void)
{
    static const char alpha[] = "opti d=\t x,";
    static const char real[] = "audit_69 op=NtSetEvent tid=8 handle=F800002C lr=821780C0";
    char buf[40];
    uint32_t seed = 12345;
    int bad = 0;
    for (int k = 0; k < 200000; k++) {
        size_t n = (seed = seed * 1103515245u + 12345u) >> 16 & 31;
        for (size_t i = 0; i < n; i++)
            buf[i] = alpha[((seed = seed * 1103515245u + 12345u) >> 16) % (sizeof alpha - 1)];
        bad += wdg_kv_line_looks(buf, n) != kv_looks_words(buf, n);
    }
    for (size_t n = 0; n <= sizeof real - 1; n++)
        bad += wdg_kv_line_looks(real, n) != kv_looks_words(real, n);
    CHECK(wdg_kv_line_looks(real, sizeof real - 1));
    CHECK_INT(bad, 0);
}

void test_xenia(void)
{
    test_kv_looks();
    wdg_error err = {0};
    wdg_ops *ops;
    wdg_ops_new(&ops, &err);
    const char *log =
        "i> F8000010 XThreadF8000018 (7) Stack: 701B0000-701C0000\n"                       /* 1 */
        "K> F8000010 XThread::Execute thid 6 (handle=F8000010, 'Main XThread (F8000010)', native=000018B0)\n"
        "d> F8000018 KeSetEvent(7015FA80, 00000001, 00000000)\n"                             /* 3 */
        "d> F8000010 ExCreateThread(70150F00, 00010000, 70150F04, 00000000, 824D2878, 00000000, 00000001)\n"
        "i> F8000010 XThreadF8000048 (E) Stack: 70250000-70290000\n"                       /* 5 */
        "d> F8000048 NtWaitForMultipleObjectsEx(00000002, 7015FB00, 00000001, 00000001, 00000000, 00000000)\n"
        "   F 82000760 82475864 09D ( 157)    KeSetEvent\n"                                /* 7 */
        "i> F8000048 audit_70 op=xeKeReleaseSemaphore tid=14 handle=F800006C lr=824D229C host_ns=277967100\n"
        "i> F8000010 Loading module game.xex\n"                                            /* 9 */
        "d> F8000050 NtReleaseSemaphore(F800006C, 00000002, 00000000)\n"
        "d> F8000018 KeWaitForSingleObject(7015FA80, 00000003, 00000000, 00000000, 70150F10)\n" /* 11 */
        "d> F8000018 KeSetEvent(zzzz, 1)\n"
        "d> F8000018 KeSetEvent(7015FA80\n"                                                /* 13 */
        "w> F8000018 SomethingElse(with words)\n"
        "i> F8000050 XThread::Execute thid 20 (handle=F8000050, 'late')\n"                 /* 15 */
        "d> F8000018 NtSignalAndWaitForSingleObjectEx(F8000060, F8000064, 00000001, 00000000, 00000000)\n"
        "d> F8000018 KeDelayExecutionThread(00000001, 00000000, 70150F20)\n"              /* 17 */
        "i> F8000048 audit_70 op=xeKeReleaseSemaphore tid=x handle=F800006C\n"
        "no prefix at all\n";                                                              /* 19 */
    wdg_trace *t = load_text(ops, log, &err);
    CHECK(t != NULL);
    if (!t) {
        wdg_ops_free(ops);
        return;
    }
    CHECK_STR(t->format, "xenia-log");
    CHECK_INT(t->lines, 19);
    CHECK_INT(t->lines, t->n_events + t->ignored + t->malformed);
    CHECK_INT(t->malformed, 3);   /* lines 12, 13, 18 */
    CHECK_INT(t->samples[0].line, 12);
    CHECK_INT(t->samples[1].line, 13);
    CHECK_INT(t->samples[2].line, 18);
    CHECK_INT(t->n_events, 10);
    const wdg_event *e = t->events;
    /* line 3: KeSetEvent by handle F8000018, bound to tid 7 on line 1 */
    CHECK_STR(wdg_ops_name(ops, e[0].op), "KeSetEvent");
    CHECK_INT(e[0].tid, 7);
    CHECK_INT(wdg_ev_cat(ops, &e[0]), WDG_CAT_SET);
    CHECK((e[0].flags & WDG_EV_OBJ) && e[0].obj == 0x7015FA80);
    CHECK(!(e[0].flags & WDG_EV_LR));
    /* line 4: ExCreateThread by tid 6 */
    CHECK_STR(wdg_ops_name(ops, e[1].op), "ExCreateThread");
    CHECK_INT(e[1].tid, 6);
    /* line 5: thread.create of tid 14 at 0x824D2878, suspended */
    CHECK_INT(e[2].op, WDG_OP_THREAD_CREATE);
    CHECK_INT(e[2].tid, 6);
    wdg_event_ext x_buf, *x = wdg_event_ext_of(t, &e[2], &x_buf);
    CHECK(x && x->entry_pc == 0x824D2878 && x->new_tid == 14);
    CHECK(e[2].flags & WDG_EV_SUSPENDED);
    /* line 6: a WaitAny by tid 14 with no object (array not dereferenced) */
    CHECK_INT(e[3].tid, 14);
    CHECK_INT(wdg_ev_cat(ops, &e[3]), WDG_CAT_WAIT);
    CHECK(!(e[3].flags & (WDG_EV_OBJ | WDG_EV_OBJS)));
    CHECK((e[3].flags & WDG_EV_WAIT_KIND) && !(e[3].flags & WDG_EV_WAIT_ALL));
    CHECK(!(e[3].flags & WDG_EV_TIMEOUT));
    /* line 8: key=value */
    CHECK_STR(wdg_ops_name(ops, e[4].op), "xeKeReleaseSemaphore");
    CHECK_INT(e[4].tid, 14);
    CHECK_INT(e[4].lr, 0x824D229C);
    CHECK_INT(e[4].obj, 0xF800006C);
    CHECK_INT(e[4].t, 277967100);
    /* line 10: handle F8000050 bound only on line 15 -> tid 20 */
    CHECK_STR(wdg_ops_name(ops, e[5].op), "NtReleaseSemaphore");
    CHECK_INT(e[5].tid, 20);
    x = wdg_event_ext_of(t, &e[5], &x_buf);
    CHECK(x && x->count == 2 && (e[5].flags & WDG_EV_COUNT));
    /* line 11: a timeout pointer means a finite wait */
    CHECK_STR(wdg_ops_name(ops, e[6].op), "KeWaitForSingleObject");
    CHECK(e[6].flags & WDG_EV_TIMEOUT);
    CHECK_INT(e[6].obj, 0x7015FA80);
    /* line 14: an unknown call with non-hex words is an event of category other */
    CHECK_INT(wdg_ev_cat(ops, &e[7]), WDG_CAT_OTHER);
    /* line 16: signal and wait */
    CHECK_INT(wdg_ev_cat(ops, &e[8]), WDG_CAT_SIGNAL_WAIT);
    CHECK_INT(e[8].obj, 0xF8000060);
    x = wdg_event_ext_of(t, &e[8], &x_buf);
    CHECK(x && x->objs_n == 1 && t->words[x->objs_off] == 0xF8000064);
    /* line 17: a delay never waits forever */
    CHECK(e[9].flags & WDG_EV_TIMEOUT);
    /* import table */
    CHECK_INT(t->n_imports, 1);
    CHECK_INT(t->imports[0].pc, 0x82475864);
    CHECK_STR(wdg_ops_name(ops, t->imports[0].op), "KeSetEvent");
    CHECK_INT(t->threads, 4);   /* 7, 6, 14, 20 */
    /* line 8 alone has t: the trace is timed, the others took its t (events without t) */
    CHECK(t->all_t);
    CHECK_INT(t->placed_t, 9);
    CHECK(!(e[4].flags & WDG_EV_T_PLACED) && (e[5].flags & WDG_EV_T_PLACED));
    CHECK_INT(e[0].t, 277967100);
    wdg_trace_free(t);

    /* the stock form alone: no lr anywhere */
    t = load_text(ops, "d> F8000018 NtSetEvent(F8000020, 00000000)\n", &err);
    CHECK(t && t->producers == 1 && t->producers_with_lr == 0);
    wdg_trace_free(t);

    /* key=value lines alone (the instrumentation form), no prefix */
    t = load_text(ops, "op=KeSetEvent tid=3 lr=0x82000010 t=5\nop=KeSetEvent lr=1\n", &err);
    CHECK(t != NULL);
    if (t) {
        CHECK_INT(t->n_events, 1);
        CHECK_INT(t->malformed, 0);
        CHECK_INT(t->ignored, 1);
        wdg_trace_free(t);
    }
    /* an unknown format is fatal, naming the file */
    t = load_text(ops, "hello\nworld\n", &err);
    CHECK(t == NULL);
    CHECK_INT(err.code, WDG_EINPUT);
    CHECK(strstr(err.msg, "no known trace format") != NULL);
    wdg_ops_free(ops);
}
