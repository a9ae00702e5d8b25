// k6 profile "filtered" (twin of filtered.lua): GET /reviews with Part 2's
// filters and sorts for products drawn from the last 10% of the id range.
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e PRODUCT_MAX=5000 tests/load/filtered.js
// Settings and thresholds: common.js.
import http from 'k6/http';
import { makeOptions, filteredUrl } from './common.js';

export const options = makeOptions(250);

export default function () {
	http.get(filteredUrl(), { tags: { name: 'GET /reviews (filtered)' } });
}
