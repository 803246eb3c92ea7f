/* wedge/load.h - read traces (the formats layer).
 *
 * Loading is three steps, so that PC-probe events of one trace can be
 * resolved with the import table found in the other:
 *   wdg_trace_read()           parse every line (counts are final per line)
 *   wdg_trace_resolve_probes() give probe events their op, or make them
 *                              malformed when no op is known for their pc
 *   wdg_trace_finalize()       order events, compute threads/span/observes
 *                              (wedge/trace.h)
 *
 * wdg_load_traces() does all three for a set of traces: it reads each path, resolves PC-probe events with the --probe specs and
 * with the import tables found in any of the traces, then finalizes each.
 * On success out[0..n) own new traces (free each with wdg_trace_free); on
 * failure none is left allocated.
 */
#ifndef WEDGE_LOAD_H
#define WEDGE_LOAD_H

#include <stddef.h>

#include "wedge/api.h"
#include "wedge/symbols.h"
#include "wedge/trace.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wdg_templates wdg_templates;

typedef void (*wdg_progress_fn)(void *ud, const char *path, uint64_t done,
                                uint64_t total);

typedef struct wdg_read_opts {
    const wdg_templates *templates; /* --line-format, may be NULL */
    int strict;                     /* first malformed line is fatal */
    wdg_progress_fn progress;       /* may be NULL */
    void *progress_ud;
    /* 0: every event is kept.  N: a trace read only for its counts (wedge
     * stats) holds at most about N events: each N are counted into the
     * trace's totals (counted, by_cat, threads, span...) and dropped, so
     * memory does not grow with the input.  Only where no event is named
     * again later: JSONL and --line-format traces without probe events;
     * xenia logs (which bind handles and merge lines after the fact) keep
     * every event. */
    size_t fold;
    /* wdg_load_traces() of two traces: 1 reads them one after the other;
     * any other value reads the second on a thread of its own (POSIX
     * threads) while the first is read, with the same result byte for
     * byte.  Not with progress (it is reported from one thread). */
    int threads;
    /* With threads != 1, an uncompressed file of at least this many bytes
     * (0: 4 MiB) is read in two chunks on two threads, split at a newline,
     * again with the same result byte for byte (load.c).  Also with
     * threads != 1 (in wdg_trace_read too, when opts are given and there
     * is no progress), compressed input and stdin are parsed in segments
     * of this many bytes (0 or more than 4 MiB: 4 MiB), two at once
     * (reader.c), with the same result. */
    size_t chunk_min;
} wdg_read_opts;

/* Reads path ("-" = stdin), detecting compression and format from the
 * content.  On success *out owns a new trace.  A trace cut short (a killed
 * engine's compressed stream, a file truncated while read) keeps every
 * complete line and sets t->truncated; its partial last line is malformed
 * (reason "truncated").  Errors: WDG_EINPUT for an unreadable, corrupt or
 * unrecognised file, and for a cut-short one under opts->strict;
 * WDG_EMALFORMED under opts->strict; WDG_ENOMEM. */
WDG_API int wdg_trace_read(wdg_trace **out, const char *path, wdg_ops *ops,
                           const wdg_read_opts *opts, wdg_error *err);

/* PC -> op table for probe events: --probe PC=OP entries first, then the
 * import tables of the traces loaded. */
typedef struct wdg_probes {
    wdg_import *items;
    size_t n, cap;
} wdg_probes;

WDG_API int wdg_probes_add_spec(wdg_probes *p, wdg_ops *ops, const char *spec, wdg_error *err);
WDG_API int wdg_probes_add_imports(wdg_probes *p, const wdg_trace *t, wdg_error *err);
WDG_API void wdg_probes_free(wdg_probes *p);

/* Resolves probe events; an unresolvable one becomes malformed (fatal
 * under strict, as WDG_EMALFORMED naming its line). */
WDG_API int wdg_trace_resolve_probes(wdg_trace *t, const wdg_probes *p, int strict,
                                     wdg_error *err);

/* Loads one symbol file (plain, .gz or .zst) into s.  Files are detected
 * from their content: plain "ADDRESS NAME [SIZE]" lines, MSVC .map files,
 * decomp-toolkit symbols.txt, XenonRecomp TOML.  WDG_EINPUT when it cannot be read
 * or holds no symbol.  *format (if not NULL) gets "plain", "msvc-map",
 * "decomp-toolkit" or "xenonrecomp-toml". */
WDG_API int wdg_symbols_load(wdg_symbols *s, const char *path, const char **format,
                             wdg_error *err);
/* The same for the functions of one module (module NULL: absolute
 * addresses): their addresses are offsets in it, and they name the sites
 * "module+0xOFF" (wedge/sites.h).  An ELF file (ELF32 or ELF64: the
 * functions of .symtab and .dynsym, with sizes, at offsets from its lowest
 * loaded page) is read as such, in its file name's module when module is
 * NULL; *format is then "elf". */
WDG_API int wdg_symbols_load_module(wdg_symbols *s, const char *module, const char *path,
                                    const char **format, wdg_error *err);
WDG_API int wdg_load_traces(wdg_trace **out, const char *const *paths, size_t n, wdg_ops *ops,
                            const wdg_read_opts *opts, const char *const *probe_specs,
                            size_t n_probe_specs, wdg_error *err);

#ifdef __cplusplus
}
#endif

#endif
