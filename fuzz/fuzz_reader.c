/* libFuzzer target: any bytes as a trace (and as a symbol file), read,
 * compared with itself - keys, diagnosis, boot delta, side-by-side diff -
 * and rendered.  Nothing may crash, leak, hang or
 * read out of bounds, and lines must add up. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "wedge/wedge.h"

#include "fuzz_files.h"

static const char *temp_path(int which)
{
    static char path[2][64];
    if (!path[which][0])
        snprintf(path[which], sizeof path[which], "/tmp/wedge-fuzz-%d-%d", (int)getpid(), which);
    return path[which];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the whole input is the reference and a symbol file; its second half
     * (from the first newline past the middle) is the candidate, so that
     * the two differ and the diagnosis has something to follow */
    const char *path = temp_path(0), *cand = temp_path(1);
    size_t half = size / 2;
    while (half < size && data[half] != '\n')
        half++;
    if (fuzz_write_file(path, data, size) < 0 ||
        fuzz_write_file(cand, data + (half < size ? half + 1 : size), half < size ? size - half - 1 : 0) < 0)
        return 0;

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
    /* the same bytes as a module's symbols (an ELF file's too) */
    wdg_symbols_load_module(syms, "libx.so", path, NULL, &err);
    wdg_read_opts ro = {ts, 0, NULL, NULL, 0, 0, 0};
    const char *paths[2] = {path, cand};
    const char *probes[] = {"0x8284E49C=KeReleaseSemaphore"};
    if (wdg_load_traces(t, paths, 2, ops, &ro, probes, 1, &err) == 0) {
        if (t[0]->lines != t[0]->n_events + t[0]->ignored + t[0]->malformed ||
            t[1]->lines != t[1]->n_events + t[1]->ignored + t[1]->malformed)
            abort();
        wdg_report rep;
        if (wdg_symbols_bind(syms, wdg_ops_sites(ops), &err) == 0 &&
            wdg_report_build(&rep, t[0], t[1], syms, NULL, &err) == 0) {
            wdg_buf b = WDG_BUF_INIT;
            wdg_report_markdown(&rep, &b);
            wdg_report_json(&rep, &b);
            wdg_report_keys_csv(&rep, &b);
            wdg_report_dot(&rep, &b);
            wdg_pair_diff pd;
            if (rep.diag.n_pairs && wdg_pair_diff_build(&pd, &rep, rep.diag.pairs[0].ref,
                                                        rep.diag.pairs[0].cand, 1, &err) == 0) {
                wdg_render_diff(&b, &rep, &pd, 3, 48);
                wdg_pair_diff_free(&pd);
            }
            /* whatever the input held, the output is valid UTF-8 */
            if (!b.oom && !wdg_utf8_valid(b.ptr ? b.ptr : "", b.len))
                abort();
            wdg_buf_free(&b);
            wdg_outfile null;
            if (wdg_outfile_open(&null, "/dev/null", &err) == 0) {
                wdg_report_aligned_csv(&rep, &null, &err);
                wdg_outfile_commit(&null, &err);
            }
            wdg_report_free(&rep);
        }
        wdg_trace_free(t[0]);
        wdg_trace_free(t[1]);
    }
done:
    unlink(path);
    unlink(cand);
    wdg_symbols_free(syms);
    wdg_templates_free(ts);
    wdg_ops_free(ops);
    return 0;
}
