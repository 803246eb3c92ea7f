/* Output text and files: the UTF-8 rule (wedge/utf8.h, the buffer
 * emitters) and output files written whole or not at all (wedge/outfile.h). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "wedge/wedge.h"

#define E2 "\xC3\xA9"           /* é */
#define E3 "\xE2\x82\xAC"       /* € */
#define E4 "\xF0\x9F\x98\x80"   /* U+1F600 */
#define FFFD WDG_UTF8_REPLACEMENT

void test_utf8(void)
{
    CHECK_INT(wdg_utf8_char_len("a", 1), 1);
    CHECK_INT(wdg_utf8_char_len(E2, 2), 2);
    CHECK_INT(wdg_utf8_char_len(E3, 3), 3);
    CHECK_INT(wdg_utf8_char_len(E4, 4), 4);
    CHECK_INT(wdg_utf8_char_len(E4, 3), 0);            /* cut short */
    CHECK_INT(wdg_utf8_char_len("\xC0\xAF", 2), 0);    /* overlong '/' */
    CHECK_INT(wdg_utf8_char_len("\xE0\x80\xAF", 3), 0);
    CHECK_INT(wdg_utf8_char_len("\xED\xA0\x80", 3), 0); /* a surrogate */
    CHECK_INT(wdg_utf8_char_len("\xF4\x90\x80\x80", 4), 0); /* past U+10FFFF */
    CHECK_INT(wdg_utf8_char_len("\xF4\x8F\xBF\xBF", 4), 4); /* U+10FFFF */
    CHECK_INT(wdg_utf8_char_len("\x80", 1), 0);
    CHECK_INT(wdg_utf8_char_len("\xFF", 1), 0);
    CHECK_INT(wdg_utf8_char_len("\xC3" "a", 2), 0);
    CHECK_INT(wdg_utf8_char_len("", 0), 0);
    CHECK(wdg_utf8_valid("plain " E2 E3 E4, 16));
    CHECK(!wdg_utf8_valid("a\xFFz", 3));
    CHECK(!wdg_utf8_valid("a" E4, 4));
    /* a bad byte in or after a run of eight ASCII bytes, at every offset */
    for (int at = 0; at < 20; at++) {
        char run[21];
        memset(run, 'x', 20);
        run[at] = '\xFF';
        CHECK(!wdg_utf8_valid(run, 20));
        run[at] = 'x';
        CHECK(wdg_utf8_valid(run, 20));
    }
    CHECK(wdg_utf8_valid("12345678" E2 "12345678" E4, 22));
    CHECK(!wdg_utf8_valid("12345678" "\xC3", 9));

    /* cut: before a character, never inside one */
    const char *s = "ab" E2 E3 E4 "z";   /* a b é(2..3) €(4..6) U+1F600(7..10) z(11) */
    size_t n = strlen(s);
    CHECK_INT(wdg_utf8_cut(s, n, 2), 2);
    CHECK_INT(wdg_utf8_cut(s, n, 3), 2);
    CHECK_INT(wdg_utf8_cut(s, n, 4), 4);
    CHECK_INT(wdg_utf8_cut(s, n, 5), 4);
    CHECK_INT(wdg_utf8_cut(s, n, 6), 4);
    CHECK_INT(wdg_utf8_cut(s, n, 7), 7);
    CHECK_INT(wdg_utf8_cut(s, n, 10), 7);
    CHECK_INT(wdg_utf8_cut(s, n, 11), 11);
    CHECK_INT(wdg_utf8_cut(s, n, 99), n);
    CHECK_INT(wdg_utf8_cut("a\x80\x80\x80\x80", 5, 3), 3);   /* stray bytes: anywhere */

    /* snprintf that cuts at a boundary */
    char out[8];
    CHECK_INT(wdg_utf8_snprintf(out, sizeof out, "%s", "abcde" E3 "x"), 9);
    CHECK_STR(out, "abcde");                /* not "abcde\xE2\x82" */
    CHECK_INT(wdg_utf8_snprintf(out, sizeof out, "%s", "abc" E4 "x"), 8);
    CHECK_STR(out, "abc" E4);               /* it fits exactly */
    wdg_utf8_snprintf(out, sizeof out, "%s", "abcdef" E2);
    CHECK_STR(out, "abcdef");
    wdg_utf8_snprintf(out, sizeof out, "%s", "abcdef\xFF\xFF");
    CHECK_STR(out, "abcdef\xFF");           /* an invalid byte is no character to keep whole */
    wdg_utf8_snprintf(out, sizeof out, "x%d", 5);
    CHECK_STR(out, "x5");
}

void test_buf_utf8(void)
{
    wdg_buf b = WDG_BUF_INIT;
    wdg_buf_json_str(&b, "a" E2 "\xFF" "b\xC3");
    CHECK_STR(b.ptr, "\"a" E2 FFFD "b" FFFD "\"");
    wdg_buf_reset(&b);
    wdg_buf_json_str(&b, "\xED\xA0\x80");   /* a surrogate: three bytes, three U+FFFD */
    CHECK_STR(b.ptr, "\"" FFFD FFFD FFFD "\"");
    wdg_buf_reset(&b);
    wdg_buf_csv_str(&b, "x\xFE" E4);
    CHECK_STR(b.ptr, "x" FFFD E4);
    wdg_buf_reset(&b);
    wdg_buf_csv_str(&b, "q\"\xFE,");
    CHECK_STR(b.ptr, "\"q\"\"" FFFD ",\"");
    wdg_buf_reset(&b);
    wdg_buf_put_utf8(&b, "ok" E3 "\x80" "z", 7);
    CHECK_STR(b.ptr, "ok" E3 FFFD "z");
    /* repair rewrites from an offset on and leaves what is before it */
    wdg_buf_reset(&b);
    wdg_buf_puts(&b, "\xFF|a\xC3|" E2 "\xE2\x82");
    wdg_buf_repair_utf8(&b, 1);
    CHECK_STR(b.ptr, "\xFF|a" FFFD "|" E2 FFFD FFFD);
    CHECK(wdg_utf8_valid(b.ptr + 1, b.len - 1));
    size_t len = b.len;
    wdg_buf_repair_utf8(&b, 1);   /* valid: unchanged */
    CHECK_INT(b.len, len);
    CHECK(!b.oom);
    wdg_buf_free(&b);
}

/* dir of a fresh temporary file, and that file's name */
static void temp_dir(char *dir, size_t cap)
{
    const char *p = t_tempfile("", 0);
    snprintf(dir, cap, "%s", p);
    *strrchr(dir, '/') = 0;
}

static char *slurp(const char *path)
{
    static char buf[256];
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    return buf;
}

/* entries of dir whose name starts with ".wedge-": temporaries left */
static int temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL)
        n += strncmp(e->d_name, ".wedge-", 7) == 0;
    if (d)
        closedir(d);
    return n;
}

void test_outfile(void)
{
    char dir[300], path[400], link[400], msg[4600], want[600];
    wdg_error err = {0};
    wdg_outfile o = WDG_OUTFILE_INIT;
    temp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/out.txt", dir);

    /* a new file appears only on commit */
    CHECK_INT(wdg_outfile_open(&o, path, &err), 0);
    CHECK_INT(wdg_outfile_write(&o, "new", 3, &err), 0);
    CHECK(access(path, F_OK) != 0);
    CHECK_INT(temporaries(dir), 1);
    CHECK_INT(wdg_outfile_commit(&o, &err), 0);
    CHECK_STR(slurp(path), "new");
    CHECK_INT(temporaries(dir), 0);
    CHECK(o.path == NULL && o.fd < 0);   /* released */

    /* abort: the older file stays as it was, no temporary left */
    CHECK_INT(wdg_outfile_open_in(&o, dir, "out.txt", &err), 0);
    CHECK_STR(o.path, path);
    CHECK_INT(wdg_outfile_write(&o, "half", 4, &err), 0);
    wdg_outfile_abort(&o);
    CHECK_STR(slurp(path), "new");
    CHECK_INT(temporaries(dir), 0);
    wdg_outfile_abort(&o);   /* released: nothing to do */
    CHECK_INT(wdg_outfile_commit(&o, &err), 0);

    /* replace keeps the mode of the file it replaces */
    chmod(path, 0640);
    CHECK_INT(wdg_outfile_save(path, "second", 6, &err), 0);
    CHECK_STR(slurp(path), "second");
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);

    /* a symbolic link: its target is replaced, the link kept */
    snprintf(link, sizeof link, "%s/link.txt", dir);
    CHECK(symlink("out.txt", link) == 0);
    CHECK_INT(wdg_outfile_save(link, "third", 5, &err), 0);
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    CHECK_STR(slurp(path), "third");

    /* errors name the path and the reason */
    char missing[400];
    snprintf(missing, sizeof missing, "%s/no/such/dir/x", dir);
    CHECK_INT(wdg_outfile_save(missing, "x", 1, &err), WDG_EOUTPUT);
    wdg_error_format(&err, msg, sizeof msg);
    snprintf(want, sizeof want, "%s: cannot write: %s", missing, strerror(ENOENT));
    CHECK_STR(msg, want);
    CHECK_INT(wdg_outfile_save(dir, "x", 1, &err), WDG_EOUTPUT);   /* a directory */
    CHECK(strstr(err.msg, strerror(EISDIR)) != NULL);
    CHECK_INT(wdg_exit_status(err.code), 73);

    /* a device is written in place (and not replaced by a file) */
    CHECK_INT(wdg_outfile_save("/dev/null", "x", 1, &err), 0);
    CHECK(stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
    if (access("/dev/full", W_OK) == 0) {
        CHECK_INT(wdg_outfile_save("/dev/full", "x", 1, &err), WDG_EOUTPUT);
        wdg_error_format(&err, msg, sizeof msg);
        snprintf(want, sizeof want, "/dev/full: cannot write: %s", strerror(ENOSPC));
        CHECK_STR(msg, want);
    }

    /* after a failed write the file cannot be committed */
    snprintf(path, sizeof path, "%s/failed.txt", dir);
    CHECK_INT(wdg_outfile_open(&o, path, &err), 0);
    o.failed = EFBIG;   /* as a write past the file size limit leaves it */
    CHECK_INT(wdg_outfile_write(&o, "x", 1, &err), WDG_EOUTPUT);
    CHECK_INT(wdg_outfile_commit(&o, &err), WDG_EOUTPUT);
    CHECK(strstr(err.msg, strerror(EFBIG)) != NULL);
    CHECK(access(path, F_OK) != 0);
    CHECK_INT(temporaries(dir), 0);

    /* a long path: the error names all of it */
    char longp[4200];
    memset(longp, 'd', sizeof longp - 1);
    longp[0] = '/';
    longp[sizeof longp - 1] = 0;
    CHECK_INT(wdg_outfile_save(longp, "x", 1, &err), WDG_EOUTPUT);
    CHECK(strlen(err.file) >= 4095);
}

void test_symbols_cut(void)
{
    /* a name of 100 é: the function text keeps its offset and cuts the
     * name before a character */
    char text[300] = "82000000 ";
    for (int i = 0; i < 100; i++)
        strcat(text, E2);
    strcat(text, " 0x100\n");
    wdg_symbols *s = NULL;
    wdg_error err = {0};
    CHECK_INT(wdg_symbols_new(&s, &err), 0);
    CHECK_INT(wdg_symbols_load(s, t_tempfile(text, strlen(text)), NULL, &err), 0);
    char out[24];
    CHECK_INT(wdg_symbols_format(s, 0x82000010, out, sizeof out), 1);
    CHECK_STR(out, E2 E2 E2 E2 E2 E2 E2 E2 E2 "+0x10");   /* 18 + 5 bytes */
    CHECK_INT(wdg_symbols_format(s, 0x82000000, out, sizeof out), 1);
    CHECK_INT(strlen(out), 22);
    CHECK(wdg_utf8_valid(out, strlen(out)));
    wdg_symbols_free(s);
}
