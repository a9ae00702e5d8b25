// k6 profile "reviews_zipf" (twin of reviews_zipf.lua): GET /reviews for products drawn
// by popularity (Zipf, s = 1, over every product).
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e PRODUCT_MAX=5000 tests/load/reviews_zipf.js
// Settings and thresholds: common.js.
import http from 'k6/http';
import { makeOptions, reviewsUrl, zipfProduct } from './common.js';

export const options = makeOptions(250);

export default function () {
	http.get(reviewsUrl(zipfProduct), { tags: { name: 'GET /reviews' } });
}
