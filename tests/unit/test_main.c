#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "harness.h"
#include "tests.h"
#include "wedge/wedge.h"
#include "../../src/sim/sim.h"

int t_pass, t_fail;
const char *t_current = "";

#define DECLARE(name) void test_##name(void);
WEDGE_TESTS(DECLARE)

static char tmpdir[256];

const char *t_tempfile(const void *data, size_t len)
{
    static char paths[8][300];
    static unsigned next;
    static unsigned serial;
    char *p = paths[next++ % 8];
    snprintf(p, 300, "%s/f%u", tmpdir, serial++);
    FILE *f = fopen(p, "wb");
    if (!f) {
        perror(p);
        exit(2);
    }
    if (len)
        fwrite(data, 1, len, f);
    fclose(f);
    return p;
}

wdg_trace *t_load(const char *path, wdg_ops *ops, const wdg_read_opts *opts, wdg_error *err)
{
    wdg_trace *t = NULL;
    if (wdg_load_traces(&t, &path, 1, ops, opts, NULL, 0, err) < 0)
        return NULL;
    return t;
}

int t_simulate(const char *scenario, double seconds, wdg_sim_result *res)
{
    char dir[320];
    snprintf(dir, sizeof dir, "%s.d", t_tempfile("", 0));
    wdg_sim_opts so = WDG_SIM_OPTS_INIT;
    so.scenario = scenario;
    so.seconds = seconds;
    wdg_error err = {0};
    return wdg_simulate(dir, &so, res, &err);
}

int t_run(const char *cmd)
{
    int st = system(cmd);
    return st < 0 ? -1 : (st >> 8) & 0xff;
}

int main(int argc, char **argv)
{
    const char *only = argc > 1 ? argv[1] : NULL;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/wedge-unit-XXXXXX");
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 2;
    }
#define RUN(name)                                        \
    if (!only || strcmp(only, #name) == 0) {             \
        t_current = #name;                               \
        test_##name();                                   \
    }
    WEDGE_TESTS(RUN)
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", tmpdir);
    printf("unit: %d passed, %d failed\n", t_pass, t_fail);
    return t_fail ? 1 : 0;
}
