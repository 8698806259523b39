-- One period's core job as an analyst would write it in DuckDB, for the
-- benchmark comparison (bench/run.sh): read the drop (TSV), price every
-- event with the take-rate precedence, give each line its entity, write the
-- lines, aggregate and number the invoices, net the due invoices into
-- payouts.  Amounts are exact: integers of minor units (HUGEINT), rounded
-- half away from zero, as the pipeline does.  Not done here, unlike the
-- pipeline: SPEC 11's row checks and rejects file (rows the reader cannot take
-- are skipped with ignore_errors, rows that do not parse are dropped), held
-- lines carried between periods, state, balances, reconciliation, workbooks.
--
-- Placeholders filled by duckdb.mjs: @DROP@ @CFG@ @OUT@ @P@ @START@ @END@
-- @DATE@ @YEAR@.
SET TimeZone = 'UTC';

CREATE MACRO ra(x, den) AS sign(x) * ((abs(x) + den // 2) // den);
CREATE MACRO money(v, d) AS
	CASE WHEN d = 0 THEN CAST(v AS VARCHAR)
	ELSE (CASE WHEN v < 0 THEN '-' ELSE '' END) || CAST(abs(v) // CAST(10 ** d AS HUGEINT) AS VARCHAR)
		|| '.' || lpad(CAST(abs(v) % CAST(10 ** d AS HUGEINT) AS VARCHAR), d, '0') END;
CREATE MACRO minor(s, d) AS CAST(round(TRY_CAST(s AS DECIMAL(24, 6)) * 10 ** d) AS HUGEINT);
CREATE MACRO micro(s) AS CAST(TRY_CAST(s AS DECIMAL(24, 6)) * 1000000 AS HUGEINT);
CREATE MACRO ts(s) AS TRY_CAST(s AS TIMESTAMPTZ);

CREATE TABLE cur AS SELECT * FROM (VALUES ('USD', 2), ('EUR', 2), ('GBP', 2), ('RUB', 2),
	('JPY', 0), ('KRW', 0), ('KWD', 3), ('BHD', 3)) t(code, d);

CREATE TABLE rates AS SELECT merchant_id AS m, category AS c, ts(valid_from) AS vf,
	micro(rate) AS r FROM read_csv('@CFG@/take-rates.tsv', delim = '\t', header = true, all_varchar = true);
CREATE TABLE rules AS SELECT row_number() OVER () AS ord,
	CASE WHEN rule = '*' THEN '*' ELSE split_part(rule, ':', 1) END AS kind,
	CASE WHEN rule = '*' THEN '' ELSE split_part(rule, ':', 2) END AS val, entity, prefix
	FROM read_csv('@CFG@/entities.tsv', delim = '\t', header = true, all_varchar = true);
CREATE TABLE merchants AS SELECT * FROM read_csv('@CFG@/merchants.tsv', delim = '\t',
	header = true, all_varchar = true);
CREATE TABLE minimums AS SELECT currency, min_payout FROM read_csv('@CFG@/payout.tsv',
	delim = '\t', header = true, all_varchar = true);

-- Orders and refunds with their numbers in minor units and millionths.
CREATE TABLE o AS SELECT 'order' AS kind, 'orders.tsv' AS source, row_number() OVER () + 1 AS line,
	order_id AS event_id, order_id, merchant_id, ts(shipped_at) AS at_ts, ship_mode, dest_country,
	category, ts(shipped_at) AS shipped, x.currency, cur.d, minor(product_price, cur.d) AS p,
	minor(shipping_price, cur.d) AS s, minor(jl_cost, cur.d) AS jl,
	NULL AS reason, NULL::HUGEINT AS f, NULL::HUGEINT AS nd
	FROM read_csv('@DROP@/orders.tsv', delim = '\t', header = true, all_varchar = true,
		ignore_errors = true) x
	JOIN cur ON cur.code = x.currency;
CREATE TABLE f AS SELECT 'refund' AS kind, 'refunds.tsv' AS source, row_number() OVER () + 1 AS line,
	refund_id AS event_id, order_id, merchant_id, ts(refunded_at) AS at_ts, ship_mode, dest_country,
	category, ts(shipped_at) AS shipped, x.currency, cur.d, minor(product_price, cur.d) AS p,
	minor(shipping_price, cur.d) AS s, NULL::HUGEINT AS jl, reason, micro(fraction) AS f,
	coalesce(minor(nullif(nd_compensation, ''), cur.d), 0) AS nd
	FROM read_csv('@DROP@/refunds.tsv', delim = '\t', header = true, all_varchar = true,
		ignore_errors = true) x
	JOIN cur ON cur.code = x.currency;
CREATE TABLE ev AS SELECT * FROM o UNION ALL SELECT * FROM f;

-- The take rate: merchant beats *, then category beats *, then the latest
-- valid_from not after shipped_at.
CREATE TABLE cand AS
	SELECT ev.source, ev.line, r.m, r.c, r.vf, r.r FROM ev JOIN rates r
		ON r.m = ev.merchant_id AND (r.c = ev.category OR r.c = '*') AND r.vf <= ev.shipped
	UNION ALL
	SELECT ev.source, ev.line, r.m, r.c, r.vf, r.r FROM ev JOIN (SELECT * FROM rates WHERE m = '*') r
		ON (r.c = ev.category OR r.c = '*') AND r.vf <= ev.shipped;
CREATE TABLE best AS SELECT source, line, r AS t FROM cand
	QUALIFY row_number() OVER (PARTITION BY source, line
		ORDER BY (m <> '*') DESC, (c <> '*') DESC, vf DESC) = 1;
CREATE TABLE priced AS SELECT ev.*, best.t FROM ev JOIN best USING (source, line)
	WHERE ev.at_ts IS NOT NULL AND ev.at_ts < TIMESTAMPTZ '@END@' AND ev.p >= 0 AND ev.s >= 0;

CREATE TABLE lines0 AS
	-- orders
	SELECT *, 'R' AS type, CASE ship_mode
		WHEN 'offline' THEN ra((p + s) * (1000000 - t), 1000000)
		WHEN 'offline_jl' THEN ra(p * (1000000 - t) + s * 1000000, 1000000)
		WHEN 'jl' THEN ra(p * (1000000 - t), 1000000)
		WHEN 'jl_merchant' THEN ra((p + s) * (1000000 - t), 1000000) END AS amount
		FROM priced WHERE kind = 'order'
	UNION ALL SELECT *, 'RJL', s FROM priced WHERE kind = 'order' AND ship_mode = 'jl'
	UNION ALL SELECT *, 'JLO', -s FROM priced WHERE kind = 'order' AND ship_mode = 'jl'
	UNION ALL SELECT *, 'JLD', -jl FROM priced WHERE kind = 'order' AND ship_mode = 'jl_merchant'
	-- refunds
	UNION ALL SELECT *, 'RCM', -CASE
		WHEN ship_mode IN ('offline', 'jl_merchant') THEN ra((p + s) * (1000000 - t) * f, 1000000000000)
		WHEN ship_mode = 'jl' AND reason = 'non_delivery' THEN ra(p * (1000000 - t) * f, 1000000000000)
		ELSE ra((p * (1000000 - t) + s * 1000000) * f, 1000000000000) END
		FROM priced WHERE kind = 'refund'
	UNION ALL SELECT *, 'RJLCM', -ra(s * f, 1000000) FROM priced
		WHERE kind = 'refund' AND ship_mode = 'jl' AND reason = 'non_delivery'
	UNION ALL SELECT *, 'JLOCM', ra(s * f, 1000000) FROM priced
		WHERE kind = 'refund' AND ship_mode = 'jl' AND reason = 'non_delivery'
	UNION ALL SELECT *, 'ND', nd FROM priced WHERE kind = 'refund' AND nd <> 0;

-- Ads and weight audits (no take rate, no destination).
CREATE TABLE other AS
	SELECT 'ad' AS kind, 'ads.tsv' AS source, row_number() OVER () + 1 AS line, charge_id AS event_id,
		'' AS order_id, merchant_id, ts(spent_on) AS at_ts, '' AS dest_country, x.currency, cur.d,
		'AD' AS type, -minor(amount, cur.d) AS amount
		FROM read_csv('@DROP@/ads.tsv', delim = '\t', header = true, all_varchar = true,
		ignore_errors = true) x
		JOIN cur ON cur.code = x.currency
	UNION ALL SELECT 'weight', 'weights.tsv', line, audit_id, order_id, merchant_id, at_ts, '', currency,
		d, 'IW', cd - ca FROM (
		SELECT row_number() OVER () + 1 AS line, audit_id, order_id, merchant_id,
			ts(audited_at) AS at_ts, x.currency, cur.d, micro(declared_g) AS dg, micro(actual_g) AS ag,
			minor(cost_declared, cur.d) AS cd, minor(cost_actual, cur.d) AS ca
			FROM read_csv('@DROP@/weights.tsv', delim = '\t', header = true, all_varchar = true,
		ignore_errors = true) x
			JOIN cur ON cur.code = x.currency)
		WHERE 10 * (ag - dg) > dg AND ag - dg > 5000000;

CREATE TABLE lines1 AS
	SELECT kind, source, line, event_id, order_id, merchant_id, at_ts, dest_country, currency, d, type, amount
		FROM lines0
	UNION ALL SELECT * FROM other WHERE at_ts IS NOT NULL AND at_ts < TIMESTAMPTZ '@END@' AND amount IS NOT NULL;

-- The entity: the first rule that matches.
CREATE TABLE lines AS SELECT l.*, r.entity, r.prefix FROM lines1 l JOIN rules r
	ON (r.kind = 'type' AND r.val = l.type) OR (r.kind = 'country' AND r.val = l.dest_country)
	OR r.kind = '*'
	QUALIFY row_number() OVER (PARTITION BY l.source, l.line, l.type ORDER BY r.ord) = 1;

-- Held: merchants unknown or without legal_name, address, postal_code, city.
CREATE TABLE ok AS SELECT merchant_id, coalesce(TRY_CAST(payout_delay_days AS INTEGER), 0) AS delay,
	coalesce(TRY_CAST(min_payout AS DECIMAL(24, 6)), 0) AS mmin, payout_ok, frozen
	FROM merchants WHERE coalesce(trim(legal_name), '') <> '' AND coalesce(trim(address), '') <> ''
	AND coalesce(trim(postal_code), '') <> '' AND coalesce(trim(city), '') <> '';

COPY (SELECT '@P@' AS period, entity, l.merchant_id, currency, type, money(amount, d) AS amount,
	event_id, order_id, strftime(at_ts, '%Y-%m-%dT%H:%M:%SZ') AS "at",
	CASE WHEN at_ts < TIMESTAMPTZ '@START@' THEN 1 ELSE 0 END AS late, kind, source, line
	FROM lines l SEMI JOIN ok ON ok.merchant_id = l.merchant_id)
	TO '@OUT@/lines.tsv' (DELIMITER '\t', HEADER true, QUOTE '');

CREATE TABLE invoices AS SELECT entity, prefix, l.merchant_id, currency, type, d, count(*) AS n,
	sum(amount) AS amount FROM lines l SEMI JOIN ok ON ok.merchant_id = l.merchant_id
	GROUP BY ALL;
CREATE TABLE numbered AS SELECT *, prefix || '-@YEAR@-' || lpad(CAST(row_number() OVER
	(PARTITION BY entity ORDER BY merchant_id, currency, type) AS VARCHAR), 6, '0') AS invoice_no
	FROM invoices;

-- Payouts: this period's invoices are due when its last day + delay < D.
CREATE TABLE payouts AS SELECT i.entity, i.prefix, i.merchant_id, i.currency, i.d, count(*) AS n,
	sum(i.amount) AS net, any_value(ok.frozen) AS frozen, any_value(ok.payout_ok) AS payout_ok,
	greatest(coalesce(any_value(minor(mp.min_payout, i.d)), 0),
		CAST(ceil(any_value(ok.mmin) * 10 ** i.d) AS HUGEINT)) AS threshold
	FROM numbered i JOIN ok ON ok.merchant_id = i.merchant_id
	LEFT JOIN minimums mp ON mp.currency = i.currency
	WHERE DATE '@DATE@' - 1 + ok.delay < DATE '@DATE@'
	GROUP BY i.entity, i.prefix, i.merchant_id, i.currency, i.d
	HAVING sum(i.amount) >= threshold;

COPY (SELECT invoice_no, entity, merchant_id, currency, '@P@' AS period, type,
	'@DATE@' AS issued_on, n AS lines, money(amount, d) AS amount, 'created' AS status
	FROM numbered ORDER BY invoice_no) TO '@OUT@/invoices.tsv' (DELIMITER '\t', HEADER true, QUOTE '');

COPY (SELECT 'PO-' || prefix || '-@YEAR@-' || lpad(CAST(row_number() OVER (PARTITION BY entity
	ORDER BY merchant_id, currency) AS VARCHAR), 6, '0') AS payout_no, entity, merchant_id,
	currency, '@DATE@' AS payout_date, n AS invoices, money(net, d) AS amount, 'created' AS status,
	CASE WHEN frozen = '1' THEN 'frozen' WHEN coalesce(payout_ok, '') <> '1' THEN 'payout_details'
	ELSE '' END AS hold_reason FROM payouts ORDER BY payout_no)
	TO '@OUT@/payouts.tsv' (DELIMITER '\t', HEADER true, QUOTE '');
