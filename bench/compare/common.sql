-- What the two DuckDB queries of the benchmark comparison share, read
-- before either (duckdb.mjs): money macros, currencies, take rates as
-- validity intervals, the entity of each (type, country), from CFG.
-- Placeholder filled by duckdb.mjs: @CFG@.
SET TimeZone = 'UTC';

-- x / den rounded half away from zero (den > 0).
CREATE MACRO ra(x, den) AS sign(x) * ((abs(x) + den // 2) // den);
-- x * f / 10^12 rounded half up, for x, f >= 0 (x in millionths of a minor
-- unit, f a fraction in millionths), without forming the product x * f:
-- with x = q 10^6 + r, x f / 10^6 = q f + r f / 10^6, and the dropped
-- fraction of r f / 10^6 cannot move the result across a rounding step.
CREATE MACRO rf(x, f) AS ((x // 1000000) * f + ((x % 1000000) * f) // 1000000 + 500000) // 1000000;
-- A DECIMAL(18,4) amount in minor units of a currency of unit 10^d.
CREATE MACRO minor(v, unit) AS CAST(v * 10000 AS BIGINT) // (10000 // unit);
-- Minor units as the SPEC's decimal string (exactly d digits, 0.00 unsigned).
CREATE MACRO money(v, d) AS CASE d WHEN 0 THEN CAST(v AS VARCHAR)
	WHEN 2 THEN CAST(CAST(v AS DECIMAL(18, 0)) * 0.01 AS VARCHAR)
	WHEN 3 THEN CAST(CAST(v AS DECIMAL(18, 0)) * 0.001 AS VARCHAR)
	ELSE CAST(CAST(v AS DECIMAL(18, 0)) * 0.0001 AS VARCHAR) END;

CREATE TABLE cur AS SELECT currency, d, CAST(10 ** d AS BIGINT) AS unit FROM (VALUES ('USD', 2),
	('EUR', 2), ('GBP', 2), ('RUB', 2), ('JPY', 0), ('KRW', 0), ('KWD', 3), ('BHD', 3)) t(currency, d);

-- Take rates as validity intervals [vf, vt) per (merchant, category), so
-- that the rate of an event is an equality join plus a range check.
CREATE TABLE rates AS SELECT merchant_id AS m, category AS c, valid_from AS vf,
	coalesce(lead(valid_from) OVER (PARTITION BY merchant_id, category ORDER BY valid_from),
		'infinity') AS vt, CAST(rate * 1000000 AS BIGINT) AS r
	FROM read_csv('@CFG@/take-rates.tsv', delim = '\t', header = true, all_varchar = true,
		types = {'valid_from': 'TIMESTAMPTZ', 'rate': 'DECIMAL(18,6)'});

-- The entity of every (type, country) a line can have: the first rule that
-- matches.  country is one named by a country: rule, or NULL for any other
-- (and for ads and weights, which have none).
CREATE TABLE rules AS SELECT row_number() OVER () AS ord,
	CASE WHEN rule = '*' THEN '*' ELSE split_part(rule, ':', 1) END AS kind,
	CASE WHEN rule = '*' THEN '' ELSE split_part(rule, ':', 2) END AS val, entity, prefix
	FROM read_csv('@CFG@/entities.tsv', delim = '\t', header = true, all_varchar = true);
CREATE TABLE ent AS SELECT t.type, c.country, arg_min(r.entity, r.ord) AS entity,
	arg_min(r.prefix, r.ord) AS prefix
	FROM (VALUES ('R'), ('RJL'), ('JLO'), ('JLD'), ('RCM'), ('RJLCM'), ('JLOCM'), ('ND'), ('AD'),
		('IW')) t(type)
	CROSS JOIN (SELECT val AS country FROM rules WHERE kind = 'country' UNION SELECT NULL) c
	JOIN rules r ON (r.kind = 'type' AND r.val = t.type) OR (r.kind = 'country' AND r.val = c.country)
		OR r.kind = '*'
	GROUP BY ALL;
CREATE TABLE countries AS SELECT DISTINCT country FROM ent WHERE country IS NOT NULL;
