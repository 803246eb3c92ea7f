// cxx.cpp - the public headers from C++: wedge/wedge.h must compile with
// g++ -Wall -Wextra -Wpedantic and its functions link against libwedge.a
// (extern "C", so no mangled names).  Prints one line per check and the
// closing "N passed, N failed".
#include <cstdio>
#include <cstring>

#include <wedge/wedge.h>

static int passed, failed;

static void check(const char *what, bool ok)
{
    std::printf("%s %s\n", ok ? "ok  " : "FAIL:", what);
    (ok ? passed : failed)++;
}

int main()
{
    check("wdg_version() is the headers' version",
          std::strcmp(wdg_version(), WDG_VERSION_STRING) == 0);

    wdg_buf b = WDG_BUF_INIT;
    wdg_buf_printf(&b, "%d-%s", 42, "x");
    wdg_buf_json_str(&b, "a\"b");
    check("wdg_buf_printf and wdg_buf_json_str",
          b.len == 10 && std::strcmp(b.ptr, "42-x\"a\\\"b\"") == 0);
    wdg_buf_free(&b);

    check("wdg_utf8_valid", wdg_utf8_valid("\xC3\xA9", 2) == 1 && wdg_utf8_valid("\xC3", 1) == 0);

    wdg_error err = {};
    int rc = wdg_error_set(&err, WDG_EINPUT, "t.jsonl", 3, "bad %s", "line");
    check("wdg_error_set", rc == WDG_EINPUT && err.line == 3 && std::strcmp(err.msg, "bad line") == 0);
    check("wdg_exit_status", wdg_exit_status(WDG_EINPUT) == 66);

    wdg_ops *ops = nullptr;
    rc = wdg_ops_new(&ops, &err);
    check("wdg_ops_new knows NtSetEvent",
          rc == 0 && wdg_ops_find(ops, "NtSetEvent", 10) != WDG_OP_NONE);
    wdg_ops_free(ops);

    wdg_report_opts ro = WDG_REPORT_OPTS_INIT;
    check("WDG_REPORT_OPTS_INIT", ro.tolerance == 0.25 && ro.boot_window == -1);
    check("wdg_outcome_name", std::strcmp(wdg_outcome_name(WDG_OUTCOME_DIVERGED), "DIVERGED") == 0);

    std::printf("cxx: %d passed, %d failed\n", passed, failed);
    return failed != 0;
}
