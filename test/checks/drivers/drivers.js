// node-postgres against b2btarget: read and write a column of every type,
// propensity as a number (text and binary), jsonb casts, every report function.
// NODE_PATH=<dir with pg> node drivers.js REPORTS_SQL  (connection from PG* variables)
const fs = require('fs');
const { Client, types } = require('pg');
const SCALAR = ['stage', 'role', 'seg', 'cell'];
const SUMMARY = ['f', 'j', 'c', 'm', 'l', 'rt', 'vt', 'bg', 'gg', 'ls', 'sh', 'qs', 'rh', 'tp', 'att', 'cal', 'up', 'tpl', 'km', 'sv', 'ci', 'st'];

function check(ok, what) {
	console.log((ok ? 'ok - ' : 'not ok - ') + what);
	if (!ok) process.exit(1);
}

(async () => {
	const client = new Client();
	await client.connect();
	let r = await client.query('SELECT * FROM drv_all');
	const row = r.rows[0];
	const field = Object.fromEntries(r.fields.map(f => [f.name, f]));
	check(field.p.dataTypeID === 701, 'node-pg: propensity field has type OID 701 (float8)');
	check(typeof row.p === 'number' && row.p === 0.73, 'node-pg: propensity reads as number 0.73');
	for (const c of SCALAR.concat(SUMMARY))
		check(typeof row[c] === 'string' && row[c].length > 0, 'node-pg: ' + c + ' reads as string');
	r = await client.query('SELECT ' + SUMMARY.map(c => c + '::jsonb AS ' + c).join(', ') + ' FROM drv_all');
	check(SUMMARY.every(c => typeof r.rows[0][c] === 'object'), 'node-pg: every summary ::jsonb reads as an object');
	// arrays of our types: register a parser for the array OID
	check(row.stages === '{awareness,decision}', 'node-pg: journey_stage[] unregistered reads as string');
	const oid = (await client.query("SELECT 'journey_stage[]'::regtype::oid AS o")).rows[0].o;
	types.setTypeParser(Number(oid), types.getTypeParser(1009));	// text[]'s parser
	r = await client.query('SELECT stages FROM drv_all');
	check(JSON.stringify(r.rows[0].stages) === '["awareness","decision"]', 'node-pg: journey_stage[] with text[]\'s parser reads as array');
	// binary results (extended protocol).  node-postgres 8 decodes binary
	// fields through a UTF-8 string, which mangles float8 bytes (its own
	// float8 too), so only check that propensity travels exactly as float8.
	r = await client.query({ text: 'SELECT p, 0.73::float8 AS f8, stage FROM drv_all WHERE id = $1', values: [1], binary: true });
	check(r.fields[0].format === 'binary' && r.fields[0].dataTypeID === 701 && r.rows[0].p === r.rows[0].f8,
		'node-pg binary: propensity arrives as float8, decoded exactly like a float8');
	// write every column back with parameters
	await client.query('TRUNCATE drv_write');
	const cols = Object.keys(row);
	const vals = cols.map(c => c === 'stages' ? '{awareness,decision}' : row[c]);
	await client.query('INSERT INTO drv_write (' + cols.join(', ') + ') VALUES (' + cols.map((_, i) => '$' + (i + 1)).join(', ') + ')', vals);
	const on = SCALAR.concat(SUMMARY, ['p', 'stages']).map(c => 'a.' + c + ' = b.' + c).join(' AND ');
	r = await client.query('SELECT count(*)::int AS n FROM drv_all a JOIN drv_write b ON ' + on);
	check(r.rows[0].n === 1, 'node-pg: every column written back with parameters is = to the original');
	let n = 0;
	for (const q of fs.readFileSync(process.argv[2], 'utf8').split('\n')) {
		if (q.startsWith('--') || !q.trim()) continue;
		r = await client.query(q);
		check(r.rows.length > 0, 'node-pg report: ' + q.slice(0, 60));
		n++;
	}
	r = await client.query('SELECT r.* FROM drv_all, journey_timeline(j) r ORDER BY stay');
	check(typeof r.rows[0].days === 'number' && typeof r.rows[0].stage_ordinal === 'number', 'node-pg: journey_timeline days and stage_ordinal are numbers');
	console.log('# node-postgres ' + require('pg/package.json').version + ': ' + n + ' report functions');
	await client.end();
})().catch(e => { console.log('not ok - node-pg: ' + e.message); process.exit(1); });
