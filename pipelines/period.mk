# One invoice period as a data flow of file targets.
#
# Run by pipelines/run.sh (make period, replay, what-if, samples) under the
# output folder's lock, into a temporary folder T that run.sh puts in place
# when everything below has been built:
#
#   make -f pipelines/period.mk all P=.. IN=.. CONFIG=.. STATE_IN=.. T=.. BIN=..
#        [XLSX=1] [SHARDS=N] [PROGRESS=1] [AS_OF=DATE]
#
# and, for a period already in place (T=OUT/P, its archived configuration
# in T/config), the billing call of one of its payouts on request again,
# on stdout, through the same steps (make billing-call):
#
#   make -f pipelines/period.mk billing-call P=.. T=OUT/P STATE_IN=.. BIN=.. PAYOUT=..
#
#   IN/P/ (the drop) ─ normalize-orders ─ apply-take-rate ─ split-by-entity ─
#       build-invoices ─ net-payouts      (one pipe: T/.chain)
#                     ├ T/lines.tsv, T/totals-lines.tsv (its sums, as written)
#                     └ T/lines.idx (the lines by merchant, for make xlsx)
#   T/lines.tsv ─ sort by invoice ─ render-xlsx × SHARDS   (T/.xlsx-K)
#   T/lines.tsv ─ pick ─ sort by merchant ─ billing-calls   (T/.billing)
#   T/reasons.tsv ─ sorted alike ─┘ (credit notes: each line's reason)
#   T/rejects-*.tsv ─ merge ─ fetch-raw ─ T/rejects.tsv
#   everything ─ reconcile ─ T/reconcile.tsv
#
# AS_OF=DATE (make expected, a forecast): the drop as exported on DATE
# (rows dated after it left out), T/expected-invoices.tsv and
# T/next-payouts.tsv besides, and no lines.tsv (a forecast shows none);
# run.sh keeps only what a forecast shows.
#
# The filters run on T/config, the copy of CONFIG archived with the
# period.  Their messages go to make's stderr (run.sh keeps them in
# T/run.log); each stage says on stdout when it starts and when it ends,
# with its time and what it made.  Paths hold no blank (run.sh checks).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:

XLSX ?= 1
SHARDS ?= 2
# MEASURE=FILE (make bench): each stage's wall time and peak memory to FILE.
W = $(if $(MEASURE),$(BIN)/measure $(1) --out $(MEASURE) --)
DATE := $(shell $(BIN)/periods issue $(P))
TAB := $(shell printf '\t')
COMMA := ,
C := $(T)/config
PAYOUT = $(if $(wildcard $(C)/payout.tsv),--payout $(C)/payout.tsv)
ISSUERS = $(if $(wildcard $(C)/issuers.tsv),--issuers $(C)/issuers.tsv)
SHARD_STAMPS := $(if $(filter 1,$(XLSX)),$(foreach k,$(shell seq 0 $$(($(SHARDS) - 1))),$(T)/.xlsx-$(k)))
# PROGRESS=1: the long stages write their counts where run.sh reads them
# for its progress line.
PROG = $(if $(PROGRESS),--progress $(T)/.progress-$(1))
AS_OF ?=

# A stage's start and end on stdout: the time (UTC), the period, the stage
# $(1); at its end its duration (from the mark $(2)) and, in $(3), what it
# made.  CLEAR=1 (stdout is the terminal the progress line is on): each
# line first clears that line.
CLR = $(if $(CLEAR),printf '\r\033[K';)
START = $(CLR) echo "$$(date -u +%FT%TZ) $(P): $(1)"; date +%s > $(T)/.start-$(2)
END = $(CLR) echo "$$(date -u +%FT%TZ) $(P): $(1) done in $$(($$(date +%s) - $$(cat $(T)/.start-$(2)))) s$(if $(3),: $(3))"

.PHONY: all
# A forecast (AS_OF) writes its expected invoices and no billing calls.
BILLING_STAMP = $(if $(AS_OF),,$(T)/.billing)
all: $(T)/reconcile.tsv $(T)/rejects.tsv $(SHARD_STAMPS) $(BILLING_STAMP) $(if $(AS_OF),$(T)/expected-invoices.tsv) \
	$(if $(HASHES),$(T)/.hashes)
	@rm -f $(T)/.chain $(T)/.config $(T)/.xlsx-* $(T)/.progress-* $(T)/.start-* $(T)/.books \
		$(T)/sorted-lines.tsv $(T)/.billing \
		$(T)/requests-in.tsv $(T)/merchant-invoices-in.tsv \
		$(T)/sorted-reasons.tsv $(T)/adjustments.tsv \
		$(T)/confirmations.tsv $(T)/counts-*.tsv $(T)/totals-*.tsv $(T)/rejects-*.tsv

# The configuration as it is at the start of the run, kept with the period.
$(T)/.config:
	@mkdir -p $(C)
	@cp $(CONFIG)/*.tsv $(C)/
	@touch $@

# The streaming chain, drop to invoices: the filters run side by side.
# build-invoices writes lines.tsv from a thread of its own that sums the
# lines as it writes them (--lines-totals: the sums reconcile checks, of
# the bytes written, so that the reconciliation need not read the file
# again, and no pipe carries them).  Without workbooks nothing in the run
# reads lines.tsv again but the billing calls' pick (through lines.idx),
# so it is written past the page cache (--uncached: docs/performance.md,
# "Fresh memory").  Its end counts the run's invoices in the register's
# index (the series are gapless), not in the segment's rows.
LINES = $(if $(AS_OF),,--lines $(T)/lines.tsv --lines-totals $(T)/totals-lines.tsv \
	--lines-index $(T)/lines.idx $(if $(filter 1,$(XLSX)),,--uncached))
$(T)/.chain: $(T)/.config
	@$(call START,pricing$(COMMA) invoicing and netting,chain)
	$(call W,normalize-orders) $(BIN)/normalize-orders --period $(P) --rejects $(T)/rejects-normalize.tsv \
		--confirmations $(T)/confirmations.tsv --adjustments $(T)/adjustments.tsv \
		--counts $(T)/counts-normalize.tsv \
		--payout-requests $(T)/requests-in.tsv --merchant-invoices $(T)/merchant-invoices-in.tsv \
		$(if $(AS_OF),--as-of $(AS_OF)) $(call PROG,normalize) $(IN)/$(P) | \
	$(call W,apply-take-rate) $(BIN)/apply-take-rate --rates $(C)/take-rates.tsv --period $(P) \
		--rejects $(T)/rejects-rate.tsv --counts $(T)/counts-rate.tsv | \
	$(call W,split-by-entity) $(BIN)/split-by-entity --entities $(C)/entities.tsv \
		--rejects $(T)/rejects-entity.tsv --counts $(T)/counts-entity.tsv | \
	$(call W,build-invoices) $(BIN)/build-invoices --period $(P) --merchants $(C)/merchants.tsv \
		--entities $(C)/entities.tsv --state-in $(STATE_IN) --state-out $(T)/state \
		--held $(T)/held.tsv $(LINES) --totals $(T)/totals-invoices.tsv \
		--adjustments $(T)/adjustments.tsv --rejects $(T)/rejects-invoices.tsv \
		--counts $(T)/counts-invoices.tsv --reasons $(T)/reasons.tsv \
		--corrected $(T)/corrected.tsv --register-read $(T)/.register-read | \
	$(call W,net-payouts) $(BIN)/net-payouts --date $(DATE) --merchants $(C)/merchants.tsv $(PAYOUT) \
		--state-in $(STATE_IN) --state-out $(T)/state --confirmations $(T)/confirmations.tsv \
		--merchant-invoices $(T)/merchant-invoices-in.tsv --payout-requests $(T)/requests-in.tsv \
		--requests $(T)/requests.tsv \
		--rejects $(T)/rejects-payouts.tsv --payouts $(T)/payouts.tsv \
		--items $(T)/payout-items.tsv --balances $(T)/balances.tsv \
		--totals $(T)/totals-payouts.tsv $(if $(AS_OF),--next $(T)/next-payouts.tsv) \
		> $(T)/invoices.tsv
	@$(call END,pricing$(COMMA) invoicing and netting,chain,$$(awk -F'\t' 'NR > 1 { n += $$2 } END { print n + 0 }' $(T)/counts-normalize.tsv) rows read$(COMMA) $$(awk -F'\t' '$$1 == "$(P).tsv" && $$2 == "invoice" { n += $$6 - $$5 + 1 } END { print n + 0 }' $(T)/state/register/index.tsv 2>/dev/null) invoices$(COMMA) $$(awk -F'\t' '$$5 == "$(DATE)"' $(T)/payouts.tsv | wc -l) payouts)
	@touch $@

# Every rejected row of every stage, by source file and line; the stages
# after normalize-orders name a row by source and line only, and fetch-raw
# reads its raw bytes from the drop, one pass over each file concerned.
$(T)/rejects.tsv: $(T)/.chain
	{ echo "source$(TAB)line$(TAB)reason$(TAB)field$(TAB)raw"; \
	  tail -q -n +2 $(T)/rejects-normalize.tsv $(T)/rejects-rate.tsv \
		$(T)/rejects-entity.tsv $(T)/rejects-invoices.tsv $(T)/rejects-payouts.tsv | \
	  LC_ALL=C sort -s -t '$(TAB)' -k1,1 -k2,2n; } | \
	$(call W,fetch-raw) $(BIN)/fetch-raw --drop $(IN)/$(P) > $@

# A forecast's invoices: those of the period in invoices.tsv without their
# numbers, columns found by name once (kind and corrects where the
# invoices have them), in the order the run numbers them.
$(T)/expected-invoices.tsv: $(T)/.chain
	{ printf 'entity\tmerchant_id\tcurrency\tperiod\ttype\tkind\tcorrects\tlines\tamount\tas_of\n'; \
	  awk -F'\t' -v OFS='\t' -v p=$(P) -v as_of=$(AS_OF) \
		'NR == 1 { for (i = 1; i <= NF; i++) c[$$i] = i; ie = c["entity"]; im = c["merchant_id"]; \
			ic = c["currency"]; ip = c["period"]; it = c["type"]; ik = c["kind"]; \
			ir = c["corrects"]; il = c["lines"]; ia = c["amount"]; next } \
		$$ip == p { print $$ie, $$im, $$ic, p, $$it, ik ? $$ik : "invoice", ir ? $$ir : "", \
			$$il, $$ia, as_of }' $(T)/invoices.tsv | \
	  LC_ALL=C sort -t '$(TAB)' -k1,1 -k2,2 -k3,3 -k5,5 -k6,6 -k7,7; } > $@

# HASHES=1 (a period or a replay, whose state gets a manifest): the SHA-256
# of the state's files as the chain leaves them, taken beside the billing
# calls and the reconciliation rather than after them.  Not the register's
# segments of earlier periods (carried: their hashes are the previous
# manifest's).  Each row holds the file's inode, size and modification
# time as seen before it was hashed: run.sh's manifest takes a hash from
# here only for a file that still has all three, and hashes the others
# (request-lines.tsv, which the billing calls write) itself.
$(T)/.hashes: $(T)/.chain
	cd $(T)/state && find . -type f \( ! -path './register/*' -o -path ./register/index.tsv \
		-o -path './register/$(P).tsv' \) -printf '%P\t%i\t%s\t%T@\n' | \
		LC_ALL=C sort > ../.hashes-stat && \
	cut -f1 ../.hashes-stat | tr '\n' '\0' | xargs -0 -r -P "$$(nproc)" -n 1 sha256sum | \
		sed -n 's/^\([0-9a-f]\{64\}\)  \(.*\)$$/\2$(TAB)\1/p' | LC_ALL=C sort | \
		LC_ALL=C join -t '$(TAB)' ../.hashes-stat - > ../.hashes.tmp && \
	rm ../.hashes-stat && mv ../.hashes.tmp ../.hashes

# After the billing calls, which it counts.
$(T)/reconcile.tsv: $(T)/.chain $(BILLING_STAMP)
	@$(call START,reconciling,reconcile)
	$(call W,reconcile) $(BIN)/reconcile --period $(P) --dir $(T) --state-in $(STATE_IN) \
		$(if $(AS_OF),--forecast,--lines-totals $(T)/totals-lines.tsv) > $@
	@$(call END,reconciling,reconcile,$$(grep -c '	ok$$' $@) identities hold)

# Workbooks stream, so an invoice's lines must be together: a stable sort
# by (entity, merchant_id, currency, type, corrects) keeps their input
# order.  Its buffer is fixed (SORT_MEM), so memory does not grow with the
# lines: beyond it sort spills sorted runs into T, which holds the lines
# already, and merges them.  The credit notes' reasons are sorted by the
# same key, so that render-xlsx reads them in step with their lines.
# .books: how many workbooks the period makes, for the progress line.
SORT_MEM ?= 256M
$(T)/sorted-lines.tsv: $(T)/.chain
	@awk -F'\t' -v p=$(P) 'FILENAME ~ /invoices/ { if (FNR > 1 && $$5 == p) n++; next } \
		FNR > 1 && !seen[$$1]++ { n++ } END { print n + 0 }' \
		$(T)/invoices.tsv $(T)/payout-items.tsv > $(T)/.books
	{ sed 1q $(T)/lines.tsv; tail -n +2 $(T)/lines.tsv | \
	  LC_ALL=C $(call W,sort) sort -s -t '$(TAB)' -k2,5 -k14,14 -S $(SORT_MEM) -T $(T); } > $@
	{ sed 1q $(T)/reasons.tsv; tail -n +2 $(T)/reasons.tsv | \
	  LC_ALL=C sort -s -t '$(TAB)' -k1,5 -S $(SORT_MEM) -T $(T); } > $(T)/sorted-reasons.tsv

# The billing call of each payout on request (SPEC 14), and the lines of
# request-mode merchants' invoices without a payout for the next state:
# the lines of request-mode merchants, grouped by invoice as for the
# workbooks (a stable sort, in a fixed buffer), merged with the previous
# state's.  SORT_TMP: where sort spills (the period's folder, or for
# billing-call a temporary one: an issued period is not written to).
SORT_TMP ?= $(T)
PICKED = $(BIN)/billing-calls --pick --merchants $(C)/merchants.tsv \
	$$([ -f $(T)/lines.idx ] && echo --index $(T)/lines.idx) $(T)/lines.tsv | \
	{ IFS= read -r header; printf '%s\n' "$$header"; \
	  LC_ALL=C sort -s -t '$(TAB)' -k2,5 -k14,14 -S $(SORT_MEM) -T $(SORT_TMP); }
BILLING = $(BIN)/billing-calls --period $(P) --dir $(T) --merchants $(C)/merchants.tsv \
	$(ISSUERS) --entities $(C)/entities.tsv --state-in $(STATE_IN)

$(T)/.billing: $(T)/.chain
	@$(call START,billing calls,billing)
	$(PICKED) | $(call W,billing-calls) $(BILLING) --state-out $(T)/state
	@$(call END,billing calls,billing,$$(find $(T)/billing-calls -name '*.csv' 2>/dev/null | wc -l) written)
	@touch $@

.PHONY: billing-call
billing-call:
	@$(PICKED) | $(BILLING) --payout $(PAYOUT)

$(T)/.xlsx-%: $(T)/sorted-lines.tsv
	@$(call START,workbooks$(if $(filter-out 1,$(SHARDS)), shard $*/$(SHARDS)),xlsx-$*)
	$(call W,render-xlsx) $(BIN)/render-xlsx --period $(P) --out $(T) --lines $< --merchants $(C)/merchants.tsv \
		--entities $(C)/entities.tsv $(ISSUERS) --reasons $(T)/sorted-reasons.tsv --corrected $(T)/corrected.tsv \
		--shard $*/$(SHARDS) $(if $(XLSX_TMPDIR),--tmpdir $(XLSX_TMPDIR)) $(call PROG,render-$*)
	@$(call END,workbooks$(if $(filter-out 1,$(SHARDS)), shard $*/$(SHARDS)),xlsx-$*)
	@touch $@
