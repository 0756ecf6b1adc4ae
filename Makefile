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
ALL_CFLAGS := -std=c11 -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -Idecode -MMD -MP
ALL_LDFLAGS := $(SANFLAGS) $(LDFLAGS)

LIB_SRC  := $(sort $(wildcard decode/*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libdemux.a
CLI_SRC  := $(sort $(wildcard viewer/*.c))
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
GEN_SRC  := $(sort $(wildcard traces/*.c))
GEN_OBJ  := $(GEN_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# Helpers every unit test may use (tests/unit/support.h).
UNIT_SUPPORT := $(sort $(wildcard tests/unit/support*.c))

DEMUX    := $(BUILD)/demux
TRACEGEN := $(BUILD)/tracegen

.PHONY: all demo test check golden-update deps deps-test bench coverage clean

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

$(DEMUX): $(CLI_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(PKG_LIBS)

$(TRACEGEN): $(GEN_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(UNIT_SUPPORT) $(wildcard tests/unit/*.h) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $< $(UNIT_SUPPORT) $(LIB) $(ALL_LDFLAGS) $(PKG_LIBS) -lcmocka

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

check: $(DEMUX) $(TRACEGEN) $(UNIT_BIN)
	@echo "== tests of $(BUILD)"
	@sh tests/run-all.sh $(BUILD) $(UNIT_BIN)

# Rewrite the expected outputs after a deliberate change; review the diff.
golden-update: $(DEMUX)
	@sh tests/golden.sh --update $(DEMUX)

bench: all
	@sh tests/bench.sh

# Line coverage of the library by the whole test suite (gcov).
coverage:
	@sh tests/coverage.sh

clean:
	rm -rf build demux

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(GEN_OBJ:.o=.d) $(UNIT_BIN:=.d)
