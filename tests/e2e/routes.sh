#!/usr/bin/env bash
# tests/e2e/routes.sh: everything that is not a resource: unknown paths (404),
# wrong methods (405 with Allow), /healthz, CORS.
# Needs BASE_URL and DATABASE_URL; starts from tests/e2e/fixtures.sh.
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header routes "404, 405 with Allow, healthz, CORS"

for p in / /review /reviews/1 /reviews/1/like /reviews/meta/x /reviewsx /api /api/ /healthz/x; do
	req GET "$p"
	expect_error "unknown path $p: 404" 404 "not found"
done
while read -r m p allow; do
	req "$m" "$p"
	expect_error "$m $p: 405" 405 "method"
	[ "$(header Allow)" = "$allow" ] && ok "$m $p: Allow $allow" || bad "$m $p: Allow '$(header Allow)', want $allow"
done <<'ROWS'
DELETE /reviews GET, POST
PATCH /reviews GET, POST
PUT /reviews/meta GET
POST /reviews/1/helpful PUT
GET /reviews/1/report PUT
POST /healthz GET
ROWS
req GET /healthz
expect "healthz" 200 '{"status":"ok"}'
req OPTIONS /reviews -H 'Origin: https://shop.example' -H 'Access-Control-Request-Method: POST'
[ "$STATUS" = 204 ] && [ -n "$(header Access-Control-Allow-Methods)" ] && ok "CORS preflight" || bad "CORS preflight: $STATUS"
req GET "/reviews?product_id=1" -H 'Origin: https://shop.example'
[ -n "$(header Access-Control-Allow-Origin)" ] && ok "CORS header on responses" || bad "no CORS header"

done_testing
