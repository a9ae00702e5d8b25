#!/usr/bin/env bash
# tests/e2e/routes.sh: everything that is not a resource: unknown paths (404),
# wrong methods (405 with Allow), /healthz, /metrics (who may read it), CORS.
# Needs BASE_URL and DATABASE_URL; starts from tests/e2e/fixtures.sh.
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header routes "404, 405 with Allow, healthz, metrics, CORS"

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
# /metrics: Prometheus text for the addresses NGINX allows (loopback by
# default); anyone else gets Part 1's 404.  127.0.0.2 is loopback too, but
# not in the default METRICS_ALLOW (127.0.0.1 ::1).
req GET /metrics
[ "$STATUS" = 200 ] && [ "$(header Content-Type)" = "text/plain; version=0.0.4; charset=utf-8" ] &&
	grep -q '^reviews_workers_alive [0-9]' <<<"$BODY" && ok "metrics from 127.0.0.1: Prometheus text 0.0.4" ||
	bad "metrics from 127.0.0.1: $STATUS, $(header Content-Type)"
req GET /metrics --interface 127.0.0.2
expect_error "metrics from 127.0.0.2, not allowed: the 404 of an unknown path" 404 "not found"
req OPTIONS /reviews -H 'Origin: https://shop.example' -H 'Access-Control-Request-Method: POST'
[ "$STATUS" = 204 ] && [ -n "$(header Access-Control-Allow-Methods)" ] && ok "CORS preflight" || bad "CORS preflight: $STATUS"
req GET "/reviews?product_id=1" -H 'Origin: https://shop.example'
[ -n "$(header Access-Control-Allow-Origin)" ] && ok "CORS header on responses" || bad "no CORS header"

done_testing
