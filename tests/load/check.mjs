// tests/load/check.mjs: the k6 scripts (tests/load/*.js) are not dead
// files, though k6 itself cannot be installed here.  For each profile:
//
//   - it parses and imports (node, with a stub of the k6 and k6/http
//     modules: k6-stub/, which records requests instead of sending them);
//   - its `options` are what k6 accepts: known options, scenarios with a
//     real executor and valid durations, starting one after the other,
//     thresholds on k6's own metrics with aggregations their type has,
//     tag filters naming existing scenarios;
//   - it is in step with its wrk twin (PROFILE.lua, run by luajit through
//     check.lua): the same request shapes (method, path, query keys, body
//     keys and types, content type), the same mix (each shape's share of
//     20,000 requests within a few standard deviations), the same
//     parameters (query and id ranges, value sets, body lengths, words).
//
// Speaks TAP.  Run as tests/load/check (which copies the scripts beside the
// stub, as node resolves "k6/http" from node_modules).
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [, , jsDir, luaDir] = process.argv;
const N = 20000;
const ENV = { BASE_URL: 'http://127.0.0.1:3000', PRODUCT_MAX: '5000', REVIEW_MIN: '1', REVIEW_MAX: '300' };

let n = 0;
let failed = 0;
function ok(msg) { n += 1; console.log(`ok ${n} - ${msg}`); }
function bad(msg, detail) {
	n += 1; failed += 1;
	console.log(`not ok ${n} - ${msg}`);
	for (const line of [].concat(detail || [])) console.log(`#   ${line}`);
}
function check(cond, msg, detail) { if (cond) ok(msg); else bad(msg, detail); }

// A deterministic Math.random (mulberry32), seeded by k6's randomSeed.
let state = 1;
function seed(s) { state = (Number(s) >>> 0) || 1; }
Math.random = function () {
	state = (state + 0x6D2B79F5) >>> 0;
	let t = state;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
globalThis.__k6stub = { seed, requests: [], responseCallback: null };
globalThis.__ENV = { ...ENV };
globalThis.__VU = 1;
globalThis.__ITER = 0;

// --- options, as k6 reads them ---------------------------------------------
const DURATION = /^(\d+(\.\d+)?(ms|s|m|h))+$/;
const EXECUTORS = {
	'constant-vus': ['vus', 'duration'],
	'ramping-vus': ['stages'],
	'shared-iterations': ['vus', 'iterations'],
	'per-vu-iterations': ['vus', 'iterations'],
	'constant-arrival-rate': ['rate', 'duration', 'preAllocatedVUs'],
	'ramping-arrival-rate': ['stages', 'preAllocatedVUs'],
	'externally-controlled': ['duration'],
};
const SCENARIO_KEYS = new Set(['executor', 'vus', 'duration', 'startTime', 'gracefulStop', 'exec',
	'env', 'tags', 'iterations', 'stages', 'startVUs', 'gracefulRampDown', 'rate', 'timeUnit',
	'preAllocatedVUs', 'maxVUs', 'maxDuration', 'startRate']);
const OPTION_KEYS = new Set(['scenarios', 'thresholds', 'discardResponseBodies', 'summaryTrendStats',
	'vus', 'duration', 'stages', 'iterations', 'noConnectionReuse', 'userAgent', 'insecureSkipTLSVerify',
	'summaryTimeUnit', 'tags', 'setupTimeout', 'teardownTimeout', 'batch', 'batchPerHost', 'httpDebug',
	'maxRedirects', 'minIterationDuration', 'noVUConnectionReuse', 'throw', 'ext', 'hosts']);
// k6's built-in metrics and their types.
const METRICS = {
	http_req_duration: 'trend', http_req_waiting: 'trend', http_req_connecting: 'trend',
	http_req_blocked: 'trend', http_req_sending: 'trend', http_req_receiving: 'trend',
	http_req_tls_handshaking: 'trend', iteration_duration: 'trend',
	http_req_failed: 'rate', checks: 'rate', http_reqs: 'counter', iterations: 'counter',
	data_sent: 'counter', data_received: 'counter', vus: 'gauge', vus_max: 'gauge',
};
const AGGREGATIONS = {
	trend: /^(avg|min|max|med|p\(\d+(\.\d+)?\))$/,
	rate: /^rate$/, counter: /^(count|rate)$/, gauge: /^value$/,
};
const THRESHOLD = /^\s*([a-z]+(\(\d+(\.\d+)?\))?)\s*(<=|>=|<|>|===|==|!=)\s*-?\d+(\.\d+)?\s*$/;
const TREND_STATS = /^(avg|min|med|max|count|p\(\d+(\.\d+)?\))$/;
function ms(d) {	// a k6 duration ("1m30s", "500ms") in milliseconds
	const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
	let total = 0;
	let m;
	while ((m = re.exec(d)) !== null) total += Number(m[1]) * { ms: 1, s: 1000, m: 60000, h: 3600000 }[m[2]];
	return total;
}

function optionProblems(o) {
	const p = [];
	if (o === null || typeof o !== 'object') return ['no options object'];
	for (const k of Object.keys(o)) if (!OPTION_KEYS.has(k)) p.push(`unknown option ${k}`);
	const sc = o.scenarios || {};
	const names = Object.keys(sc);
	if (names.length === 0) p.push('no scenarios');
	let lastStart = -1;
	let lastEnd = -1;
	for (const name of names) {
		const s = sc[name];
		if (!/^[A-Za-z0-9_-]+$/.test(name)) p.push(`scenario name ${name}`);
		const need = EXECUTORS[s.executor];
		if (!need) { p.push(`${name}: executor ${s.executor}`); continue; }
		for (const k of Object.keys(s)) if (!SCENARIO_KEYS.has(k)) p.push(`${name}: unknown key ${k}`);
		for (const k of need) if (s[k] === undefined) p.push(`${name}: ${s.executor} needs ${k}`);
		if (s.vus !== undefined && !(Number.isInteger(s.vus) && s.vus > 0)) p.push(`${name}: vus ${s.vus}`);
		for (const k of ['duration', 'startTime', 'gracefulStop']) {
			if (s[k] !== undefined && !(typeof s[k] === 'string' && DURATION.test(s[k])))
				p.push(`${name}: ${k} ${JSON.stringify(s[k])}`);
		}
		const start = ms(s.startTime || '0s');
		if (start < lastEnd) p.push(`${name} starts at ${start} ms, before the one before it ends (${lastEnd} ms)`);
		if (start <= lastStart) p.push(`${name} does not start after the one before it`);
		lastStart = start;
		lastEnd = start + ms(s.duration || '0s');
	}
	for (const [key, list] of Object.entries(o.thresholds || {})) {
		const m = /^([a-z_]+)(\{([a-z_]+):([^}]+)\})?$/.exec(key);
		if (!m) { p.push(`threshold key ${key}`); continue; }
		const type = METRICS[m[1]];
		if (!type) { p.push(`threshold on unknown metric ${m[1]}`); continue; }
		if (m[3] === 'scenario' && !names.includes(m[4])) p.push(`threshold ${key}: no scenario ${m[4]}`);
		if (!Array.isArray(list) || list.length === 0) { p.push(`threshold ${key}: not a list`); continue; }
		for (const t of list) {
			const expr = typeof t === 'string' ? t : t && t.threshold;
			const e = THRESHOLD.exec(expr || '');
			if (!e) p.push(`threshold ${key}: ${JSON.stringify(t)}`);
			else if (!AGGREGATIONS[type].test(e[1])) p.push(`threshold ${key}: ${e[1]} on a ${type} metric`);
		}
	}
	for (const s of o.summaryTrendStats || []) if (!TREND_STATS.test(s)) p.push(`summaryTrendStats ${s}`);
	if (o.discardResponseBodies !== undefined && typeof o.discardResponseBodies !== 'boolean')
		p.push('discardResponseBodies not a boolean');
	return p;
}

// --- requests, as shapes and parameters ------------------------------------
function parseRequest(method, target, ct, body) {
	const u = new URL(target, ENV.BASE_URL);
	const segs = u.pathname.split('/');
	const ids = [];
	const tmpl = segs.map((s) => (/^\d+$/.test(s) ? (ids.push(Number(s)), '{id}') : s)).join('/');
	const q = [...u.searchParams.entries()];
	let doc = null;
	if (body) {
		try { doc = JSON.parse(body); } catch { doc = { __not_json__: body.slice(0, 40) }; }
	}
	const typeOf = (v) => (Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v);
	const bodyShape = doc ? Object.keys(doc).map((k) => `${k}:${typeOf(doc[k])}`).join(',') : '';
	const shape = `${method} ${tmpl}?${q.map(([k]) => k).join('&')} ${ct || '-'} {${bodyShape}}`;
	return { shape, ids, q, doc };
}

// Everything a profile's requests say, summed: shape counts, id ranges,
// query values, body fields (ranges, value patterns, words, shares).
function summarize(reqs) {
	const s = { n: reqs.length, shapes: {}, params: {} };
	const add = (key, v) => {
		const p = s.params[key] || (s.params[key] = { n: 0, min: Infinity, max: -Infinity, vals: new Set(), pats: new Set(), words: new Set(), truthy: 0, len: [Infinity, -Infinity] });
		p.n += 1;
		if (typeof v === 'number') { p.min = Math.min(p.min, v); p.max = Math.max(p.max, v); }
		else if (typeof v === 'boolean') { if (v) p.truthy += 1; p.vals.add(v); }
		else if (typeof v === 'string') {
			if (/^\d+$/.test(v)) { const x = Number(v); p.min = Math.min(p.min, x); p.max = Math.max(p.max, x); return; }
			p.vals.add(v);
			p.pats.add(v.replace(/\d+/g, '9').replace(/[A-Za-z]+/g, 'a'));
			for (const w of v.split(/[^A-Za-z]+/)) if (w) p.words.add(w);
			p.len = [Math.min(p.len[0], v.length), Math.max(p.len[1], v.length)];
		} else if (Array.isArray(v)) {
			if (v.length) p.truthy += 1;
			p.len = [Math.min(p.len[0], v.length), Math.max(p.len[1], v.length)];
			for (const x of v) add(`${key}[]`, x);
		}
	};
	for (const r of reqs) {
		s.shapes[r.shape] = (s.shapes[r.shape] || 0) + 1;
		const base = r.shape.split(' ').slice(0, 2).join(' ');
		r.ids.forEach((id, i) => add(`${base} id${i}`, id));
		for (const [k, v] of r.q) add(`${base} ${k}`, v);
		if (r.doc) for (const [k, v] of Object.entries(r.doc)) add(`${base} .${k}`, v);
	}
	return s;
}

function share(count, total) { return count / total; }
function close(a, na, b, nb) {	// two shares within 4.5 standard deviations
	const p = (a * na + b * nb) / (na + nb);
	return Math.abs(a - b) <= 4.5 * Math.sqrt(p * (1 - p) * (1 / na + 1 / nb)) + 1e-9;
}
const setEq = (a, b) => a.size === b.size && [...a].every((x) => b.has(x));
const fmt = (set) => [...set].sort().slice(0, 12).join(' | ');

function compare(name, js, lua) {
	const shapes = new Set([...Object.keys(js.shapes), ...Object.keys(lua.shapes)]);
	const missing = [...shapes].filter((k) => !js.shapes[k] || !lua.shapes[k])
		.map((k) => `${k}: k6 ${js.shapes[k] || 0}, wrk ${lua.shapes[k] || 0}`);
	check(missing.length === 0, `${name}: k6 and wrk send the same request shapes (${Object.keys(js.shapes).length})`, missing);
	const off = [];
	for (const k of shapes) {
		const a = share(js.shapes[k] || 0, js.n);
		const b = share(lua.shapes[k] || 0, lua.n);
		if (!close(a, js.n, b, lua.n)) off.push(`${k}: k6 ${(100 * a).toFixed(2)}%, wrk ${(100 * b).toFixed(2)}%`);
	}
	const mix = [...shapes].map((k) => `${(100 * share(js.shapes[k] || 0, js.n)).toFixed(1)}% ${k.split(' ').slice(0, 2).join(' ')}`);
	check(off.length === 0, `${name}: the same mix (${mix.join(', ')})`, off);
	const diffs = [];
	const keys = new Set([...Object.keys(js.params), ...Object.keys(lua.params)]);
	for (const k of keys) {
		const a = js.params[k];
		const b = lua.params[k];
		if (!a || !b) { diffs.push(`${k}: only in ${a ? 'k6' : 'wrk'}`); continue; }
		// Ranges: drawn, so a small sample may miss an end by about
		// width / samples.
		// A Zipf profile's draws are H(N) times sparser than uniform ones
		// at the top end (the density at rank k is 1 / (k H(N))).
		const sparse = name.endsWith('_zipf') ? 2 * (Math.log(Number(ENV.PRODUCT_MAX)) + 0.5772) : 1;
		const tol = Math.floor(5 * sparse * (Math.max(a.max, b.max) - Math.min(a.min, b.min) + 1) / Math.min(a.n, b.n));
		if (Math.abs(a.min - b.min) > tol || Math.abs(a.max - b.max) > tol) diffs.push(`${k}: range k6 ${a.min}..${a.max}, wrk ${b.min}..${b.max}`);
		if (a.pats.size <= 20 || b.pats.size <= 20) {
			if (!setEq(a.pats, b.pats)) diffs.push(`${k}: values k6 ${fmt(a.pats)}; wrk ${fmt(b.pats)}`);
			if (a.vals.size <= 20 && !setEq(a.vals, b.vals)) diffs.push(`${k}: values k6 ${fmt(a.vals)}; wrk ${fmt(b.vals)}`);
		}
		if (!setEq(a.words, b.words)) diffs.push(`${k}: words k6 ${fmt(a.words)}; wrk ${fmt(b.words)}`);
		if (Math.abs(a.len[0] - b.len[0]) > Math.max(2, 0.05 * a.len[1]) || Math.abs(a.len[1] - b.len[1]) > Math.max(2, 0.05 * a.len[1]))
			diffs.push(`${k}: lengths k6 ${a.len.join('..')}, wrk ${b.len.join('..')}`);
		if (!close(a.truthy / a.n, a.n, b.truthy / b.n, b.n))
			diffs.push(`${k}: true or non-empty k6 ${(100 * a.truthy / a.n).toFixed(1)}%, wrk ${(100 * b.truthy / b.n).toFixed(1)}%`);
	}
	check(diffs.length === 0, `${name}: the same parameters (${keys.size}: ranges, values, lengths, words, shares)`, diffs);
}

// --- each profile ----------------------------------------------------------
const profiles = readdirSync(jsDir).filter((f) => f.endsWith('.js') && f !== 'common.js').map((f) => f.slice(0, -3)).sort();
const luaProfiles = readdirSync(luaDir).filter((f) => f.endsWith('.lua') && f !== 'common.lua' && f !== 'check.lua').map((f) => f.slice(0, -4)).sort();
check(profiles.join(' ') === luaProfiles.join(' ') && profiles.length > 0,
	`every k6 profile has its wrk twin and back (${profiles.join(', ')})`,
	[`k6: ${profiles.join(' ')}`, `wrk: ${luaProfiles.join(' ')}`]);

for (const name of profiles) {
	let mod;
	globalThis.__k6stub.requests = [];
	try {
		mod = await import(pathToFileURL(path.join(jsDir, `${name}.js`)).href);
		ok(`${name}.js parses and imports (k6 and k6/http stubbed)`);
	} catch (e) {
		bad(`${name}.js does not import: ${e.message}`);
		continue;
	}
	const problems = optionProblems(mod.options);
	check(problems.length === 0, `${name}.js: options k6 accepts (${Object.keys(mod.options?.scenarios || {}).length} scenarios, ${Object.keys(mod.options?.thresholds || {}).length} thresholds)`, problems);
	// Another stage list through the environment: still valid.
	globalThis.__ENV = { ...ENV, CONNS: '8', DURATION: '3', P99_MS: '50' };
	const again = await import(`${pathToFileURL(path.join(jsDir, `${name}.js`)).href}?env=2`);
	globalThis.__ENV = { ...ENV };
	const p2 = optionProblems(again.options);
	check(p2.length === 0 && Object.keys(again.options.scenarios).length === 1 &&
		JSON.stringify(again.options.thresholds['http_req_duration']) === '["p(99)<50"]',
		`${name}.js: CONNS, DURATION and P99_MS shape its options`, p2.concat([JSON.stringify(again.options)]));
	const cb = globalThis.__k6stub.responseCallback;
	check(cb && JSON.stringify(cb.ranges) === '[{"min":200,"max":299}]', `${name}.js: only 2xx counts as success`);
	if (typeof mod.default !== 'function') { bad(`${name}.js exports no default function`); continue; }
	globalThis.__k6stub.requests = [];
	for (let i = 0; i < N; i += 1) { globalThis.__ITER = i; mod.default(); }
	const jsReqs = globalThis.__k6stub.requests.map((r) => {
		const ct = Object.entries(r.headers).find(([k]) => k.toLowerCase() === 'content-type');
		return parseRequest(r.method, r.url.slice(ENV.BASE_URL.length), ct ? ct[1] : '', r.body);
	});
	const base = new Set(globalThis.__k6stub.requests.map((r) => r.url.slice(0, ENV.BASE_URL.length)));
	check(base.size === 1 && base.has(ENV.BASE_URL), `${name}.js: every request goes to BASE_URL`, [...base]);
	let out;
	try {
		out = execFileSync('luajit', [path.join(luaDir, 'check.lua'), name, String(N)],
			{ env: { ...process.env, ...ENV }, maxBuffer: 1 << 28 }).toString();
	} catch (e) {
		bad(`${name}.lua does not run under luajit: ${e.message.split('\n')[0]}`);
		continue;
	}
	const luaReqs = out.split('\n').filter(Boolean).map((l) => {
		const [m, p, ct, b] = l.split('\t');
		return parseRequest(m, p, ct, b);
	});
	check(luaReqs.length === N, `${name}.lua runs under luajit (${luaReqs.length} requests)`);
	compare(name, summarize(jsReqs), summarize(luaReqs));
}

console.log(`1..${n}`);
process.exit(failed === 0 ? 0 : 1);
