// k6 profile "meta" (twin of meta.lua): GET /reviews/meta for products
// drawn from the last 10% of the id range.
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e PRODUCT_MAX=5000 tests/load/meta.js
// Settings and thresholds: common.js.
import http from 'k6/http';
import { makeOptions, metaUrl } from './common.js';

export const options = makeOptions(200);

export default function () {
	http.get(metaUrl(), { tags: { name: 'GET /reviews/meta' } });
}
