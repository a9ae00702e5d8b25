/*
 * moderation.js: the moderation page (README, "The moderation page").
 *
 * The merchant's admin token lives in this tab's sessionStorage and travels
 * only as "Authorization: Bearer" to this origin's /admin/ API (api() is
 * the one place a request is made, and refuses any other path).  Every
 * piece of data goes into the page through textContent, value or a
 * checked URL in an href: never through innerHTML (the page's CSP requires
 * Trusted Types, so the browser would refuse that too).
 */
'use strict';
(function () {
	const TOKEN_KEY = 'reviews.adminToken';
	const PAGE_SIZE = 20;	// the API's default count, said explicitly
	const RESPONSE_MAX = 1000;	// API.md: a response is 1..1000 characters
	const REASONS = {
		spam: 'spam', offensive: 'offensive', off_topic: 'off topic',
		fake: 'fake', privacy: 'privacy', other: 'other',
	};
	const STATUSES = {
		published: 'published', reported: 'hidden, waiting for a decision',
		removed: 'removed (hidden)',
	};

	const $ = (id) => document.getElementById(id);
	const state = { status: 'open', page: 1 };
	// Only the answer to the latest queue request is shown: a slow answer
	// to an earlier click never overwrites a newer one.
	let generation = 0;

	class ApiError extends Error {
		constructor(status, message) {
			super(message);
			this.status = status;
		}
	}

	function storedToken() {
		try {
			return sessionStorage.getItem(TOKEN_KEY);
		} catch (e) {
			return null;
		}
	}

	/*
	 * api METHOD PATH BODY TOKEN: the answer's JSON (null for a 204), or an
	 * ApiError with the HTTP status (0: no answer) and the API's own error
	 * message.  The request can only go to this origin's admin API: the
	 * path is checked, mode 'same-origin' makes the browser refuse any
	 * other origin, and a redirect is an error rather than followed.
	 */
	async function api(method, path, body, token) {
		if (!/^\/admin\/[A-Za-z0-9/?=&_-]*$/.test(path))
			throw new ApiError(0, 'refused to send the token to ' + path);
		const headers = { Authorization: 'Bearer ' + token, Accept: 'application/json' };
		const init = {
			method, headers, mode: 'same-origin', credentials: 'omit',
			cache: 'no-store', redirect: 'error', referrerPolicy: 'no-referrer',
		};
		if (body !== undefined) {
			headers['Content-Type'] = 'application/json';
			init.body = JSON.stringify(body);
		}
		let res;
		try {
			res = await fetch(path, init);
		} catch (e) {
			throw new ApiError(0, 'no answer from the server');
		}
		let data = null;
		if (res.status !== 204) {
			const text = await res.text();
			try {
				data = text ? JSON.parse(text) : null;
			} catch (e) {
				data = null;
			}
		}
		if (!res.ok) {
			const msg = data && typeof data.error === 'string' ? data.error : 'HTTP ' + res.status;
			throw new ApiError(res.status, msg);
		}
		return data;
	}

	function queuePath(status, page) {
		return '/admin/reports?status=' + status + '&page=' + page + '&count=' + PAGE_SIZE;
	}

	// explain ERR WHAT: a sentence for the moderator.  401 is handled by
	// the callers (it signs out).
	function explain(err, what) {
		switch (err.status) {
		case 0: return what + ' failed: the server could not be reached. Check the connection and retry.';
		case 404: return what + ' failed: ' + err.message + '.';
		case 429: return what + ' failed: too many changes in a short time. Wait a moment and retry.';
		case 502: case 503: case 504:
			return what + ' failed: the service is unavailable right now. Retry shortly.';
		default: return what + ' failed: ' + err.message + ' (HTTP ' + err.status + ').';
		}
	}

	function say(el, text, isError) {
		el.textContent = text;
		el.hidden = !text;
		el.classList.toggle('error', Boolean(isError));
	}

	function setBusy(busy) {
		for (const id of ['tab-open', 'tab-closed', 'refresh'])
			$(id).disabled = busy;
		if (busy) {
			$('prev').disabled = true;
			$('next').disabled = true;
		}
		$('queue').setAttribute('aria-busy', busy ? 'true' : 'false');
	}

	function showSignIn() {
		$('queue').hidden = true;
		$('signout').hidden = true;
		$('signin').hidden = false;
		$('token').focus();
	}

	function showQueue() {
		$('signin').hidden = true;
		$('signout').hidden = false;
		$('queue').hidden = false;
		say($('signin-error'), '');
		say($('signin-note'), '');
	}

	/*
	 * signOut MESSAGE IS_ERROR: forget the token and everything shown with
	 * it, back to the sign-in form.
	 */
	function signOut(message, isError) {
		try {
			sessionStorage.removeItem(TOKEN_KEY);
		} catch (e) {
			/* nothing stored, nothing to remove */
		}
		generation++;
		$('items').replaceChildren();
		say($('status'), '');
		say($('error'), '');
		say($('signin-error'), isError ? message : '', true);
		say($('signin-note'), isError ? '' : message);
		showSignIn();
	}

	async function signIn(ev) {
		ev.preventDefault();
		const input = $('token');
		const token = input.value.trim();
		// Out of the page at once: nothing keeps it but sessionStorage,
		// and only once the server has accepted it.
		input.value = '';
		say($('signin-note'), '');
		if (!token) {
			say($('signin-error'), 'Paste a token first.', true);
			return;
		}
		// What a header can carry; a token has no spaces.
		if (!/^[\x21-\x7e]{1,1024}$/.test(token)) {
			say($('signin-error'), 'That is not a token: a token is one word of letters, digits and punctuation.', true);
			return;
		}
		$('signin-button').disabled = true;
		try {
			const data = await api('GET', queuePath('open', 1), undefined, token);
			sessionStorage.setItem(TOKEN_KEY, token);
			state.status = 'open';
			state.page = 1;
			generation++;
			showQueue();
			pressTab();
			render(data);
			say($('status'), 'Signed in.');
		} catch (e) {
			let msg;
			if (e.status === 401)
				msg = 'That token was not accepted: check it and try again.';
			else if (e.status === 404)
				msg = 'This server has no admin API (no admin tokens are configured).';
			else
				msg = explain(e, 'Signing in');
			say($('signin-error'), msg, true);
		} finally {
			$('signin-button').disabled = false;
		}
	}

	/*
	 * load MESSAGE REVIEW_ID: the current page of the queue from the server;
	 * MESSAGE (the outcome of an action) in the status line and in the
	 * feedback of REVIEW_ID's item if it is still listed.
	 */
	async function load(message, reviewId) {
		const token = storedToken();
		if (!token) {
			signOut('');
			return;
		}
		const mine = ++generation;
		setBusy(true);
		try {
			let data = await api('GET', queuePath(state.status, state.page), undefined, token);
			// The last item of a later page was acted on: the page before.
			if (state.page > 1 && Array.isArray(data && data.results) && data.results.length === 0) {
				state.page--;
				data = await api('GET', queuePath(state.status, state.page), undefined, token);
			}
			if (mine !== generation)
				return;
			render(data);
			say($('error'), '');
			say($('status'), message || '');
			if (message && reviewId !== undefined) {
				const node = findItem(reviewId);
				if (node)
					say(node.querySelector('.feedback'), message);
			}
		} catch (e) {
			if (mine !== generation)
				return;
			if (e.status === 401) {
				signOut('Your token is no longer accepted (revoked or replaced): sign in again.', true);
				return;
			}
			say($('error'), explain(e, 'Loading the reports'), true);
		} finally {
			if (mine === generation)
				setBusy(false);
		}
	}

	function findItem(reviewId) {
		for (const li of $('items').children)
			if (li.dataset.reviewId === String(reviewId))
				return li;
		return null;
	}

	function pressTab() {
		$('tab-open').setAttribute('aria-pressed', String(state.status === 'open'));
		$('tab-closed').setAttribute('aria-pressed', String(state.status === 'closed'));
	}

	function render(data) {
		const results = Array.isArray(data && data.results) ? data.results : [];
		const list = $('items');
		list.replaceChildren();
		for (const r of results)
			list.append(item(r));
		const empty = $('empty');
		empty.hidden = results.length > 0;
		if (state.page > 1)
			empty.textContent = 'Nothing more on this page.';
		else
			empty.textContent = state.status === 'open' ? 'No open reports: nothing waits for a decision.' : 'No decided reviews yet.';
		$('pageinfo').textContent = 'Page ' + state.page;
		$('prev').disabled = state.page <= 1;
		// The API gives no total: a full page may have a next one.
		$('next').disabled = results.length < PAGE_SIZE;
	}

	function text(v) {
		return v === null || v === undefined ? '' : String(v);
	}

	function stars(rating) {
		const n = Number(rating);
		if (!Number.isInteger(n) || n < 1 || n > 5)
			return 'rating ' + text(rating);
		return '★'.repeat(n) + '☆'.repeat(5 - n) + ' ' + n + '/5';
	}

	// An ISO date as "2019-04-14 00:00 UTC": the same for every moderator,
	// whatever the browser's locale.
	function when(iso) {
		if (typeof iso !== 'string' || !/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso))
			return 'unknown';
		return iso.slice(0, 10) + ' ' + iso.slice(11, 16) + ' UTC';
	}

	function plural(n, word) {
		return text(n) + ' ' + word + (Number(n) === 1 ? '' : 's');
	}

	// {"spam":2,"other":1} as "spam 2, other 1", most frequent first.
	function reasons(obj) {
		if (!obj || typeof obj !== 'object')
			return 'no reason given';
		const parts = Object.entries(obj)
			.sort((a, b) => Number(b[1]) - Number(a[1]) || a[0].localeCompare(b[0]))
			.map(([k, n]) => (Object.prototype.hasOwnProperty.call(REASONS, k) ? REASONS[k] : k) + ' ' + text(n));
		return parts.length ? parts.join(', ') : 'no reason given';
	}

	// Only http and https links become links (API.md's photo URL rule,
	// held here too): anything else is shown as text.
	function safeUrl(url) {
		try {
			const u = new URL(url);
			return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
		} catch (e) {
			return null;
		}
	}

	function photos(ul, list) {
		if (!Array.isArray(list) || list.length === 0) {
			const li = document.createElement('li');
			li.textContent = 'none';
			ul.append(li);
			return;
		}
		for (const p of list) {
			const li = document.createElement('li');
			const href = safeUrl(p && p.url);
			if (href) {
				const a = document.createElement('a');
				a.href = href;
				a.textContent = text(p.url);
				// The photo opens in a tab of its own, knowing neither
				// this page nor where the click came from.
				a.target = '_blank';
				a.rel = 'noopener noreferrer';
				a.referrerPolicy = 'no-referrer';
				li.append(a);
			} else {
				li.textContent = text(p && p.url) + ' (not a web link)';
			}
			ul.append(li);
		}
	}

	function count(s) {
		return Array.from(s).length;	// characters, not UTF-16 units
	}

	function item(r) {
		const node = $('item-template').content.firstElementChild.cloneNode(true);
		const rv = r && typeof r.review === 'object' && r.review ? r.review : {};
		const set = (cls, v) => { node.querySelector('.' + cls).textContent = v; };
		const id = Number(r && r.review_id);
		const idOk = Number.isSafeInteger(id) && id > 0;

		node.dataset.reviewId = idOk ? String(id) : '';
		set('summary', text(rv.summary) || '(no summary)');
		set('rating', stars(rv.rating));
		set('review-id', text(r.review_id));
		set('product-id', text(r.product_id));
		set('review-status', Object.prototype.hasOwnProperty.call(STATUSES, r.status) ? STATUSES[r.status] : text(r.status));
		set('report-count', plural(r.reports, 'report'));
		set('reasons', reasons(r.reasons));
		set('report-dates', 'First reported ' + when(r.first_reported) + ', last ' + when(r.last_reported));
		set('body', text(rv.body));
		set('reviewer-name', text(rv.reviewer_name));
		set('reviewer-email', text(rv.reviewer_email));
		set('date', when(rv.date));
		set('recommend', rv.recommend === true ? 'yes' : rv.recommend === false ? 'no' : 'unknown');
		set('helpfulness', text(rv.helpfulness));
		set('response', rv.response === null || rv.response === undefined ? 'none yet' : text(rv.response));
		photos(node.querySelector('.photos'), rv.photos);

		const restore = node.querySelector('.restore');
		const remove = node.querySelector('.remove');
		const form = node.querySelector('.answer');
		const area = node.querySelector('.answer-text');
		const counter = node.querySelector('.answer-count');
		const clear = node.querySelector('.answer-clear');
		area.value = typeof rv.response === 'string' ? rv.response : '';
		set('respond-title', typeof rv.response === 'string' ? 'Edit the response' : 'Respond');
		const recount = () => {
			const n = count(area.value);
			counter.textContent = n + ' / ' + RESPONSE_MAX;
			counter.classList.toggle('error', n > RESPONSE_MAX);
		};
		area.addEventListener('input', recount);
		recount();
		restore.disabled = !idOk || r.status === 'published';
		remove.disabled = !idOk || r.status === 'removed';
		clear.disabled = !idOk || typeof rv.response !== 'string';
		if (!idOk)
			for (const el of form.elements)
				el.disabled = true;

		restore.addEventListener('click', () => act(node, id, 'restore'));
		remove.addEventListener('click', () => act(node, id, 'remove'));
		clear.addEventListener('click', () => act(node, id, 'clear'));
		form.addEventListener('submit', (ev) => {
			ev.preventDefault();
			act(node, id, 'answer', area.value);
		});
		return node;
	}

	// While a change is under way, its item's controls are off; after a
	// failure each is back as it was (restore stays off on a published
	// review, say).
	const idle = new WeakMap();
	function itemBusy(node, busy) {
		for (const el of node.querySelectorAll('button, textarea')) {
			if (busy) {
				idle.set(el, el.disabled);
				el.disabled = true;
			} else {
				el.disabled = idle.get(el) || false;
			}
		}
	}

	/*
	 * act NODE ID KIND TEXT: restore, remove, answer (TEXT) or clear the
	 * answer of review ID, then show the queue as the server now has it.
	 */
	async function act(node, id, kind, response) {
		const fb = node.querySelector('.feedback');
		const token = storedToken();
		if (!token) {
			signOut('Signed out in another way: sign in again.', true);
			return;
		}
		let path, body, done, what;
		switch (kind) {
		case 'restore':
			path = '/admin/reviews/' + id + '/restore';
			what = 'Restoring review ' + id;
			done = 'Review ' + id + ' restored: it is public again.';
			break;
		case 'remove':
			path = '/admin/reviews/' + id + '/remove';
			what = 'Removing review ' + id;
			done = 'Review ' + id + ' removed: it stays hidden.';
			break;
		case 'answer': {
			const n = count(response);
			if (n < 1 || n > RESPONSE_MAX) {
				say(fb, n < 1 ? 'Write a response first (or use Clear response).'
					: 'A response is at most ' + RESPONSE_MAX + ' characters; this one has ' + n + '.', true);
				return;
			}
			path = '/admin/reviews/' + id + '/response';
			body = { response };
			what = 'Saving the response to review ' + id;
			done = 'Response to review ' + id + ' saved.';
			break;
		}
		case 'clear':
			path = '/admin/reviews/' + id + '/response';
			body = { response: null };
			what = 'Clearing the response to review ' + id;
			done = 'Response to review ' + id + ' cleared.';
			break;
		default:
			return;
		}
		itemBusy(node, true);
		say(fb, what + '…');
		try {
			await api('PUT', path, body, token);
		} catch (e) {
			if (e.status === 401) {
				signOut('Your token is no longer accepted (revoked or replaced): nothing was changed. Sign in again.', true);
				return;
			}
			itemBusy(node, false);
			say(fb, explain(e, what), true);
			return;
		}
		await load(done, id);
	}

	function init() {
		$('signin-form').addEventListener('submit', signIn);
		$('signout').addEventListener('click', () => signOut('Signed out: the token is forgotten.'));
		$('tab-open').addEventListener('click', () => { state.status = 'open'; state.page = 1; pressTab(); load(); });
		$('tab-closed').addEventListener('click', () => { state.status = 'closed'; state.page = 1; pressTab(); load(); });
		$('refresh').addEventListener('click', () => load('Refreshed.'));
		$('prev').addEventListener('click', () => { if (state.page > 1) { state.page--; load(); } });
		$('next').addEventListener('click', () => { state.page++; load(); });
		if (storedToken()) {
			showQueue();
			pressTab();
			load();
		} else {
			showSignIn();
		}
	}

	init();
})();
