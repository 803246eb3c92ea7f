/* wedge/template.h - --line-format templates for custom text logs
 * (docs/format.md, "Templates").
 *
 * A template is literal text with fields {NAME:TYPE}: NAME a field of the
 * JSONL format (aliases allowed), TYPE one of hex (with or without 0x),
 * dec, word (a run of non-space characters); {_} skips a word.  One space
 * in the template matches one or more spaces.  A template must match a
 * whole line (trailing spaces aside), and must capture tid and op (or pc).
 * Templates are tried in the order given; the first that matches wins.
 */
#ifndef WEDGE_TEMPLATE_H
#define WEDGE_TEMPLATE_H

#include "wedge/api.h"
#include "wedge/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct wdg_templates wdg_templates;

WDG_API int wdg_templates_new(wdg_templates **out, wdg_error *err);
/* Compiles and appends one template; WDG_EUSAGE with a message when the
 * template is invalid.  text is copied. */
WDG_API int wdg_templates_add(wdg_templates *ts, const char *text, wdg_error *err);
WDG_API unsigned wdg_templates_count(const wdg_templates *ts);
WDG_API void wdg_templates_free(wdg_templates *ts);

#ifdef __cplusplus
}
#endif

#endif
