-- One period's core job as an analyst would write it in DuckDB, for the
-- benchmark comparison (bench/run.sh): read the drop (TSV), price every
-- event with the take-rate precedence (SPEC 6), give each line its entity by
-- the first entities.tsv rule that matches, write the lines, aggregate and
-- number the invoices (PREFIX-YYYY-NNNNNN per entity in order of
-- merchant_id, currency, type), net the due invoices into payouts with the
-- thresholds, delays and holds of SPEC 8 and 11.  Lines of merchants unknown
-- or incomplete in merchants.tsv are held (left out), as the pipeline does.
--
-- Money is BIGINT minor units throughout: the drop's decimals are read as
-- DECIMAL(18,4) (exact; ISO 4217 has at most 4 minor digits) and scaled to
-- the currency's unit, rates and fractions are millionths, each line is
-- rounded once, half away from zero, in integer arithmetic.  DuckDB raises
-- an error on a BIGINT overflow, so a sum is never silently wrong (the
-- products stay below 2^63 for prices under 92 billion units).
--
-- Not done here, unlike the pipeline: SPEC 11's row checks but the one for
-- negative prices, and the rejects file (rows the reader cannot parse are
-- skipped with ignore_errors, rows of an unknown currency or without a take
-- rate are dropped, a line no entity rule matches is dropped alone; `line` is
-- then the row's position, not its line in the file), held lines carried
-- between periods, state (so the carried invoices and payouts of earlier
-- periods, payouts-paid), payout items, balances, reconciliation, workbooks.
-- payout.tsv is required.
--
-- Placeholders filled by duckdb.mjs: @DROP@ @CFG@ @OUT@ @P@ @START@ @END@
-- @DATE@ @YEAR@.
-- (The macros, currencies, take rates and entity rules come from common.sql,
-- which duckdb.mjs reads first.)

-- Merchants whose lines are invoiced (known, with legal_name, address,
-- postal_code and city), with their payout terms; min_payout in
-- ten-thousandths of a major unit.
CREATE TABLE ok AS SELECT merchant_id, coalesce(payout_delay_days, 0) AS delay,
	coalesce(CAST(min_payout * 10000 AS BIGINT), 0) AS mmin, payout_ok, frozen
	FROM read_csv('@CFG@/merchants.tsv', delim = '\t', header = true, all_varchar = true,
		types = {'payout_delay_days': 'INTEGER', 'min_payout': 'DECIMAL(18,4)'})
	WHERE coalesce(trim(legal_name), '') <> '' AND coalesce(trim(address), '') <> ''
	AND coalesce(trim(postal_code), '') <> '' AND coalesce(trim(city), '') <> '';
-- The marketplace's minimum per currency, in ten-thousandths of a major unit.
CREATE TABLE minimums AS SELECT currency, CAST(min_payout * 10000 AS BIGINT) AS pmin
	FROM read_csv('@CFG@/payout.tsv', delim = '\t', header = true, all_varchar = true,
		types = {'min_payout': 'DECIMAL(18,4)'});

CREATE TABLE lines AS
WITH ev AS (
	-- Orders and refunds, one row per event; line is the row's position
	-- (+ 1 for the header); p, s, jl, nd in minor units, fr (the refund
	-- fraction) in millionths; at_ts decides late/future.
	SELECT 'order' AS kind, 'orders.tsv' AS source, line, order_id AS event_id, order_id, merchant_id, currency, d, dest_country, category, ship_mode,
		shipped_at AS at_ts, shipped_at AS shipped, NULL::BOOLEAN AS nd_reason,
		minor(product_price, unit) AS p, minor(shipping_price, unit) AS s, minor(jl_cost, unit) AS jl,
		NULL::BIGINT AS fr, NULL::BIGINT AS nd
	FROM (SELECT row_number() OVER () + 1 AS line, *
		FROM read_csv('@DROP@/orders.tsv', delim = '\t', header = true, all_varchar = true,
			ignore_errors = true, types = {'shipped_at': 'TIMESTAMPTZ', 'product_price': 'DECIMAL(18,4)',
				'shipping_price': 'DECIMAL(18,4)', 'jl_cost': 'DECIMAL(18,4)'}))
	JOIN cur USING (currency)
	UNION ALL
	SELECT 'refund', 'refunds.tsv', line, refund_id, order_id, merchant_id,
		currency, d, dest_country, category, ship_mode, refunded_at, shipped_at,
		reason = 'non_delivery', minor(product_price, unit), minor(shipping_price, unit), NULL,
		CAST(fraction * 1000000 AS BIGINT), coalesce(minor(nd_compensation, unit), 0)
	FROM (SELECT row_number() OVER () + 1 AS line, *
		FROM read_csv('@DROP@/refunds.tsv', delim = '\t', header = true, all_varchar = true,
			ignore_errors = true, types = {'refunded_at': 'TIMESTAMPTZ', 'shipped_at': 'TIMESTAMPTZ',
				'product_price': 'DECIMAL(18,4)', 'shipping_price': 'DECIMAL(18,4)',
				'fraction': 'DECIMAL(18,6)', 'nd_compensation': 'DECIMAL(18,4)'}))
	JOIN cur USING (currency)
), priced AS (
	-- The take rate: (merchant, category) beats (merchant, *) beats
	-- (*, category) beats (*, *); within each, the interval holding
	-- shipped_at, i.e. the latest valid_from not after it.  k = 1 - t.
	SELECT ev.*, 1000000 - coalesce(r1.r, r2.r, r3.r, r4.r) AS k, countries.country AS ck,
		strftime(at_ts::TIMESTAMP, '%Y-%m-%dT%H:%M:%SZ') AS "at",
		CASE WHEN at_ts < TIMESTAMPTZ '@START@' THEN 1 ELSE 0 END AS late
	FROM ev
	LEFT JOIN rates r1 ON r1.m = ev.merchant_id AND r1.c = ev.category
		AND ev.shipped >= r1.vf AND ev.shipped < r1.vt
	LEFT JOIN (FROM rates WHERE c = '*') r2 ON r2.m = ev.merchant_id
		AND ev.shipped >= r2.vf AND ev.shipped < r2.vt
	LEFT JOIN (FROM rates WHERE m = '*') r3 ON r3.c = ev.category
		AND ev.shipped >= r3.vf AND ev.shipped < r3.vt
	LEFT JOIN (FROM rates WHERE m = '*' AND c = '*') r4 ON ev.shipped >= r4.vf AND ev.shipped < r4.vt
	LEFT JOIN countries ON countries.country = ev.dest_country
	SEMI JOIN ok USING (merchant_id)
	WHERE ev.at_ts < TIMESTAMPTZ '@END@' AND ev.p >= 0 AND ev.s >= 0
), other AS (
	-- SPEC 6.3: ads (AD = -amount) and weight audits over the tolerance
	-- (IW = -(cost_actual - cost_declared)); no country.
	SELECT 'ad' AS kind, 'ads.tsv' AS source, line, charge_id AS event_id,
		'' AS order_id, merchant_id, currency, d, spent_on AS at_ts, 'AD' AS type,
		-minor(amount, unit) AS amount
	FROM (SELECT row_number() OVER () + 1 AS line, *
		FROM read_csv('@DROP@/ads.tsv', delim = '\t', header = true, all_varchar = true,
			ignore_errors = true, types = {'spent_on': 'TIMESTAMPTZ', 'amount': 'DECIMAL(18,4)'}))
	JOIN cur USING (currency)
	UNION ALL
	SELECT 'weight', 'weights.tsv', line, audit_id, order_id, merchant_id, currency, d, audited_at,
		'IW', minor(cost_declared, unit) - minor(cost_actual, unit)
	FROM (SELECT row_number() OVER () + 1 AS line, *
		FROM read_csv('@DROP@/weights.tsv', delim = '\t', header = true, all_varchar = true,
			ignore_errors = true, types = {'audited_at': 'TIMESTAMPTZ', 'declared_g': 'DECIMAL(18,6)',
				'actual_g': 'DECIMAL(18,6)', 'cost_declared': 'DECIMAL(18,4)',
				'cost_actual': 'DECIMAL(18,4)'}))
	JOIN cur USING (currency)
	WHERE 10 * (actual_g - declared_g) > declared_g AND actual_g - declared_g > 5
), l AS (
	-- SPEC 6.1 and 6.2: all lines of an event from one row, as a list of
	-- (type, amount) unnested.  Bases are in millionths of a minor unit.
	SELECT kind, source, line, event_id, order_id, merchant_id, currency, d, "at", late, ck,
		unnest(CASE WHEN kind = 'order' THEN CASE ship_mode
		WHEN 'offline' THEN [{'type': 'R', 'amount': ra((p + s) * k, 1000000)}]
		WHEN 'offline_jl' THEN [{'type': 'R', 'amount': ra(p * k + s * 1000000, 1000000)}]
		WHEN 'jl' THEN [{'type': 'R', 'amount': ra(p * k, 1000000)}, {'type': 'RJL', 'amount': s},
			{'type': 'JLO', 'amount': -s}]
		WHEN 'jl_merchant' THEN [{'type': 'R', 'amount': ra((p + s) * k, 1000000)},
			{'type': 'JLD', 'amount': -jl}] END
	ELSE list_concat(CASE
		WHEN ship_mode IN ('offline', 'jl_merchant') THEN [{'type': 'RCM', 'amount': -rf((p + s) * k, fr)}]
		WHEN ship_mode = 'offline_jl' OR (ship_mode = 'jl' AND NOT nd_reason) THEN
			[{'type': 'RCM', 'amount': -rf(p * k + s * 1000000, fr)}]
		WHEN ship_mode = 'jl' THEN [{'type': 'RCM', 'amount': -rf(p * k, fr)},
			{'type': 'RJLCM', 'amount': -ra(s * fr, 1000000)},
			{'type': 'JLOCM', 'amount': ra(s * fr, 1000000)}] END,
		CASE WHEN nd <> 0 THEN [{'type': 'ND', 'amount': nd}] ELSE [] END) END, recursive := true)
	FROM priced WHERE k IS NOT NULL
	UNION ALL
	SELECT kind, source, line, event_id, order_id, merchant_id, currency, d,
		strftime(at_ts::TIMESTAMP, '%Y-%m-%dT%H:%M:%SZ'),
		CASE WHEN at_ts < TIMESTAMPTZ '@START@' THEN 1 ELSE 0 END, NULL, type, amount
	FROM other SEMI JOIN ok USING (merchant_id)
	WHERE at_ts < TIMESTAMPTZ '@END@'
)
SELECT ent.entity, ent.prefix, merchant_id, currency, d, l.type, amount, event_id, order_id,
	"at", late, kind, source, line
FROM l JOIN ent ON ent.type = l.type AND ent.country IS NOT DISTINCT FROM l.ck;

COPY (SELECT '@P@' AS period, entity, merchant_id, currency, type, money(amount, d) AS amount,
	event_id, order_id, "at", late, kind, source, line
	FROM lines)
	TO '@OUT@/lines.tsv' (DELIMITER '\t', HEADER true, QUOTE '');

CREATE TABLE invoices AS SELECT prefix || '-@YEAR@-' || lpad(CAST(row_number() OVER
		(PARTITION BY entity ORDER BY merchant_id, currency, type) AS VARCHAR), 6, '0') AS invoice_no, *
	FROM (SELECT entity, any_value(prefix) AS prefix, merchant_id, currency, any_value(d) AS d, type,
		count(*) AS n, sum(amount) AS amount FROM lines GROUP BY entity, merchant_id, currency, type);

-- Payouts: on payout date D (the issue date), an invoice is due when its
-- period's last day (D - 1) + payout_delay_days < D; the due invoices of a
-- (merchant, entity, currency) are netted, and paid out when the net reaches
-- max(marketplace minimum, merchant's min_payout), compared in
-- ten-thousandths of a major unit.
CREATE TABLE payouts AS SELECT 'PO-' || prefix || '-@YEAR@-' || lpad(CAST(row_number() OVER
		(PARTITION BY entity ORDER BY merchant_id, currency) AS VARCHAR), 6, '0') AS payout_no, *
	FROM (SELECT i.entity, any_value(i.prefix) AS prefix, i.merchant_id, i.currency, any_value(i.d) AS d,
		count(*) AS n, sum(i.amount) AS net,
		CASE WHEN any_value(ok.frozen) = '1' THEN 'frozen'
			WHEN coalesce(any_value(ok.payout_ok), '') <> '1' THEN 'payout_details' ELSE '' END AS hold_reason
		FROM invoices i JOIN ok USING (merchant_id) JOIN cur USING (currency)
		LEFT JOIN minimums USING (currency)
		WHERE DATE '@DATE@' - 1 + ok.delay < DATE '@DATE@'
		GROUP BY i.entity, i.merchant_id, i.currency
		HAVING sum(i.amount) * (10000 // any_value(cur.unit))
			>= greatest(coalesce(any_value(minimums.pmin), 0), any_value(ok.mmin)));

COPY (SELECT invoice_no, entity, merchant_id, currency, '@P@' AS period, type,
	'@DATE@' AS issued_on, i.n AS lines, money(amount, i.d) AS amount, 'created' AS status,
	coalesce(payout_no, '') AS payout_no
	FROM invoices i LEFT JOIN payouts p USING (entity, merchant_id, currency) ORDER BY invoice_no)
	TO '@OUT@/invoices.tsv' (DELIMITER '\t', HEADER true, QUOTE '');

COPY (SELECT payout_no, entity, merchant_id, currency, '@DATE@' AS payout_date, n AS invoices,
	money(net, d) AS amount, 'created' AS status, hold_reason, '' AS paid_on
	FROM payouts ORDER BY payout_no)
	TO '@OUT@/payouts.tsv' (DELIMITER '\t', HEADER true, QUOTE '');
