// k6 profile "mixed" (twin of mixed.lua), by request count: 45% GET
// /reviews, 45% GET /reviews/meta, 5% PUT helpful, 4% POST /reviews (a
// valid review of a hot product), 1% PUT report; review ids from
// [REVIEW_MIN, REVIEW_MAX].
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e PRODUCT_MAX=5000 -e REVIEW_MAX=28000 tests/load/mixed.js
// Settings and thresholds: common.js (mind WRITE_RATE there).
import http from 'k6/http';
import {
	BASE_URL, makeOptions, metaUrl, randInt, randomProduct, randomReview,
	reviewsUrl,
} from './common.js';

export const options = makeOptions(250);

const WORDS = ['comfortable', 'fits', 'well', 'and', 'the', 'color', 'is',
	'true', 'to', 'the', 'pictures', 'washes', 'nicely', 'would', 'buy',
	'again', 'runs', 'a', 'little', 'small', 'great', 'value', 'for',
	'money', 'soft', 'fabric', 'sturdy', 'stitching', 'arrived', 'quickly'];
const JSON_PARAMS = {
	headers: { 'Content-Type': 'application/json' },
	tags: { name: 'POST /reviews' },
};
let posted = 0;

function word() { return WORDS[randInt(0, WORDS.length - 1)]; }

// A valid POST /reviews body (API.md), as mixed.lua builds it.
function postBody() {
	posted += 1;
	const words = [];
	const target = randInt(60, 400);
	let len = 0;
	while (len < target) {
		const w = word();
		words.push(w);
		len += w.length + 1;
	}
	const review = {
		product_id: randomProduct(),
		rating: randInt(1, 5),
		summary: `${word()} ${word()}`,
		body: `${words.join(' ').slice(0, 1000)}.`,
		recommend: Math.random() < 0.7,
		name: `bench${__VU}`,
		email: `bench${posted}@example.com`,
		photos: Math.random() < 0.3 ? [`https://images.example/bench-${__VU}-${posted}.jpg`] : [],
	};
	return JSON.stringify(review);
}

export default function () {
	const r = randInt(1, 100);
	if (r <= 45) {
		http.get(reviewsUrl(), { tags: { name: 'GET /reviews' } });
	} else if (r <= 90) {
		http.get(metaUrl(), { tags: { name: 'GET /reviews/meta' } });
	} else if (r <= 95) {
		http.put(`${BASE_URL}/reviews/${randomReview()}/helpful`, null,
			{ tags: { name: 'PUT /reviews/:id/helpful' } });
	} else if (r <= 99) {
		http.post(`${BASE_URL}/reviews`, postBody(), JSON_PARAMS);
	} else {
		http.put(`${BASE_URL}/reviews/${randomReview()}/report`, null,
			{ tags: { name: 'PUT /reviews/:id/report' } });
	}
}
