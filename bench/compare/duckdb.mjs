// Run period.sql in DuckDB (from the npm package @duckdb/node-api) for the
// benchmark comparison:  node duckdb.mjs DROP_DIR CONFIG_DIR OUT_DIR PERIOD
// START END DATE YEAR   (START/END: the period's bounds, DATE: its issue date)
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const [drop, cfg, out, p, start, end, date, year] = process.argv.slice(2);
const here = dirname(fileURLToPath(import.meta.url));
const sql = readFileSync(join(here, 'period.sql'), 'utf8')
	.replaceAll('@DROP@', drop).replaceAll('@CFG@', cfg).replaceAll('@OUT@', out)
	.replaceAll('@P@', p).replaceAll('@START@', start).replaceAll('@END@', end)
	.replaceAll('@DATE@', date).replaceAll('@YEAR@', year);
const db = await DuckDBInstance.create(':memory:');
const con = await db.connect();
await con.run(sql);
