# demux - build, demo and tests. `make` builds ./demux; `make test` runs every
# test twice: a normal build and one under AddressSanitizer + UBSan.

PKGS     := libpcap jansson ncursesw
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wpedantic
SAN     ?= 0
ifeq ($(SAN),1)
  BUILD    ?= build/san
  SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
else
  BUILD    ?= build/release
  SANFLAGS :=
endif
ALL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -Idecode -Iviewer -MMD -MP
ALL_LDFLAGS := $(SANFLAGS) $(LDFLAGS)

# The library: decode/ and its folders, one per layer of the stack.
LIB_SRC  := $(sort $(wildcard decode/*.c decode/*/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libdemux.a
# The viewer: the lesson engine and the ncurses program as libraries (so
# their unit tests link only what they test), and the command line.
LESSON_SRC := $(sort $(wildcard viewer/lesson/*.c))
LESSON_LIB := $(BUILD)/libvw_lesson.a
TUI_SRC  := $(sort $(wildcard viewer/tui/*.c))
TUI_LIB  := $(BUILD)/libvw_tui.a
CLI_SRC  := $(sort $(wildcard viewer/cli/*.c))
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
VIEWER_OBJ := $(CLI_OBJ) $(LESSON_SRC:%.c=$(BUILD)/%.o) $(TUI_SRC:%.c=$(BUILD)/%.o)
GEN_SRC  := $(sort $(wildcard traces/*.c))
GEN_OBJ  := $(GEN_SRC:%.c=$(BUILD)/%.o)
# Unit tests mirror the source tree: tests/unit/decode/net/test_arp.c tests
# decode/net/, and builds as $(BUILD)/tests/decode/net/test_arp.
UNIT_SRC := $(sort $(wildcard tests/unit/*/test_*.c tests/unit/*/*/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Helpers every unit test may use (tests/unit/support.h).
UNIT_SUPPORT := $(sort $(wildcard tests/unit/support*.c))

DEMUX    := $(BUILD)/demux
TRACEGEN := $(BUILD)/tracegen

.PHONY: all demo test check check-layers golden-update docs-figures deps deps-test bench bench-live coverage clean

all: demux $(TRACEGEN)

# The normal build also leaves ./demux at the top, for people to run.
demux: $(BUILD)/demux
	@if [ "$(SAN)" = 0 ]; then cp $< $@; fi

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(LESSON_LIB): $(LESSON_SRC:%.c=$(BUILD)/%.o)
	@rm -f $@
	$(AR) rcs $@ $^

$(TUI_LIB): $(TUI_SRC:%.c=$(BUILD)/%.o)
	@rm -f $@
	$(AR) rcs $@ $^

$(DEMUX): $(CLI_OBJ) $(TUI_LIB) $(LESSON_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(TUI_LIB) $(LESSON_LIB) $(LIB) $(PKG_LIBS)

$(TRACEGEN): $(GEN_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

UNIT_CC = @mkdir -p $(dir $@); \
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(UNIT_SUPPORT) $(filter %.a,$^) $(ALL_LDFLAGS) $(PKG_LIBS) -lcmocka
UNIT_DEPS := $(UNIT_SUPPORT) $(wildcard tests/unit/*.h)

$(BUILD)/tests/decode/%: tests/unit/decode/%.c $(UNIT_DEPS) $(LIB)
	$(UNIT_CC)
$(BUILD)/tests/viewer/lesson/%: tests/unit/viewer/lesson/%.c $(UNIT_DEPS) $(LESSON_LIB) $(LIB)
	$(UNIT_CC)
$(BUILD)/tests/viewer/tui/%: tests/unit/viewer/tui/%.c $(UNIT_DEPS) $(TUI_LIB) $(LESSON_LIB) $(LIB)
	$(UNIT_CC)

# ---- set-up ------------------------------------------------------------------
deps:
	@sh .ci/deps build
deps-test:
	@sh .ci/deps test

# ---- demo --------------------------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory all
	./demux traces/telnet-handshake.pcap

# ---- tests -------------------------------------------------------------------
test: deps-test
	@$(MAKE) --no-print-directory check
	@$(MAKE) --no-print-directory check SAN=1

check: check-layers $(DEMUX) $(TRACEGEN) $(UNIT_BIN)
	@echo "== tests of $(BUILD)"
	@sh tests/run-all.sh $(BUILD) $(UNIT_BIN)

# Rewrite the expected outputs after a deliberate change; review the diff.
golden-update: $(DEMUX)
	@sh tests/golden.sh --update $(DEMUX)

# The README's figures (lessons/docs/figures/), drawn again by demux figure.
docs-figures: $(DEMUX)
	@sh lessons/docs/figures/regenerate.sh $(DEMUX)

# The source tree keeps the layering the README draws (tests/check-layers.sh).
check-layers:
	@sh tests/check-layers.sh

bench: all
	@sh tests/bench.sh

# Packets a second a live capture keeps up with on lo (root; not part of test).
bench-live: all
	@sh tests/bench_live.sh

# Line coverage of the library by the whole test suite (gcov).
coverage:
	@sh tests/coverage.sh

# ---- fuzzing (libFuzzer) ----------------------------------------------------
# `make fuzz FUZZ_SECONDS=N` builds each harness tests/fuzz/fuzz_NAME.c with
# clang and libFuzzer (ASan + UBSan) against the library compiled apart in
# build/fuzz/, and runs each for N seconds on tests/fuzz/corpus/NAME
# (tests/fuzz/run.sh; FUZZ_MERGE=1 merges new inputs into the corpus).
# `make check` also replays the corpus and every past crash
# (tests/fuzz/crashes/NAME) through tests/fuzz/replay.c, built with $(CC) in
# this build, so no clang is needed for it (tests/suites/fuzz_replay.sh).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build/fuzz
FUZZ_CFLAGS  := -std=c11 -D_DEFAULT_SOURCE $(WARN) -O1 -g -fno-omit-frame-pointer \
                -fsanitize=address,undefined -fno-sanitize-recover=undefined \
                $(PKG_CFLAGS) -Idecode -Iviewer -MMD -MP
FUZZ_SRC     := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES   := $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_BIN     := $(FUZZ_NAMES:%=$(FUZZ_BUILD)/%)
FUZZ_LIB_OBJ := $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
REPLAY_BIN   := $(FUZZ_NAMES:%=$(BUILD)/fuzz-replay/%)

.PHONY: fuzz fuzz-build
# Pattern rules would delete these as intermediate files: keep them.
.SECONDARY: $(FUZZ_LIB_OBJ) $(FUZZ_BUILD)/viewer/lesson/lesson.o

$(FUZZ_BUILD)/decode/%.o: decode/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/viewer/%.o: viewer/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iviewer -fsanitize=fuzzer -o $@ $< $(filter %.o,$^) $(PKG_LIBS)

# The lesson parser lives with the viewer: its harness links it in.
$(FUZZ_BUILD)/fuzz_lesson: $(FUZZ_BUILD)/viewer/lesson/lesson.o

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

# The replay drivers: a harness and replay.c's main(), no libFuzzer.
$(BUILD)/fuzz-replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iviewer -o $@ $(filter %.c %.o,$^) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/fuzz-replay/fuzz_lesson: $(BUILD)/viewer/lesson/lesson.o

check: $(REPLAY_BIN)

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_BUILD)/viewer/lesson/lesson.d

clean:
	rm -rf build demux

-include $(LIB_OBJ:.o=.d) $(VIEWER_OBJ:.o=.d) $(GEN_OBJ:.o=.d) $(UNIT_BIN:=.d)
