// tests/load/common.js: what the k6 profiles share (reviews.js, meta.js,
// mixed.js, reviews_zipf.js, meta_zipf.js, filtered.js, meta_batch.js), in step with the wrk scripts (common.lua and friends): the
// same paths, the same product and review ranges, the same mix.
//
// Environment (k6 -e NAME=VALUE, or the process environment):
//   BASE_URL      default http://127.0.0.1:3000
//   PRODUCT_MAX   highest product id (default 5000); PRODUCT_MIN defaults
//                 to the last 10% of the range, floor(0.9 * PRODUCT_MAX) + 1
//   REVIEW_MIN, REVIEW_MAX   review ids for helpful/report (mixed.js)
//   CONNS         virtual users per stage, run one after the other, as
//                 spawn/bench's connection counts (default "16 64 256")
//   DURATION      seconds per stage (default 10)
//   P99_MS        p99 threshold in ms, per stage (default per profile)
//   MAX_FAILED    highest accepted rate of non-2xx or failed requests
//                 (default 0.001)
//   BENCH_SEED    base of the per-VU random seeds (default 1)
//
// A finding of spawn/bench's wrk runs, carried over: the mixed profile's
// writes are limited per client address by NGINX (WRITE_RATE); beyond it
// they are 429s and count as failures here.  Start the stack with a
// WRITE_RATE above the write rate you drive to measure writes.
import http from 'k6/http';
import { randomSeed } from 'k6';

function envInt(name, dflt) {
	const v = parseInt(__ENV[name] || '', 10);
	return Number.isNaN(v) ? dflt : v;
}

export const BASE_URL = (__ENV.BASE_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');
export const PRODUCT_MAX = envInt('PRODUCT_MAX', 5000);
export const PRODUCT_MIN = Math.min(PRODUCT_MAX,
	Math.max(1, envInt('PRODUCT_MIN', Math.floor(PRODUCT_MAX * 0.9) + 1)));
export const REVIEW_MAX = envInt('REVIEW_MAX', 1);
export const REVIEW_MIN = Math.min(REVIEW_MAX, envInt('REVIEW_MIN', 1));
const SORTS = ['newest', 'helpful', 'relevant'];

// One seed per VU: the same run draws the same requests.
randomSeed(envInt('BENCH_SEED', 1) * 7919 + __VU);

// Non-2xx is a failure, as wrk's non2xx counts it.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }));

export function randInt(lo, hi) {
	return lo + Math.floor(Math.random() * (hi - lo + 1));
}
export function randomProduct() { return randInt(PRODUCT_MIN, PRODUCT_MAX); }

// By popularity: Zipf with s = 1 over every product (rank r is product r),
// by the inverse of H(k) ~ ln k + gamma, as common.lua's DIST = "zipf".
const GAMMA = 0.5772156649;
const H_N = Math.log(PRODUCT_MAX) + GAMMA + 1 / (2 * PRODUCT_MAX);
export function zipfProduct() {
	const k = Math.floor(Math.exp(Math.random() * H_N - GAMMA) + 0.5);
	return Math.min(PRODUCT_MAX, Math.max(1, k));
}
export function randomReview() { return randInt(REVIEW_MIN, REVIEW_MAX); }

// GET /reviews: a product of the hot range (or pick's), any sort, count 5.
export function reviewsUrl(pick = randomProduct) {
	return `${BASE_URL}/reviews?product_id=${pick()}` +
		`&sort=${SORTS[randInt(0, SORTS.length - 1)]}&count=5`;
}

// GET /reviews with Part 2's filters, as common.lua's filtered_path: any of
// the five sorts, a rating filter half the time, has_photos a third of
// the time each way.
const SORTS_ALL = ['newest', 'helpful', 'relevant', 'rating_desc', 'rating_asc'];
const RATING_SETS = ['5', '4,5', '1,2', '3'];
export function filteredUrl(pick = randomProduct) {
	let q = `${BASE_URL}/reviews?product_id=${pick()}` +
		`&sort=${SORTS_ALL[randInt(0, SORTS_ALL.length - 1)]}&count=5`;
	if (randInt(1, 2) === 1) q += `&rating=${RATING_SETS[randInt(0, RATING_SETS.length - 1)]}`;
	const photos = randInt(1, 3);
	if (photos === 1) q += '&has_photos=true';
	else if (photos === 2) q += '&has_photos=false';
	return q;
}

// GET /reviews/meta for a category page: 20 distinct products, with stats.
export const BATCH = 20;
export function batchUrl(pick = randomProduct) {
	const ids = new Set();
	while (ids.size < BATCH) ids.add(pick());
	return `${BASE_URL}/reviews/meta?stats=true&product_ids=${[...ids].join(',')}`;
}

// GET /reviews/meta: the same products.
export function metaUrl(pick = randomProduct) {
	return `${BASE_URL}/reviews/meta?product_id=${pick()}`;
}

// Options: one constant-VUs stage per connection count, one after the
// other, each with its own p99 threshold; failures over the whole run.
export function makeOptions(defaultP99) {
	const conns = (__ENV.CONNS || '16 64 256').trim().split(/\s+/).map(Number);
	const secs = envInt('DURATION', 10);
	const p99 = envInt('P99_MS', defaultP99);
	const maxFailed = __ENV.MAX_FAILED || '0.001';
	const scenarios = {};
	const thresholds = {
		http_req_failed: [`rate<${maxFailed}`],
		http_req_duration: [`p(99)<${p99}`],
	};
	conns.forEach((c, i) => {
		const name = `c${c}`;
		scenarios[name] = {
			executor: 'constant-vus',
			vus: c,
			duration: `${secs}s`,
			startTime: `${i * (secs + 2)}s`,
			gracefulStop: '5s',
		};
		thresholds[`http_req_duration{scenario:${name}}`] = [`p(99)<${p99}`];
		thresholds[`http_req_failed{scenario:${name}}`] = [`rate<${maxFailed}`];
	});
	return {
		scenarios,
		thresholds,
		discardResponseBodies: true,
		summaryTrendStats: ['avg', 'med', 'p(90)', 'p(99)', 'max'],
	};
}
