// tests/openapi/check.mjs: docs/openapi.yaml held against the service.
//
//   node check.mjs SPEC REDOCLY_CONFIG EXCHANGE_DIR
//
// 1. `redocly lint` passes (its config: recommended-strict, so a warning
//    fails too, with the exceptions redocly.yaml and
//    .redocly.lint-ignore.yaml give reasons for).
// 2. Every response schema of the spec compiles (ajv, JSON Schema 2020-12,
//    as OpenAPI 3.1 says), $refs resolved here.
// 3. Every exchange the HTTP suites recorded (tests/lib.sh, with
//    EXCHANGE_DIR set) is routed as the service routes it (the /api prefix
//    and one trailing slash dropped, the path split at literal slashes and
//    each segment percent-decoded) to a documented operation, or to
//    x-outside-operations (OPTIONS, TRACE, unknown paths, other methods),
//    and its answer must be documented there: the status, the exact
//    Content-Type (or no body and no Content-Type where none is
//    documented), the body against its schema, every required header
//    present and every documented header's value against its schema; a
//    405's Allow names exactly the path's methods.  A 2xx or 304 also
//    proves the request was one the spec calls valid: its query, path
//    and header parameters validate, its body (when not empty) was of a
//    documented media type (or one '*/*' takes) and, as JSON, validates,
//    and a 304 answered an If-None-Match.  One TAP line per (operation, status) seen, naming
//    the failing exchanges (suite, the check they fed, request, what is
//    wrong).
// 4. One ETag per body, one body per ETag, over every tagged answer.
// 5. Every documented path and method was exercised at least once.
//
// Speaks TAP, numbered as tests/run's tap_count reads it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import yaml from 'js-yaml';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const [, , specFile, configFile, exchangeDir] = process.argv;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
const SHOWN = 5;	// failing exchanges named per TAP line

let n = 0;
let failed = 0;
function ok(msg) { n += 1; console.log(`ok ${n} - ${msg.replace(/#/g, '\\#')}`); }
function bad(msg, detail) {
	n += 1; failed += 1;
	console.log(`not ok ${n} - ${msg.replace(/#/g, '\\#')}`);
	for (const line of [].concat(detail || [])) console.log(`#   ${line}`);
}
function note(msg) { console.log(`# ${msg}`); }
function finish() {
	console.log(`1..${n}`);
	note(`openapi: ${n - failed} passed, ${failed} failed`);
	process.exit(failed === 0 ? 0 : 1);
}

// --- 1. lint -----------------------------------------------------------------
function lint() {
	const bin = path.join(HERE, 'node_modules', '.bin', 'redocly');
	const r = spawnSync(bin, ['lint', specFile, '--config', configFile, '--format', 'stylish'],
		{ encoding: 'utf8', env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' } });
	const out = `${r.stdout || ''}${r.stderr || ''}`.replace(/\x1b\[[0-9;]*m/g, '');
	const ignored = (out.match(/(\d+) problems? (is|are) explicitly ignored/) || [])[1] || '0';
	const rel = path.relative(path.resolve(HERE, '..', '..'), specFile);
	if (r.status === 0 && !/warning|error/i.test(out.replace(/explicitly ignored/g, '')))
		ok(`redocly lint ${rel}: valid, no errors or warnings (recommended-strict; ${ignored} problems ignored with reasons)`);
	else
		bad(`redocly lint ${rel}: exit ${r.status}`, out.split('\n').filter((l) => l.trim() !== ''));
}

// --- 2. the spec, its $refs resolved ----------------------------------------
// Internal references only (#/...): each is replaced by what it points at,
// recursively; siblings of a $ref (a description) are dropped, as they
// change no answer.  The spec has no recursive schemas.
function resolver(doc) {
	const pointer = (ref) => ref.slice(2).split('/')
		.map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
		.reduce((o, k) => {
			if (o === undefined || !(k in o)) throw new Error(`unresolved $ref ${ref}`);
			return o[k];
		}, doc);
	const deref = (node, depth = 0) => {
		if (depth > 64) throw new Error('$ref nesting too deep (a cycle?)');
		if (Array.isArray(node)) return node.map((v) => deref(v, depth + 1));
		if (node === null || typeof node !== 'object') return node;
		if (typeof node.$ref === 'string') {
			if (!node.$ref.startsWith('#/')) throw new Error(`external $ref ${node.$ref}`);
			return deref(pointer(node.$ref), depth + 1);
		}
		const out = {};
		for (const [k, v] of Object.entries(node)) out[k] = deref(v, depth + 1);
		return out;
	};
	return deref;
}

// OpenAPI's own keywords inside a Schema Object that JSON Schema does not
// know (ajv's strict mode refuses unknown keywords).
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
addFormats(ajv);
for (const k of ['discriminator', 'xml', 'externalDocs', 'example']) ajv.addKeyword(k);
const compiled = new Map();
function validator(schema) {
	const key = JSON.stringify(schema);
	if (!compiled.has(key)) compiled.set(key, ajv.compile(schema));
	return compiled.get(key);
}
function schemaErrors(schema, value) {
	const v = validator(schema);
	if (v(value)) return [];
	return v.errors.slice(0, 3).map((e) => `${e.instancePath || '(root)'} ${e.keyword === 'pattern' ? 'does not match its pattern' : e.message}`
		+ (e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : '')
		+ (e.params && e.params.allowedValues ? ` (${e.params.allowedValues.join(', ')})` : ''));
}

let spec;
let deref;
let operations;	// [{ template, segs, method, op }]
function loadSpec() {
	try {
		const doc = yaml.load(readFileSync(specFile, 'utf8'));
		deref = resolver(doc);
		spec = deref(doc);
		operations = [];
		let responses = 0;
		for (const [template, item] of Object.entries(spec.paths)) {
			for (const method of METHODS) {
				if (!item[method]) continue;
				const op = item[method];
				op.allParameters = [...(item.parameters || []), ...(op.parameters || [])];
				operations.push({ template, segs: template.split('/').slice(1), method, op });
				for (const r of Object.values(op.responses)) responses += compileResponse(r);
				for (const p of op.allParameters) validator(p.schema);
				for (const m of Object.values((op.requestBody || {}).content || {})) validator(m.schema);
			}
		}
		for (const group of Object.values(spec['x-outside-operations']))
			for (const r of Object.values(group)) responses += compileResponse(r);
		ok(`${path.basename(specFile)} loads, every $ref resolves, and its ${operations.length} operations' `
			+ `${responses} responses, parameters and request bodies compile (ajv, JSON Schema 2020-12)`);
		return true;
	} catch (e) {
		bad(`${path.basename(specFile)} loads and its schemas compile`, String(e.stack || e).split('\n').slice(0, 8));
		return false;
	}
}
function compileResponse(r) {
	for (const m of Object.values(r.content || {})) if (m.schema) validator(m.schema);
	for (const h of Object.values(r.headers || {})) if (h.schema) validator(h.schema);
	return 1;
}

// --- 3. the exchanges --------------------------------------------------------
// index.tsv, one line per exchange: suite, the check it fed, method,
// status, file stem, URL as curl sent it.  The stem's files: .headers (as
// curl wrote them: a 100 Continue block may come first), .body,
// .reqheaders (the request's -H lines), .reqbody (when there was one).
function readExchanges() {
	const index = path.join(exchangeDir, 'index.tsv');
	if (!existsSync(index)) return [];
	return readFileSync(index, 'utf8').split('\n').filter((l) => l !== '').map((line) => {
		const f = line.split('\t');
		const stem = path.join(exchangeDir, f[4]);
		const read = (ext) => (existsSync(stem + ext) ? readFileSync(stem + ext) : null);
		return {
			suite: f[0], check: f[1], method: f[2], status: f[3], url: f.slice(5).join('\t'),
			headers: parseHeaders(read('.headers')), body: read('.body') || Buffer.alloc(0),
			reqHeaders: parseRequestHeaders(read('.reqheaders')), reqBody: read('.reqbody'),
		};
	});
}
function parseHeaders(buf) {
	const h = new Map();
	if (buf === null) return h;
	const blocks = buf.toString('latin1').split('\r\n\r\n').filter((b) => b.startsWith('HTTP/'));
	const last = blocks[blocks.length - 1] || '';
	for (const line of last.split('\r\n').slice(1)) {
		const i = line.indexOf(':');
		if (i <= 0) continue;
		const k = line.slice(0, i).trim().toLowerCase();
		h.set(k, [...(h.get(k) || []), line.slice(i + 1).trim()]);
	}
	return h;
}
function parseRequestHeaders(buf) {
	const h = new Map();
	if (buf === null) return h;
	for (const line of buf.toString('latin1').split('\n')) {
		const i = line.indexOf(':');
		if (i <= 0 || line.slice(i + 1).trim() === '') continue;	// "Name:" removes it
		h.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
	}
	return h;
}
function exchangeName(x) {
	const url = x.url.replace(/^[a-z]+:\/\/[^/]*/, '');
	return `${x.suite} check ${x.check}: ${x.method} ${url.length > 90 ? `${url.slice(0, 90)}...` : url} -> ${x.status}`;
}

// The service's routing (README, "Paths"; router.c).
function pctDecode(s, plus) {
	const bytes = [];
	for (let i = 0; i < s.length; i++) {
		const c = s[i];
		if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
			bytes.push(parseInt(s.slice(i + 1, i + 3), 16)); i += 2;
		} else if (c === '+' && plus) {
			bytes.push(0x20);
		} else {
			for (const b of Buffer.from(c, 'utf8')) bytes.push(b);
		}
	}
	return Buffer.from(bytes).toString('utf8');
}
function route(x) {
	let target = x.url.replace(/^[a-z]+:\/\/[^/]*/, '');
	const q = target.indexOf('?');
	const query = q < 0 ? '' : target.slice(q + 1);
	let p = q < 0 ? target : target.slice(0, q);
	if (/^\/api\//.test(p)) p = p.slice(4);	// nginx.conf's map: /api/..., not /api
	if (p.length > 1 && p.endsWith('/')) p = p.slice(0, -1);
	const segs = p.split('/').slice(1).map((s) => pctDecode(s, false));
	const outside = spec['x-outside-operations'];
	const fits = operations.filter((o) => o.segs.length === segs.length
		&& o.segs.every((t, i) => /^\{.*\}$/.test(t) || t === segs[i]));
	const templates = [...new Set(fits.map((o) => o.template))];
	if (x.method === 'OPTIONS') return { group: 'OPTIONS (any path)', responses: outside.options };
	if (x.method === 'TRACE') return { group: 'TRACE (any path)', responses: outside.trace };
	if (templates.length === 0) return { group: 'unknown path', responses: outside['unknown-path'] };
	const method = x.method === 'HEAD' ? 'get' : x.method.toLowerCase();
	const o = fits.find((f) => f.method === method);
	if (!o) {
		const allow = ['get', 'post', 'put'].filter((m) => fits.some((f) => f.method === m))
			.map((m) => m.toUpperCase()).join(', ');
		return { group: `${templates[0]} other methods`, responses: outside['other-method'], allow };
	}
	const params = {};
	o.segs.forEach((t, i) => { if (/^\{.*\}$/.test(t)) params[t.slice(1, -1)] = segs[i]; });
	return { group: `${o.method.toUpperCase()} ${o.template}`, responses: o.op.responses, op: o, query, params };
}

// A parameter's string as its schema's type: digits for integers (the
// service takes digits only), true/false for booleans, comma lists for
// form arrays that do not explode; anything else stays a string, which the
// schema then refuses.
function coerce(s, schema, p) {
	if (schema.type === 'array') {
		if (p && p.explode !== false) return [coerce(s, schema.items)];
		return s.split(',').map((v) => coerce(v, schema.items));
	}
	const types = [].concat(schema.type || []);
	if (types.includes('integer') && /^[0-9]+$/.test(s)) return Number(s);
	if (types.includes('boolean') && (s === 'true' || s === 'false')) return s === 'true';
	return s;
}
function parseQuery(qs) {
	const m = new Map();
	if (qs === '') return m;
	for (const part of qs.split('&')) {
		const eq = part.indexOf('=');
		const k = pctDecode(eq < 0 ? part : part.slice(0, eq), true);
		m.set(k, [...(m.get(k) || []), eq < 0 ? '' : pctDecode(part.slice(eq + 1), true)]);
	}
	return m;
}

// What a successful answer proves about its request: it was valid.
function requestProblems(x, r) {
	const problems = [];
	const query = parseQuery(r.query);
	for (const p of r.op.op.allParameters) {
		let raw;
		if (p.in === 'query') {
			const vals = query.get(p.name);
			if (vals && vals.length > 1) { problems.push(`query ${p.name} given twice`); continue; }
			raw = vals ? vals[0] : undefined;
		} else if (p.in === 'path') raw = r.params[p.name];
		else if (p.in === 'header') raw = x.reqHeaders.get(p.name.toLowerCase());
		else continue;
		if (raw === undefined) {
			if (p.required) problems.push(`${p.in} parameter ${p.name} missing`);
			continue;
		}
		if (raw === '' && p.allowEmptyValue) continue;
		for (const e of schemaErrors(p.schema, coerce(raw, p.schema, p)))
			problems.push(`${p.in} parameter ${p.name}=${JSON.stringify(raw).slice(0, 40)}: ${e}`);
	}
	const rb = r.op.op.requestBody;
	const sentBody = x.reqBody !== null && x.reqBody.length > 0;	// empty: none
	if (rb && sentBody) {
		// The body's media type as the request sent it (curl's default
		// for --data-binary when no -H named one), matched to the
		// operation's without parameters; '*/*' takes any other.
		const bare = (m) => mediaKey(m.split(';')[0]);
		const sent = bare(x.reqHeaders.get('content-type') || 'application/x-www-form-urlencoded');
		const types = Object.keys(rb.content);
		const key = types.find((m) => bare(m) === sent) || types.find((m) => m === '*/*');
		if (key === undefined) {
			problems.push(`request Content-Type ${sent} is not documented (documented: ${types.join(', ')})`);
		} else if (/^application\/json$/.test(bare(key))) {
			let doc;
			try { doc = JSON.parse(x.reqBody.toString('utf8')); } catch (e) { problems.push('request body is not JSON'); }
			if (doc !== undefined)
				for (const e of schemaErrors(rb.content[key].schema, doc)) problems.push(`request body ${e}`);
		}
	} else if (rb && rb.required && !sentBody) {
		problems.push('request body missing');
	}
	if (x.status === '304' && !x.reqHeaders.has('if-none-match'))
		problems.push('a 304 without If-None-Match');
	return problems;
}

function mediaKey(s) { return s.toLowerCase().replace(/\s*;\s*/g, '; ').trim(); }

// What is wrong with x's answer, routed to r; [] when nothing.
function answerProblems(x, r) {
	const responses = r.responses || {};
	const resp = responses[x.status] || responses[`${x.status[0]}XX`] || responses.default;
	if (!resp) return [`status ${x.status} is not documented here (documented: ${Object.keys(responses).join(', ')})`];
	const problems = [];
	const ct = (x.headers.get('content-type') || [])[0];
	const content = resp.content || {};
	const media = Object.keys(content);
	if (media.length === 0) {
		if (x.body.length > 0) problems.push(`a body of ${x.body.length} bytes where none is documented`);
		if (ct !== undefined) problems.push(`Content-Type ${ct} where no body is documented`);
	} else if (ct === undefined) {
		problems.push(`no Content-Type (documented: ${media.join(', ')})`);
	} else {
		const key = media.find((m) => mediaKey(m) === mediaKey(ct));
		if (key === undefined) {
			problems.push(`Content-Type ${ct} (documented: ${media.join(', ')})`);
		} else if (x.method !== 'HEAD') {
			let text;
			try {
				text = new TextDecoder('utf-8', { fatal: true }).decode(x.body);
			} catch (e) {
				problems.push('the body is not valid UTF-8');
			}
			if (text !== undefined) {
				let doc = text;
				if (/^application\/json\b/.test(mediaKey(key))) {
					try { doc = JSON.parse(text); } catch (e) {
						problems.push(`the body is not JSON: ${text.slice(0, 60)}`);
						doc = undefined;
					}
				}
				if (doc !== undefined && content[key].schema)
					for (const e of schemaErrors(content[key].schema, doc)) problems.push(`body ${e}`);
			}
		}
	}
	for (const [name, h] of Object.entries(resp.headers || {})) {
		if (name.toLowerCase() === 'content-type') continue;	// OpenAPI ignores it
		const got = x.headers.get(name.toLowerCase());
		if (got === undefined) {
			if (h.required) problems.push(`no ${name} header`);
			continue;
		}
		if (got.length > 1) problems.push(`${name} sent ${got.length} times`);
		if (h.schema)
			for (const e of schemaErrors(h.schema, coerce(got[0], h.schema)))
				problems.push(`header ${name}: ${JSON.stringify(got[0])} ${e}`);
	}
	if (r.allow !== undefined && x.status === '405' && (x.headers.get('allow') || [])[0] !== r.allow)
		problems.push(`Allow ${JSON.stringify((x.headers.get('allow') || [])[0] || null)}, the path's methods are ${r.allow}`);
	if (r.op && (x.status[0] === '2' || x.status === '304')) problems.push(...requestProblems(x, r));
	return problems;
}

function checkExchanges(exchanges) {
	const groups = new Map();	// "group status" -> { count, failures }
	const exercised = new Set();
	let noAnswer = 0;
	for (const x of exchanges) {
		if (!/^[1-5][0-9][0-9]$/.test(x.status)) { noAnswer++; continue; }
		const r = route(x);
		if (r.op) exercised.add(`${r.op.method} ${r.op.template}`);
		const key = `${r.group} ${x.status}`;
		if (!groups.has(key)) groups.set(key, { count: 0, failures: [] });
		const g = groups.get(key);
		g.count++;
		const problems = answerProblems(x, r);
		if (problems.length > 0) g.failures.push(`${exchangeName(x)}: ${problems.join('; ')}`);
	}
	const suites = [...new Set(exchanges.map((x) => x.suite))];
	note(`openapi: ${exchanges.length} exchanges from ${suites.join(', ')}`
		+ (noAnswer > 0 ? `; ${noAnswer} got no HTTP answer (status ${[...new Set(exchanges.filter((x) => !/^[1-5]/.test(x.status)).map((x) => x.status))].join(', ')}: the suite that sent them judges those)` : ''));
	for (const key of [...groups.keys()].sort()) {
		const g = groups.get(key);
		if (g.failures.length === 0) {
			ok(`${key}: ${g.count} answer${g.count === 1 ? '' : 's'} as documented`);
		} else {
			const more = g.failures.length > SHOWN ? [`... and ${g.failures.length - SHOWN} more`] : [];
			bad(`${key}: ${g.failures.length} of ${g.count} answers not as documented`, [...g.failures.slice(0, SHOWN), ...more]);
		}
	}
	return exercised;
}

// --- 4. ETags: a function of the body's bytes --------------------------------
function checkEtags(exchanges) {
	const byBody = new Map();
	const byTag = new Map();
	const clash = [];
	for (const x of exchanges) {
		const tag = (x.headers.get('etag') || [])[0];
		if (tag === undefined || x.status !== '200' || x.method === 'HEAD') continue;
		const body = x.body.toString('latin1');
		if (byBody.has(body) && byBody.get(body) !== tag)
			clash.push(`${exchangeName(x)}: ETag ${tag}, the same body had ${byBody.get(body)}`);
		if (byTag.has(tag) && byTag.get(tag) !== body)
			clash.push(`${exchangeName(x)}: ETag ${tag} was another body's too`);
		byBody.set(body, tag);
		byTag.set(tag, body);
	}
	if (byTag.size === 0) bad('ETag: no tagged answer was recorded');
	else if (clash.length === 0) ok(`ETag: one tag per body and one body per tag (${byTag.size} bodies)`);
	else bad('ETag: not a function of the body', clash.slice(0, SHOWN));
}

// --- 5. coverage -------------------------------------------------------------
function checkCoverage(exercised) {
	const all = operations.map((o) => `${o.method} ${o.template}`);
	const missing = all.filter((k) => !exercised.has(k));
	if (missing.length === 0)
		ok(`every documented operation was exercised: ${all.map((k) => k.replace(/^\w+/, (m) => m.toUpperCase())).join(', ')}`);
	else
		bad(`every documented operation was exercised: ${missing.length} never were`,
			missing.map((k) => k.replace(/^\w+/, (m) => m.toUpperCase())));
}

lint();
if (loadSpec()) {
	const exchanges = readExchanges();
	if (exchanges.length === 0) {
		bad(`exchanges recorded in ${exchangeDir}: none (run with the suites that record them: spawn/stack test e2e hostile openapi)`);
	} else {
		checkCoverage(checkExchanges(exchanges));
		checkEtags(exchanges);
	}
}
finish();
