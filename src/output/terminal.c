/* The report on a terminal (wdg_report_terminal): the Markdown renderers'
 * words laid out for a screen of o->width columns.  Paragraphs and list
 * items are wrapped, tables are fitted (cells cut with an ellipsis) or,
 * when even that cannot fit, written as one "header: value" line per
 * cell.  Colours follow what a word is (a status, a confidence, the
 * verdict), never its place on the screen.
 *
 * Inline text goes through a marked form first: the Markdown's ** and `
 * become the bytes MK_BOLD and MK_CODE, a colour is MK_COLOR and one byte,
 * MK_RESET ends every style.  Control characters from the input are
 * replaced before, so these bytes mean nothing else; emit() turns them
 * into ANSI sequences, or drops them when colours are off. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../base/grow.h"
#include "md_diag.h"
#include "render.h"

enum { MK_BOLD = 1, MK_CODE = 2, MK_COLOR = 3, MK_RESET = 4 };
enum { C_NONE = '0', C_RED = '1', C_GREEN = '2', C_YELLOW = '3', C_BLUE = '4', C_MAGENTA = '5',
       C_CYAN = '6', C_DIM = '9' };

/* at most this many roots and ladders per root in the brief form */
enum { BRIEF_ROOTS = 6, BRIEF_LADDERS = 3, MIN_WIDTH = 20, MIN_CELL = 6 };

/* --- characters ------------------------------------------------------ */

/* the code point of the well-formed character of n bytes at s */
static uint32_t code_point(const unsigned char *s, size_t n)
{
    if (n == 1)
        return s[0];
    uint32_t c = s[0] & (0x7F >> n);
    for (size_t i = 1; i < n; i++)
        c = c << 6 | (s[i] & 0x3F);
    return c;
}

/* display columns of a code point: 0 for combining marks, 2 for East Asian
 * wide ranges and emoji, else 1 (no locale: the same on every host) */
static int cp_width(uint32_t c)
{
    if ((c >= 0x300 && c <= 0x36F) || (c >= 0x200B && c <= 0x200F) || (c >= 0xFE00 && c <= 0xFE0F))
        return 0;
    if ((c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF && c != 0x303F) ||
        (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
        (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
        (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F) ||
        (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD))
        return 2;
    return 1;
}

/* length of the marker or character at s (n > 0 bytes), its columns in *w */
static size_t step(const char *s, size_t n, int *w)
{
    if (s[0] == MK_COLOR) {
        *w = 0;
        return n > 1 ? 2 : 1;
    }
    if (s[0] == MK_BOLD || s[0] == MK_CODE || s[0] == MK_RESET) {
        *w = 0;
        return 1;
    }
    size_t len = wdg_utf8_char_len(s, n);
    if (len == 0) {   /* the text was repaired: cannot happen, but never loop */
        *w = 1;
        return 1;
    }
    *w = cp_width(code_point((const unsigned char *)s, len));
    return len;
}

static int text_width(const char *s, size_t n)
{
    int cols = 0, w;
    for (size_t i = 0; i < n; i += step(s + i, n - i, &w), cols += w) {
    }
    return cols;
}

/* --- inline Markdown into the marked form ---------------------------- */

/* a word's colour by what it says, C_NONE for the rest */
static char word_color(const char *s, size_t n)
{
    static const struct {
        const char *word;
        char color;
    } words[] = {{"MISSING", C_RED},  {"UNDER", C_YELLOW},    {"OVER", C_YELLOW},
                 {"EXTRA", C_MAGENTA}, {"MIXED", C_MAGENTA}, {"MATCH", C_GREEN},
                 {"wedged", C_RED},   {"proven", C_GREEN},    {"inferred", C_YELLOW},
                 {"frontier", C_RED}, {"skew starts", C_YELLOW}, {"short", C_YELLOW}};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t k = strlen(words[i].word);
        if (n >= k && memcmp(s, words[i].word, k) == 0 && (n == k || s[k] == ' ' || s[k] == '('))
            return words[i].color;
    }
    return C_NONE;
}

static char outcome_color(int outcome)
{
    switch (outcome) {
    case WDG_OUTCOME_NONE:
        return C_GREEN;
    case WDG_OUTCOME_DIVERGED:
    case WDG_OUTCOME_INCONCLUSIVE:
        return C_YELLOW;
    default:
        return C_RED;
    }
}

static void put_color(wdg_buf *b, char c)
{
    wdg_buf_putc(b, MK_COLOR);
    wdg_buf_putc(b, c);
}

/* Appends n bytes of Markdown text s in the marked form: ** and ` become
 * markers, a bold span is coloured by its word (the verdict by the
 * outcome), a control character becomes '?' (a trace's names must not
 * drive the terminal). */
static void mark_inline(wdg_buf *b, const wdg_report *r, const char *s, size_t n)
{
    int bold = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == '*' && i + 1 < n && s[i + 1] == '*') {
            bold = !bold;
            wdg_buf_putc(b, MK_BOLD);
            i += 2;
            char col = C_NONE;
            if (bold && n - i >= 8 && memcmp(s + i, "outcome ", 8) == 0)
                col = outcome_color(r->diag.outcome);
            else if (bold)
                col = word_color(s + i, n - i);
            if (col != C_NONE)
                put_color(b, col);
            else if (!bold)
                put_color(b, C_NONE);
            continue;
        }
        if (c == '`') {
            wdg_buf_putc(b, MK_CODE);
            i++;
            continue;
        }
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
            (unsigned char)s[i + 1] <= 0x9F) {   /* a C1 control */
            wdg_buf_putc(b, '?');
            i += 2;
            continue;
        }
        wdg_buf_putc(b, c == '\t' ? ' ' : c < 0x20 || c == 0x7F ? '?' : (char)c);
        i++;
    }
    wdg_buf_putc(b, MK_RESET);
}

/* --- the marked form to the screen ----------------------------------- */

typedef struct style {
    int bold, code;
    char color;
} style;

static void ansi(wdg_buf *out, const style *st)
{
    wdg_buf_puts(out, "\033[0");
    if (st->bold)
        wdg_buf_puts(out, ";1");
    char c = st->color != C_NONE ? st->color : st->code ? C_CYAN : C_NONE;
    if (c == C_DIM)
        wdg_buf_puts(out, ";2");
    else if (c != C_NONE)
        wdg_buf_printf(out, ";3%c", c);
    wdg_buf_putc(out, 'm');
}

static int styled(const style *st)
{
    return st->bold || st->code || st->color != C_NONE;
}

/* Writes marked text to out: markers as ANSI when color, else nothing.
 * Every line ends with its styles reset and the next starts them again,
 * so each line stands alone (a pager, a cut screen). */
static void emit(wdg_buf *out, const char *s, size_t n, int color)
{
    style st = {0, 0, C_NONE};
    int dirty = 0;   /* st changed since the last sequence written */
    int live = 0;    /* a sequence other than the plain one is in force */
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == MK_BOLD || c == MK_CODE || c == MK_RESET || c == MK_COLOR) {
            if (c == MK_BOLD)
                st.bold = !st.bold;
            else if (c == MK_CODE)
                st.code = !st.code;
            else if (c == MK_RESET)
                st = (style){0, 0, C_NONE};
            else if (i + 1 < n)
                st.color = s[++i];
            dirty = 1;
            continue;
        }
        if (c == '\n') {
            if (color && live)
                wdg_buf_puts(out, "\033[0m");
            live = 0;
            dirty = 1;
            wdg_buf_putc(out, '\n');
            continue;
        }
        if (color && dirty && (live || styled(&st))) {
            ansi(out, &st);
            live = styled(&st);
        }
        dirty = 0;
        wdg_buf_putc(out, c);
    }
    if (color && live)
        wdg_buf_puts(out, "\033[0m");
}

/* --- paragraphs ------------------------------------------------------ */

static void spaces(wdg_buf *b, int n)
{
    for (int i = 0; i < n; i++)
        wdg_buf_putc(b, ' ');
}

/* Appends marked text t (n bytes) to b wrapped at width columns: the first
 * line after first (its prefix, already in b, fcols wide), the others
 * indented by indent.  A word wider than a line is cut between
 * characters. */
static void wrap(wdg_buf *b, const char *t, size_t n, int fcols, int indent, int width)
{
    int col = fcols, avail = width > indent + 1 ? width : indent + 1;
    int line_has_word = 0;
    size_t i = 0;
    while (i < n) {
        if (t[i] == ' ') {
            i++;
            continue;
        }
        size_t j = i;
        int w = 0, cw;
        while (j < n && t[j] != ' ') {
            j += step(t + j, n - j, &cw);
            w += cw;
        }
        if (line_has_word && col + 1 + w > avail) {
            wdg_buf_putc(b, '\n');
            spaces(b, indent);
            col = indent;
            line_has_word = 0;
        }
        if (line_has_word) {
            wdg_buf_putc(b, ' ');
            col++;
        }
        /* the word, cut where it passes the line */
        for (size_t k = i; k < j;) {
            size_t len = step(t + k, j - k, &cw);
            if (cw && col + cw > avail && col > indent) {
                wdg_buf_putc(b, '\n');
                spaces(b, indent);
                col = indent;
            }
            wdg_buf_put(b, t + k, len);
            col += cw;
            k += len;
        }
        line_has_word = 1;
        i = j;
    }
    wdg_buf_putc(b, '\n');
}

/* "- " or "12. " at s: its length, else 0 */
static size_t list_mark(const char *s, size_t n)
{
    if (n >= 2 && (s[0] == '-' || s[0] == '*') && s[1] == ' ')
        return 2;
    size_t i = 0;
    while (i < n && i < 4 && s[i] >= '0' && s[i] <= '9')
        i++;
    return i && i + 1 < n && s[i] == '.' && s[i + 1] == ' ' ? i + 2 : 0;
}

/* one Markdown line that is not a table row */
static void line_out(wdg_buf *m, wdg_buf *tmp, const wdg_report *r, const char *s, size_t n,
                     int width)
{
    size_t lead = 0;
    while (lead < n && s[lead] == ' ')
        lead++;
    if (lead < n && s[lead] == '#') {   /* a heading */
        size_t k = lead;
        while (k < n && s[k] == '#')
            k++;
        int level = (int)(k - lead);
        while (k < n && s[k] == ' ')
            k++;
        wdg_buf_reset(tmp);
        wdg_buf_putc(tmp, MK_BOLD);
        put_color(tmp, level <= 2 ? C_BLUE : C_NONE);
        mark_inline(tmp, r, s + k, n - k);
        wrap(m, tmp->ptr, tmp->len, 0, 0, width);
        return;
    }
    size_t mk = list_mark(s + lead, n - lead);
    int indent = (int)(lead + mk);
    if (indent > width / 2)
        indent = width / 2;
    spaces(m, (int)lead > indent ? indent : (int)lead);
    wdg_buf_put(m, s + lead, mk);
    wdg_buf_reset(tmp);
    mark_inline(tmp, r, s + lead + mk, n - lead - mk);
    wrap(m, tmp->ptr, tmp->len, indent, indent, width);
}

/* --- tables ---------------------------------------------------------- */

typedef struct cell {
    size_t off, len;   /* marked text in the table's buffer */
    int w;             /* display columns */
} cell;

typedef struct table {
    wdg_buf text;      /* every cell's marked text */
    cell *cells;
    size_t n, cap;
    int ncols, nrows;
    int right[64];     /* right-aligned columns */
} table;

enum { MAX_COLS = 64 };

static int add_cell(table *t, const wdg_report *r, const char *s, size_t n, int colorize)
{
    while (n && s[0] == ' ')
        s++, n--;
    while (n && s[n - 1] == ' ')
        n--;
    if (wdg_grow((void **)&t->cells, &t->cap, t->n + 1, sizeof *t->cells, 64) < 0)
        return -1;
    cell *c = &t->cells[t->n++];
    c->off = t->text.len;
    char col = colorize ? word_color(s, n) : C_NONE;
    if (col != C_NONE)
        put_color(&t->text, col);
    mark_inline(&t->text, r, s, n);
    c->len = t->text.len - c->off;
    c->w = text_width(t->text.ptr + c->off, c->len);
    return 0;
}

/* the cells of row s (n bytes, "| a | b |"); the alignment row sets right[] */
static int table_row(table *t, const wdg_report *r, const char *s, size_t n)
{
    size_t i = 1, start = t->n;
    /* the alignment row is the second, all |, -, : and spaces */
    int cols = 0, align = t->nrows == 1 && memchr(s, '-', n) != NULL;
    for (size_t k = 0; k < n && align; k++)
        if (s[k] != '|' && s[k] != '-' && s[k] != ':' && s[k] != ' ')
            align = 0;
    while (i < n && cols < MAX_COLS) {
        size_t j = i;
        while (j < n && s[j] != '|')
            j++;
        if (j == n && j - i == 0)
            break;
        if (align) {
            t->right[cols] = j > i && s[j - 1] == ':';
        } else if (add_cell(t, r, s + i, j - i, t->nrows > 0) < 0) {
            return -1;
        }
        cols++;
        i = j + 1;
    }
    if (align)
        return 0;
    if (t->nrows == 0)
        t->ncols = cols;
    /* a short row gets empty cells, a long one loses its extra cells */
    while ((int)(t->n - start) < t->ncols)
        if (add_cell(t, r, "", 0, 0) < 0)
            return -1;
    t->n = start + (size_t)t->ncols;
    t->nrows++;
    return 0;
}

/* a cell cut to w columns, an ellipsis where it was cut, padded to w */
static void put_cell(wdg_buf *m, const char *s, size_t n, int cw, int w, int right, int last)
{
    if (cw <= w) {
        if (right)
            spaces(m, w - cw);
        wdg_buf_put(m, s, n);
        wdg_buf_putc(m, MK_RESET);
        if (!right && !last)
            spaces(m, w - cw);
        return;
    }
    int col = 0, x;
    for (size_t i = 0; i < n;) {
        size_t len = step(s + i, n - i, &x);
        if (col + x > w - 1)
            break;
        wdg_buf_put(m, s + i, len);
        col += x;
        i += len;
    }
    wdg_buf_putc(m, MK_RESET);
    wdg_buf_puts(m, "\xE2\x80\xA6");   /* U+2026 */
    if (!last)
        spaces(m, w - 1 - col);
}

/* each row as "header: value" lines, for a table too wide to fit */
static void table_records(wdg_buf *m, const table *t, int width)
{
    for (int row = 1; row < t->nrows; row++) {
        for (int c = 0; c < t->ncols; c++) {
            const cell *h = &t->cells[c], *v = &t->cells[(size_t)row * (size_t)t->ncols + (size_t)c];
            if (!v->w)
                continue;
            wdg_buf tmp = WDG_BUF_INIT;
            wdg_buf_puts(&tmp, c == 0 ? "- " : "  ");
            wdg_buf_putc(&tmp, MK_BOLD);
            wdg_buf_put(&tmp, t->text.ptr + h->off, h->len);
            wdg_buf_puts(&tmp, "\x04: ");
            wdg_buf_put(&tmp, t->text.ptr + v->off, v->len);
            wdg_buf_put(m, tmp.ptr, 2);
            wrap(m, tmp.ptr + 2, tmp.len - 2, 2, 4, width);
            if (tmp.oom)
                m->oom = 1;
            wdg_buf_free(&tmp);
        }
    }
}

static void table_out(wdg_buf *m, const table *t, int width)
{
    int w[MAX_COLS], sum = 0, gap = 2;
    if (t->ncols <= 0)
        return;
    for (int c = 0; c < t->ncols; c++)
        w[c] = 0;
    for (size_t i = 0; i < t->n; i++) {
        int c = (int)(i % (size_t)t->ncols);
        if (t->cells[i].w > w[c])
            w[c] = t->cells[i].w;
    }
    for (int c = 0; c < t->ncols; c++)
        sum += w[c];
    int avail = width - gap * (t->ncols - 1);
    /* narrow the widest column until the row fits, none below MIN_CELL */
    while (sum > avail) {
        int widest = 0;
        for (int c = 1; c < t->ncols; c++)
            if (w[c] > w[widest])
                widest = c;
        if (w[widest] <= MIN_CELL)
            break;
        w[widest]--, sum--;
    }
    if (sum > avail) {
        table_records(m, t, width);
        return;
    }
    for (int row = 0; row < t->nrows; row++) {
        for (int c = 0; c < t->ncols; c++) {
            const cell *x = &t->cells[(size_t)row * (size_t)t->ncols + (size_t)c];
            if (c)
                spaces(m, gap);
            if (row == 0)
                wdg_buf_putc(m, MK_BOLD);
            put_cell(m, t->text.ptr + x->off, x->len, x->w, w[c], row && t->right[c],
                     c == t->ncols - 1);
        }
        wdg_buf_putc(m, '\n');
    }
}

/* --- Markdown to the marked screen ----------------------------------- */

/* Lays out Markdown md (n bytes) for width columns into m, marked. */
static void layout(wdg_buf *m, const wdg_report *r, const char *md, size_t n, int width)
{
    wdg_buf tmp = WDG_BUF_INIT;
    int blank = 1;   /* no blank line at the top, none twice */
    for (size_t i = 0; i < n;) {
        size_t e = i;
        while (e < n && md[e] != '\n')
            e++;
        if (e == i) {
            if (!blank)
                wdg_buf_putc(m, '\n');
            blank = 1;
            i = e + 1;
            continue;
        }
        blank = 0;
        if (md[i] == '|') {
            table t = {WDG_BUF_INIT, NULL, 0, 0, 0, 0, {0}};
            int bad = 0;
            while (i < n && md[i] == '|') {
                e = i;
                while (e < n && md[e] != '\n')
                    e++;
                if (!bad && table_row(&t, r, md + i, e - i) < 0)
                    bad = 1;
                i = e + 1;
            }
            if (bad || t.text.oom)
                m->oom = 1;
            else
                table_out(m, &t, width);
            wdg_buf_free(&t.text);
            free(t.cells);
            continue;
        }
        line_out(m, &tmp, r, md + i, e - i, width);
        i = e + 1;
    }
    if (tmp.oom)
        m->oom = 1;
    wdg_buf_free(&tmp);
}

/* --- the brief form -------------------------------------------------- */

static void brief_roots(wdg_buf *b, const wdg_report *r)
{
    const wdg_diagnosis *d = &r->diag;
    wdg_buf_puts(b, "## Root causes\n\n");
    if (!d->n_roots)
        wdg_buf_puts(b, "None.\n");
    for (size_t i = 0; i < d->n_roots && i < BRIEF_ROOTS; i++) {
        const wdg_root *x = &d->roots[i];
        wdg_buf_printf(b, "%zu. ", i + 1);
        md_root_line(b, r, x);
        wdg_buf_putc(b, '\n');
        for (size_t k = 0; k < x->n_ladders && k < BRIEF_LADDERS; k++) {
            wdg_buf_puts(b, "   - ");
            md_ladder_threads(b, r, &d->ladders[x->ladder + k]);
            wdg_buf_printf(b, "root %zu\n", i + 1);
        }
        if (x->n_blocks > BRIEF_LADDERS && x->n_ladders > BRIEF_LADDERS)
            wdg_buf_printf(b, "   - ... and %zu more\n",
                           (x->n_blocks > x->n_ladders ? x->n_blocks : x->n_ladders) - BRIEF_LADDERS);
        else if (x->n_blocks > x->n_ladders)
            wdg_buf_printf(b, "   - ... and %zu more\n", x->n_blocks - x->n_ladders);
    }
    if (d->n_roots > BRIEF_ROOTS)
        wdg_buf_printf(b, "- ... and %zu more root causes\n", d->n_roots - BRIEF_ROOTS);
    if (d->n_unexplained)
        wdg_buf_printf(b, "\n%zu wedged thread%s no root cause explains.\n", d->n_unexplained,
                       d->n_unexplained == 1 ? "" : "s");
    wdg_buf_putc(b, '\n');
}

static void brief(wdg_buf *b, const wdg_report *r)
{
    wdg_buf_printf(b, "# wedge report: %s against %s\n\n", r->opts.cand_name, r->opts.ref_name);
    md_verdict(b, r);
    brief_roots(b, r);
    wdg_buf_puts(b, "## First divergence\n\n");
    md_headline(b, r);
    wdg_buf_puts(b, "## Skew\n\n");
    md_skew(b, r);
}

void wdg_report_terminal(const wdg_report *r, const wdg_term_opts *o, wdg_buf *out)
{
    static const wdg_term_opts defaults = WDG_TERM_OPTS_INIT;
    if (!o)
        o = &defaults;
    int width = o->width < MIN_WIDTH ? MIN_WIDTH : o->width > 4096 ? 4096 : o->width;
    wdg_buf md = WDG_BUF_INIT, m = WDG_BUF_INIT;
    if (o->brief)
        brief(&md, r);
    else
        wdg_report_markdown(r, &md);
    if (o->more && o->more[0])
        wdg_buf_printf(&md, "\n%s\n", o->more);
    wdg_buf_repair_utf8(&md, 0);
    layout(&m, r, md.ptr ? md.ptr : "", md.len, width);
    /* no blank line at the end */
    while (m.len >= 2 && m.ptr[m.len - 1] == '\n' && m.ptr[m.len - 2] == '\n')
        m.len--;
    emit(out, m.ptr ? m.ptr : "", m.len, o->color);
    if (md.oom || m.oom)
        out->oom = 1;
    wdg_buf_free(&md);
    wdg_buf_free(&m);
}
