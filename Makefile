# wedge - GNU Makefile.  `make` builds build/wedge and the library
# (build/libwedge.a, build/libwedge.so); `make test` runs every test plain and
# under ASan+UBSan; `make demo` runs wedge on an example; `make install`
# installs (PREFIX=/usr/local, DESTDIR).  Only `make test` and `make demo`
# install missing Debian packages (scripts/install-deps.sh); plain `make`
# only says what is missing.  CFLAGS, CPPFLAGS and LDFLAGS are appended;
# WERROR=1 makes every warning an error (CI, .ci/run).

CC ?= cc
BUILD ?= build
PKGS := zlib libzstd
OPT ?= -O2 -g
STD := -std=c11 -Wall -Wextra -Wpedantic -D_POSIX_C_SOURCE=200809L
# CI builds with WERROR=1; a user's newer compiler may warn, so not by default
STD += $(if $(filter 1,$(WERROR)),-Werror)
SAN := -O1 -g -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer

# pkg-config is asked when a recipe runs, after scripts/install-deps.sh.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
# -pthread: the trace writer (src/writer/) runs a flusher thread
ALL_CFLAGS = $(STD) $(OPT) $(EXTRA_CFLAGS) -pthread -Iinclude $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(OPT) $(EXTRA_CFLAGS) -pthread $(CFLAGS) $(LDFLAGS)

# the release, from include/wedge/api.h; the shared library's soname
# carries MAJOR
VERSION_PART = $(shell sed -n 's/^\#define WDG_VERSION_$(1) \([0-9]*\)$$/\1/p' include/wedge/api.h)
MAJOR := $(call VERSION_PART,MAJOR)
VERSION := $(MAJOR).$(call VERSION_PART,MINOR).$(call VERSION_PART,PATCH)

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

LIB_SRC := $(sort $(wildcard src/base/*.c src/input/*.c src/model/*.c src/formats/*.c \
                             src/analysis/*.c src/output/*.c src/writer/*.c))
# the simulator: its own static library, used by the command and the tests
SIM_SRC := $(sort $(wildcard src/sim/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
HEADERS := $(wildcard include/wedge/*.h src/*/*.h tests/unit/*.h)

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
SIM_OBJ := $(SIM_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)

DEPS_STAMP := $(BUILD)/.deps-ok
# what compiling needs (zlib, libzstd, pkg-config), checked, never installed
BUILD_DEPS_STAMP := $(BUILD)/.build-deps-ok
# the test builds use every core, unless make was given its own -j
NPROC := $(shell nproc 2>/dev/null || echo 2)
JOBS = $(if $(findstring -j,$(MAKEFLAGS)),,-j$(NPROC))

.PHONY: all lib install deps check-layers test test-plain test-asan test-long sweep coverage demo screenshot example bench bench-shapes fuzz check-memory clean
all: $(BUILD)/wedge lib $(BUILD)/libwedge-record.so
lib: $(BUILD)/libwedge.a $(BUILD)/libwedge.so

$(DEPS_STAMP): scripts/install-deps.sh
	@sh scripts/install-deps.sh
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS_STAMP)

$(BUILD_DEPS_STAMP):
	@command -v pkg-config >/dev/null 2>&1 && pkg-config --exists $(PKGS) || { \
	    echo "wedge: pkg-config, zlib or libzstd (Debian: pkg-config zlib1g-dev libzstd-dev) is missing;" >&2; \
	    echo "wedge: 'make deps' (or 'make test', 'make demo') installs them" >&2; exit 1; }
	@mkdir -p $(BUILD) && touch $@

# the library's objects: position-independent (for the shared library) and
# hidden unless WDG_API marks them, so libwedge.so exports only wdg_ names
$(LIB_OBJ) $(SIM_OBJ): ALL_CFLAGS += -fPIC -fvisibility=hidden

$(BUILD)/obj/%.o: %.c $(HEADERS) | $(BUILD_DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

# wedge record looks for libwedge-record.so in the install's libdir too
$(BUILD)/obj/src/cli/cmd_record.o: ALL_CFLAGS += -DWDG_RECORD_LIBDIR='"$(LIBDIR)"'

$(BUILD)/libwedge.a: $(LIB_OBJ)
	@rm -f $@
	@echo "  AR    $@"
	@ar rcs $@ $^

$(BUILD)/libwedge-sim.a: $(SIM_OBJ)
	@rm -f $@
	@echo "  AR    $@"
	@ar rcs $@ $^

$(BUILD)/libwedge.so.$(VERSION): $(LIB_OBJ)
	@echo "  LINK  $@"
	@$(CC) -shared -Wl,-soname,libwedge.so.$(MAJOR) -Wl,-z,defs $(ALL_LDFLAGS) -o $@ \
		$(LIB_OBJ) $(PKG_LIBS)

$(BUILD)/libwedge.so: $(BUILD)/libwedge.so.$(VERSION)
	@ln -sf libwedge.so.$(VERSION) $(BUILD)/libwedge.so.$(MAJOR)
	@ln -sf libwedge.so.$(VERSION) $@

# wedge.pc names PREFIX and LIBDIR, so every install writes it anew
install: all
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@PKGS@|$(PKGS)|' wedge.pc.in >$(BUILD)/wedge.pc
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/wedge \
		$(DESTDIR)$(PKGCONFIGDIR)
	install -m 755 $(BUILD)/wedge $(DESTDIR)$(BINDIR)/wedge
	install -m 644 $(BUILD)/libwedge.a $(DESTDIR)$(LIBDIR)/libwedge.a
	install -m 755 $(BUILD)/libwedge.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libwedge.so.$(VERSION)
	install -m 755 $(BUILD)/libwedge-record.so $(DESTDIR)$(LIBDIR)/libwedge-record.so
	ln -sf libwedge.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libwedge.so.$(MAJOR)
	ln -sf libwedge.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libwedge.so
	install -m 644 include/wedge/*.h $(DESTDIR)$(INCLUDEDIR)/wedge/
	install -m 644 $(BUILD)/wedge.pc $(DESTDIR)$(PKGCONFIGDIR)/wedge.pc

$(BUILD)/wedge: $(CLI_OBJ) $(BUILD)/libwedge-sim.a $(BUILD)/libwedge.a
	@echo "  LINK  $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libwedge-sim.a $(BUILD)/libwedge.a $(PKG_LIBS)

$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/libwedge-sim.a $(BUILD)/libwedge.a
	@echo "  LINK  $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(BUILD)/libwedge-sim.a $(BUILD)/libwedge.a $(PKG_LIBS)

# wedge with an allocation-failure injector (tests/alloc/): the test build
# that proves every failed allocation ends in exit 71 or changes nothing.
WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup
$(BUILD)/wedge-failalloc: $(CLI_OBJ) $(BUILD)/obj/tests/alloc/failalloc.o $(BUILD)/libwedge-sim.a \
		$(BUILD)/libwedge.a
	@echo "  LINK  $@"
	@$(CC) $(ALL_LDFLAGS) $(WRAP) -o $@ $(CLI_OBJ) $(BUILD)/obj/tests/alloc/failalloc.o \
		$(BUILD)/libwedge-sim.a $(BUILD)/libwedge.a $(PKG_LIBS)

# two reports built at once in two threads (tests/threads/)
$(BUILD)/obj/tests/threads/report_threads.o: ALL_CFLAGS += -pthread
$(BUILD)/report-threads: $(BUILD)/obj/tests/threads/report_threads.o $(BUILD)/libwedge.a
	@echo "  LINK  $@"
	@$(CC) $(ALL_LDFLAGS) -pthread -o $@ $< $(BUILD)/libwedge.a $(PKG_LIBS)

# a host program in a ',' decimal-point locale (tests/e2e/locale.sh)
$(BUILD)/locale-json: $(BUILD)/obj/tests/locale/locale_json.o $(BUILD)/libwedge-sim.a $(BUILD)/libwedge.a
	@echo "  LINK  $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libwedge-sim.a $(BUILD)/libwedge.a $(PKG_LIBS)

# the trace writer's example engine (examples/engine/) and its benchmark
$(BUILD)/example-engine: $(BUILD)/obj/examples/engine/engine.o $(BUILD)/libwedge.a
	@echo "  LINK  $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libwedge.a $(PKG_LIBS)

# wedge record's LD_PRELOAD library (src/record/): the writer and the
# base files it uses compiled again, position-independent and never with
# sanitizers (OPT of this build dropped: a preloaded ASan runtime would
# have to come first in every recorded program); exports.map leaves only
# the interposed calls exported
REC_OWN := $(sort $(wildcard src/record/*.c))
REC_SRC := src/writer/writer.c src/writer/wline.c src/base/error.c src/base/buf.c src/base/grow.c \
	src/base/utf8.c
REC_CFLAGS = $(STD) -O2 -g -fPIC -fvisibility=hidden -fno-omit-frame-pointer -pthread -Iinclude \
	$(PKG_CFLAGS) $(CPPFLAGS)
# the layer's own objects where check-layers looks (BUILD/obj/src/record/)
REC_OWN_OBJ := $(REC_OWN:%.c=$(BUILD)/obj/%.o)
$(REC_OWN_OBJ): ALL_CFLAGS = $(REC_CFLAGS)
$(REC_OWN_OBJ): src/record/rec.h
REC_OBJ := $(REC_OWN_OBJ) $(REC_SRC:%.c=$(BUILD)/obj-record/%.o)
$(BUILD)/obj-record/%.o: %.c $(HEADERS) | $(BUILD_DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC    $< (record)"
	@$(CC) $(REC_CFLAGS) -c $< -o $@

$(BUILD)/libwedge-record.so: $(REC_OBJ) src/record/exports.map
	@echo "  LINK  $@"
	@$(CC) -shared -Wl,-z,defs -Wl,--version-script=src/record/exports.map -pthread -o $@ \
		$(REC_OBJ) $(PKG_LIBS) -ldl

# tests/e2e/record.sh's small programs, also without sanitizers
$(BUILD)/record-progs: tests/record/progs.c | $(BUILD_DEPS_STAMP)
	@echo "  LINK  $@"
	@$(CC) $(STD) -O1 -g -pthread -o $@ $<

$(BUILD)/bench-writer: bench/bench_writer.c $(BUILD)/libwedge.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libwedge.a $(PKG_LIBS)

$(BUILD)/fuzz-replay: fuzz/replay.c fuzz/fuzz_reader.c fuzz/fuzz_files.h $(BUILD)/libwedge.a | $(BUILD_DEPS_STAMP)
	@echo "  LINK  $@"
	@$(CC) $(ALL_CFLAGS) -o $@ fuzz/replay.c fuzz/fuzz_reader.c $(BUILD)/libwedge.a $(PKG_LIBS)

# the other fuzz targets, one replay binary each (fuzz/corpus-NAME)
$(BUILD)/fuzz-replay-%: fuzz/replay.c fuzz/fuzz_%.c fuzz/fuzz_files.h $(BUILD)/libwedge.a | $(BUILD_DEPS_STAMP)
	@echo "  LINK  $@"
	@$(CC) $(ALL_CFLAGS) -o $@ fuzz/replay.c fuzz/fuzz_$*.c $(BUILD)/libwedge.a $(PKG_LIBS)

$(BUILD)/bench-diff: bench/bench_diff.c $(BUILD)/libwedge.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libwedge.a $(PKG_LIBS)

$(BUILD)/bench-read: bench/bench_read.c $(BUILD)/libwedge.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libwedge.a $(PKG_LIBS)

$(BUILD)/bench-time: bench/bench_time.c | $(BUILD_DEPS_STAMP)
	$(CC) $(ALL_CFLAGS) -o $@ $<

# One build for each flavour; the test runner sums both into one line.
test-plain: deps
	@$(MAKE) --no-print-directory $(JOBS) BUILD=build build/wedge build/unit-tests build/fuzz-replay \
		build/libwedge.so \
		build/wedge-failalloc build/fuzz-replay-options build/fuzz-replay-transport build/locale-json \
		build/report-threads build/example-engine build/libwedge-record.so build/record-progs

test-asan: deps
	@$(MAKE) --no-print-directory $(JOBS) BUILD=build-asan OPT="$(SAN)" build-asan/wedge build-asan/unit-tests build-asan/fuzz-replay \
		build-asan/wedge-failalloc build-asan/fuzz-replay-options build-asan/fuzz-replay-transport \
		build-asan/locale-json build-asan/report-threads build-asan/example-engine \
		build-asan/libwedge-record.so build-asan/record-progs

test: test-plain test-asan
	@sh tests/run.sh build build-asan

# the long simulator sweep: every scenario over 20 seeds (5 under ASan);
# `make sweep` is its older name
test-long: test-plain test-asan
	@WEDGE_SWEEP=1 sh tests/run.sh build build-asan

sweep: test-long

# layers only call downward (HACKING.md): nm on the objects, and the
# includes; also run by make test (tests/layers/)
check-layers: all
	@sh scripts/check-layers.sh $(BUILD)

# line coverage of the plain suites (gcc and its gcov): per layer, and the
# 20 least-covered functions (scripts/coverage.sh).  Not part of make test.
COV := build-cov
coverage: deps
	@sh scripts/install-deps.sh gcov
	@$(MAKE) --no-print-directory $(JOBS) CC=gcc BUILD=$(COV) OPT="-O0 -g --coverage" \
		$(COV)/wedge $(COV)/unit-tests $(COV)/fuzz-replay $(COV)/wedge-failalloc \
		$(COV)/fuzz-replay-options $(COV)/fuzz-replay-transport $(COV)/locale-json \
		$(COV)/report-threads \
		$(COV)/example-engine
	@find $(COV) -name '*.gcda' -delete
	@sh tests/run.sh $(COV); rc=$$?; sh scripts/coverage.sh $(COV) && exit $$rc

demo: deps
	@$(MAKE) --no-print-directory $(BUILD)/wedge
	@$(BUILD)/wedge demo

# docs/img/report.png, the README's picture of report.html: the demo's page
# as tests/html/run.sh screenshots it in headless chromium
screenshot: deps
	@$(MAKE) --no-print-directory $(BUILD)/wedge
	@mkdir -p docs/img
	@WEDGE_SCREENSHOT=docs/img/report.png sh tests/html/run.sh $(BUILD)

example: $(BUILD)/wedge
	@sh examples/demo.sh $(BUILD)/wedge

# BENCH_SIZE=1G for the issue's 1 GB inputs (cached in BENCH_DIR)
BENCH_SIZE ?= 100M
bench: $(BUILD)/wedge $(BUILD)/bench-writer $(BUILD)/bench-time
	@BENCH_SIZE=$(BENCH_SIZE) sh bench/run.sh $(BUILD)

# issue 15's six input shapes, each against its figure in bench/shapes.expected
bench-shapes: $(BUILD)/wedge
	@sh bench/shapes.sh $(BUILD)

fuzz: deps
	@sh fuzz/build.sh

# valgrind memcheck of the unit tests and a few runs, on a build without
# sanitizers (valgrind is installed for this target only)
check-memory: deps
	@sh scripts/install-deps.sh valgrind
	@$(MAKE) --no-print-directory $(JOBS) BUILD=build-memcheck OPT="-O1 -g" build-memcheck/wedge \
	    build-memcheck/unit-tests
	@sh tests/memcheck.sh build-memcheck

clean:
	rm -rf build build-asan build-fuzz build-memcheck build-cov build-clang
