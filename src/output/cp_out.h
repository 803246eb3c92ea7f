/* cp_out.h - the critical path in report.md and report.json (internal;
 * families.dot is wdg_report_families_dot(), wedge/report.h). */
#ifndef WEDGE_CP_OUT_H
#define WEDGE_CP_OUT_H

#include "wedge/report.h"
#include "../base/jsonw.h"

/* the "## Critical path" section */
void md_critpath(wdg_buf *b, const wdg_report *r);
/* the "critical_path" member */
void json_critpath(wdg_jw *w, const wdg_report *r);

#endif
