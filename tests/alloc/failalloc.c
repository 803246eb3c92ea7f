/* failalloc.c - allocation-failure injection for tests only, never part of
 * libwedge.  build/wedge-failalloc links it with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup, so every
 * allocation wedge's own code makes comes through here, and zlib's too
 * (src/input/source.c hands zlib wedge's calloc and free); the C library's
 * and zstd's inner ones do not.
 *
 *   WEDGE_FAIL_ALLOC=K      the K-th allocation (from 1) returns NULL, once;
 *                           later ones succeed, so recovery paths run too
 *   WEDGE_ALLOC_COUNT=FILE  at exit, how many allocations the run made
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);

static unsigned long calls, fail_at;
static int ready;
static const char *count_file;

static void write_count(void)
{
    FILE *f = fopen(count_file, "w");
    if (f) {
        fprintf(f, "%lu\n", calls);
        fclose(f);
    }
}

/* Counts this call; 1 when it is the one to fail. */
static int should_fail(void)
{
    if (!ready) {
        const char *k = getenv("WEDGE_FAIL_ALLOC");
        fail_at = k ? strtoul(k, NULL, 10) : 0;
        count_file = getenv("WEDGE_ALLOC_COUNT");
        if (count_file)
            atexit(write_count);
        ready = 1;
    }
    return ++calls == fail_at;
}

void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t n) { return should_fail() ? NULL : __real_realloc(p, n); }

char *__wrap_strdup(const char *s)
{
    if (should_fail())
        return NULL;
    size_t n = strlen(s) + 1;
    char *copy = __real_malloc(n);
    return copy ? memcpy(copy, s, n) : NULL;
}
