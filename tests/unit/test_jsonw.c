/* The JSON writer (src/base/jsonw.h): commas, layouts, escaping, misuse,
 * and numbers that ignore the C locale's decimal point. */
#include <locale.h>
#include <math.h>

#include "../../src/base/jsonw.h"
#include "harness.h"
#include "wedge/utf8.h"

static void layouts(void)
{
    wdg_buf b = WDG_BUF_INIT;
    wdg_jw w;
    wdg_jw_init(&w, &b);
    wdg_jw_object(&w, WDG_JW_LINES);
    wdg_jw_kint(&w, "a", -1);
    wdg_jw_key(&w, "b");
    wdg_jw_array(&w, WDG_JW_LINES);
    wdg_jw_uint(&w, 18446744073709551615u);
    wdg_jw_object(&w, WDG_JW_INLINE);
    wdg_jw_kbool(&w, "t", 1);
    wdg_jw_key(&w, "n");
    wdg_jw_null(&w);
    wdg_jw_key(&w, "x");
    wdg_jw_addr(&w, 0x82000010u);
    wdg_jw_end(&w);
    wdg_jw_end(&w);
    wdg_jw_key(&w, "e");
    wdg_jw_array(&w, WDG_JW_LINES);   /* empty stays [] */
    wdg_jw_end(&w);
    wdg_jw_same_line(&w);
    wdg_jw_key(&w, "f");
    wdg_jw_array(&w, WDG_JW_LINES_ALWAYS);
    wdg_jw_end(&w);
    wdg_jw_kstring(&w, "s", NULL);
    wdg_jw_end(&w);
    CHECK_STR(b.ptr, "{\n  \"a\": -1,\n  \"b\": [\n    18446744073709551615,\n    "
                     "{\"t\": true, \"n\": null, \"x\": \"0x82000010\"}\n  ],\n  \"e\": [], "
                     "\"f\": [\n  ],\n  \"s\": null\n}");
    CHECK_INT(w.bad, 0);
    CHECK_INT(w.depth, 0);
    wdg_buf_free(&b);
}

static void strings(void)
{
    wdg_buf b = WDG_BUF_INIT;
    wdg_jw w;
    wdg_jw_init(&w, &b);
    wdg_jw_array(&w, WDG_JW_INLINE);
    wdg_jw_string(&w, "q\"b\\n\n\x01\xC3\xA9\xFF");
    wdg_jw_stringf(&w, "%s-%d", "k\"", 7);
    wdg_jw_end(&w);
    CHECK_STR(b.ptr, "[\"q\\\"b\\\\n\\n\\u0001\xC3\xA9" WDG_UTF8_REPLACEMENT "\", \"k\\\"-7\"]");
    CHECK(wdg_utf8_valid(b.ptr, b.len));
    wdg_buf_free(&b);
}

/* each misuse sets bad */
static void misuse(void)
{
    wdg_buf b = WDG_BUF_INIT;
    wdg_jw w;
    wdg_jw_init(&w, &b);
    wdg_jw_object(&w, WDG_JW_INLINE);
    wdg_jw_int(&w, 1);   /* a value with no key */
    CHECK_INT(w.bad, 1);
    wdg_jw_init(&w, &b);
    wdg_jw_array(&w, WDG_JW_INLINE);
    wdg_jw_key(&w, "k");   /* a key in an array */
    CHECK_INT(w.bad, 1);
    wdg_jw_init(&w, &b);
    wdg_jw_end(&w);   /* nothing open */
    CHECK_INT(w.bad, 1);
    wdg_jw_init(&w, &b);
    for (int i = 0; i <= WDG_JW_DEPTH; i++)
        wdg_jw_array(&w, WDG_JW_INLINE);
    CHECK_INT(w.bad, 1);
    CHECK_INT(w.depth, WDG_JW_DEPTH);
    wdg_buf_free(&b);
}

static void numbers_in(const char *what)
{
    char s[64];
    t_current = what;
    CHECK(wdg_json_number(s, sizeof s, 0.25, 'g', 6) == 0 && strcmp(s, "0.25") == 0);
    CHECK(wdg_json_number(s, sizeof s, -2.98852, 'f', 3) == 0 && strcmp(s, "-2.989") == 0);
    CHECK(wdg_json_number(s, sizeof s, 1.5e-7, 'g', 6) == 0 && strcmp(s, "1.5e-07") == 0);
    CHECK(wdg_json_number(s, sizeof s, 3, 'g', 6) == 0 && strcmp(s, "3") == 0);
    CHECK(wdg_json_number(s, sizeof s, NAN, 'g', 6) == 0 && strcmp(s, "null") == 0);
    CHECK(wdg_json_number(s, sizeof s, -INFINITY, 'f', 3) == 0 && strcmp(s, "null") == 0);
    CHECK_INT(wdg_json_number(s, 4, 0.25, 'g', 6), -1);   /* does not fit */
    wdg_buf b = WDG_BUF_INIT;
    wdg_jw w;
    wdg_jw_init(&w, &b);
    wdg_jw_array(&w, WDG_JW_INLINE);
    wdg_jw_fixed(&w, 2.9586, 3);
    wdg_jw_general(&w, 1234567.0, 6);
    wdg_jw_end(&w);
    CHECK_STR(b.ptr, "[2.959, 1.23457e+06]");
    /* ns as µs: by hand while exact, else the double's printf (and its
     * point in this locale made '.'), as wdg_jw_fixed(ns / 1000.0, 3) */
    const int64_t ns[] = {0, 1500, -1, 999999999999999, 1000000000000000, INT64_MIN, INT64_MAX};
    for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++) {
        wdg_buf want = WDG_BUF_INIT;
        wdg_jw_init(&w, &want);
        wdg_jw_fixed(&w, (double)ns[i] / 1000.0, 3);
        wdg_buf_reset(&b);
        wdg_jw_init(&w, &b);
        wdg_jw_ns_as_us(&w, ns[i]);
        CHECK_STR(b.ptr, want.ptr);
        wdg_buf_free(&want);
    }
    CHECK_STR(b.ptr, "9223372036854776.000");   /* the double's digits */
    wdg_buf_reset(&b);
    wdg_jw_init(&w, &b);
    wdg_jw_ns_as_us(&w, -1);
    CHECK_STR(b.ptr, "-0.001");
    /* a string plain up to its last byte, and one plain throughout */
    wdg_buf_reset(&b);
    wdg_buf_json_str(&b, "abc\"");
    wdg_buf_json_str(&b, "xyz");
    CHECK_STR(b.ptr, "\"abc\\\"\"\"xyz\"");
    wdg_buf_free(&b);
}

void test_jsonw(void)
{
    layouts();
    strings();
    misuse();
    numbers_in("jsonw: C locale");
    /* a host program's locale with ',' for the decimal point (installed
     * by scripts/install-deps.sh); its absence fails, it does not skip */
    int have = setlocale(LC_ALL, "de_DE.UTF-8") != NULL;
    CHECK(have && strcmp(localeconv()->decimal_point, ",") == 0);
    if (have)
        numbers_in("jsonw: de_DE.UTF-8");
    setlocale(LC_ALL, "C");
}
