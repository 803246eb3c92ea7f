/* clock.h - a monotonic clock in ns, for the stage timings (internal). */
#ifndef WEDGE_BASE_CLOCK_H
#define WEDGE_BASE_CLOCK_H
#include <stdint.h>
#include <time.h>

static inline uint64_t wdg_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif
