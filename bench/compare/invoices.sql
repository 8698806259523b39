-- The invoice sums of one period as an analyst would write them in DuckDB,
-- for the benchmark comparison (bench/run.sh): read the drop (TSV), price
-- every event with the take-rate precedence (SPEC 6), give each line its
-- entity by the first entities.tsv rule that matches, and write one invoice
-- per (entity, merchant_id, currency, type) with its line count and amount,
-- numbered PREFIX-YYYY-NNNNNN per entity in order of (merchant_id, currency,
-- type).  Lines of merchants unknown or incomplete in merchants.tsv are held
-- (left out), as the pipeline does.  Rows dated before the period are
-- invoiced in it; rows at or after the issue date are left out.
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
-- rate are dropped, a line no entity rule matches is dropped alone), late
-- flags, held lines carried between periods, state, the invoice lines file,
-- payouts, workbooks.
--
-- Placeholders filled by duckdb.mjs: @DROP@ @CFG@ @OUT@ @P@ @START@ @END@
-- @DATE@ @YEAR@.
-- (The macros, currencies, take rates and entity rules come from common.sql,
-- which duckdb.mjs reads first.)

-- Merchants whose lines are invoiced: known, with legal_name, address,
-- postal_code and city.
CREATE TABLE ok AS SELECT merchant_id
	FROM read_csv('@CFG@/merchants.tsv', delim = '\t', header = true, all_varchar = true)
	WHERE coalesce(trim(legal_name), '') <> '' AND coalesce(trim(address), '') <> ''
	AND coalesce(trim(postal_code), '') <> '' AND coalesce(trim(city), '') <> '';

CREATE TABLE sums AS
WITH ev AS (
	-- Orders and refunds, one row per event; p, s, jl, nd in minor units,
	-- fr (the refund fraction) in millionths.
	SELECT 'order' AS kind, merchant_id, currency, d, dest_country, category, ship_mode,
		shipped_at AS shipped, NULL::BOOLEAN AS nd_reason, minor(product_price, unit) AS p,
		minor(shipping_price, unit) AS s, minor(jl_cost, unit) AS jl, NULL::BIGINT AS fr,
		NULL::BIGINT AS nd
	FROM read_csv('@DROP@/orders.tsv', delim = '\t', header = true, all_varchar = true,
		ignore_errors = true, types = {'shipped_at': 'TIMESTAMPTZ', 'product_price': 'DECIMAL(18,4)',
			'shipping_price': 'DECIMAL(18,4)', 'jl_cost': 'DECIMAL(18,4)'})
	JOIN cur USING (currency)
	WHERE shipped_at < TIMESTAMPTZ '@END@' AND product_price >= 0 AND shipping_price >= 0
	UNION ALL
	SELECT 'refund', merchant_id, currency, d, dest_country, category, ship_mode, shipped_at,
		reason = 'non_delivery', minor(product_price, unit), minor(shipping_price, unit), NULL,
		CAST(fraction * 1000000 AS BIGINT), coalesce(minor(nd_compensation, unit), 0)
	FROM read_csv('@DROP@/refunds.tsv', delim = '\t', header = true, all_varchar = true,
		ignore_errors = true, types = {'refunded_at': 'TIMESTAMPTZ', 'shipped_at': 'TIMESTAMPTZ',
			'product_price': 'DECIMAL(18,4)', 'shipping_price': 'DECIMAL(18,4)',
			'fraction': 'DECIMAL(18,6)', 'nd_compensation': 'DECIMAL(18,4)'})
	JOIN cur USING (currency)
	WHERE refunded_at < TIMESTAMPTZ '@END@' AND product_price >= 0 AND shipping_price >= 0
), priced AS (
	-- The take rate: (merchant, category) beats (merchant, *) beats
	-- (*, category) beats (*, *); within each, the interval holding
	-- shipped_at, i.e. the latest valid_from not after it.  k = 1 - t.
	SELECT ev.*, 1000000 - coalesce(r1.r, r2.r, r3.r, r4.r) AS k, countries.country AS ck
	FROM ev
	LEFT JOIN rates r1 ON r1.m = ev.merchant_id AND r1.c = ev.category
		AND ev.shipped >= r1.vf AND ev.shipped < r1.vt
	LEFT JOIN (FROM rates WHERE c = '*') r2 ON r2.m = ev.merchant_id
		AND ev.shipped >= r2.vf AND ev.shipped < r2.vt
	LEFT JOIN (FROM rates WHERE m = '*') r3 ON r3.c = ev.category
		AND ev.shipped >= r3.vf AND ev.shipped < r3.vt
	LEFT JOIN (FROM rates WHERE m = '*' AND c = '*') r4 ON ev.shipped >= r4.vf AND ev.shipped < r4.vt
	LEFT JOIN countries ON countries.country = ev.dest_country
), lines AS (
	-- SPEC 6.1 and 6.2: all lines of an event from one row, as a list of
	-- (type, amount) unnested.  Bases are in millionths of a minor unit.
	SELECT merchant_id, currency, d, ck, unnest(CASE WHEN kind = 'order' THEN CASE ship_mode
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
	-- SPEC 6.3: ads (AD = -amount) and weight audits over the tolerance
	-- (IW = -(cost_actual - cost_declared)); no country.
	SELECT merchant_id, currency, d, NULL, 'AD', -minor(amount, unit)
	FROM read_csv('@DROP@/ads.tsv', delim = '\t', header = true, all_varchar = true,
		ignore_errors = true, types = {'spent_on': 'TIMESTAMPTZ', 'amount': 'DECIMAL(18,4)'})
	JOIN cur USING (currency)
	WHERE spent_on < TIMESTAMPTZ '@END@'
	UNION ALL
	SELECT merchant_id, currency, d, NULL, 'IW', minor(cost_declared, unit) - minor(cost_actual, unit)
	FROM read_csv('@DROP@/weights.tsv', delim = '\t', header = true, all_varchar = true,
		ignore_errors = true, types = {'audited_at': 'TIMESTAMPTZ', 'declared_g': 'DECIMAL(18,6)',
			'actual_g': 'DECIMAL(18,6)', 'cost_declared': 'DECIMAL(18,4)', 'cost_actual': 'DECIMAL(18,4)'})
	JOIN cur USING (currency)
	WHERE audited_at < TIMESTAMPTZ '@END@'
		AND 10 * (actual_g - declared_g) > declared_g AND actual_g - declared_g > 5
)
SELECT ent.entity, any_value(ent.prefix) AS prefix, merchant_id, currency, any_value(d) AS d,
	lines.type, count(*) AS n, sum(amount) AS amount
FROM lines JOIN ent ON ent.type = lines.type AND ent.country IS NOT DISTINCT FROM lines.ck
GROUP BY ent.entity, merchant_id, currency, lines.type;

COPY (SELECT prefix || '-@YEAR@-' || lpad(CAST(row_number() OVER
		(PARTITION BY entity ORDER BY merchant_id, currency, type) AS VARCHAR), 6, '0') AS invoice_no,
	entity, merchant_id, currency, '@P@' AS period, type, '@DATE@' AS issued_on, n AS lines,
	money(amount, d) AS amount, 'created' AS status, '' AS payout_no
	FROM sums SEMI JOIN ok USING (merchant_id) ORDER BY invoice_no)
	TO '@OUT@/invoices.tsv' (DELIMITER '\t', HEADER true, QUOTE '');
