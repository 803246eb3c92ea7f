/* Probe resolution, the key table and the first divergence, on traces
 * whose answers are worked out by hand in the comments. */
#include "harness.h"
#include "wedge/wedge.h"

static wdg_ops *ops;

static int load2(const char *ref, const char *cand, wdg_trace **t, const char *const *probes,
                 size_t np)
{
    wdg_error err = {0};
    const char *paths[2] = {t_tempfile(ref, strlen(ref)), t_tempfile(cand, strlen(cand))};
    /* callers check rc: a failure some tests expect is no noise here */
    return wdg_load_traces(t, paths, 2, ops, NULL, probes, np, &err);
}

void test_probes(void)
{
    wdg_error err = {0};
    wdg_ops_new(&ops, &err);
    /* ref: a xenia log with an import table; cand: PC probes */
    const char *ref = "   F 82000760 8284E49C 09D ( 157)    KeReleaseSemaphore\n"
                      "d> F8000018 KeReleaseSemaphore(7015FA80, 00000001, 00000001, 00000000)\n";
    const char *cand = "{\"cycle\":1,\"tid\":9,\"pc\":\"0x8284E49C\",\"lr\":\"0x824D229C\"}\n"
                       "{\"cycle\":2,\"tid\":9,\"pc\":\"0x8284DDDC\",\"lr\":\"0x824D2A44\"}\n"
                       "{\"cycle\":3,\"tid\":9,\"pc\":\"0x11111111\",\"lr\":\"0x824D2A44\"}\n";
    wdg_trace *t[2];
    const char *probes[] = {"0x8284DDDC=KeSetEvent"};
    CHECK_INT(load2(ref, cand, t, probes, 1), 0);
    CHECK_INT(t[1]->n_events, 2);
    CHECK_INT(t[1]->malformed, 1);
    CHECK_INT(t[1]->malformed_by_reason[WDG_MAL_UNRESOLVED], 1);
    CHECK_INT(t[1]->samples[0].line, 3);
    CHECK_INT(t[1]->lines, t[1]->n_events + t[1]->ignored + t[1]->malformed);
    CHECK_STR(wdg_ops_name(ops, t[1]->events[0].op), "KeReleaseSemaphore");
    CHECK_INT(wdg_ev_cat(ops, &t[1]->events[0]), WDG_CAT_RELEASE);
    CHECK_STR(wdg_ops_name(ops, t[1]->events[1].op), "KeSetEvent");
    CHECK_INT(t[1]->producers, 2);
    wdg_trace_free(t[0]);
    wdg_trace_free(t[1]);
    /* a bad --probe is a usage error */
    const char *bad[] = {"zz=KeSetEvent"};
    CHECK_INT(load2(ref, cand, t, bad, 1), WDG_EUSAGE);
    /* pseudo ops need fields a probe line lacks; op names are one printable
     * word of at most 255 bytes (issue 8, item 13) */
    char long_op[300] = "0x8284DDDC=";
    memset(long_op + 11, 'K', 256);
    const char *refused[] = {"0x8284DDDC=thread.create", "0x8284DDDC=object.alias",
                             "0x8284DDDC=Ke SetEvent",   "0x8284DDDC=a=b",
                             "0x8284DDDC=",              "0x8284DDDC=Ke\tSet",
                             "0x8284DDDC=\x7f",          long_op};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        wdg_error e = {0};
        wdg_probes p = {0};
        CHECK_INT(wdg_probes_add_spec(&p, ops, refused[i], &e), WDG_EUSAGE);
        CHECK_INT(p.n, 0);
        wdg_probes_free(&p);
    }
    wdg_error e = {0};
    wdg_probes p = {0};
    CHECK_INT(wdg_probes_add_spec(&p, ops, "0x8284DDDC=thread.create", &e), WDG_EUSAGE);
    CHECK(strstr(e.msg, "entry_pc and new_tid") != NULL);
    long_op[11 + 255] = 0;   /* 255 bytes is still a name */
    CHECK_INT(wdg_probes_add_spec(&p, ops, long_op, &e), 0);
    CHECK_INT(wdg_probes_add_spec(&p, ops, "0x1=thread.exit", &e), 0);
    CHECK_INT(p.n, 2);
    wdg_probes_free(&p);
    wdg_ops_free(ops);
}

static const wdg_key *find_key(const wdg_keytable *kt, int cat, uint32_t lr)
{
    for (size_t i = 0; i < kt->n; i++)
        if (kt->keys[i].cat == cat && kt->keys[i].has_lr && kt->keys[i].lr == lr)
            return &kt->keys[i];
    return NULL;
}

void test_keytable(void)
{
    wdg_error err = {0};
    wdg_ops_new(&ops, &err);
    /* ref runs from t=10 to 100, cand from 5 to 60: by time the common
     * span is 55 long, to t=65 in ref.
     *   release@A: ref 4 (3 in span), cand 1    -> UNDER (1 < 3/1.25)
     *   set@B:     ref 2 (2 in span), cand 0    -> MISSING
     *   set@C:     ref 0,             cand 2    -> EXTRA
     *   release@D: ref 4 in span, cand 5       -> MATCH (5 <= 4*1.25)
     *   release@E: ref 2, cand 3               -> OVER (3 > 2.5)
     *   wait keys are not producers */
    const char *ref =
        "{\"t\":10,\"tid\":1,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xA\"}\n"
        "{\"t\":11,\"tid\":1,\"op\":\"KeSetEvent\",\"lr\":\"0xB\"}\n"
        "{\"t\":12,\"tid\":1,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xD\"}\n"
        "{\"t\":13,\"tid\":1,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xD\"}\n"
        "{\"t\":14,\"tid\":1,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xD\"}\n"
        "{\"t\":15,\"tid\":1,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xD\"}\n"
        "{\"t\":20,\"tid\":1,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xA\"}\n"
        "{\"t\":21,\"tid\":1,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0xF\"}\n"
        "{\"t\":30,\"tid\":1,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xA\"}\n"
        "{\"t\":31,\"tid\":2,\"op\":\"KeSetEvent\",\"lr\":\"0xB\"}\n"
        "{\"t\":32,\"tid\":2,\"op\":\"KeReleaseSemaphore\",\"lr\":\"0xE\"}\n"
        "{\"t\":33,\"tid\":2,\"op\":\"KeReleaseSemaphore\",\"lr\":\"0xE\"}\n"
        "{\"t\":100,\"tid\":1,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xA\"}\n";
    const char *cand =
        "{\"t\":5,\"tid\":7,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xA\"}\n"
        "{\"t\":6,\"tid\":7,\"op\":\"KeSetEvent\",\"lr\":\"0xC\"}\n"
        "{\"t\":7,\"tid\":7,\"op\":\"KeSetEvent\",\"lr\":\"0xC\"}\n"
        "{\"t\":8,\"tid\":7,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xD\"}\n"
        "{\"t\":9,\"tid\":7,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xD\"}\n"
        "{\"t\":10,\"tid\":7,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xD\"}\n"
        "{\"t\":11,\"tid\":7,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xD\"}\n"
        "{\"t\":12,\"tid\":7,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0xD\"}\n"
        "{\"t\":13,\"tid\":8,\"op\":\"KeReleaseSemaphore\",\"lr\":\"0xE\"}\n"
        "{\"t\":14,\"tid\":8,\"op\":\"KeReleaseSemaphore\",\"lr\":\"0xE\"}\n"
        "{\"t\":15,\"tid\":8,\"op\":\"KeReleaseSemaphore\",\"lr\":\"0xE\"}\n"
        "{\"t\":60,\"tid\":7,\"op\":\"KeWaitForSingleObject\",\"lr\":\"0xF\"}\n";
    wdg_trace *t[2];
    CHECK_INT(load2(ref, cand, t, NULL, 0), 0);
    wdg_keytable kt;
    CHECK_INT(wdg_keytable_build(&kt, t[0], t[1], 0.25, WDG_SPAN_TIME, &err), 0);
    CHECK(kt.by_lr);
    /* --span time: the shorter length is cand's 55 from each first t */
    CHECK(kt.span.method == WDG_SPAN_TIME && kt.span.end[WDG_SIDE_REF] == 65 &&
          kt.span.end[WDG_SIDE_CAND] == 60 && kt.span.count[WDG_SIDE_REF] == 12 && !kt.span.reason);
    CHECK_INT(kt.n, 5);
    const wdg_key *a = find_key(&kt, WDG_CAT_RELEASE, 0xA), *b = find_key(&kt, WDG_CAT_SET, 0xB),
                  *c = find_key(&kt, WDG_CAT_SET, 0xC), *d = find_key(&kt, WDG_CAT_RELEASE, 0xD),
                  *e = find_key(&kt, WDG_CAT_RELEASE, 0xE);
    CHECK(a && b && c && d && e);
    if (a && b && c && d && e) {
        CHECK_INT(a->ref, 3);
        CHECK_INT(a->ref_total, 4);
        CHECK_INT(a->cand, 1);
        CHECK_STR(wdg_status_name(a->status), "UNDER");
        CHECK_STR(wdg_status_name(b->status), "MISSING");
        CHECK_STR(wdg_status_name(c->status), "EXTRA");
        CHECK_STR(wdg_status_name(d->status), "MATCH");
        CHECK_STR(wdg_status_name(e->status), "OVER");
        CHECK_STR(wdg_ops_name(ops, e->op), "KeReleaseSemaphore");
    }
    /* order: ref count desc, then cand desc: D(4,5) A(3,1) E(2,3) B(2,0) C(0,2) */
    CHECK(kt.keys[0].lr == 0xD && kt.keys[1].lr == 0xA && kt.keys[2].lr == 0xE &&
          kt.keys[3].lr == 0xB && kt.keys[4].lr == 0xC);
    /* tolerance 1.0: A is still UNDER (1 < 1.5), E is MATCH (3 <= 4) */
    wdg_keytable_free(&kt);
    CHECK_INT(wdg_keytable_build(&kt, t[0], t[1], 1.0, WDG_SPAN_TIME, &err), 0);
    CHECK_STR(wdg_status_name(find_key(&kt, WDG_CAT_RELEASE, 0xE)->status), "MATCH");
    CHECK_STR(wdg_status_name(find_key(&kt, WDG_CAT_RELEASE, 0xA)->status), "UNDER");
    wdg_keytable_free(&kt);
    wdg_trace_free(t[0]);
    wdg_trace_free(t[1]);

    /* a trace without lr forces (category, op) keys; a header that does not
     * observe set makes set keys UNOBSERVABLE */
    const char *ref2 = "d> F8000018 NtSetEvent(F8000020, 00000000)\n"
                       "d> F8000018 NtSetEvent(F8000020, 00000000)\n"
                       "d> F8000018 NtReleaseSemaphore(F8000024, 1, 0)\n";
    const char *cand2 = "{\"wedge_trace\":1,\"observes\":[\"release\"]}\n"
                        "{\"tid\":1,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0x824AB168\"}\n";
    CHECK_INT(load2(ref2, cand2, t, NULL, 0), 0);
    CHECK_INT(wdg_keytable_build(&kt, t[0], t[1], 0.25, WDG_SPAN_TIME, &err), 0);
    CHECK(!kt.by_lr);
    /* no t in ref: the span by time falls back to the whole traces */
    CHECK(kt.span.method == WDG_SPAN_WHOLE && kt.span.reason != NULL);
    CHECK(kt.span.count[WDG_SIDE_REF] == 3 && kt.span.count[WDG_SIDE_CAND] == 1);
    CHECK_INT(kt.n, 2);
    CHECK_STR(wdg_ops_name(ops, kt.keys[0].op), "NtSetEvent");
    CHECK_STR(wdg_status_name(kt.keys[0].status), "UNOBSERVABLE");
    CHECK_STR(wdg_ops_name(ops, kt.keys[1].op), "NtReleaseSemaphore");
    CHECK_STR(wdg_status_name(kt.keys[1].status), "MATCH");
    CHECK(!kt.keys[1].has_lr);
    wdg_keytable_free(&kt);
    wdg_trace_free(t[0]);
    wdg_trace_free(t[1]);
    wdg_ops_free(ops);
}

void test_divergence(void)
{
    wdg_error err = {0};
    wdg_ops_new(&ops, &err);
    /* ref producers in order: #0 X, #1 X, #2 Y, #3 X, #4 Z, #5 Y
     * cand: X x3, Y x1 (Z never).  Tolerance 0.25:
     *   X: 3 vs 3 MATCH; Y: 2 vs 1 UNDER; Z: 1 vs 0 MISSING
     * first key divergence: #2 (first Y, UNDER)
     * first divergence = first shortfall: #5 (second Y: ordinal 2 > cand 1)
     *   comes after #4 (Z, ordinal 1 > 0) -> #4.  cand's header says it
     *   observes release, so Z is MISSING, not UNOBSERVABLE.  No key fires
     *   8 times: no heartbeat, the whole traces are compared. */
    const char *ref = "{\"tid\":1,\"op\":\"KeSetEvent\",\"lr\":\"0x10\"}\n"
                      "{\"tid\":1,\"op\":\"KeSetEvent\",\"lr\":\"0x10\"}\n"
                      "{\"tid\":2,\"op\":\"KeSetEvent\",\"lr\":\"0x20\",\"obj\":\"0x7000\"}\n"
                      "{\"tid\":1,\"op\":\"KeSetEvent\",\"lr\":\"0x10\"}\n"
                      "{\"tid\":3,\"op\":\"NtReleaseSemaphore\",\"lr\":\"0x30\"}\n"
                      "{\"tid\":2,\"op\":\"KeSetEvent\",\"lr\":\"0x20\"}\n";
    const char *cand = "{\"wedge_trace\":1,\"observes\":[\"set\",\"release\"]}\n"
                       "{\"tid\":1,\"op\":\"KeSetEvent\",\"lr\":\"0x10\"}\n"
                       "{\"tid\":1,\"op\":\"KeSetEvent\",\"lr\":\"0x20\"}\n"
                       "{\"tid\":1,\"op\":\"KeSetEvent\",\"lr\":\"0x10\"}\n"
                       "{\"tid\":1,\"op\":\"KeSetEvent\",\"lr\":\"0x10\"}\n";
    wdg_trace *t[2];
    CHECK_INT(load2(ref, cand, t, NULL, 0), 0);
    wdg_report rep;
    CHECK_INT(wdg_report_build(&rep, t[0], t[1], NULL, NULL, &err), 0);
    CHECK(rep.keys.span.method == WDG_SPAN_WHOLE && !rep.keys.span.has_heartbeat);
    CHECK(rep.first_key_divergence.found);
    CHECK_INT(rep.first_key_divergence.ref_index, 2);
    CHECK_INT(rep.first_key_divergence.ordinal, 1);
    CHECK_INT(rep.keys.keys[rep.first_key_divergence.key].lr, 0x20);
    CHECK_INT(rep.first_divergence.ref_index, 4);
    CHECK(rep.first_shortfall.found);
    CHECK_INT(rep.first_shortfall.ref_index, 4);
    CHECK_INT(rep.keys.keys[rep.first_shortfall.key].lr, 0x30);
    /* the JSON says the same */
    wdg_buf b = WDG_BUF_INIT;
    wdg_report_json(&rep, &b);
    CHECK(strstr(b.ptr, "\"first_key_divergence\": {\"ref_index\": 2, \"t\": null, \"tid\": 2, "
                        "\"cand_tid\": null, \"category\": \"set\", \"lr\": \"0x00000020\", "
                        "\"op\": \"KeSetEvent\", \"obj\": \"0x00007000\", \"ordinal\": 1, "
                        "\"ref_count\": 2, \"cand_count\": 1") != NULL);
    wdg_buf_free(&b);
    wdg_report_free(&rep);

    /* without that header cand shows no release at all: Z is UNOBSERVABLE
     * and takes no part, so the shortfall is the second Y, #5 */
    wdg_trace_free(t[1]);
    const char *cand_nohdr = strchr(cand, '\n') + 1;
    const char *p1 = t_tempfile(cand_nohdr, strlen(cand_nohdr));
    CHECK_INT(wdg_load_traces(&t[1], &p1, 1, ops, NULL, NULL, 0, &err), 0);
    CHECK_INT(wdg_report_build(&rep, t[0], t[1], NULL, NULL, &err), 0);
    CHECK_INT(rep.first_shortfall.ref_index, 5);
    CHECK_INT(rep.first_divergence.ref_index, 5);
    CHECK_INT(rep.first_key_divergence.ref_index, 2);
    CHECK_STR(wdg_status_name(rep.keys.keys[rep.first_shortfall.key].status), "UNDER");
    wdg_report_free(&rep);
    wdg_trace_free(t[0]);
    wdg_trace_free(t[1]);

    /* identical traces: no divergence, no shortfall */
    CHECK_INT(load2(ref, ref, t, NULL, 0), 0);
    CHECK_INT(wdg_report_build(&rep, t[0], t[1], NULL, NULL, &err), 0);
    CHECK(!rep.first_divergence.found);
    CHECK(!rep.first_shortfall.found);
    CHECK(!rep.first_key_divergence.found);
    wdg_report_free(&rep);
    wdg_trace_free(t[0]);
    wdg_trace_free(t[1]);
    wdg_ops_free(ops);
}

/* every kind of every enum the report prints has its own name (and a root
 * kind its rule); one past the last prints the fallback */
void test_kind_names(void)
{
    for (int k = 0; k < WDG_ROOT_KIND_COUNT; k++) {
        CHECK(strcmp(wdg_root_kind_name(k), "?") != 0);
        CHECK(strcmp(wdg_root_rule(k), "") != 0);
        for (int j = 0; j < k; j++)
            CHECK(strcmp(wdg_root_kind_name(k), wdg_root_kind_name(j)) != 0);
    }
    CHECK_STR(wdg_root_kind_name(WDG_ROOT_KIND_COUNT), "?");
    CHECK_STR(wdg_root_kind_name(WDG_ROOT_CYCLE), "cycle");
    CHECK_STR(wdg_root_kind_name(WDG_ROOT_EXTERNAL), "external");
    CHECK_STR(wdg_root_rule(WDG_ROOT_UNKNOWN), "the traces cannot say");
    for (int k = 0; k < WDG_OUTCOME_COUNT; k++)
        CHECK(strcmp(wdg_outcome_name(k), "?") != 0);
    CHECK_STR(wdg_outcome_name(WDG_OUTCOME_INCONCLUSIVE), "INCONCLUSIVE");
    CHECK_STR(wdg_outcome_name(WDG_OUTCOME_COUNT), "?");
    for (int k = 1; k < WDG_OBJ_HOW_COUNT; k++)
        CHECK(strcmp(wdg_object_how_name(k), "none") != 0);
    CHECK_STR(wdg_object_how_name(WDG_OBJ_HOW_ORPHAN), "orphan");
    CHECK_STR(wdg_object_how_name(WDG_OBJ_HOW_ADDRESS), "address");
    CHECK_STR(wdg_object_how_name(WDG_OBJ_HOW_COUNT), "none");
    for (int k = 1; k < WDG_HOW_COUNT; k++)
        CHECK(strcmp(wdg_map_how_name(k), "none") != 0);
    CHECK_STR(wdg_map_how_name(WDG_HOW_ELIMINATION), "elimination");
    CHECK_STR(wdg_map_how_name(WDG_HOW_COUNT), "none");
}
