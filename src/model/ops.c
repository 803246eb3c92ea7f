#include "wedge/ops.h"

#include <stdlib.h>
#include <string.h>

#include "../base/arena.h"
#include "../base/grow.h"
#include "../base/map.h"

struct wdg_ops {
    wdg_ops_head head;   /* cats and count; first, for wdg_ops_cat() (ops.h) */
    wdg_arena arena;
    wdg_map by_hash;     /* name hash -> id + 1 (chained through next[]) */
    const char **names;
    uint32_t *lens;
    uint32_t *next;      /* next id with the same hash, or WDG_OP_NONE */
    uint8_t *kinds;      /* obj kind | signal kind << 2 | KIND_TIMED */
    struct op_fact *facts;
    size_t cap;          /* of each array above and head.cats */
    wdg_sites *sites;    /* the run's wide addresses and module sites */
};

/* What a name tells beyond its category (ops.h, wdg_ops_flags and friends). */
typedef struct op_fact {
    wdg_op_args shape;   /* the positions the name gives, for category shape_cat */
    wdg_op_args args;    /* in effect: shape under its own category, else the category's */
    uint32_t canon;      /* the op this one is another name for, else itself */
    uint32_t hook;       /* the audit hook paired with its stock line, or WDG_OP_NONE */
    uint8_t flags;       /* WDG_OPF_* */
    uint8_t has_shape;
    uint8_t shape_cat;
} op_fact;

static const char *const category_names[WDG_CAT_COUNT] = {
    "set", "release", "wait", "signal_wait", "create", "thread", "other"};

static const struct {
    const char *name;
    wdg_category cat;
} builtin[] = {
    /* pseudo ops first: their ids are the WDG_OP_* constants */
    {"thread.create", WDG_CAT_THREAD},
    {"thread.exit", WDG_CAT_THREAD},
    {"object.alias", WDG_CAT_OTHER},
    {"trace.end", WDG_CAT_OTHER},
    {"KeSetEvent", WDG_CAT_SET},
    {"NtSetEvent", WDG_CAT_SET},
    {"KePulseEvent", WDG_CAT_SET},
    {"NtPulseEvent", WDG_CAT_SET},
    {"KeSetEventBoostPriority", WDG_CAT_SET},
    {"XEvent::Set", WDG_CAT_SET},
    {"KeReleaseSemaphore", WDG_CAT_RELEASE},
    {"NtReleaseSemaphore", WDG_CAT_RELEASE},
    {"xeKeReleaseSemaphore", WDG_CAT_RELEASE},
    {"KeReleaseMutant", WDG_CAT_RELEASE},
    {"NtReleaseMutant", WDG_CAT_RELEASE},
    {"KeWaitForSingleObject", WDG_CAT_WAIT},
    {"KeWaitForMultipleObjects", WDG_CAT_WAIT},
    {"NtWaitForSingleObjectEx", WDG_CAT_WAIT},
    {"NtWaitForMultipleObjectsEx", WDG_CAT_WAIT},
    {"KeDelayExecutionThread", WDG_CAT_WAIT},
    {"NtSignalAndWaitForSingleObjectEx", WDG_CAT_SIGNAL_WAIT},
    {"NtCreateEvent", WDG_CAT_CREATE},
    {"NtCreateSemaphore", WDG_CAT_CREATE},
    {"NtCreateMutant", WDG_CAT_CREATE},
    {"KeInitializeEvent", WDG_CAT_CREATE},
    {"KeInitializeSemaphore", WDG_CAT_CREATE},
    {"KeInitializeMutant", WDG_CAT_CREATE},
    {"ExCreateThread", WDG_CAT_THREAD},
    {"KeResumeThread", WDG_CAT_THREAD},
    {"NtResumeThread", WDG_CAT_THREAD},
    {"KeSetBasePriorityThread", WDG_CAT_THREAD},
    {"ExTerminateThread", WDG_CAT_THREAD},
    {"NtSuspendThread", WDG_CAT_THREAD},
    /* host (Win32, pthread) signals and condition variables */
    {"SetEvent", WDG_CAT_SET},
    {"PulseEvent", WDG_CAT_SET},
    {"pthread_cond_signal", WDG_CAT_SET},
    {"pthread_cond_broadcast", WDG_CAT_SET},
    {"WakeConditionVariable", WDG_CAT_SET},
    {"WakeAllConditionVariable", WDG_CAT_SET},
    {"KeSignalCondition", WDG_CAT_SET},
    {"pthread_cond_wait", WDG_CAT_WAIT},
    {"pthread_cond_timedwait", WDG_CAT_WAIT},
    {"SleepConditionVariableCS", WDG_CAT_WAIT},
    {"SleepConditionVariableSRW", WDG_CAT_WAIT},
    /* POSIX calls as wedge record writes them (docs/wedge.md): a mutex is
     * locked by a wait on it and unlocked by a release; a thread's end
     * sets its thread object, which pthread_join waits on; a pipe (or
     * socket) is waited on by a blocking read and released by a write */
    {"sem_post", WDG_CAT_RELEASE},
    {"sem_wait", WDG_CAT_WAIT},
    {"sem_timedwait", WDG_CAT_WAIT},
    {"sem_trywait", WDG_CAT_WAIT},
    {"pthread_mutex_lock", WDG_CAT_WAIT},
    {"pthread_mutex_trylock", WDG_CAT_WAIT},
    {"pthread_mutex_unlock", WDG_CAT_RELEASE},
    {"pthread_join", WDG_CAT_WAIT},
    {"pthread_exit", WDG_CAT_SET},
    {"eventfd_write", WDG_CAT_RELEASE},
    {"eventfd_read", WDG_CAT_WAIT},
    {"write", WDG_CAT_RELEASE},
    {"read", WDG_CAT_WAIT},
    {"poll", WDG_CAT_WAIT},
};

#define KIND_OBJ_MASK 3u
#define KIND_SIG_SHIFT 2
#define KIND_SIG_MASK (7u << KIND_SIG_SHIFT)
#define KIND_TIMED (1u << 5)

#define NA (-1)
/* obj, obj2, timeout, count, wait_type, entry, create_flags, sleeps */
#define ARGS(o, o2, to, c, wt, e, cf, sl) {o, o2, to, c, wt, e, cf, sl}
#define NO_ARGS ARGS(NA, NA, NA, NA, NA, NA, NA, 0)

/* Per-op facts (docs/format.md "Op facts"): flags, the argument positions
 * of a xenia stock call line where they differ from the category's, and
 * the audit hook a debug-level log writes with the stock line.  Names
 * outside `builtin` (KeResetEvent) get theirs when first interned. */
static const struct {
    const char *name;
    unsigned flags;
    int has_shape;
    wdg_op_args shape;
    const char *hook;
} builtin_facts[] = {
    {"thread.exit", WDG_OPF_TERMINATE, 0, NO_ARGS, NULL},
    {"ExTerminateThread", WDG_OPF_TERMINATE, 0, NO_ARGS, NULL},
    {"KeResetEvent", WDG_OPF_RESET, 0, NO_ARGS, NULL},
    {"NtClearEvent", WDG_OPF_RESET, 0, NO_ARGS, NULL},
    {"KeSetEvent", 0, 0, NO_ARGS, "XEvent::Set"},
    {"NtSetEvent", 0, 0, NO_ARGS, "XEvent::Set"},
    {"KeSetEventBoostPriority", 0, 0, NO_ARGS, "XEvent::Set"},
    /* (handle, count, previous) and (pointer, increment, count, wait) */
    {"NtReleaseSemaphore", 0, 1, ARGS(0, NA, NA, 1, NA, NA, NA, 0), "xeKeReleaseSemaphore"},
    {"KeReleaseSemaphore", 0, 1, ARGS(0, NA, NA, 2, NA, NA, NA, 0), "xeKeReleaseSemaphore"},
    /* (count, objects, wait type, reason, mode, alertable, timeout, ...) */
    {"KeWaitForMultipleObjects", 0, 1, ARGS(NA, NA, 6, NA, 2, NA, NA, 0), NULL},
    {"NtWaitForMultipleObjectsEx", 0, 1, ARGS(NA, NA, 5, NA, 2, NA, NA, 0), NULL},
    {"KeWaitForSingleObject", 0, 1, ARGS(0, NA, 4, NA, NA, NA, NA, 0), NULL},
    {"NtWaitForSingleObjectEx", 0, 1, ARGS(0, NA, 3, NA, NA, NA, NA, 0), NULL},
    {"KeDelayExecutionThread", 0, 1, ARGS(NA, NA, NA, NA, NA, NA, NA, 1), NULL},
    /* (handle out, stack size, id out, xapi start, start address, context, flags) */
    {"ExCreateThread", 0, 1, ARGS(NA, NA, NA, NA, NA, 4, 6, 0), NULL},
};

/* Signals that do not latch, and waits that always time out; every other
 * producer takes its signal kind from its category. */
static const struct {
    const char *name;
    unsigned kind;
} builtin_kinds[] = {
    {"KePulseEvent", WDG_SIG_PULSE << KIND_SIG_SHIFT},
    {"NtPulseEvent", WDG_SIG_PULSE << KIND_SIG_SHIFT},
    {"PulseEvent", WDG_SIG_PULSE << KIND_SIG_SHIFT},
    {"pthread_cond_signal", WDG_SIG_CONDITION << KIND_SIG_SHIFT},
    {"pthread_cond_broadcast", WDG_SIG_CONDITION << KIND_SIG_SHIFT},
    {"WakeConditionVariable", WDG_SIG_CONDITION << KIND_SIG_SHIFT},
    {"WakeAllConditionVariable", WDG_SIG_CONDITION << KIND_SIG_SHIFT},
    {"KeSignalCondition", WDG_SIG_CONDITION << KIND_SIG_SHIFT},
    {"pthread_cond_timedwait", KIND_TIMED},
    {"sem_timedwait", KIND_TIMED},
    {"sem_trywait", KIND_TIMED},
    {"pthread_mutex_trylock", KIND_TIMED},
    /* data in a pipe, or an eventfd's counter, is taken whole by a read
     * however many writes put it there: a latch, not a count */
    {"write", WDG_SIG_LATCH << KIND_SIG_SHIFT},
    {"eventfd_write", WDG_SIG_LATCH << KIND_SIG_SHIFT},
};

static int has_prefix(const char *s, size_t n, const char *p)
{
    size_t m = strlen(p);
    return n >= m && memcmp(s, p, m) == 0;
}

/* The object kind a name implies: Ke*, Kf*, xeKe* calls, XEvent::Set and
 * the Rtl critical sections take guest pointers (the game allocates them
 * the same way in both engines); Nt*, Xam* and Ex* calls take handles,
 * which each engine numbers its own way. */
static unsigned kind_of_name(const char *s, size_t n)
{
    if (has_prefix(s, n, "Ke") || has_prefix(s, n, "Kf") || has_prefix(s, n, "xeKe") ||
        (n == 11 && memcmp(s, "XEvent::Set", 11) == 0) ||
        (has_prefix(s, n, "Rtl") && n >= 15 && memcmp(s + n - 15, "CriticalSection", 15) == 0))
        return WDG_OBJ_POINTER;
    if (has_prefix(s, n, "Nt") || has_prefix(s, n, "Xam") || has_prefix(s, n, "Ex"))
        return WDG_OBJ_HANDLE;
    return WDG_OBJ_NONE;
}

/* set and release are one class: a release's positions hold as a set */
static int cat_class(unsigned c) { return c == WDG_CAT_RELEASE ? WDG_CAT_SET : (int)c; }

/* The positions in effect for an op of facts f under category cat. */
static wdg_op_args derive_args(const op_fact *f, unsigned cat)
{
    static const wdg_op_args none = NO_ARGS;
    wdg_op_args a = none;
    int own = f->has_shape && cat_class(cat) == cat_class(f->shape_cat);
    if (f->has_shape)
        a.entry = f->shape.entry, a.create_flags = f->shape.create_flags;
    switch (cat) {
    case WDG_CAT_SET:
    case WDG_CAT_RELEASE:
        a.obj = 0;
        if (own)
            a.count = f->shape.count;
        break;
    case WDG_CAT_WAIT:
        if (own)
            a.obj = f->shape.obj, a.timeout = f->shape.timeout,
            a.wait_type = f->shape.wait_type, a.sleeps = f->shape.sleeps;
        else
            a.obj = 0;   /* other single-object waits, e.g. from --op-category */
        break;
    case WDG_CAT_SIGNAL_WAIT:
        a.obj = 0, a.obj2 = 1, a.timeout = 4;
        break;
    default: break;
    }
    return a;
}

/* A new op's facts from its name: looked up once, when it is interned. */
static void init_facts(op_fact *f, uint32_t id, const char *s, size_t n)
{
    static const wdg_op_args none = NO_ARGS;
    *f = (op_fact){none, none, id, WDG_OP_NONE, 0, 0, WDG_CAT_OTHER};
    for (size_t i = 0; i < sizeof builtin_facts / sizeof builtin_facts[0]; i++) {
        if (strlen(builtin_facts[i].name) == n && memcmp(builtin_facts[i].name, s, n) == 0) {
            f->flags = (uint8_t)builtin_facts[i].flags;
            f->has_shape = (uint8_t)builtin_facts[i].has_shape;
            f->shape = builtin_facts[i].shape;
            break;
        }
    }
    f->args = derive_args(f, WDG_CAT_OTHER);
}

const char *wdg_category_name(int c)
{
    return c >= 0 && c < WDG_CAT_COUNT ? category_names[c] : "?";
}

int wdg_category_parse(const char *s, size_t n, wdg_category *out)
{
    for (int c = 0; c < WDG_CAT_COUNT; c++) {
        if (strlen(category_names[c]) == n && memcmp(category_names[c], s, n) == 0) {
            *out = (wdg_category)c;
            return 0;
        }
    }
    return -1;
}

static void builtin_hooks_and_aliases(wdg_ops *ops);

int wdg_ops_new(wdg_ops **out, wdg_error *err)
{
    wdg_ops *ops = calloc(1, sizeof *ops);
    if (!ops)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    wdg_arena_init(&ops->arena);
    if (wdg_sites_new(&ops->sites) < 0) {
        free(ops);
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < sizeof builtin / sizeof builtin[0]; i++) {
        uint32_t id = wdg_ops_intern(ops, builtin[i].name, strlen(builtin[i].name));
        if (id == WDG_OP_NONE) {
            wdg_ops_free(ops);
            return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
        }
        ops->head.cats[id] = (uint8_t)builtin[i].cat;
    }
    for (size_t i = 0; i < sizeof builtin_kinds / sizeof builtin_kinds[0]; i++) {
        uint32_t id = wdg_ops_find(ops, builtin_kinds[i].name, strlen(builtin_kinds[i].name));
        ops->kinds[id] |= (uint8_t)builtin_kinds[i].kind;
    }
    builtin_hooks_and_aliases(ops);
    *out = ops;
    return 0;
}

/* A copy of ops (names, ids, categories, kinds, facts, sites): a second
 * trace read on its own thread interns into it, and its new ids are
 * mapped back after (src/formats/load.c). */
wdg_ops *wdg_ops_clone(const wdg_ops *src)
{
    wdg_ops *ops = calloc(1, sizeof *ops);
    if (!ops)
        return NULL;
    wdg_arena_init(&ops->arena);
    if (wdg_sites_new(&ops->sites) < 0) {
        free(ops);
        return NULL;
    }
    for (uint32_t id = 0; id < src->head.count; id++)
        if (wdg_ops_intern(ops, src->names[id], src->lens[id]) != id)
            goto fail;
    if (src->head.count) {
        memcpy(ops->head.cats, src->head.cats, src->head.count * sizeof *ops->head.cats);
        memcpy(ops->kinds, src->kinds, src->head.count * sizeof *ops->kinds);
        memcpy(ops->facts, src->facts, src->head.count * sizeof *ops->facts);
    }
    /* the same sites at the same indexes */
    for (size_t i = 0; i < wdg_sites_count(src->sites); i++) {
        const char *m;
        uint64_t v;
        wdg_addr a;
        if (wdg_sites_get(src->sites, WDG_ADDR_SITE | i, &m, &v) < 0 ||
            (m ? wdg_sites_module(ops->sites, m, strlen(m), v, &a)
               : wdg_sites_absolute(ops->sites, v, &a)) < 0)
            goto fail;
    }
    return ops;
fail:
    wdg_ops_free(ops);
    return NULL;
}

void wdg_ops_free(wdg_ops *ops)
{
    if (!ops)
        return;
    wdg_sites_free(ops->sites);
    wdg_arena_free(&ops->arena);
    wdg_map_free(&ops->by_hash);
    free(ops->names);
    free(ops->lens);
    free(ops->next);
    free(ops->head.cats);
    free(ops->kinds);
    free(ops->facts);
    free(ops);
}

wdg_sites *wdg_ops_sites(const wdg_ops *ops) { return ops ? ops->sites : NULL; }

/* The map stores hash -> first id; ids sharing a 64-bit hash are chained. */
static uint64_t name_hash(const char *s, size_t n)
{
    uint64_t h = wdg_hash_bytes(s, n);
    return h == UINT64_MAX ? 0 : h;
}

uint32_t wdg_ops_find(const wdg_ops *ops, const char *s, size_t n)
{
    uint64_t *slot = wdg_map_get(&ops->by_hash, name_hash(s, n));
    if (!slot)
        return WDG_OP_NONE;
    for (uint32_t id = (uint32_t)*slot; id != WDG_OP_NONE; id = ops->next[id])
        if (ops->lens[id] == n && memcmp(ops->names[id], s, n) == 0)
            return id;
    return WDG_OP_NONE;
}

/* *p, one of the arrays sharing capacity cap, grown to hold need elements;
 * *next gets the new capacity (the same for every array) */
static int grow_one(void **p, size_t cap, size_t need, size_t size, size_t *next)
{
    return wdg_grow(p, &cap, need, size, 64) < 0 ? -1 : (*next = cap, 0);
}

/* room for one more op in every array; a failure leaves each valid */
static int grow_all(wdg_ops *ops)
{
    size_t cap = ops->cap, need = (size_t)ops->head.count + 1;
    if (grow_one((void **)&ops->names, ops->cap, need, sizeof *ops->names, &cap) < 0 ||
        grow_one((void **)&ops->lens, ops->cap, need, sizeof *ops->lens, &cap) < 0 ||
        grow_one((void **)&ops->next, ops->cap, need, sizeof *ops->next, &cap) < 0 ||
        grow_one((void **)&ops->head.cats, ops->cap, need, sizeof *ops->head.cats, &cap) < 0 ||
        grow_one((void **)&ops->kinds, ops->cap, need, sizeof *ops->kinds, &cap) < 0 ||
        grow_one((void **)&ops->facts, ops->cap, need, sizeof *ops->facts, &cap) < 0)
        return -1;
    ops->cap = cap;
    return 0;
}

uint32_t wdg_ops_intern(wdg_ops *ops, const char *s, size_t n)
{
    uint32_t found = wdg_ops_find(ops, s, n);
    if (found != WDG_OP_NONE)
        return found;
    if (n > UINT32_MAX || ops->head.count == WDG_OP_NONE - 1)
        return WDG_OP_NONE;
    if (grow_all(ops) < 0)
        return WDG_OP_NONE;
    char *copy = wdg_arena_strndup(&ops->arena, s, n);
    if (!copy)
        return WDG_OP_NONE;
    uint32_t id = ops->head.count;
    int inserted;
    uint64_t *slot = wdg_map_put(&ops->by_hash, name_hash(s, n), id, &inserted);
    if (!slot)
        return WDG_OP_NONE;
    ops->next[id] = inserted ? WDG_OP_NONE : (uint32_t)*slot;
    *slot = id;
    ops->names[id] = copy;
    ops->lens[id] = (uint32_t)n;
    ops->head.cats[id] = WDG_CAT_OTHER;
    ops->kinds[id] = (uint8_t)kind_of_name(s, n);
    init_facts(&ops->facts[id], id, s, n);
    ops->head.count++;
    return id;
}

int wdg_ops_override(wdg_ops *ops, const char *spec, wdg_error *err)
{
    const char *eq = strrchr(spec, '=');
    wdg_category cat;
    if (!eq || eq == spec ||
        wdg_category_parse(eq + 1, strlen(eq + 1), &cat) < 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--op-category takes NAME=CATEGORY with CATEGORY one of "
                             "set, release, wait, signal_wait, create, thread, other: '%s'",
                             spec);
    uint32_t id = wdg_ops_intern(ops, spec, (size_t)(eq - spec));
    if (id == WDG_OP_NONE)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    ops->head.cats[id] = (uint8_t)cat;
    ops->facts[id].args = derive_args(&ops->facts[id], cat);
    return 0;
}

const char *wdg_ops_name(const wdg_ops *ops, uint32_t id)
{
    return id < ops->head.count ? ops->names[id] : "?";
}

wdg_category wdg_ops_category(const wdg_ops *ops, uint32_t id)
{
    return wdg_ops_cat(ops, id);
}

uint32_t wdg_ops_count(const wdg_ops *ops) { return ops->head.count; }

/* Names engines give one op: each engine's trace calls it its own way */
static const struct {
    const char *alias, *canonical;
} aliases[] = {
    {"xeKeReleaseSemaphore", "KeReleaseSemaphore"},
    {"XEvent::Set", "KeSetEvent"},
};

/* Once the built-in ops have their categories: each one's positions under
 * its own category, the hooks (built-in names both), and each alias's
 * canonical op with that op's facts. */
static void builtin_hooks_and_aliases(wdg_ops *ops)
{
    for (uint32_t id = 0; id < ops->head.count; id++)
        ops->facts[id].shape_cat = ops->head.cats[id];
    for (size_t i = 0; i < sizeof builtin_facts / sizeof builtin_facts[0]; i++) {
        const char *name = builtin_facts[i].name, *hook = builtin_facts[i].hook;
        uint32_t id = wdg_ops_find(ops, name, strlen(name));
        if (hook && id != WDG_OP_NONE)
            ops->facts[id].hook = wdg_ops_find(ops, hook, strlen(hook));
    }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        uint32_t from = wdg_ops_find(ops, aliases[i].alias, strlen(aliases[i].alias));
        uint32_t to = wdg_ops_find(ops, aliases[i].canonical, strlen(aliases[i].canonical));
        ops->facts[from] = ops->facts[to];
        ops->facts[from].canon = to;
    }
    for (uint32_t id = 0; id < ops->head.count; id++)
        ops->facts[id].args = derive_args(&ops->facts[id], ops->head.cats[id]);
}

uint32_t wdg_ops_canonical(const wdg_ops *ops, uint32_t id)
{
    return id < ops->head.count ? ops->facts[id].canon : id;
}

unsigned wdg_ops_flags(const wdg_ops *ops, uint32_t id)
{
    return id < ops->head.count ? ops->facts[id].flags : 0;
}

wdg_op_args wdg_ops_args(const wdg_ops *ops, uint32_t id)
{
    static const wdg_op_args none = NO_ARGS;
    return id < ops->head.count ? ops->facts[id].args : none;
}

uint32_t wdg_ops_hook(const wdg_ops *ops, uint32_t id)
{
    return id < ops->head.count ? ops->facts[id].hook : WDG_OP_NONE;
}

static const char *const obj_kind_names[] = {"none", "pointer", "handle"};
static const char *const signal_kind_names[] = {"none", "latch", "pulse", "count", "condition"};

const char *wdg_obj_kind_name(int kind)
{
    return kind >= 0 && kind <= WDG_OBJ_HANDLE ? obj_kind_names[kind] : "?";
}

const char *wdg_signal_kind_name(int kind)
{
    return kind >= 0 && kind <= WDG_SIG_CONDITION ? signal_kind_names[kind] : "?";
}

wdg_obj_kind wdg_ops_obj_kind(const wdg_ops *ops, uint32_t id)
{
    return id < ops->head.count ? (wdg_obj_kind)(ops->kinds[id] & KIND_OBJ_MASK) : WDG_OBJ_NONE;
}

wdg_signal_kind wdg_ops_signal_kind(const wdg_ops *ops, uint32_t id)
{
    if (id >= ops->head.count)
        return WDG_SIG_NONE;
    unsigned own = (ops->kinds[id] & KIND_SIG_MASK) >> KIND_SIG_SHIFT;
    if (own)
        return (wdg_signal_kind)own;
    switch (ops->head.cats[id]) {
    case WDG_CAT_SET:
    case WDG_CAT_SIGNAL_WAIT: return WDG_SIG_LATCH;
    case WDG_CAT_RELEASE: return WDG_SIG_COUNT;
    default: return WDG_SIG_NONE;
    }
}

int wdg_ops_always_timed(const wdg_ops *ops, uint32_t id)
{
    return id < ops->head.count && (ops->kinds[id] & KIND_TIMED);
}

/* "NAME=VALUE" with VALUE one of names[1..n): the op's id and the value's index. */
static int parse_kind_spec(wdg_ops *ops, const char *spec, const char *const *names, int n,
                           uint32_t *id, int *value)
{
    const char *eq = strrchr(spec, '=');
    if (!eq || eq == spec)
        return -1;
    for (int k = 1; k < n; k++)
        if (strcmp(eq + 1, names[k]) == 0) {
            *value = k;
            *id = wdg_ops_intern(ops, spec, (size_t)(eq - spec));
            return 0;
        }
    return -1;
}

int wdg_ops_override_kind(wdg_ops *ops, const char *spec, wdg_error *err)
{
    uint32_t id;
    int kind;
    if (parse_kind_spec(ops, spec, obj_kind_names, WDG_OBJ_HANDLE + 1, &id, &kind) < 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--op-kind takes NAME=KIND with KIND pointer or handle: '%s'", spec);
    if (id == WDG_OP_NONE)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    ops->kinds[id] = (uint8_t)((ops->kinds[id] & ~KIND_OBJ_MASK) | (unsigned)kind);
    return 0;
}

int wdg_ops_override_signal(wdg_ops *ops, const char *spec, wdg_error *err)
{
    uint32_t id;
    int kind;
    if (parse_kind_spec(ops, spec, signal_kind_names, WDG_SIG_CONDITION + 1, &id, &kind) < 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--op-signal takes NAME=KIND with KIND one of latch, pulse, count, "
                             "condition: '%s'", spec);
    if (id == WDG_OP_NONE)
        return wdg_error_set(err, WDG_ENOMEM, NULL, 0, "out of memory");
    ops->kinds[id] = (uint8_t)((ops->kinds[id] & ~KIND_SIG_MASK) | (unsigned)kind << KIND_SIG_SHIFT);
    return 0;
}
