/* md_diag.h - the diagnosis sections of the Markdown report (internal). */
#ifndef WEDGE_MD_DIAG_H
#define WEDGE_MD_DIAG_H

#include "wedge/report.h"

void md_verdict(wdg_buf *b, const wdg_report *r);
void md_roots(wdg_buf *b, const wdg_report *r);
void md_threads(wdg_buf *b, const wdg_report *r);
void md_boot(wdg_buf *b, const wdg_report *r);
/* pieces the terminal's brief form reuses (terminal.c) */
void md_headline(wdg_buf *b, const wdg_report *r);   /* markdown.c */
void md_skew(wdg_buf *b, const wdg_report *r);
void md_root_line(wdg_buf *b, const wdg_report *r, const wdg_root *x);
void md_ladder_threads(wdg_buf *b, const wdg_report *r, const wdg_ladder *l);

#endif
