/* libFuzzer target: any bytes as a trace (and as a symbol file), read,
 * compared with itself and rendered.  Nothing may crash, leak, hang or
 * read out of bounds, and lines must add up. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "wedge/wedge.h"

static const char *temp_path(void)
{
    static char path[64];
    if (!path[0])
        snprintf(path, sizeof path, "/tmp/wedge-fuzz-%d", (int)getpid());
    return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = temp_path();
    FILE *f = fopen(path, "wb");
    if (!f)
        return 0;
    fwrite(data, 1, size, f);
    fclose(f);

    wdg_error err = {0};
    wdg_ops *ops = NULL;
    wdg_templates *ts = NULL;
    wdg_symbols *syms = NULL;
    wdg_trace *t[2] = {NULL, NULL};
    if (wdg_ops_new(&ops, &err) < 0 || wdg_templates_new(&ts, &err) < 0 ||
        wdg_symbols_new(&syms, &err) < 0)
        goto done;
    wdg_templates_add(ts, "[{t:dec}] T{tid:dec} {op:word} lr={lr:hex} h={obj:hex}", &err);
    wdg_templates_add(ts, "{tid:dec}:{op:word}:{pc:hex}", &err);
    wdg_symbols_load(syms, path, NULL, &err);
    wdg_read_opts ro = {ts, 0, NULL, NULL};
    const char *paths[2] = {path, path};
    const char *probes[] = {"0x8284E49C=KeReleaseSemaphore"};
    if (wdg_load_traces(t, paths, 2, ops, &ro, probes, 1, &err) == 0) {
        if (t[0]->lines != t[0]->n_events + t[0]->ignored + t[0]->malformed)
            abort();
        wdg_report rep;
        if (wdg_report_build(&rep, t[0], t[1], syms, NULL, &err) == 0) {
            wdg_buf b = WDG_BUF_INIT;
            wdg_report_markdown(&rep, &b);
            wdg_report_json(&rep, &b);
            wdg_report_keys_csv(&rep, &b);
            wdg_buf_free(&b);
            FILE *null = fopen("/dev/null", "w");
            if (null) {
                wdg_report_aligned_csv(&rep, null, &err);
                fclose(null);
            }
            wdg_report_free(&rep);
        }
        wdg_trace_free(t[0]);
        wdg_trace_free(t[1]);
    }
done:
    wdg_symbols_free(syms);
    wdg_templates_free(ts);
    wdg_ops_free(ops);
    return 0;
}
