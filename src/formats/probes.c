/* --probe PC=OP and import tables: events logged only by their guest pc
 * get an op, resolved once the whole trace is read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wedge/load.h"

#include "../base/grow.h"
#include "../base/map.h"
#include "../base/numparse.h"
#include "../model/trace_build.h"

/* Why name (n bytes) cannot be a --probe op, or NULL when it can.  Names
 * are kept to what a trace line can carry: the readers' 255-byte limit,
 * printable ASCII without white space or '=' (it would be another spec). */
static const char *probe_op_problem(wdg_ops *ops, const char *name, size_t n)
{
    if (n == 0)
        return "the op name is empty";
    if (n > 255)
        return "the op name is longer than 255 bytes";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)name[i] <= ' ' || (unsigned char)name[i] > '~' || name[i] == '=')
            return "the op name must be printable ASCII without spaces or '='";
    /* the pseudo ops need fields a probe line cannot give */
    uint32_t id = wdg_ops_find(ops, name, n);
    if (id == WDG_OP_THREAD_CREATE)
        return "thread.create needs entry_pc and new_tid, which a probe line does not carry";
    if (id == WDG_OP_OBJECT_ALIAS)
        return "object.alias needs obj and alias, which a probe line does not carry";
    return NULL;
}

int wdg_probes_add_spec(wdg_probes *p, wdg_ops *ops, const char *spec, wdg_error *err)
{
    const char *eq = strchr(spec, '=');
    uint32_t pc;
    if (!eq || wdg_parse_hex32(spec, (size_t)(eq - spec), &pc) < 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--probe takes PC=OP with PC in hex, e.g. 0x8284E49C=KeReleaseSemaphore: '%.120s'",
                             spec);
    size_t n = strlen(eq + 1);
    const char *why = probe_op_problem(ops, eq + 1, n);
    if (why)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0, "--probe '%.120s%s': %s", spec,
                             strlen(spec) > 120 ? "..." : "", why);
    uint32_t op = wdg_ops_intern(ops, eq + 1, n);
    if (op == WDG_OP_NONE ||
        wdg_grow((void **)&p->items, &p->cap, p->n + 1, sizeof *p->items, 1024) < 0)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    p->items[p->n++] = (wdg_import){pc, op};
    return 0;
}

int wdg_probes_add_imports(wdg_probes *p, const wdg_trace *t, wdg_error *err)
{
    if (!t->n_imports)
        return 0;
    if (wdg_grow((void **)&p->items, &p->cap, p->n + t->n_imports, sizeof *p->items, 1024) < 0)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    memcpy(p->items + p->n, t->imports, t->n_imports * sizeof *t->imports);
    p->n += t->n_imports;
    return 0;
}

void wdg_probes_free(wdg_probes *p)
{
    free(p->items);
    memset(p, 0, sizeof *p);
}

int wdg_trace_resolve_probes(wdg_trace *t, const wdg_probes *p, int strict, wdg_error *err)
{
    wdg_map by_pc = WDG_MAP_INIT;
    int rc = 0;
    if (!t->probe_events)
        return 0;
    /* the first entry for a pc wins: --probe before import tables */
    for (size_t i = 0; p && i < p->n; i++)
        if (!wdg_map_put(&by_pc, p->items[i].pc, p->items[i].op, NULL)) {
            rc = wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
            goto done;
        }
    size_t w = 0;
    for (size_t i = 0; i < t->n_events; i++) {
        wdg_event e = t->events[i];
        if (e.flags & WDG_EV_PROBE) {
            wdg_event_ext x_buf, *x = wdg_event_ext_of(t, &e, &x_buf);
            uint64_t *op = x ? wdg_map_get(&by_pc, wdg_x_pc(x)) : NULL;
            if (!op) {
                char msg[160], pc[96];
                wdg_addr_format(wdg_ops_sites(t->ops), x ? wdg_x_pc(x) : 0, pc, sizeof pc);
                snprintf(msg, sizeof msg,
                         "no op for probe pc %s (give --probe PC=OP or an import table)", pc);
                if ((rc = wdg_trace_add_malformed(t, wdg_ev_line(t, &e), WDG_MAL_UNRESOLVED, msg, strict,
                                                  err)) < 0)
                    goto done;
                continue;
            }
            e.op = (uint32_t)*op;
            e.flags &= ~(uint32_t)WDG_EV_PROBE;
        }
        t->events[w++] = e;
    }
    t->n_events = w;
    t->probe_events = 0;
done:
    wdg_map_free(&by_pc);
    return rc;
}

