// k6 profile "meta_zipf" (twin of meta_zipf.lua): GET /reviews/meta for products drawn
// by popularity (Zipf, s = 1, over every product).
//   k6 run -e BASE_URL=http://127.0.0.1:3000 -e PRODUCT_MAX=5000 tests/load/meta_zipf.js
// Settings and thresholds: common.js.
import http from 'k6/http';
import { makeOptions, metaUrl, zipfProduct } from './common.js';

export const options = makeOptions(200);

export default function () {
	http.get(metaUrl(zipfProduct), { tags: { name: 'GET /reviews/meta' } });
}
