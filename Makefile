# wedge - GNU Makefile.  `make` builds build/wedge; `make test` runs every
# test plain and under ASan+UBSan; `make demo` runs wedge on an example.

CC ?= cc
BUILD ?= build
PKGS := zlib libzstd
OPT ?= -O2 -g
STD := -std=c11 -Wall -Wextra -Wpedantic -D_POSIX_C_SOURCE=200809L
SAN := -O1 -g -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer

# pkg-config is asked when a recipe runs, after scripts/install-deps.sh.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS = $(shell pkg-config --libs $(PKGS))
ALL_CFLAGS = $(STD) $(OPT) $(EXTRA_CFLAGS) -Iinclude $(PKG_CFLAGS)
ALL_LDFLAGS = $(OPT) $(EXTRA_CFLAGS) $(LDFLAGS)

LIB_SRC := $(sort $(wildcard src/input/*.c src/formats/*.c src/model/*.c \
                             src/analysis/*.c src/output/*.c src/sim/*.c))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
HEADERS := $(wildcard include/wedge/*.h src/*/*.h tests/unit/*.h)

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)

DEPS_STAMP := $(BUILD)/.deps-ok
# the test builds use every core, unless make was given its own -j
NPROC := $(shell nproc 2>/dev/null || echo 2)
JOBS = $(if $(findstring -j,$(MAKEFLAGS)),,-j$(NPROC))

.PHONY: all deps test test-plain test-asan sweep demo example bench fuzz check-memory clean
all: $(BUILD)/wedge

$(DEPS_STAMP): scripts/install-deps.sh
	@sh scripts/install-deps.sh
	@mkdir -p $(BUILD) && touch $@

deps: $(DEPS_STAMP)

$(BUILD)/obj/%.o: %.c $(HEADERS) | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC    $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BUILD)/libwedge.a: $(LIB_OBJ)
	@rm -f $@
	@echo "  AR    $@"
	@ar rcs $@ $^

$(BUILD)/wedge: $(CLI_OBJ) $(BUILD)/libwedge.a
	@echo "  LINK  $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libwedge.a $(PKG_LIBS)

$(BUILD)/unit-tests: $(UNIT_OBJ) $(BUILD)/libwedge.a
	@echo "  LINK  $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $(UNIT_OBJ) $(BUILD)/libwedge.a $(PKG_LIBS)

# wedge with an allocation-failure injector (tests/alloc/): the test build
# that proves every failed allocation ends in exit 71 or changes nothing.
WRAP := -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup
$(BUILD)/wedge-failalloc: $(CLI_OBJ) $(BUILD)/obj/tests/alloc/failalloc.o $(BUILD)/libwedge.a
	@echo "  LINK  $@"
	@$(CC) $(ALL_LDFLAGS) $(WRAP) -o $@ $(CLI_OBJ) $(BUILD)/obj/tests/alloc/failalloc.o \
		$(BUILD)/libwedge.a $(PKG_LIBS)

# a host program in a ',' decimal-point locale (tests/e2e/locale.sh)
$(BUILD)/locale-json: $(BUILD)/obj/tests/locale/locale_json.o $(BUILD)/libwedge.a
	@echo "  LINK  $@"
	@$(CC) $(ALL_LDFLAGS) -o $@ $< $(BUILD)/libwedge.a $(PKG_LIBS)

$(BUILD)/fuzz-replay: fuzz/replay.c fuzz/fuzz_reader.c fuzz/fuzz_files.h $(BUILD)/libwedge.a | $(DEPS_STAMP)
	@echo "  LINK  $@"
	@$(CC) $(ALL_CFLAGS) -o $@ fuzz/replay.c fuzz/fuzz_reader.c $(BUILD)/libwedge.a $(PKG_LIBS)

# the other fuzz targets, one replay binary each (fuzz/corpus-NAME)
$(BUILD)/fuzz-replay-%: fuzz/replay.c fuzz/fuzz_%.c fuzz/fuzz_files.h $(BUILD)/libwedge.a | $(DEPS_STAMP)
	@echo "  LINK  $@"
	@$(CC) $(ALL_CFLAGS) -o $@ fuzz/replay.c fuzz/fuzz_$*.c $(BUILD)/libwedge.a $(PKG_LIBS)

$(BUILD)/bench-diff: bench/bench_diff.c $(BUILD)/libwedge.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libwedge.a $(PKG_LIBS)

$(BUILD)/bench-read: bench/bench_read.c $(BUILD)/libwedge.a
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libwedge.a $(PKG_LIBS)

# One build for each flavour; the test runner sums both into one line.
test-plain: deps
	@$(MAKE) --no-print-directory $(JOBS) BUILD=build build/wedge build/unit-tests build/fuzz-replay \
		build/wedge-failalloc build/fuzz-replay-options build/fuzz-replay-transport build/locale-json

test-asan: deps
	@$(MAKE) --no-print-directory $(JOBS) BUILD=build-asan OPT="$(SAN)" build-asan/wedge build-asan/unit-tests build-asan/fuzz-replay \
		build-asan/wedge-failalloc build-asan/fuzz-replay-options build-asan/fuzz-replay-transport \
		build-asan/locale-json

test: test-plain test-asan
	@sh tests/run.sh build build-asan

# the long simulator sweep: every scenario over 20 seeds (5 under ASan)
sweep: test-plain test-asan
	@WEDGE_SWEEP=1 sh tests/run.sh build build-asan

demo: $(BUILD)/wedge
	@$(BUILD)/wedge demo

example: $(BUILD)/wedge
	@sh examples/demo.sh $(BUILD)/wedge

bench: $(BUILD)/wedge $(BUILD)/bench-read $(BUILD)/bench-diff
	@sh bench/run.sh $(BUILD)

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
	rm -rf build build-asan build-fuzz build-memcheck
