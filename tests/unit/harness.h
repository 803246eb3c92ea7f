/* harness.h - a minimal test harness: CHECK macros count passes and
 * failures; main() in test_main.c runs every TEST listed in tests.h. */
#ifndef WEDGE_TEST_HARNESS_H
#define WEDGE_TEST_HARNESS_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

extern int t_pass, t_fail;
extern const char *t_current;

#define CHECK(cond)                                                                 \
    do {                                                                            \
        if (cond)                                                                   \
            t_pass++;                                                               \
        else {                                                                      \
            t_fail++;                                                               \
            fprintf(stderr, "FAIL [%s] %s:%d: %s\n", t_current, __FILE__, __LINE__, \
                    #cond);                                                         \
        }                                                                           \
    } while (0)

#define CHECK_INT(a, b)                                                             \
    do {                                                                            \
        long long a_ = (long long)(a), b_ = (long long)(b);                         \
        if (a_ == b_)                                                               \
            t_pass++;                                                               \
        else {                                                                      \
            t_fail++;                                                               \
            fprintf(stderr, "FAIL [%s] %s:%d: %s == %lld, expected %lld\n",        \
                    t_current, __FILE__, __LINE__, #a, a_, b_);                     \
        }                                                                           \
    } while (0)

#define CHECK_STR(a, b)                                                             \
    do {                                                                            \
        const char *a_ = (a), *b_ = (b);                                            \
        if (a_ && b_ && strcmp(a_, b_) == 0)                                        \
            t_pass++;                                                               \
        else {                                                                      \
            t_fail++;                                                               \
            fprintf(stderr, "FAIL [%s] %s:%d: %s == \"%s\", expected \"%s\"\n",    \
                    t_current, __FILE__, __LINE__, #a, a_ ? a_ : "(null)",          \
                    b_ ? b_ : "(null)");                                            \
        }                                                                           \
    } while (0)

/* Writes data to a new temporary file; returns its path (static buffer
 * rotation: valid for the next 8 calls). */
const char *t_tempfile(const void *data, size_t len);
/* Loads one trace from text; NULL on error (err filled). */
struct wdg_trace;
struct wdg_ops;
struct wdg_read_opts;
struct wdg_error;
struct wdg_trace *t_load(const char *path, struct wdg_ops *ops,
                         const struct wdg_read_opts *opts, struct wdg_error *err);
/* Runs a command; returns its exit status. */
int t_run(const char *cmd);
/* Runs the simulator's scenario for seconds into a new folder inside the
 * harness's (removed at the end); 0 with res filled, or a WDG_E* code. */
struct wdg_sim_result;
int t_simulate(const char *scenario, double seconds, struct wdg_sim_result *res);

#endif
