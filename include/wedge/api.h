/* wedge/api.h - what every public header includes first: the version of
 * the library and WDG_API, the mark of an exported function.
 *
 * The library is compiled with hidden visibility, so the shared library
 * exports only the functions declared with WDG_API: the wdg_ names of the
 * public headers.  The modules behind them (diagnosis internals, renderers,
 * the simulator's engine) stay private and may change between releases.
 */
#ifndef WEDGE_API_H
#define WEDGE_API_H

/* The release: a change of MAJOR breaks the ABI (and the soname,
 * libwedge.so.MAJOR); MINOR adds to it; PATCH fixes. */
#define WDG_VERSION_MAJOR 0
#define WDG_VERSION_MINOR 2
#define WDG_VERSION_PATCH 0

#define WDG_VERSION_STR_(a, b, c) #a "." #b "." #c
#define WDG_VERSION_XSTR_(a, b, c) WDG_VERSION_STR_(a, b, c)
/* "MAJOR.MINOR.PATCH" of the headers a program was compiled with */
#define WDG_VERSION_STRING                                                  \
    WDG_VERSION_XSTR_(WDG_VERSION_MAJOR, WDG_VERSION_MINOR, WDG_VERSION_PATCH)
/* MAJOR * 10000 + MINOR * 100 + PATCH, for #if comparisons */
#define WDG_VERSION_NUMBER                                                  \
    (WDG_VERSION_MAJOR * 10000 + WDG_VERSION_MINOR * 100 + WDG_VERSION_PATCH)

#if defined(__GNUC__) || defined(__clang__)
#define WDG_API __attribute__((visibility("default")))
#else
#define WDG_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* "MAJOR.MINOR.PATCH" of the library linked in (static storage), which a
 * program loading the shared library can compare with WDG_VERSION_STRING. */
WDG_API const char *wdg_version(void);

#ifdef __cplusplus
}
#endif

#endif
