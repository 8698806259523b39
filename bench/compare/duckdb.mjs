// Run one of the DuckDB queries of the benchmark comparison (from the npm
// package @duckdb/node-api):
//   node duckdb.mjs QUERY DROP_DIR CONFIG_DIR OUT_DIR PERIOD START END DATE YEAR
// QUERY: period (period.sql, the period's core job) or invoices (invoices.sql,
// the invoice sums only).  START/END: the period's bounds, DATE: its issue
// date.  DUCKDB_THREADS, when set, is DuckDB's thread count (default: its own,
// the cores).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const [query, drop, cfg, out, p, start, end, date, year] = process.argv.slice(2);
if (!['period', 'invoices'].includes(query) || year === undefined) {
	console.error('usage: node duckdb.mjs period|invoices DROP_DIR CONFIG_DIR OUT_DIR PERIOD START END DATE YEAR');
	process.exit(2);
}
const here = dirname(fileURLToPath(import.meta.url));
// common.sql (what both queries share) first, then the query.
const sql = (readFileSync(join(here, 'common.sql'), 'utf8') + readFileSync(join(here, `${query}.sql`), 'utf8'))
	.replaceAll('@DROP@', drop).replaceAll('@CFG@', cfg).replaceAll('@OUT@', out)
	.replaceAll('@P@', p).replaceAll('@START@', start).replaceAll('@END@', end)
	.replaceAll('@DATE@', date).replaceAll('@YEAR@', year);
const options = process.env.DUCKDB_THREADS ? { threads: process.env.DUCKDB_THREADS } : {};
const db = await DuckDBInstance.create(':memory:', options);
const con = await db.connect();
await con.run(sql);
