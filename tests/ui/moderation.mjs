// tests/ui/moderation.mjs PHASE: the moderation page in Debian's Chromium,
// driven by playwright-core (tests/ui.sh runs it; it installs nothing and
// downloads no browser).  It prints one "ok - ..." or "not ok - ..." line
// per check and "# ..." notes; tests/ui.sh numbers them into its own TAP
// stream, between the checks it makes itself with curl and SQL.  Exit 0
// when the phase ran to its end, whatever its checks found; anything else
// means the driver itself broke (tests/ui.sh counts that as a failure).
//
//   wrong     the page's headers, then a wrong token: an error, no queue,
//             nothing stored
//   moderate  sign in; the queue with reasons; restore A; answer B and
//             restore it; remove C; C in the decided list; sign out; sign
//             in again, the token revoked (UI_REVOKE), restoring D refused
//   policy    the CSP at work: innerHTML and an inline script refused
//
// Every phase: every request the browser made went to BASE_URL's origin,
// the token only in an Authorization header of an /admin/ request, and no
// console error (CSP violations included) but the 401s it provoked.
//
// Environment: BASE_URL; UI_TOKEN (a good token); UI_A..UI_D (review ids);
// UI_RESPONSE (B's answer); UI_REVOKE (a shell command that replaces
// UI_TOKEN's token); CHROMIUM (/usr/bin/chromium); UI_SHOTS (a directory
// for screenshots, optional).
import { chromium } from 'playwright-core';
import { execSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';

const BASE = new URL(process.env.BASE_URL || 'http://127.0.0.1:3100');
const ORIGIN = BASE.origin;
const PAGE = ORIGIN + '/moderation/';
const TOKEN = process.env.UI_TOKEN || '';
const ID = { A: process.env.UI_A, B: process.env.UI_B, C: process.env.UI_C, D: process.env.UI_D };
const RESPONSE = process.env.UI_RESPONSE || '';
const SHOTS = process.env.UI_SHOTS || '';
const WAIT = 20000;	// workers run under valgrind: a request can take a second
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; " +
	"img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; " +
	"require-trusted-types-for 'script'; trusted-types 'none'";

// TAP-ish lines for tests/ui.sh: the first line of a message on the
// result line, the rest as diagnostics.
function line(status, msg) {
	const [first, ...rest] = String(msg).split('\n');
	console.log(status + ' - ' + first);
	for (const r of rest)
		console.log('#   ' + r);
}
const ok = (msg) => line('ok', msg);
const bad = (msg) => line('not ok', msg);
const note = (msg) => console.log('# ' + msg);
function check(cond, msg, why) {
	if (cond)
		ok(msg);
	else
		bad(msg + (why ? ': ' + why : ''));
	return cond;
}
function same(got, want, msg) {
	return check(got === want, msg, 'got ' + JSON.stringify(got) + ', want ' + JSON.stringify(want));
}

/*
 * A browser context that records every request its pages make (popups
 * and workers included) and every console error and page error.
 */
async function open(browser) {
	const context = await browser.newContext({ serviceWorkers: 'block' });
	const seen = { requests: [], pending: [], errors: [] };
	context.on('request', (req) => {
		seen.pending.push(req.allHeaders().then((headers) => {
			seen.requests.push({ url: req.url(), method: req.method(), headers });
		}, () => {
			seen.requests.push({ url: req.url(), method: req.method(), headers: req.headers() });
		}));
	});
	const page = await context.newPage();
	page.setDefaultTimeout(WAIT);
	page.on('console', (msg) => {
		if (msg.type() === 'error')
			seen.errors.push(msg.text());
	});
	page.on('pageerror', (err) => seen.errors.push('page error: ' + err.message));
	return { context, page, seen };
}

/*
 * The checks every phase ends with: where its requests went, and what
 * the console said.  EXPECTED_401: how many requests were meant to be
 * refused (Chromium logs each failed fetch as a console error).
 */
async function audit(name, seen, expected401) {
	await Promise.all(seen.pending);
	const foreign = seen.requests.filter((r) => {
		try {
			return new URL(r.url).origin !== ORIGIN;
		} catch (e) {
			return true;
		}
	});
	check(foreign.length === 0 && seen.requests.length > 0,
		`${name}: all ${seen.requests.length} requests went to ${ORIGIN}`,
		'others: ' + foreign.map((r) => r.method + ' ' + r.url).join(', '));
	const leaks = seen.requests.filter((r) => {
		const path = new URL(r.url).pathname;
		const auth = r.headers.authorization;
		const inUrl = TOKEN && r.url.includes(TOKEN);
		return inUrl || (auth !== undefined && !path.startsWith('/admin/'));
	});
	check(leaks.length === 0, `${name}: an Authorization header only on /admin/ requests, the token in no URL`,
		leaks.map((r) => r.method + ' ' + r.url).join(', '));
	const noAuth = seen.requests.filter((r) => new URL(r.url).pathname.startsWith('/admin/') &&
		!/^Bearer [\x21-\x7e]+$/.test(r.headers.authorization || ''));
	check(noAuth.length === 0, `${name}: every /admin/ request carries its Bearer token`,
		noAuth.map((r) => r.method + ' ' + r.url).join(', '));
	const refused = /Failed to load resource: the server responded with a status of 401/;
	const other = seen.errors.filter((e) => !refused.test(e));
	const n401 = seen.errors.length - other.length;
	check(other.length === 0 && n401 === expected401,
		`${name}: no console error, no CSP violation (${expected401} refused request${expected401 === 1 ? '' : 's'} logged, as provoked)`,
		`${n401} refused; ` + other.join(' | '));
}

async function shot(page, name) {
	if (!SHOTS)
		return;
	mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
	note(`screenshot ${SHOTS}/${name}.png`);
}

async function text(page, sel) {
	return ((await page.locator(sel).textContent()) || '').trim();
}

async function token(page) {
	return page.evaluate(() => sessionStorage.getItem('reviews.adminToken'));
}

// The queue has settled: no request of the page is under way.
async function idle(page) {
	await page.locator('#queue[aria-busy="false"]').waitFor({ state: 'attached' });
}

async function signIn(page, tok) {
	await page.locator('#token').fill(tok);
	await page.locator('#signin-button').click();
}

/*
 * card PAGE ID: review ID's item in the list shown, looked for from the
 * first page on (other suites' reports come before it: oldest first).
 */
async function card(page, id, tab = '#tab-open') {
	await page.locator(tab).click();
	await idle(page);
	for (let i = 0; i < 500; i++) {
		const li = page.locator(`#items > li[data-review-id="${id}"]`);
		if (await li.count() === 1)
			return li;
		if (await page.locator('#next').isDisabled())
			return null;
		await page.locator('#next').click();
		await idle(page);
	}
	return null;
}

async function phaseWrong(browser) {
	const { context, page, seen } = await open(browser);
	// Without the slash: NGINX sends the browser to the page.
	const res = await page.goto(ORIGIN + '/moderation');
	same(page.url(), PAGE, '/moderation redirects to /moderation/');
	same(res.status(), 200, 'the page: 200');
	const h = await res.allHeaders();
	same(h['content-security-policy'], CSP, 'the page: its strict Content-Security-Policy');
	same(h['content-type'], 'text/html; charset=utf-8', 'the page: text/html in UTF-8');
	check(h['x-content-type-options'] === 'nosniff' && h['x-frame-options'] === 'DENY' &&
		h['referrer-policy'] === 'no-referrer' && h['cache-control'] === 'no-cache' &&
		h['cross-origin-opener-policy'] === 'same-origin',
		'the page: nosniff, X-Frame-Options DENY, no referrer, no-cache, COOP same-origin',
		JSON.stringify(h));
	same(h['access-control-allow-origin'], undefined, 'the page: no CORS header');
	await Promise.all(seen.pending);
	const assets = {};
	for (const r of seen.requests)
		assets[new URL(r.url).pathname] = r;
	for (const [path, type] of [['/moderation/moderation.js', 'text/javascript; charset=utf-8'],
		['/moderation/moderation.css', 'text/css; charset=utf-8']]) {
		const r = await page.request.get(ORIGIN + path);
		const rh = r.headers();
		check(assets[path] !== undefined && r.status() === 200 && rh['content-type'] === type &&
			rh['content-security-policy'] === CSP,
			`${path}: loaded by the page, ${type}, the same CSP`,
			`${r.status()} ${rh['content-type']} loaded=${assets[path] !== undefined}`);
	}
	check(await page.locator('#signin').isVisible() && await page.locator('#queue').isHidden(),
		'signed out: the sign-in form, no queue');

	// Refused before any request: nothing typed, a token with a space.
	const before = seen.requests.length;
	await signIn(page, '');
	same(await text(page, '#signin-error'), 'Paste a token first.', 'an empty token: asked for one');
	await signIn(page, 'two words');
	check((await text(page, '#signin-error')).startsWith('That is not a token'), 'a token with a space: refused');
	await Promise.all(seen.pending);
	same(seen.requests.length, before, 'neither was sent anywhere');

	await signIn(page, 'wrong-' + TOKEN.slice(6).split('').reverse().join(''));
	await page.locator('#signin-error').getByText('not accepted').waitFor();
	same(await text(page, '#signin-error'), 'That token was not accepted: check it and try again.',
		'a wrong token: the error says so');
	check(await page.locator('#signin-error.error[role="alert"]').isVisible(), 'a wrong token: shown as an error (an alert)');
	check(await page.locator('#queue').isHidden() && await page.locator('#items > li').count() === 0,
		'a wrong token: no queue shown');
	same(await token(page), null, 'a wrong token: nothing kept in sessionStorage');
	same(await page.locator('#token').inputValue(), '', 'the field is emptied after each try');
	await Promise.all(seen.pending);
	const asked = seen.requests.filter((r) => new URL(r.url).pathname === '/admin/reports');
	same(asked.length, 1, 'a wrong token: one request, to /admin/reports');
	await shot(page, 'wrong-token');
	await audit('wrong token', seen, 1);
	await context.close();
}

async function phaseModerate(browser) {
	const { context, page, seen } = await open(browser);
	await page.goto(PAGE);
	await signIn(page, TOKEN);
	await page.locator('#queue').waitFor();
	await idle(page);
	same(await text(page, '#status'), 'Signed in.', 'a good token: signed in');
	same(await token(page), TOKEN, 'the token is kept in sessionStorage');
	check(await page.locator('#signout').isVisible() && await page.locator('#signin').isHidden(),
		'signed in: the queue and a sign-out button');

	// A: two reports, spam and other; a photo; five stars.
	let a = await card(page, ID.A);
	if (check(a !== null, `review A (${ID.A}) is in the open queue`)) {
		same(await a.locator('.report-count').textContent(), '2 reports', 'A: its report count');
		same(await a.locator('.reasons').textContent(), 'other 1, spam 1', 'A: its reasons, counted');
		same(await a.locator('.rating').textContent(), '★★★★★ 5/5', 'A: its rating');
		same(await a.locator('.summary').textContent(), 'Great shades, wrongly flagged', 'A: its summary');
		check((await a.locator('.body').textContent()).startsWith('Comfortable, light'), 'A: its body');
		same(await a.locator('.reviewer-name').textContent() + ' ' + await a.locator('.reviewer-email').textContent(),
			'ann_ui ann.ui@example.com', 'A: reviewer name and e-mail');
		const link = a.locator('.photos a');
		check(await link.count() === 1 && await link.getAttribute('href') === 'https://img.example/ui-a1.jpg' &&
			await link.getAttribute('rel') === 'noopener noreferrer' && await link.getAttribute('target') === '_blank',
			'A: its photo as a link (new tab, no opener, no referrer)');
		same(await a.locator('.review-status').textContent(), 'hidden, waiting for a decision', 'A: its status');
		await shot(page, 'queue');
	}
	// B: markup in its text is shown as text, never parsed.
	let b = await card(page, ID.B);
	if (check(b !== null, `review B (${ID.B}) is in the open queue`)) {
		same(await b.locator('.summary').textContent(), '<img src=x onerror=alert(1)> & "quoted"',
			'B: markup in the summary shown as text');
		check((await b.locator('.body').textContent()).startsWith('<script>alert(2)</script>'),
			'B: markup in the body shown as text');
		same(await page.locator('#items img, #items script, #items iframe').count(), 0,
			'no element was made from review text');
		same(await b.locator('.reasons').textContent(), 'offensive 1', 'B: its reason');
	}
	const d = await card(page, ID.D);
	if (check(d !== null, `review D (${ID.D}) is in the open queue`))
		same(await d.locator('.reasons').textContent(), 'privacy 1', 'D: its reason');

	// Restore A.
	a = await card(page, ID.A);
	if (a) {
		await a.locator('.restore').click();
		await page.locator('#status').getByText(`Review ${ID.A} restored`).waitFor();
		same(await text(page, '#status'), `Review ${ID.A} restored: it is public again.`, 'restore A: the page says so');
		await idle(page);
		same(await card(page, ID.A), null, 'restore A: it left the open queue');
	}
	// Answer B: an empty answer is refused by the page, then the real one.
	b = await card(page, ID.B);
	if (b) {
		await Promise.all(seen.pending);
		const n = seen.requests.length;
		same(await b.locator('.answer-text').isVisible(), false, 'the response form is folded away at first');
		await b.locator('.respond-title').click();
		await b.locator('.answer-text').fill('');
		await b.locator('.answer-save').click();
		same(await b.locator('.feedback').textContent(), 'Write a response first (or use Clear response).',
			'an empty response: refused by the page');
		await Promise.all(seen.pending);
		same(seen.requests.length, n, 'an empty response: nothing sent');
		await b.locator('.answer-text').fill(RESPONSE);
		same(await b.locator('.answer-count').textContent(), `${Array.from(RESPONSE).length} / 1000`,
			'the response counter counts characters');
		await b.locator('.answer-save').click();
		await page.locator('#status').getByText(`Response to review ${ID.B} saved`).waitFor();
		await idle(page);
		// Shown again as the server has it, on the same page.
		b = page.locator(`#items > li[data-review-id="${ID.B}"]`);
		if (check(await b.count() === 1, 'answer B: still in the queue (a response decides nothing)')) {
			same(await b.locator('.response').textContent(), RESPONSE, 'answer B: the page shows the saved response');
			same(await b.locator('.feedback').textContent(), `Response to review ${ID.B} saved.`,
				'answer B: feedback on its item');
			same(await b.locator('.respond-title').textContent(), 'Edit the response', 'answer B: its response can be edited');
			await b.locator('.restore').click();
			await page.locator('#status').getByText(`Review ${ID.B} restored`).waitFor();
			await idle(page);
			ok('restore B: the page says so');
		}
	}
	// Remove C: hidden for good, listed among the decided ones.
	let c = await card(page, ID.C);
	if (check(c !== null, `review C (${ID.C}) is in the open queue`)) {
		await c.locator('.remove').click();
		await page.locator('#status').getByText(`Review ${ID.C} removed`).waitFor();
		same(await text(page, '#status'), `Review ${ID.C} removed: it stays hidden.`, 'remove C: the page says so');
		await idle(page);
		same(await card(page, ID.C), null, 'remove C: it left the open queue');
		c = await card(page, ID.C, '#tab-closed');
		check(c !== null && await c.locator('.review-status').textContent() === 'removed (hidden)' &&
			await c.locator('.remove').isDisabled() && await c.locator('.restore').isEnabled(),
			'C is among the decided ones, removed, and can be restored from there');
		await page.locator('#tab-open').click();
		await idle(page);
	}

	// Sign out: the token is gone, and stays gone after a reload.
	await page.locator('#signout').click();
	check(await page.locator('#signin').isVisible() && await page.locator('#queue').isHidden() &&
		await page.locator('#items > li').count() === 0, 'sign out: the sign-in form, nothing of the queue left');
	same(await token(page), null, 'sign out: sessionStorage holds no token');
	same(await text(page, '#signin-note'), 'Signed out: the token is forgotten.', 'sign out: the page says so');
	await page.reload();
	check(await page.locator('#signin').isVisible() && await page.locator('#queue').isHidden(),
		'after a reload: still signed out');

	// Signed in again, then the token is replaced behind the page's back.
	await signIn(page, TOKEN);
	await page.locator('#queue').waitFor();
	await idle(page);
	const d2 = await card(page, ID.D);
	if (check(d2 !== null, 'signed in again: D still waits in the queue')) {
		execSync(process.env.UI_REVOKE, { stdio: ['ignore', 'ignore', 'inherit'] });
		note('the token was replaced (UI_REVOKE)');
		await d2.locator('.restore').click();
		await page.locator('#signin-error').getByText('no longer accepted').waitFor();
		same(await text(page, '#signin-error'),
			'Your token is no longer accepted (revoked or replaced): nothing was changed. Sign in again.',
			'a revoked token: restoring D is refused, the page says so');
		check(await page.locator('#signin-error.error[role="alert"]').isVisible(),
			'a revoked token: shown as an error (an alert)');
		check(await page.locator('#queue').isHidden() && await token(page) === null,
			'a revoked token: signed out, the token forgotten');
		await shot(page, 'revoked');
	}
	await audit('moderation', seen, 1);
	await context.close();
}

// The policy itself, tried from inside the page: what an injected
// string would need is refused.
async function phasePolicy(browser) {
	const { context, page } = await open(browser);
	await page.goto(PAGE);
	const html = await page.evaluate(() => {
		try {
			document.getElementById('empty').innerHTML = '<b>x</b>';
			return 'assigned';
		} catch (e) {
			return e.name;
		}
	});
	same(html, 'TypeError', 'CSP: innerHTML with a string is refused (Trusted Types)');
	const inline = await page.evaluate(async () => {
		const s = document.createElement('script');
		s.textContent = 'window.inlineRan = true';
		document.body.append(s);
		await new Promise((r) => setTimeout(r, 100));
		return window.inlineRan === true;
	}).catch((e) => 'threw ' + e.name);
	check(inline !== true, 'CSP: an inline script does not run', String(inline));
	const styled = await page.evaluate(async () => {
		const s = document.createElement('style');
		s.append(document.createTextNode('body { color: rgb(1, 2, 3) }'));
		document.head.append(s);
		await new Promise((r) => setTimeout(r, 50));
		return getComputedStyle(document.body).color;
	});
	check(styled !== 'rgb(1, 2, 3)', 'CSP: an inline style does not apply', styled);
	// Another origin on this machine (localhost is not 127.0.0.1 to a
	// browser): the policy stops the fetch before any connection, as the
	// violation event says (a network error alone would prove nothing).
	const other = `http://localhost:${BASE.port || 80}/healthz`;
	const fetched = await page.evaluate(async (url) => {
		const seen = [];
		document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective));
		let outcome;
		try {
			await fetch(url);
			outcome = 'fetched';
		} catch (e) {
			outcome = 'failed';
		}
		await new Promise((r) => setTimeout(r, 50));
		return outcome + ' ' + seen.join(',');
	}, other);
	same(fetched, 'failed connect-src', 'CSP: a fetch to another origin is refused before it leaves (connect-src)');
	await context.close();
}

const phases = { wrong: phaseWrong, moderate: phaseModerate, policy: phasePolicy };
const phase = phases[process.argv[2]];
if (!phase) {
	console.error('usage: moderation.mjs wrong|moderate|policy');
	process.exit(2);
}
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	// Nothing of Chromium's own in the background (updates, safe
	// browsing, metrics): this machine reaches no other host anyway.
	args: ['--disable-background-networking', '--disable-component-update', '--no-first-run',
		'--disable-domain-reliability', '--disable-sync'],
});
note(`${process.argv[2]}: Chromium ${browser.version()}, playwright-core, node ${process.version}`);
try {
	await phase(browser);
} finally {
	await browser.close();
}
