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

# Where `make install` puts things (see "Installing" in README.md). The
# build's own demux looks for installed lessons under DEFAULT_PREFIX; the
# binary install copies is linked apart, with PREFIX compiled in
# (viewer/cli/install_dir.c), so installing elsewhere never changes it.
DEFAULT_PREFIX := /usr/local
PREFIX   ?= $(DEFAULT_PREFIX)
DESTDIR  ?=
$(BUILD)/viewer/cli/install_dir.o: ALL_CFLAGS += -DDEMUX_SHARE_DIR='"$(DEFAULT_PREFIX)/share/demux"'

.PHONY: all demo test check check-layers golden-update deps deps-test bench bench-live coverage clean \
        install uninstall deb docs-figures FORCE

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

# ---- install, uninstall, the Debian package -----------------------------------
# make install [PREFIX=/usr/local] [DESTDIR=]: the program, its manual
# pages (generated from its own tables: viewer/cli/man/), bash and zsh
# completion (viewer/cli/completion/), and the lessons with the traces
# they play, as share/demux/lessons and share/demux/traces so that a
# lesson's ../traces/NAME.pcap still finds its trace. .ci/install.sh
# copies them and keeps a manifest, which make uninstall reads back.
BINDIR      := $(PREFIX)/bin
MANDIR      := $(PREFIX)/share/man
SHAREDIR    := $(PREFIX)/share/demux
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# zsh looks in site-functions under /usr/local; Debian's packages use vendor-completions.
ZSHCOMPDIR  ?= $(if $(filter /usr,$(PREFIX)),/usr/share/zsh/vendor-completions,$(PREFIX)/share/zsh/site-functions)
INST        := $(BUILD)/installed
LESSONS     := $(sort $(wildcard lessons/*.lesson))
LESSON_TRACES := $(sort $(addprefix traces/,$(shell sed -n 's|^trace: *\.\./traces/||p' $(LESSONS))))
MANIFEST    := $(SHAREDIR)/install-manifest
INSTALL_SET := \
    755 $(INST)/demux $(BINDIR)/demux \
    644 $(INST)/demux.1 $(MANDIR)/man1/demux.1 \
    644 $(INST)/demux-lesson.5 $(MANDIR)/man5/demux-lesson.5 \
    644 $(INST)/demux.bash $(BASHCOMPDIR)/demux \
    644 $(INST)/_demux $(ZSHCOMPDIR)/_demux \
    $(foreach f,$(LESSONS),644 $(f) $(SHAREDIR)/lessons/$(notdir $(f))) \
    $(foreach f,$(LESSON_TRACES),644 $(f) $(SHAREDIR)/traces/$(notdir $(f)))

# The PREFIX of the last install from this build, rewritten only when it
# changes: what depends on it is made again then, and only then.
$(INST)/prefix: FORCE
	@mkdir -p $(@D)
	@echo '$(PREFIX)' >$@.new; if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(INST)/install_dir.o: viewer/cli/install_dir.c $(INST)/prefix
	$(CC) $(ALL_CFLAGS) -DDEMUX_SHARE_DIR='"$(SHAREDIR)"' -c $< -o $@

# Linked with full RELRO, as Debian links its packages.
$(INST)/demux: $(filter-out %/install_dir.o,$(CLI_OBJ)) $(INST)/install_dir.o $(TUI_LIB) $(LESSON_LIB) $(LIB)
	$(CC) $(ALL_LDFLAGS) -Wl,-z,relro -Wl,-z,now -o $@ $(filter %.o,$^) $(TUI_LIB) $(LESSON_LIB) $(LIB) $(PKG_LIBS)

$(INST)/demux.1: viewer/cli/man/demux.1.in viewer/cli/man/gen-man.sh $(DEMUX) $(INST)/prefix
	sh viewer/cli/man/gen-man.sh demux.1 $(DEMUX) '$(SHAREDIR)' $@

$(INST)/demux-lesson.5: viewer/cli/man/demux-lesson.5.in viewer/cli/man/gen-man.sh \
        viewer/cli/man/md2roff.awk lessons/README.md $(INST)/prefix
	sh viewer/cli/man/gen-man.sh demux-lesson.5 '$(SHAREDIR)' $@

$(INST)/demux.bash: viewer/cli/completion/demux.bash.in viewer/cli/completion/gen-completion.sh $(DEMUX)
	sh viewer/cli/completion/gen-completion.sh $(DEMUX) $< $@

$(INST)/_demux: viewer/cli/completion/demux.zsh.in viewer/cli/completion/gen-completion.sh $(DEMUX)
	sh viewer/cli/completion/gen-completion.sh $(DEMUX) $< $@

install: $(INST)/demux $(INST)/demux.1 $(INST)/demux-lesson.5 $(INST)/demux.bash $(INST)/_demux
	@sh .ci/install.sh install '$(DESTDIR)' '$(MANIFEST)' $(INSTALL_SET)

uninstall:
	@sh .ci/install.sh uninstall '$(DESTDIR)' '$(MANIFEST)' $(INSTALL_SET)

# make deb: build/demux_VERSION_ARCH.deb, from an install into
# build/deb/root with PREFIX=/usr of the release build (never a sanitized
# one), by .ci/debian/build-deb.sh with dpkg-deb (see there).
DEB_ROOT := build/deb/root
deb:
	@rm -rf $(DEB_ROOT)
	@$(MAKE) --no-print-directory install SAN=0 BUILD=build/release PREFIX=/usr DESTDIR=$(CURDIR)/$(DEB_ROOT) >/dev/null
	@sh .ci/debian/build-deb.sh $(DEB_ROOT) build

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
.SECONDARY: $(FUZZ_LIB_OBJ) $(FUZZ_BUILD)/viewer/lesson/lesson.o $(FUZZ_BUILD)/viewer/lesson/lesson_ask.o $(FUZZ_BUILD)/viewer/lesson/lesson_edit.o

$(FUZZ_BUILD)/decode/%.o: decode/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/viewer/%.o: viewer/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Iviewer -fsanitize=fuzzer -o $@ $< $(filter %.o,$^) $(PKG_LIBS)

# The lesson parser lives with the viewer: its harness links it in.
$(FUZZ_BUILD)/fuzz_lesson: $(FUZZ_BUILD)/viewer/lesson/lesson.o $(FUZZ_BUILD)/viewer/lesson/lesson_ask.o $(FUZZ_BUILD)/viewer/lesson/lesson_edit.o

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

# The replay drivers: a harness and replay.c's main(), no libFuzzer.
$(BUILD)/fuzz-replay/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Iviewer -o $@ $(filter %.c %.o,$^) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS)

$(BUILD)/fuzz-replay/fuzz_lesson: $(BUILD)/viewer/lesson/lesson.o $(BUILD)/viewer/lesson/lesson_ask.o $(BUILD)/viewer/lesson/lesson_edit.o

check: $(REPLAY_BIN)

-include $(FUZZ_LIB_OBJ:.o=.d) $(FUZZ_BUILD)/viewer/lesson/lesson.d $(FUZZ_BUILD)/viewer/lesson/lesson_ask.d $(FUZZ_BUILD)/viewer/lesson/lesson_edit.d

clean:
	rm -rf build demux

-include $(LIB_OBJ:.o=.d) $(VIEWER_OBJ:.o=.d) $(GEN_OBJ:.o=.d) $(UNIT_BIN:=.d) $(INST)/install_dir.d
