# One invoice period as a data flow of file targets.
#
# Run by the top-level Makefile (make period, replay, what-if, samples) under
# the output folder's lock, into a temporary folder T that the caller renames
# into place when everything below has been built:
#
#   make -f pipelines/period.mk all P=.. IN=.. CONFIG=.. STATE_IN=.. T=.. BIN=..
#        [XLSX=1] [SHARDS=N]
#
#   IN/P/ (the drop) ─ normalize-orders ─ apply-take-rate ─ split-by-entity ─
#       build-invoices ─ net-payouts      (one pipe: T/.chain)
#   T/lines.tsv ─ sort by invoice ─ render-xlsx × SHARDS   (T/.xlsx-K)
#   T/rejects-*.tsv ─ merge ─ T/rejects.tsv
#   everything ─ reconcile ─ T/reconcile.tsv
#
# Each filter's stderr goes to T/run.log.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.SUFFIXES:

XLSX ?= 1
SHARDS ?= 2
# MEASURE=FILE (make bench): each stage's wall time and peak memory to FILE.
W = $(if $(MEASURE),$(BIN)/measure $(1) --out $(MEASURE) --)
LOG := $(T)/run.log
DATE := $(shell $(BIN)/periods issue $(P))
TAB := $(shell printf '\t')
PAYOUT := $(if $(wildcard $(CONFIG)/payout.tsv),--payout $(CONFIG)/payout.tsv)
SHARD_STAMPS := $(if $(filter 1,$(XLSX)),$(foreach k,$(shell seq 0 $$(($(SHARDS) - 1))),$(T)/.xlsx-$(k)))

.PHONY: all
all: $(T)/reconcile.tsv $(T)/rejects.tsv $(SHARD_STAMPS)
	@rm -f $(T)/.chain $(T)/.xlsx-* $(T)/sorted-lines.tsv $(T)/confirmations.tsv \
		$(T)/counts-*.tsv $(T)/totals-*.tsv $(T)/rejects-*.tsv

# The streaming chain, drop to invoices: the filters run side by side.
$(T)/.chain:
	@echo "$(P): pricing, invoicing and netting"
	@mkdir -p $(T)/config
	@cp $(CONFIG)/*.tsv $(T)/config/
	@printf 'period\t%s\ninput\t%s\nconfig\t%s\nstate_in\t%s\n' \
		'$(P)' '$(IN)/$(P)' '$(CONFIG)' '$(STATE_IN)' > $(T)/run.info
	$(call W,normalize-orders) $(BIN)/normalize-orders --period $(P) --rejects $(T)/rejects-normalize.tsv \
		--confirmations $(T)/confirmations.tsv --counts $(T)/counts-normalize.tsv \
		$(if $(PROGRESS),--progress $(PROGRESS)) $(IN)/$(P) 2>>$(LOG) | \
	$(call W,apply-take-rate) $(BIN)/apply-take-rate --rates $(CONFIG)/take-rates.tsv --period $(P) \
		--rejects $(T)/rejects-rate.tsv --counts $(T)/counts-rate.tsv 2>>$(LOG) | \
	$(call W,split-by-entity) $(BIN)/split-by-entity --entities $(CONFIG)/entities.tsv \
		--rejects $(T)/rejects-entity.tsv --counts $(T)/counts-entity.tsv 2>>$(LOG) | \
	$(call W,build-invoices) $(BIN)/build-invoices --period $(P) --merchants $(CONFIG)/merchants.tsv \
		--entities $(CONFIG)/entities.tsv --state-in $(STATE_IN) --state-out $(T)/state \
		--held $(T)/held.tsv --lines $(T)/lines.tsv --totals $(T)/totals-invoices.tsv \
		2>>$(LOG) | \
	$(call W,net-payouts) $(BIN)/net-payouts --date $(DATE) --merchants $(CONFIG)/merchants.tsv $(PAYOUT) \
		--state-in $(STATE_IN) --state-out $(T)/state --confirmations $(T)/confirmations.tsv \
		--rejects $(T)/rejects-payouts.tsv --payouts $(T)/payouts.tsv \
		--items $(T)/payout-items.tsv --balances $(T)/balances.tsv \
		--totals $(T)/totals-payouts.tsv > $(T)/invoices.tsv 2>>$(LOG)
	@touch $@

# Every rejected row of every stage, by source file and line; the stages
# after normalize-orders name a row by source and line only, and fetch-raw
# reads its raw bytes from the drop, one pass over each file concerned.
$(T)/rejects.tsv: $(T)/.chain
	{ echo "source$(TAB)line$(TAB)reason$(TAB)field$(TAB)raw"; \
	  tail -q -n +2 $(T)/rejects-normalize.tsv $(T)/rejects-rate.tsv \
		$(T)/rejects-entity.tsv $(T)/rejects-payouts.tsv | \
	  LC_ALL=C sort -s -t '$(TAB)' -k1,1 -k2,2n; } | \
	$(call W,fetch-raw) $(BIN)/fetch-raw --drop $(IN)/$(P) > $@ 2>>$(LOG)

$(T)/reconcile.tsv: $(T)/.chain
	@echo "$(P): reconciling"
	$(call W,reconcile) $(BIN)/reconcile --period $(P) --dir $(T) --state-in $(STATE_IN) > $@ 2>>$(LOG)

# Workbooks stream, so an invoice's lines must be together: a stable sort
# keeps their input order.  Its buffer is fixed (SORT_MEM), so memory does
# not grow with the lines: beyond it sort spills sorted runs into T, which
# holds the lines already, and merges them.
SORT_MEM ?= 256M
$(T)/sorted-lines.tsv: $(T)/.chain
	{ sed 1q $(T)/lines.tsv; tail -n +2 $(T)/lines.tsv | \
	  LC_ALL=C $(call W,sort) sort -s -t '$(TAB)' -k2,5 -S $(SORT_MEM) -T $(T); } > $@

$(T)/.xlsx-%: $(T)/sorted-lines.tsv
	@echo "$(P): workbooks, shard $*/$(SHARDS)"
	$(call W,render-xlsx) $(BIN)/render-xlsx --period $(P) --out $(T) --lines $< --merchants $(CONFIG)/merchants.tsv \
		--entities $(CONFIG)/entities.tsv --shard $*/$(SHARDS) \
		$(if $(PROGRESS),--progress $(PROGRESS)) 2>>$(LOG)
	@touch $@
