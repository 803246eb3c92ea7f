/* md_diag.h - the diagnosis sections of the Markdown report (internal). */
#ifndef WEDGE_MD_DIAG_H
#define WEDGE_MD_DIAG_H

#include "wedge/report.h"

void md_verdict(wdg_buf *b, const wdg_report *r);
void md_roots(wdg_buf *b, const wdg_report *r);
void md_threads(wdg_buf *b, const wdg_report *r);
void md_boot(wdg_buf *b, const wdg_report *r);

#endif
