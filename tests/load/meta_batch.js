// k6 profile "meta_batch" (twin of meta_batch.lua): GET /reviews/meta with
// stats for 20 distinct products of the last 10% of the id range at once.
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e PRODUCT_MAX=5000 tests/load/meta_batch.js
// Settings and thresholds: common.js.
import http from 'k6/http';
import { makeOptions, batchUrl } from './common.js';

export const options = makeOptions(300);

export default function () {
	http.get(batchUrl(), { tags: { name: 'GET /reviews/meta (batch)' } });
}
