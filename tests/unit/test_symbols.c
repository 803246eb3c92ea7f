/* Symbol files in all four formats. */
#include "harness.h"
#include "wedge/wedge.h"

static void fmt(const wdg_symbols *s, uint32_t a, char *out) { wdg_symbols_format(s, a, out, 128); }

void test_symbols(void)
{
    wdg_error err = {0};
    wdg_symbols *s;
    char out[128];
    const char *format;

    CHECK_INT(wdg_symbols_new(&s, &err), 0);
    const char *plain = "# audio\n824D21F0 sub_824D21F0\n0x824AB158 NtReleaseWrapper 0x20\n"
                        "garbage line\n824D2878 AudioWorkerA 0x100\n";
    CHECK_INT(wdg_symbols_load(s, t_tempfile(plain, strlen(plain)), &format, &err), 0);
    CHECK_STR(format, "plain");
    CHECK_INT(wdg_symbols_count(s), 3);
    fmt(s, 0x824D229C, out);
    CHECK_STR(out, "sub_824D21F0+0xAC");
    fmt(s, 0x824AB168, out);
    CHECK_STR(out, "NtReleaseWrapper+0x10");
    fmt(s, 0x824AB178, out);   /* past the sized function */
    CHECK_STR(out, "0x824AB178");
    fmt(s, 0x82000000, out);   /* before every function */
    CHECK_STR(out, "0x82000000");
    fmt(s, 0x824D2878, out);
    CHECK_STR(out, "AudioWorkerA");
    fmt(s, 0x824D2980, out);   /* sized 0x100: outside */
    CHECK_STR(out, "0x824D2980");
    wdg_symbols_free(s);

    /* a function without a size extends to the next one */
    wdg_symbols_new(&s, &err);
    const char *dtk = "fn_82000000 = .text:0x82000000; // type:function size:0x10\n"
                      "lbl_82000100 = .data:0x82000100; // type:object size:0x4\n"
                      "AudioDispatch = .text:0x824D21F0; // type:function\n"
                      "Next = .text:0x824D2300; // type:function size:0x20 scope:global\n";
    CHECK_INT(wdg_symbols_load(s, t_tempfile(dtk, strlen(dtk)), &format, &err), 0);
    CHECK_STR(format, "decomp-toolkit");
    CHECK_INT(wdg_symbols_count(s), 3);
    fmt(s, 0x824D229C, out);
    CHECK_STR(out, "AudioDispatch+0xAC");
    fmt(s, 0x824D2304, out);
    CHECK_STR(out, "Next+0x4");
    fmt(s, 0x82000104, out);   /* the data symbol named nothing */
    CHECK_STR(out, "0x82000104");
    wdg_symbols_free(s);

    wdg_symbols_new(&s, &err);
    const char *map =
        " game\n\n Timestamp is 4a0b0c0d\n\n"
        "  Address         Publics by Value              Rva+Base       Lib:Object\n\n"
        " 0000:00000000       ___safe_se_handler_count   00000000     <absolute>\n"
        " 0001:00000000       ?AudioInit@@YAXXZ          824D2C08 f   audio.obj\n"
        " 0001:00000100       _AudioDispatch             824D21F0 f   audio.obj\n\n"
        " entry point at        0001:00000000\n";
    CHECK_INT(wdg_symbols_load(s, t_tempfile(map, strlen(map)), &format, &err), 0);
    CHECK_STR(format, "msvc-map");
    fmt(s, 0x824D229C, out);
    CHECK_STR(out, "_AudioDispatch+0xAC");
    fmt(s, 0x824D2C10, out);
    CHECK_STR(out, "?AudioInit@@YAXXZ+0x8");
    wdg_symbols_free(s);

    wdg_symbols_new(&s, &err);
    const char *toml = "[main]\nfile_path = \"default.xex\"\n"
                       "functions = [{ address = 0x824E7EF0, size = 0x98 },\n"
                       "  { address = 0x824D21F0, size = 0x100 }, {address=0x82000000}]\n";
    CHECK_INT(wdg_symbols_load(s, t_tempfile(toml, strlen(toml)), &format, &err), 0);
    CHECK_STR(format, "xenonrecomp-toml");
    CHECK_INT(wdg_symbols_count(s), 3);
    fmt(s, 0x824E7F00, out);
    CHECK_STR(out, "sub_824E7EF0+0x10");
    fmt(s, 0x824D229C, out);
    CHECK_STR(out, "sub_824D21F0+0xAC");
    fmt(s, 0x824E7F88, out);
    CHECK_STR(out, "0x824E7F88");
    /* a second file: the first loaded wins at the same address */
    const char *more = "824D21F0 LaterName\n824F0000 Extra\n";
    CHECK_INT(wdg_symbols_load(s, t_tempfile(more, strlen(more)), NULL, &err), 0);
    fmt(s, 0x824D21F4, out);
    CHECK_STR(out, "sub_824D21F0+0x4");
    fmt(s, 0x824F0004, out);
    CHECK_STR(out, "Extra+0x4");
    /* files with no symbol, or none at all */
    CHECK_INT(wdg_symbols_load(s, t_tempfile("nothing here\n", 13), NULL, &err), WDG_EINPUT);
    CHECK(strstr(err.msg, "no symbols") != NULL);
    CHECK_INT(wdg_symbols_load(s, "/nonexistent.map", NULL, &err), WDG_EINPUT);
    wdg_symbols_free(s);
    CHECK_INT(wdg_symbols_format(NULL, 0x10, out, sizeof out), 0);
    CHECK_STR(out, "0x00000010");

    /* per module: a file's addresses are offsets in its module, found
     * only through that module's sites once bound to a site table */
    wdg_sites *sites;
    CHECK_INT(wdg_sites_new(&sites), 0);
    wdg_symbols_new(&s, &err);
    const char *mod = "1C400 fa 100\n200 fb\n";
    CHECK_INT(wdg_symbols_load_module(s, "libx.so", t_tempfile(mod, strlen(mod)), &format, &err), 0);
    CHECK_INT(wdg_symbols_load(s, t_tempfile("10 absfn\n", 9), NULL, &err), 0);
    wdg_addr a, b;
    CHECK_INT(wdg_sites_module(sites, "libx.so", 7, 0x1C4CE, &a), 0);
    CHECK_INT(wdg_symbols_format(s, a, out, sizeof out), 0);   /* not bound yet */
    CHECK_INT(wdg_symbols_bind(s, sites, &err), 0);
    CHECK_INT(wdg_symbols_format(s, a, out, sizeof out), 1);
    CHECK_STR(out, "fa+0xCE");
    CHECK_INT(wdg_symbols_format(s, 0x1C4CE, out, sizeof out), 1);   /* the absolute file's */
    CHECK_STR(out, "absfn+0x1C4BE");
    CHECK_INT(wdg_sites_module(sites, "liby.so", 7, 0x1C4CE, &b), 0);
    CHECK_INT(wdg_symbols_format(s, b, out, sizeof out), 0);
    CHECK_STR(out, "liby.so+0x1C4CE");
    CHECK_INT(wdg_sites_module(sites, "libx.so", 7, 0x1C500, &b), 0);   /* past fa's 0x100 bytes */
    CHECK_INT(wdg_symbols_format(s, b, out, sizeof out), 0);
    CHECK_STR(out, "libx.so+0x1C500");
    const char *name;
    wdg_addr start;
    CHECK_INT(wdg_symbols_lookup(s, a, &name, &start), 1);
    CHECK(strcmp(name, "fa") == 0 && wdg_addr_is_site(start));
    CHECK_INT(wdg_symbols_find(s, "fb", &start), 1);
    CHECK_INT(wdg_symbols_format(s, start, out, sizeof out), 1);
    CHECK_STR(out, "fb");
    wdg_symbols_free(s);

    /* ELF files, 64- and 32-bit (fuzz/corpus: fa of a shared object), the
     * module named by the file; a cut one is refused */
    static const char *const elfs[] = {"fuzz/corpus/elf64.so", "fuzz/corpus/elf32.so"};
    for (int i = 0; i < 2; i++) {
        wdg_symbols_new(&s, &err);
        CHECK_INT(wdg_symbols_load_module(s, NULL, elfs[i], &format, &err), 0);
        CHECK_STR(format, "elf");
        CHECK_INT(wdg_symbols_bind(s, sites, &err), 0);
        const char *m = NULL;
        uint64_t off = 0;
        CHECK_INT(wdg_symbols_find(s, "fa", &start), 1);
        CHECK_INT(wdg_sites_get(sites, start, &m, &off), 0);
        CHECK(m && strcmp(m, i ? "elf32.so" : "elf64.so") == 0 && off > 0);
        CHECK_INT(wdg_sites_module(sites, m ? m : "?", m ? strlen(m) : 1, off + 4, &a), 0);
        CHECK_INT(wdg_symbols_format(s, a, out, sizeof out), 1);
        CHECK_STR(out, "fa+0x4");
        wdg_symbols_free(s);
    }
    wdg_symbols_new(&s, &err);
    CHECK_INT(wdg_symbols_load(s, "fuzz/corpus/elf64-cut.so", &format, &err), WDG_EINPUT);
    CHECK(strstr(err.msg, "elf64-cut.so") != NULL || strstr(err.file, "elf64-cut.so") != NULL);
    /* bytes that only start like ELF */
    CHECK_INT(wdg_symbols_load(s, t_tempfile("\177ELF\002\001\001", 7), &format, &err), WDG_EINPUT);
    wdg_symbols_free(s);
    wdg_sites_free(sites);
}
