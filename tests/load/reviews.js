// k6 profile "reviews" (twin of reviews.lua): GET /reviews for products
// drawn from the last 10% of the id range, sorts mixed, count 5.
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e PRODUCT_MAX=5000 tests/load/reviews.js
// Settings and thresholds: common.js.
import http from 'k6/http';
import { makeOptions, reviewsUrl } from './common.js';

export const options = makeOptions(250);

export default function () {
	http.get(reviewsUrl(), { tags: { name: 'GET /reviews' } });
}
