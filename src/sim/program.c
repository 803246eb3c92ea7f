/* The built-in guest program: a small model of a game, and the faults a
 * candidate engine can carry.  Call sites (lr) are stable and distinct. */
#include <stdlib.h>
#include <string.h>

#include "../base/numparse.h"
#include "sim_internal.h"

enum { WORKERS = 4 };

/* objects */
enum { O_SEM_WORK, O_DONE, O_CACHE_REQ, O_CACHE_DONE, O_LOADED, O_SEM_AUDIO, O_A2B, O_QUIT,
       O_VSYNC, O_SEM_MIX,
       /* only in the program variants (appended: the others' slots and ids stay) */
       O_WORK_QUIT, O_CHUNK, O_AUDIO_FRAME, O_COUNT };

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
    [O_WORK_QUIT] = {"worker_quit", OBJ_MANUAL_EVENT, 0, 0, 0, 1},
    [O_CHUNK] = {"chunk_ready", OBJ_AUTO_EVENT, 0, 0, 0, 1},
    [O_AUDIO_FRAME] = {"audio_frame", OBJ_AUTO_EVENT, 1, 0, 0, 1},
};

/* templates */
enum { T_MAIN, T_LOADER, T_WORKER, T_CACHE, T_AUDIO_TIMER, T_AUDIO_A, T_AUDIO_B, T_VSYNC,
       T_HELPER, T_AUDIO_DISPATCH, T_COUNT };

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

/* the investigation program's audio dispatch: waits for B's mix, posts
 * the audio frame main waits for */
static const step audio_dispatch_steps[] = {
    {ST_CALL, "d_init", "RtlEnterCriticalSection", 0x824D2A00, NOOBJ, .cost = 5000},
    {ST_LOOP, "d_loop", NULL, 0, NOOBJ, .count = 0},
    {ST_WAIT, "wait_mix", "KeWaitForMultipleObjects", 0x824D2A30, .objs = {O_SEM_MIX, O_QUIT}, .nobjs = 2, .wait_all = 0, INF, .cost = 1000},
    {ST_WORK, "post", NULL, 0, NOOBJ, .cost = 50000},
    {ST_SET, "set_frame", "KeSetEvent", 0x824D2A44, .obj = O_AUDIO_FRAME, .cost = 2000},
    {ST_END_LOOP, "d_loop_end", NULL, 0, NOOBJ},
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
    [T_AUDIO_DISPATCH] = {"audio_dispatch", 0x824D29F0, audio_dispatch_steps, N(audio_dispatch_steps)},
};

/* --- program variants (docs/simulate.md, the shapes) ------------------- */

static int find_step(const sim_program_buf *b, int t, const char *name)
{
    for (int i = 0; i < b->tmpls[t].nsteps; i++)
        if (b->steps[t][i].name && strcmp(b->steps[t][i].name, name) == 0)
            return i;
    return -1;
}

static step *step_of(sim_program_buf *b, int t, const char *name)
{
    int i = find_step(b, t, name);
    return i < 0 ? NULL : &b->steps[t][i];
}

/* n steps into template t after its step named after */
static void insert_after(sim_program_buf *b, int t, const char *after, const step *add, int n)
{
    int at = find_step(b, t, after) + 1;
    int len = b->tmpls[t].nsteps;
    if (at <= 0 || len + n > SIM_MAX_STEPS)
        return;   /* the base program always has room and the step */
    memmove(&b->steps[t][at + n], &b->steps[t][at], (size_t)(len - at) * sizeof(step));
    memcpy(&b->steps[t][at], add, (size_t)n * sizeof(step));
    b->tmpls[t].nsteps = len + n;
}

/* The investigation's shape: a boot of matched producers, a slow-to-start
 * audio subsystem (main's audio_init loop) and an audio dispatch thread
 * whose frame main waits for each frame. */
static void investigation(sim_program_buf *b)
{
    static const step chunk[] = {
        {ST_SET, "set_chunk", "NtSetEvent", 0x821780A0, .obj = O_CHUNK, .cost = 2000}};
    insert_after(b, T_LOADER, "decode", chunk, 1);
    static const step create[] = {
        {ST_CREATE, "create_chunk", "NtCreateEvent", 0x820001E0, .obj = O_CHUNK, .cost = 3000},
        {ST_CREATE, "create_audio_frame", "KeInitializeEvent", 0x820001F0, .obj = O_AUDIO_FRAME, .cost = 2000}};
    insert_after(b, T_MAIN, "create_sem_mix", create, 2);
    static const step warm[] = {
        {ST_RELEASE, "warm_work", "NtReleaseSemaphore", 0x82000254, .obj = O_SEM_WORK, .count = WORKERS, .cost = 2000},
        {ST_WAIT, "warm_wait", "KeWaitForMultipleObjects", 0x82000258, .objs = {O_DONE}, .nobjs = 1, .per_instance_objs = 1, .wait_all = 1, INF, .cost = 1000},
        {ST_LOOP, "audio_init_loop", NULL, 0, NOOBJ, .count = 64},
        {ST_CALL, "audio_init_poll", "KeQueryPerformanceCounter", 0x8200025C, NOOBJ, .cost = 1000},
        {ST_WORK, "audio_init", NULL, 0, NOOBJ, .cost = 4000000},
        {ST_END_LOOP, "audio_init_end", NULL, 0, NOOBJ}};
    insert_after(b, T_MAIN, "spawn_cache", warm, 6);
    static const step spawn[] = {
        {ST_SPAWN, "spawn_audio_dispatch", "ExCreateThread", 0x82000284, NOOBJ, .tmpl = T_AUDIO_DISPATCH, .count = 1, .cost = 30000}};
    insert_after(b, T_MAIN, "spawn_audio_b", spawn, 1);
    /* B sets up its voices before it first waits for A (3 ms), so that A,
     * which falls silent about 1.1 ms after it starts, is silent before
     * B waits: a silent_thread, not a live producer that stopped */
    static const step setup[] = {{ST_WORK, "b_setup", NULL, 0, NOOBJ, .cost = 3000000}};
    insert_after(b, T_AUDIO_B, "b_init", setup, 1);
    static const step frame[] = {
        {ST_WAIT, "wait_audio_frame", "KeWaitForSingleObject", 0x82000390, .objs = {O_AUDIO_FRAME}, .nobjs = 1, INF, .cost = 1000}};
    insert_after(b, T_MAIN, "wait_vsync", frame, 1);
}

/* WaitAny(work, quit) workers: two handles with the same waiters */
static void waitany_workers(sim_program_buf *b)
{
    static const step create[] = {
        {ST_CREATE, "create_work_quit", "NtCreateEvent", 0x82000148, .obj = O_WORK_QUIT, .cost = 3000}};
    insert_after(b, T_MAIN, "create_sem_work", create, 1);
    step *w = step_of(b, T_WORKER, "wait_work");
    w->op = "NtWaitForMultipleObjectsEx";
    w->objs[1] = O_WORK_QUIT;
    w->nobjs = 2;
    w->wait_all = 0;
}

/* the cache handshake through condition variables */
static void condvar(sim_program_buf *b)
{
    static const char *sigs[][2] = {{"main", "request_cache"}, {"main", "request_cache_again"},
                                    {"cache", "set_done"}};
    static const char *waits[][2] = {{"main", "wait_cache"}, {"main", "wait_cache_again"},
                                     {"cache", "wait_request"}};
    for (int i = 0; i < 3; i++) {
        int t = i == 2 ? T_CACHE : T_MAIN;
        step_of(b, t, sigs[i][1])->op = "pthread_cond_signal";
        step_of(b, t, waits[i][1])->op = "pthread_cond_wait";
    }
    step_of(b, T_MAIN, "create_cache_request")->op = "pthread_cond_init";
    step_of(b, T_MAIN, "create_cache_done")->op = "pthread_cond_init";
    b->objs[O_CACHE_REQ].kind = OBJ_CONDVAR;
    b->objs[O_CACHE_DONE].kind = OBJ_CONDVAR;
    b->objs[O_CACHE_DONE].ke = 1;   /* a guest pointer (the condvar's address) */
}

void sim_program_build(sim_program_buf *b, const sim_variant *v)
{
    memset(b, 0, sizeof *b);
    memcpy(b->objs, objs, sizeof objs);
    for (int t = 0; t < T_COUNT; t++) {
        b->tmpls[t] = tmpls[t];
        memcpy(b->steps[t], tmpls[t].steps, (size_t)tmpls[t].nsteps * sizeof(step));
        b->tmpls[t].steps = b->steps[t];
    }
    if (v && v->investigation)
        investigation(b);
    if (v && v->waitany_workers)
        waitany_workers(b);
    if (v && v->condvar)
        condvar(b);
    if (v && v->pulse)
        step_of(b, T_VSYNC, "set_vsync")->op = "KePulseEvent";
    if (v && v->wrappers) {
        /* the NtSetEvent callers go through the game's NtSetEvent wrapper:
         * the reference records the wrapper's site, the candidate the caller's */
        step_of(b, T_LOADER, "set_loaded")->via = SIM_WRAPPER_LR;
        step_of(b, T_WORKER, "set_done")->via = SIM_WRAPPER_LR;
        step_of(b, T_CACHE, "set_done")->via = SIM_WRAPPER_LR;
    }
    b->p = (program){b->tmpls, T_COUNT, b->objs, O_COUNT, WORKERS, T_HELPER};
}

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
    {"healthy", "", "both engines correct: outcome NONE", ""},
    {"missing-thread", "missing:cache",
     "the cache thread never spawns: main and the workers wedge (outcome A)", ""},
    {"skipped-producer", "skip:cache:set_done:5",
     "the cache thread skips its done signal after 5 rounds and waits again (outcome B)", ""},
    {"live-missing-producer", "skip:vsync:set_vsync:30",
     "the vsync thread runs on but stops signalling after 30 frames (outcome B)", ""},
    {"lost-set", "lost-set",
     "a set of an auto-reset event with no waiter is lost: the cache handshake wedges (outcome B)", ""},
    {"waitany-as-all", "waitany-as-all",
     "WaitAny is treated as WaitAll: the audio chain wedges (outcome B)", ""},
    {"extra-poll", "extra-poll:300",
     "main's init polls 300 more times: boot sequences part, time skews, no wedge", ""},
    {"slow-init", "slow-init:6", "the whole init runs 6 times slower: time skews, no wedge", ""},
    {"slow-boot", "slow:audio_a:mix:40",
     "audio A mixes 40 times slower from its first round: the audio chain is starved, nothing "
     "wedges (outcome DIVERGED)", ""},
    {"two-faults", "skip:cache:set_done:5;waitany-as-all",
     "two independent faults: the frame loop and the audio chain wedge (outcome C)", ""},
    {"total-hang", "missing:vsync;missing:audio_timer",
     "the timer threads never spawn: every thread ends blocked, a total hang (outcome C)", ""},
    {"investigation", "slow:main:audio_init:6;silent:audio_a:set_a2b:0",
     "the hand investigation's shape: a matched boot, the audio subsystem starting 5.7x later, "
     "audio A silent before its first signal: dispatch, B, main, workers and cache wedge "
     "(outcome B)", "program investigation"},
    {NULL, NULL, NULL, NULL},
};

const wdg_sim_scenario *wdg_sim_scenarios(void) { return scenarios; }

/* FAMILY:SITE: the template and the site's name (checked against the
 * program later, when the variant is known); 0 or -1 */
static int family_site(const program *p, const char *arg, size_t n, int *t, char *site,
                       size_t cap)
{
    const char *c = memchr(arg, ':', n);
    char fam[32];
    if (!c || (size_t)(c - arg) >= sizeof fam || n - (size_t)(c - arg) - 1 >= cap ||
        c + 1 == arg + n)
        return -1;
    memcpy(fam, arg, (size_t)(c - arg));
    fam[c - arg] = 0;
    *t = sim_family(p, fam);
    memcpy(site, c + 1, n - (size_t)(c - arg) - 1);
    site[n - (size_t)(c - arg) - 1] = 0;
    return *t < 0 || *t == p->helper_tmpl ? -1 : 0;
}

/* SPEC's FAMILY:SITE:N part; the number after the last ':' */
static int site_and_number(const program *p, const char *arg, int *t, char *site, size_t cap,
                           const char **num)
{
    const char *last = strrchr(arg, ':');
    if (!last || family_site(p, arg, (size_t)(last - arg), t, site, cap) < 0)
        return -1;
    *num = last + 1;
    return 0;
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
                                 "cache, audio_timer, audio_a, audio_b, vsync, audio_dispatch)", arg);
        f->missing |= 1u << t;
        return 0;
    }
    const char *num;
    if ((head == 4 && memcmp(spec, "skip", 4) == 0) || (head == 6 && memcmp(spec, "silent", 6) == 0)) {
        /* skip:FAMILY:SITE:K, silent:FAMILY:SITE:K */
        int silent = head == 6;
        int t;
        uint32_t k;
        char *site = silent ? f->silent_site : f->skip_site;
        if (site_and_number(p, arg, &t, site, sizeof f->skip_site, &num) < 0 ||
            wdg_parse_udec32(num, strlen(num), &k) < 0)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--fault %s:FAMILY:SITE:K names a producer site (a set or "
                                 "release step, e.g. %s:cache:set_done:5): '%s'",
                                 silent ? "silent" : "skip", silent ? "silent" : "skip", spec);
        if (silent)
            f->silent_tmpl = t, f->silent_after = k;
        else
            f->skip_tmpl = t, f->skip_after = k;
        return 0;
    }
    if (head == 4 && memcmp(spec, "slow", 4) == 0) {
        /* slow:FAMILY:SITE:X */
        int t;
        if (site_and_number(p, arg, &t, f->slow_site, sizeof f->slow_site, &num) < 0 ||
            wdg_parse_decimal(num, strlen(num), &f->slow_factor) < 0 ||
            !(f->slow_factor >= 1) || f->slow_factor > 1000)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--fault slow:FAMILY:SITE:X names a step and a factor from 1 "
                                 "to 1000 (e.g. slow:main:audio_init:6): '%s'", spec);
        f->slow_tmpl = t;
        return 0;
    }
    if (strcmp(spec, "orphan-wait") == 0) {
        f->orphan_wait = 1;
        return 0;
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
        if (wdg_parse_decimal(arg, strlen(arg), &f->slow_init) < 0 || !(f->slow_init >= 1) ||
            f->slow_init > 1000)
            return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                                 "--fault slow-init:X takes a factor from 1 to 1000: '%s'", spec);
        return 0;
    }
    return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                         "unknown fault '%s' (missing:FAMILY, skip:FAMILY:SITE:K, "
                         "silent:FAMILY:SITE:K, slow:FAMILY:SITE:X, lost-set, waitany-as-all, "
                         "extra-poll:N, slow-init:X, orphan-wait)", spec);
}

/* The step index of a site in the built program; producer sites for skip
 * and silent, any step for slow. */
static int resolve(const program *p, int t, const char *site, int producer, int *out,
                   const char *what, wdg_error *err)
{
    *out = -1;
    if (t < 0)
        return 0;
    const tmpl *tp = &p->tmpls[t];
    for (int i = 0; i < tp->nsteps; i++)
        if (tp->steps[i].name && strcmp(tp->steps[i].name, site) == 0 &&
            (!producer || tp->steps[i].kind == ST_SET || tp->steps[i].kind == ST_RELEASE))
            *out = i;
    if (*out < 0)
        return wdg_error_set(err, WDG_EUSAGE, NULL, 0,
                             "--fault %s: %s has no %s '%s' in this program", what,
                             tp->family, producer ? "producer site (set or release)" : "step",
                             site);
    return 0;
}

int sim_resolve_faults(faults *f, const program *p, wdg_error *err)
{
    int rc;
    if ((rc = resolve(p, f->skip_tmpl, f->skip_site, 1, &f->skip_step, "skip", err)) < 0 ||
        (rc = resolve(p, f->silent_tmpl, f->silent_site, 1, &f->silent_step, "silent", err)) < 0 ||
        (rc = resolve(p, f->slow_tmpl, f->slow_site, 0, &f->slow_step, "slow", err)) < 0)
        return rc;
    return 0;
}
