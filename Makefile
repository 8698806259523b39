# Settlement engine: one non-recursive Makefile.
#
#   make          install missing build dependencies (as root), build, run the samples
#   make check    build and run every test
#   make fuzz FUZZ=NAME [FUZZ_TIME=600]   a longer libFuzzer run (docs/fuzzing.md)
#   make bench    speed and memory figures (docs/performance.md)
#   make lint     formatting check (clang-format)
#   make check-fresh  the README's set-up on a new Debian 12 root (as root)
#   make check-root   the tests that mount a file system (as root)
#
# Build variables: B (build directory, default build), CFLAGS (default -O3 -flto=auto),
# SAN (extra flags such as -fsanitize=address,undefined), WERROR=1.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
.SUFFIXES:
# Object files built through the pattern rules are kept (not removed as
# intermediate files), so a rebuild compiles only what changed.
.SECONDARY:

B ?= build
CC ?= cc
# -O3 and link-time optimization (the SPEC rules live in lib and are
# called per row from the filters): about 14% fewer instructions for the
# money chain than -O2 (docs/performance.md).  CFLAGS goes to the link too.
CFLAGS ?= -O3 -flto=auto
SAN ?=
WERROR ?=
export LC_ALL := C
export TZ := UTC

WARN := -Wall -Wextra $(if $(WERROR),-Werror)
ALL_CFLAGS := -std=c11 $(WARN) -D_GNU_SOURCE -pthread -Ilib $(CFLAGS) $(SAN) -MMD -MP
ALL_LDFLAGS := -pthread $(CFLAGS) $(SAN) $(LDFLAGS)

FILTERS := normalize-orders apply-take-rate split-by-entity build-invoices net-payouts render-xlsx \
	fetch-raw \
	reconcile \
	billing-calls \
	reprice \
	pick-lines
BIN := $(FILTERS:%=$(B)/bin/%)

LIB_SRC := $(wildcard lib/*.c lib/rules/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o)
LIB := $(B)/libsettle.a

# ---------------------------------------------------------------- dependencies
# Debian 12 packages, checked with dpkg-query.  As root, missing ones are
# installed with apt-get; otherwise make stops with the command to run.
#
#   $(call deb_deps,WHAT,PACKAGES,APT_OPTIONS)
#
# A package counts as present when dpkg's state for it is exactly
# "installed" (not unpacked, half-configured or removed with its
# configuration left).
define deb_deps
missing=""; \
for p in $(2); do \
  [ "$$(dpkg-query -W -f='$${db:Status-Status}' $$p 2>/dev/null)" = installed ] || missing="$$missing $$p"; \
done; \
if [ -n "$$missing" ]; then \
  if [ "$$(id -u)" = 0 ]; then \
    echo "make: installing $(1) dependencies:$$missing"; \
    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(3) $$missing; \
  else \
    echo "make: missing $(1) dependencies:$$missing"; \
    echo "make: run: sudo apt-get update && sudo apt-get install -y $(3)$$missing"; \
    exit 1; \
  fi; \
fi
endef
# Run through sudo, the build directory and a stamp are given back to the
# invoking user, so that `sudo make deps` then `make` works.
give_back = if [ -n "$${SUDO_UID:-}" ]; then chown "$$SUDO_UID:$${SUDO_GID:-$$SUDO_UID}" $(B) $@; fi

# What the build needs.  A bare Debian 12 (debootstrap --variant=minbase)
# has none of it, make included.  Packages are installed without what they
# only recommend, so libc6-dev, which gcc only recommends, is named.
DEB_BUILD_DEPS := gcc libc6-dev make libcsv-dev libxlsxwriter-dev check pkg-config

$(B)/.deps:
	@mkdir -p $(B)
	@$(call deb_deps,build,$(DEB_BUILD_DEPS),--no-install-recommends)
	@touch $@
	@$(give_back)

# What the tests need besides: unzip for the XML parts of workbooks,
# LibreOffice (no GUI) to read workbooks back and print them to PDF,
# poppler-utils (pdfinfo, pdftotext) to read the PDF pages, and clang with
# its runtime libraries (libFuzzer, the sanitizers) for the fuzz harnesses.
# Installed like the above.
DEB_TEST_DEPS := unzip libreoffice-calc-nogui poppler-utils clang libclang-rt-14-dev

$(B)/.test-deps: | $(B)/.deps
	@$(call deb_deps,test,$(DEB_TEST_DEPS),--no-install-recommends)
	@touch $@
	@$(give_back)

.PHONY: deps
deps: $(B)/.deps $(B)/.test-deps

# ---------------------------------------------------------------- build
.PHONY: all build
all: build samples

TOOLS := gen-drop measure periods compare-runs publish fields csv2tsv
TOOL_BIN := $(TOOLS:%=$(B)/bin/%)

build: $(BIN) $(TOOL_BIN)

$(B)/%.o: %.c | $(B)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# A filter is filters/NAME.c, or a folder filters/NAME/ of .c files when
# it is big; render-xlsx links libxlsxwriter, the others libcsv.
filter_src = $(or $(wildcard filters/$(1)/*.c),filters/$(1).c)
define filter_rule
$(B)/bin/$(1): $(patsubst %.c,$(B)/%.o,$(call filter_src,$(1))) $(LIB)
	@mkdir -p $$(@D)
	$$(CC) $$(ALL_LDFLAGS) -o $$@ $$^ $(if $(filter render-xlsx,$(1)),-lxlsxwriter,-lcsv)
endef
$(foreach f,$(FILTERS),$(eval $(call filter_rule,$(f))))

$(B)/bin/gen-drop: $(B)/tools/gen-drop.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lm

$(B)/bin/measure: $(B)/tools/measure.o
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^

$(B)/bin/periods: $(B)/tools/periods.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^

$(B)/bin/compare-runs: $(B)/tools/compare-runs.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^

$(B)/bin/publish: $(B)/tools/publish.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^

$(B)/bin/fields: $(B)/tools/fields.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lcsv

$(B)/bin/csv2tsv: $(B)/tools/csv2tsv.o $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lcsv

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ---------------------------------------------------------------- periods
# make period P=2024-03-2 [IN=in CONFIG=config OUT=out PREV=none|STATE_DIR]
#             [XLSX=0] [SHARDS=N]
# make replay P=... [OUT=out]        run P again and compare every file
# make what-if P=... CONFIG=other    what P would have given with CONFIG
# make scheduled [PREV=none]         the last period ended today (for cron)
# make expected [P=... AS_OF=DATE]   the forecast of the open period as of
#                                    DATE (default: yesterday, UTC; P: the
#                                    period holding DATE) into OUT/expected/P/
# make verify [OUT=out]              every state as its run wrote it
# make xlsx P=... DOC=NO > NO.xlsx    one document's workbook, on demand
# make xlsx P=... MERCHANT=ID DIR=d   all of a merchant's documents of P
# make billing-call PAYOUT=PO-... [OUT=out]   a payout on request's billing
#                                    call again, on stdout
# make reprice P=... CONFIG=new IN=in OUT=out
#                                    the adjustments that bring P's invoices
#                                    to CONFIG's take rates (OUT/reprice/P/)
# See pipelines/run.sh and docs/pipeline.md.
IN ?= in
CONFIG ?= config
OUT ?= out
XLSX ?= 1
SHARDS ?= $(shell nproc)
RUN = BIN=$(B)/bin XLSX=$(XLSX) SHARDS=$(SHARDS) MAKE="$(MAKE)" TODAY="$(TODAY)" pipelines/run.sh

.PHONY: period replay what-if scheduled verify xlsx expected billing-call reprice
period: build
	@$(RUN) period "$(P)" "$(IN)" "$(CONFIG)" "$(OUT)" "$(PREV)"

replay: build
	@$(RUN) replay "$(P)" "$(OUT)"

what-if: build
	@$(RUN) what-if "$(P)" "$(CONFIG)" "$(OUT)"

# make xlsx P=... DOC=NO [OUT=out] > NO.xlsx: one document's workbook;
# make xlsx P=... MERCHANT=ID DIR=dir: all of a merchant's documents of P.
# The build's own lines go to stderr: stdout may be the workbook.
xlsx:
	@$(MAKE) --no-print-directory build >&2
	@if [ -n "$(MERCHANT)" ]; then \
	  $(RUN) xlsx "$(P)" "$(OUT)" --merchant "$(MERCHANT)" "$(or $(DIR),.)"; \
	else \
	  $(RUN) xlsx "$(P)" "$(OUT)" "$(DOC)"; \
	fi

# The period that ended last (TODAY, else today, UTC); PREV=none for the
# first run of a new installation.
scheduled: build
	@$(RUN) period "$$(TODAY="$(TODAY)" $(B)/bin/periods ended)" "$(IN)" "$(CONFIG)" "$(OUT)" "$(PREV)"

verify: build
	@$(RUN) verify "$(OUT)"

# A forecast: by default of the period holding yesterday (TODAY, else
# today, UTC), as of yesterday, whose export is complete (for cron).
expected: build
	@as_of="$(AS_OF)"; [ -n "$$as_of" ] || as_of=$$(TODAY="$(TODAY)" $(B)/bin/periods yesterday); \
	p="$(P)"; [ -n "$$p" ] || p=$$($(B)/bin/periods of "$$as_of"); \
	$(RUN) expected "$$p" "$$as_of" "$(IN)" "$(CONFIG)" "$(OUT)" "$(PREV)"

# The build's own lines go to stderr: stdout is the billing call.
billing-call:
	@$(MAKE) --no-print-directory build >&2
	@$(RUN) billing-call "$(PAYOUT)" "$(OUT)"
reprice: build
	@$(RUN) reprice "$(P)" "$(CONFIG)" "$(IN)" "$(OUT)"

# ---------------------------------------------------------------- samples
# The bundled sample periods, in order, into out/samples/ (the first has no
# state).  They are a demonstration, not issued documents: out/samples/ is
# made afresh each time, so a newer build never meets an older one's
# output.  A period uses the configuration as it was in its month when the
# samples keep one (samples/config-YYYY-MM/), else samples/config/.
SAMPLE_PERIODS = $(sort $(notdir $(wildcard samples/in/*)))

.PHONY: samples
samples: build
	@rm -rf out/samples; first=1; for p in $(SAMPLE_PERIODS); do \
	  cfg=samples/config-$${p%-*}; [ -d $$cfg ] || cfg=samples/config; \
	  $(RUN) period $$p samples/in $$cfg out/samples $$([ $$first = 1 ] && echo none) || exit $$?; \
	  first=0; \
	done

# ---------------------------------------------------------------- tests
CHECK_CFLAGS = $(shell pkg-config --cflags check)
CHECK_LIBS = $(shell pkg-config --libs check)
UNIT_SRC := $(wildcard tests/unit/*.c)
UNIT_OBJ := $(UNIT_SRC:%.c=$(B)/%.o)

$(B)/tests/unit/%.o: tests/unit/%.c | $(B)/.deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) -c -o $@ $<

$(B)/tests/unit-tests: $(UNIT_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lcsv $(CHECK_LIBS)

.PHONY: check check-unit check-golden
check: check-unit check-golden fuzz-smoke

check-unit: $(B)/tests/unit-tests
	$(B)/tests/unit-tests

check-golden: build $(B)/.test-deps
	tests/golden/run.sh $(B)/bin

# ---------------------------------------------------------------- fresh machine
# make check-fresh, as root: a new Debian 12 root (debootstrap --variant=minbase),
# the committed tree copied into it, the README's two set-up commands run in
# it with chroot; both must pass.  See tests/fresh/run.sh.
DEB_FRESH_DEPS := debootstrap gpgv debian-archive-keyring

.PHONY: check-fresh
check-fresh:
	@if [ "$$(id -u)" != 0 ]; then \
	  echo "make: check-fresh needs root (debootstrap, mount, chroot); run: sudo make check-fresh" >&2; exit 2; \
	fi
	@$(call deb_deps,check-fresh,$(DEB_FRESH_DEPS),--no-install-recommends)
	tests/fresh/run.sh

# make check-root, as root: the tests that need to mount (a full disk under
# OUT, on a small tmpfs).  See tests/root/.
.PHONY: check-root
check-root: build
	@if [ "$$(id -u)" != 0 ]; then \
	  echo "make: check-root needs root (it mounts a tmpfs); run: sudo make check-root" >&2; exit 2; \
	fi
	tests/root/full_disk.sh $(B)/bin

# ---------------------------------------------------------------- fuzzing
# One libFuzzer harness per parser, tests/fuzz/NAME.c, built with clang
# into $(FUZZ_B)/bin/NAME against the library compiled again for it
# (coverage, AddressSanitizer, UndefinedBehaviorSanitizer).
#   make fuzz-smoke                    every harness, seed 1, a fixed number
#                                      of inputs each (FUZZ_SMOKE): part of check
#   make fuzz FUZZ=csvin [FUZZ_TIME=600] [FUZZ_FLAGS=-jobs=2]
#                                      one harness for FUZZ_TIME seconds
FUZZ_B := $(B)-fuzz
FUZZ_CC := clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=c11 $(WARN) -D_GNU_SOURCE -Ilib -O1 -g -fno-omit-frame-pointer \
	$(FUZZ_SAN) -fsanitize=fuzzer-no-link -MMD -MP
FUZZ_NAMES := $(basename $(notdir $(wildcard tests/fuzz/*.c)))
# Inputs per harness in the smoke: a few seconds each here.
FUZZ_SMOKE := csvin:6000 tsv:6000 checks:20000 text:150000 money:300000 period:1000000 \
	docno:1000000
FUZZ_TIME ?= 600
FUZZ_FLAGS ?=

$(FUZZ_B)/%.o: %.c | $(B)/.test-deps
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

$(FUZZ_B)/libsettle.a: $(LIB_SRC:%.c=$(FUZZ_B)/%.o)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_B)/bin/%: $(FUZZ_B)/tests/fuzz/%.o $(FUZZ_B)/libsettle.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ -lcsv

-include $(shell find $(FUZZ_B) -name '*.d' 2>/dev/null)

.PHONY: fuzz-smoke fuzz
fuzz-smoke: $(FUZZ_NAMES:%=$(FUZZ_B)/bin/%)
	tests/fuzz/run.sh smoke $(FUZZ_B) $(foreach f,$(FUZZ_NAMES),$(or $(filter $(f):%,$(FUZZ_SMOKE)),$(f):10000))

fuzz: $(if $(FUZZ),$(FUZZ_B)/bin/$(FUZZ))
	@[ -n "$(FUZZ)" ] || { echo "make: FUZZ=NAME, one of: $(FUZZ_NAMES)"; exit 2; }
	tests/fuzz/run.sh long $(FUZZ_B) $(FUZZ) $(FUZZ_TIME) $(FUZZ_FLAGS)

# ---------------------------------------------------------------- bench
.PHONY: bench
bench: build
	bench/run.sh $(B)/bin

# ---------------------------------------------------------------- upkeep
FORMAT_SRC = lib/*.[ch] lib/rules/*.[ch] filters/*.c filters/*/*.[ch] tools/*.c tests/unit/*.[ch] \
	tests/fuzz/*.c

# clang-format, when it is not on PATH, is installed like the dependencies
# above (as root), or make stops with the command to run.
need_clang_format = @command -v clang-format >/dev/null || { $(call deb_deps,lint,clang-format,--no-install-recommends); }

.PHONY: lint format clean
lint:
	$(need_clang_format)
	clang-format --dry-run -Werror $(FORMAT_SRC)

format:
	$(need_clang_format)
	clang-format -i $(FORMAT_SRC)

clean:
	rm -rf $(B) $(FUZZ_B) out
