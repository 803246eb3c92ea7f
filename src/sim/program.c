/* The built-in guest program: a small model of a game, and the faults a
 * candidate engine can carry.  Call sites (lr) are stable and distinct. */
#include <stdlib.h>
#include <string.h>

#include "../formats/formats.h"
#include "sim_internal.h"

enum { WORKERS = 4 };

/* objects */
enum { O_SEM_WORK, O_DONE, O_CACHE_REQ, O_CACHE_DONE, O_LOADED, O_SEM_AUDIO, O_A2B, O_QUIT,
       O_VSYNC, O_SEM_MIX, O_COUNT };

static const objdef objs[O_COUNT] = {
    [O_SEM_WORK] = {"sem_work", OBJ_SEMAPHORE, 0, 0, 64, 1},
    [O_DONE] = {"worker_done", OBJ_AUTO_EVENT, 0, 0, 0, WORKERS},
    [O_CACHE_REQ] = {"cache_request", OBJ_AUTO_EVENT, 1, 0, 0, 1},
    [O_CACHE_DONE] = {"cache_done", OBJ_AUTO_EVENT, 0, 0, 0, 1},
    [O_LOADED] = {"loaded", OBJ_MANUAL_EVENT, 0, 0, 0, 1},
    [O_SEM_AUDIO] = {"sem_audio", OBJ_SEMAPHORE, 1, 0, 16, 1},
    [O_A2B] = {"audio_a_to_b", OBJ_AUTO_EVENT, 1, 0, 0, 1},
    [O_QUIT] = {"audio_quit", OBJ_MANUAL_EVENT, 1, 0, 0, 1},
    [O_VSYNC] = {"vsync", OBJ_AUTO_EVENT, 1, 0, 0, 1},
    [O_SEM_MIX] = {"sem_mix", OBJ_SEMAPHORE, 1, 0, 0x7FFFFFFF, 1},
};

/* templates */
enum { T_MAIN, T_LOADER, T_WORKER, T_CACHE, T_AUDIO_TIMER, T_AUDIO_A, T_AUDIO_B, T_VSYNC,
       T_HELPER, T_COUNT };

#define NOOBJ .obj = -1
#define INF .timeout = -1

static const step main_steps[] = {
    {ST_CALL, "qpc", "KeQueryPerformanceCounter", 0x82000120, NOOBJ, .cost = 2000},
    {ST_CREATE, "create_sem_work", "NtCreateSemaphore", 0x82000140, .obj = O_SEM_WORK, .cost = 5000},
    {ST_CREATE, "create_done", "NtCreateEvent", 0x82000150, .obj = O_DONE, .per_instance = 1, .cost = 3000},
    {ST_CREATE, "create_cache_request", "KeInitializeEvent", 0x82000160, .obj = O_CACHE_REQ, .cost = 2000},
    {ST_CREATE, "create_cache_done", "NtCreateEvent", 0x82000170, .obj = O_CACHE_DONE, .cost = 3000},
    {ST_CREATE, "create_loaded", "NtCreateEvent", 0x82000180, .obj = O_LOADED, .cost = 3000},
    {ST_CREATE, "create_sem_audio", "KeInitializeSemaphore", 0x82000190, .obj = O_SEM_AUDIO, .cost = 2000},
    {ST_CREATE, "create_a2b", "KeInitializeEvent", 0x820001A0, .obj = O_A2B, .cost = 2000},
    {ST_CREATE, "create_quit", "KeInitializeEvent", 0x820001B0, .obj = O_QUIT, .cost = 2000},
    {ST_CREATE, "create_vsync", "KeInitializeEvent", 0x820001C0, .obj = O_VSYNC, .cost = 2000},
    {ST_CREATE, "create_sem_mix", "KeInitializeSemaphore", 0x820001D0, .obj = O_SEM_MIX, .cost = 2000},
    {ST_SPAWN, "spawn_loader", "ExCreateThread", 0x82000200, NOOBJ, .tmpl = T_LOADER, .count = 1, .cost = 30000},
    {ST_WAIT, "wait_loaded", "KeWaitForSingleObject", 0x82000210, .objs = {O_LOADED}, .nobjs = 1, INF, .cost = 1000},
    {ST_POLL, "poll", "KeQueryPerformanceCounter", 0x82000220, NOOBJ, .cost = 1000},
    {ST_SPAWN, "spawn_workers", "ExCreateThread", 0x82000240, NOOBJ, .tmpl = T_WORKER, .count = WORKERS, .cost = 30000},
    {ST_SPAWN, "spawn_cache", "ExCreateThread", 0x82000250, NOOBJ, .tmpl = T_CACHE, .count = 1, .cost = 30000},
    {ST_SPAWN, "spawn_audio_timer", "ExCreateThread", 0x82000260, NOOBJ, .tmpl = T_AUDIO_TIMER, .count = 1, .cost = 30000},
    {ST_SPAWN, "spawn_audio_a", "ExCreateThread", 0x82000270, NOOBJ, .tmpl = T_AUDIO_A, .count = 1, .cost = 30000},
    {ST_SPAWN, "spawn_audio_b", "ExCreateThread", 0x82000280, NOOBJ, .tmpl = T_AUDIO_B, .count = 1, .cost = 30000},
    {ST_SPAWN, "spawn_vsync", "ExCreateThread", 0x82000290, NOOBJ, .tmpl = T_VSYNC, .count = 1, .cost = 30000},
    {ST_INIT_DONE, "init_done", NULL, 0, NOOBJ},
    {ST_LOOP, "frame", NULL, 0, NOOBJ, .count = 0},
    {ST_CALL, "frame_qpc", "KeQueryPerformanceCounter", 0x82000300, NOOBJ, .cost = 1000},
    {ST_RELEASE, "release_work", "NtReleaseSemaphore", 0x824AB168, .obj = O_SEM_WORK, .count = WORKERS, .cost = 2000},
    {ST_WAIT, "wait_workers", "KeWaitForMultipleObjects", 0x82000320, .objs = {O_DONE}, .nobjs = 1, .per_instance_objs = 1, .wait_all = 1, INF, .cost = 1000},
    {ST_SET, "request_cache", "KeSetEvent", 0x824AAFC8, .obj = O_CACHE_REQ, .cost = 1000},
    {ST_WAIT, "wait_cache", "KeWaitForSingleObject", 0x82000340, .objs = {O_CACHE_DONE}, .nobjs = 1, INF, .cost = 1000},
    {ST_CALL, "frame_cs", "RtlEnterCriticalSection", 0x82000350, NOOBJ, .cost = 1000},
    {ST_SET, "request_cache_again", "KeSetEvent", 0x824AAFE0, .obj = O_CACHE_REQ, .cost = 1000},
    {ST_WAIT, "wait_cache_again", "KeWaitForSingleObject", 0x82000360, .objs = {O_CACHE_DONE}, .nobjs = 1, INF, .cost = 1000},
    {ST_CALL, "frame_cs_leave", "RtlLeaveCriticalSection", 0x82000370, NOOBJ, .cost = 1000},
    {ST_WAIT, "wait_vsync", "KeWaitForSingleObject", 0x82000380, .objs = {O_VSYNC}, .nobjs = 1, INF, .cost = 1000},
    {ST_END_LOOP, "frame_end", NULL, 0, NOOBJ},
};

static const step loader_steps[] = {
    {ST_CALL, "open", "NtCreateFile", 0x82178040, NOOBJ, .cost = 200000},
    {ST_CALL, "read", "NtReadFile", 0x82178060, NOOBJ, .cost = 300000},
    {ST_LOOP, "chunks", NULL, 0, NOOBJ, .count = 8},
    {ST_CALL, "read_more", "NtReadFile", 0x82178080, NOOBJ, .cost = 200000},
    {ST_WORK, "decode", NULL, 0, NOOBJ, .cost = 2000000},
    {ST_END_LOOP, "chunks_end", NULL, 0, NOOBJ},
    {ST_SET, "set_loaded", "NtSetEvent", 0x821780C0, .obj = O_LOADED, .cost = 2000},
    {ST_CALL, "close", "NtClose", 0x821780D0, NOOBJ, .cost = 2000},
    {ST_EXIT, "exit", NULL, 0, NOOBJ},
};

static const step worker_steps[] = {
    {ST_CALL, "worker_init", "KeQueryPerformanceCounter", 0x82506B40, NOOBJ, .cost = 5000},
    {ST_LOOP, "work_loop", NULL, 0, NOOBJ, .count = 0},
    {ST_WAIT, "wait_work", "NtWaitForSingleObjectEx", 0x82506B80, .objs = {O_SEM_WORK}, .nobjs = 1, INF, .cost = 1000},
    {ST_CALL, "work_cs", "RtlEnterCriticalSection", 0x82506BA0, NOOBJ, .cost = 1000},
    {ST_WORK, "work", NULL, 0, NOOBJ, .cost = 300000},
    {ST_SET, "set_done", "NtSetEvent", 0x82506C90, .obj = O_DONE, .per_instance = 1, .cost = 2000},
    {ST_CALL, "work_cs_leave", "RtlLeaveCriticalSection", 0x82506CB0, NOOBJ, .cost = 1000},
    {ST_END_LOOP, "work_loop_end", NULL, 0, NOOBJ},
};

static const step cache_steps[] = {
    {ST_CALL, "cache_init", "KeQueryPerformanceCounter", 0x82450240, NOOBJ, .cost = 20000},
    {ST_LOOP, "cache_loop", NULL, 0, NOOBJ, .count = 0},
    {ST_WAIT, "wait_request", "KeWaitForSingleObject", 0x82450260, .objs = {O_CACHE_REQ}, .nobjs = 1, INF, .cost = 1000},
    {ST_WORK, "lookup", NULL, 0, NOOBJ, .cost = 400000},
    {ST_SET, "set_done", "NtSetEvent", 0x82450314, .obj = O_CACHE_DONE, .cost = 2000},
    {ST_CALL, "cache_tail", "KeQueryPerformanceCounter", 0x82450330, NOOBJ, .cost = 150000},
    {ST_END_LOOP, "cache_loop_end", NULL, 0, NOOBJ},
};

static const step audio_timer_steps[] = {
    {ST_LOOP, "tick_loop", NULL, 0, NOOBJ, .count = 0},
    {ST_DELAY, "tick", "KeDelayExecutionThread", 0x824D2140, NOOBJ, .cost = 1000000},
    {ST_RELEASE, "release_audio", "KeReleaseSemaphore", 0x824D2160, .obj = O_SEM_AUDIO, .count = 1, .cost = 2000},
    {ST_END_LOOP, "tick_loop_end", NULL, 0, NOOBJ},
};

static const step audio_a_steps[] = {
    {ST_CALL, "a_init", "KeQueryPerformanceCounter", 0x824D2890, NOOBJ, .cost = 5000},
    {ST_LOOP, "a_loop", NULL, 0, NOOBJ, .count = 0},
    {ST_WAIT, "wait_audio", "KeWaitForMultipleObjects", 0x824D2900, .objs = {O_SEM_AUDIO, O_QUIT}, .nobjs = 2, .wait_all = 0, INF, .cost = 1000},
    {ST_WORK, "mix", NULL, 0, NOOBJ, .cost = 100000},
    {ST_SET, "set_a2b", "KeSetEvent", 0x824D292C, .obj = O_A2B, .cost = 2000},
    {ST_END_LOOP, "a_loop_end", NULL, 0, NOOBJ},
};

static const step audio_b_steps[] = {
    {ST_CALL, "b_init", "RtlEnterCriticalSection", 0x824D2960, NOOBJ, .cost = 5000},
    {ST_LOOP, "b_loop", NULL, 0, NOOBJ, .count = 0},
    {ST_WAIT, "wait_a2b", "KeWaitForMultipleObjects", 0x824D2A90, .objs = {O_A2B, O_QUIT}, .nobjs = 2, .wait_all = 0, INF, .cost = 1000},
    {ST_WORK, "dispatch", NULL, 0, NOOBJ, .cost = 200000},
    {ST_RELEASE, "release_mix", "KeReleaseSemaphore", 0x824D229C, .obj = O_SEM_MIX, .count = 1, .cost = 2000},
    {ST_END_LOOP, "b_loop_end", NULL, 0, NOOBJ},
};

static const step vsync_steps[] = {
    {ST_LOOP, "vblank_loop", NULL, 0, NOOBJ, .count = 0},
    {ST_DELAY, "vblank", "KeDelayExecutionThread", 0x827E0040, NOOBJ, .cost = 16666666},
    {ST_SET, "set_vsync", "KeSetEvent", 0x827E0060, .obj = O_VSYNC, .cost = 2000},
    {ST_END_LOOP, "vblank_loop_end", NULL, 0, NOOBJ},
};

/* a host-side helper thread of the reference engine (--ref-helpers):
 * timed delays and queries at kernel call sites, never a producer */
static const step helper_steps[] = {
    {ST_LOOP, "host_loop", NULL, 0, NOOBJ, .count = 0},
    {ST_DELAY, "host_sleep", "KeDelayExecutionThread", 0x82FF0010, NOOBJ, .cost = 3000000},
    {ST_CALL, "host_query", "KeQuerySystemTime", 0x82FF0030, NOOBJ, .cost = 20000},
    {ST_END_LOOP, "host_loop_end", NULL, 0, NOOBJ},
};

#define N(a) (int)(sizeof a / sizeof a[0])

static const tmpl tmpls[T_COUNT] = {
    [T_MAIN] = {"main", 0x82000100, main_steps, N(main_steps)},
    [T_LOADER] = {"loader", 0x82178000, loader_steps, N(loader_steps)},
    [T_WORKER] = {"worker", 0x82506B08, worker_steps, N(worker_steps)},
    [T_CACHE] = {"cache", 0x82450218, cache_steps, N(cache_steps)},
    [T_AUDIO_TIMER] = {"audio_timer", 0x824D2108, audio_timer_steps, N(audio_timer_steps)},
    [T_AUDIO_A] = {"audio_a", 0x824D2878, audio_a_steps, N(audio_a_steps)},
    [T_AUDIO_B] = {"audio_b", 0x824D2940, audio_b_steps, N(audio_b_steps)},
    [T_VSYNC] = {"vsync", 0x827E0000, vsync_steps, N(vsync_steps)},
    [T_HELPER] = {"host_helper", 0, helper_steps, N(helper_steps)},
};

static const program the_program = {tmpls, T_COUNT, objs, O_COUNT, WORKERS, T_HELPER};

const program *sim_program(void) { return &the_program; }

int sim_family(const program *p, const char *family)
{
    for (int i = 0; i < p->ntmpls; i++)
        if (strcmp(p->tmpls[i].family, family) == 0)
            return i;
    return -1;
}

int sim_obj_slot(const program *p, int def, int instance)
{
    return def * p->workers + instance;
}

static const wdg_sim_scenario scenarios[] = {
    {"healthy", "", "both engines correct: outcome NONE"},
    {"missing-thread", "missing:cache",
     "the cache thread never spawns: main and the workers wedge (outcome A)"},
    {"skipped-producer", "skip:cache:set_done:5",
     "the cache thread skips its done signal after 5 rounds and waits again (outcome B)"},
    {"live-missing-producer", "skip:vsync:set_vsync:30",
     "the vsync thread runs on but stops signalling after 30 frames (outcome B)"},
    {"lost-set", "lost-set",
     "a set of an auto-reset event with no waiter is lost: the cache handshake wedges (outcome B)"},
    {"waitany-as-all", "waitany-as-all",
     "WaitAny is treated as WaitAll: the audio chain wedges (outcome B)"},
    {"extra-poll", "extra-poll:300",
     "main's init polls 300 more times: boot sequences part, time skews, no wedge"},
    {"slow-init", "slow-init:6", "the whole init runs 6 times slower: time skews, no wedge"},
    {"two-faults", "skip:cache:set_done:5;waitany-as-all",
     "two independent faults: the frame loop and the audio chain wedge (outcome C)"},
    {"total-hang", "missing:vsync;missing:audio_timer",
     "the timer threads never spawn: every thread ends blocked, a total hang (outcome C)"},
    {NULL, NULL, NULL},
};

const wdg_sim_scenario *wdg_sim_scenarios(void) { return scenarios; }

static int step_named(const tmpl *t, const char *name, size_t n)
{
    for (int i = 0; i < t->nsteps; i++)
        if (t->steps[i].name && strlen(t->steps[i].name) == n &&
            memcmp(t->steps[i].name, name, n) == 0)
            return i;
    return -1;
}

int sim_parse_fault(faults *f, const program *p, const char *spec, wdg_error *err)
{
    const char *colon = strchr(spec, ':');
    size_t head = colon ? (size_t)(colon - spec) : strlen(spec);
    const char *arg = colon ? colon + 1 : "";
    size_t used = strlen(f->specs);
    snprintf(f->specs + used, sizeof f->specs - used, "%s%s", used ? ";" : "", spec);
    if (head == 7 && memcmp(spec, "missing", 7) == 0) {
        int t = sim_family(p, arg);
        if (t <= 0 || t == p->helper_tmpl)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--fault missing:FAMILY: no spawned family '%s' (loader, worker, "
                                 "cache, audio_timer, audio_a, audio_b, vsync)", arg);
        f->missing |= 1u << t;
        return 0;
    }
    if (head == 4 && memcmp(spec, "skip", 4) == 0) {
        /* skip:FAMILY:SITE:K */
        const char *c2 = strchr(arg, ':');
        const char *c3 = c2 ? strchr(c2 + 1, ':') : NULL;
        char fam[32];
        if (!c2 || !c3 || (size_t)(c2 - arg) >= sizeof fam)
            goto bad_skip;
        memcpy(fam, arg, (size_t)(c2 - arg));
        fam[c2 - arg] = 0;
        int t = sim_family(p, fam);
        int s = t < 0 || t == p->helper_tmpl ? -1 : step_named(&p->tmpls[t], c2 + 1, (size_t)(c3 - c2 - 1));
        uint32_t k;
        if (t < 0 || s < 0 || wdg_parse_udec32(c3 + 1, strlen(c3 + 1), &k) < 0)
            goto bad_skip;
        step_kind sk = p->tmpls[t].steps[s].kind;
        if (sk != ST_SET && sk != ST_RELEASE)
            goto bad_skip;
        f->skip_tmpl = t;
        f->skip_step = s;
        f->skip_after = k;
        return 0;
    bad_skip:
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--fault skip:FAMILY:SITE:K names a producer site (a set or "
                             "release step, e.g. skip:cache:set_done:5): '%s'", spec);
    }
    if (strcmp(spec, "lost-set") == 0) {
        f->lost_set = 1;
        return 0;
    }
    if (strcmp(spec, "waitany-as-all") == 0) {
        f->waitany_as_all = 1;
        return 0;
    }
    if (head == 10 && memcmp(spec, "extra-poll", 10) == 0) {
        if (wdg_parse_udec32(arg, strlen(arg), &f->extra_poll) < 0 || f->extra_poll > 1000000)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--fault extra-poll:N takes a count up to 1000000: '%s'", spec);
        return 0;
    }
    if (head == 9 && memcmp(spec, "slow-init", 9) == 0) {
        char *end;
        f->slow_init = strtod(arg, &end);
        if (end == arg || *end || !(f->slow_init >= 1) || f->slow_init > 1000)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--fault slow-init:X takes a factor from 1 to 1000: '%s'", spec);
        return 0;
    }
    return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                         "unknown fault '%s' (missing:FAMILY, skip:FAMILY:SITE:K, lost-set, "
                         "waitany-as-all, extra-poll:N, slow-init:X)", spec);
}
