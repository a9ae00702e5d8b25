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
# Every header a client of Part 2 sends: keyed posts, conditional reads,
# an admin token.
req OPTIONS /admin/reviews/1/restore -H 'Origin: https://shop.example' -H 'Access-Control-Request-Method: PUT' \
	-H 'Access-Control-Request-Headers: authorization, content-type, idempotency-key, if-none-match'
allowed=$(header Access-Control-Allow-Headers | tr 'A-Z' 'a-z')
missing=
for h in authorization content-type idempotency-key if-none-match; do
	[[ ", $allowed, " == *", $h, "* ]] || missing+=" $h"
done
[ "$STATUS" = 204 ] && [ -z "$missing" ] && ok "CORS preflight allows Authorization, Content-Type, Idempotency-Key, If-None-Match" ||
	bad "CORS preflight: $STATUS, allowed '$allowed', missing$missing"
req GET "/reviews?product_id=1" -H 'Origin: https://shop.example'
[ -n "$(header Access-Control-Allow-Origin)" ] && ok "CORS header on responses" || bad "no CORS header"
[ "$(header Access-Control-Expose-Headers)" = "ETag, Retry-After" ] && ok "a script on another origin may read ETag and Retry-After" ||
	bad "Access-Control-Expose-Headers: '$(header Access-Control-Expose-Headers)'"

# No token file configured: no admin API.  One worker of the stack's own
# binary, started beside the pool without ADMIN_TOKENS_FILE and asked over
# FastCGI directly: /admin paths are the 404 of Part 1, token or not.
: "${STACK_DIR:?}"
sock=$TMP/no-admin.sock
env -i DATABASE_URL="$DB" spawn-fcgi -n -s "$sock" -- "$STACK_DIR/bin/reviews-fcgi" \
	>"$TMP/no-admin.log" 2>&1 &
lone=$!
for _ in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
fcgi_status() {	# fcgi_status PATH [AUTHORIZATION]: the lone worker's status line
	env -i REQUEST_METHOD=GET REQUEST_PATH="$1" QUERY_STRING= ${2:+HTTP_AUTHORIZATION="$2"} \
		cgi-fcgi -bind -connect "$sock" 2>/dev/null | sed -n 's/^Status: //p' | tr -d '\r'
}
for p in /admin/reports /admin/audit /admin/nothing; do
	st=$(fcgi_status "$p")
	st2=$(fcgi_status "$p" "Bearer anything")
	[ "${st%% *}" = 404 ] && [ "${st2%% *}" = 404 ] &&
		ok "no token file: GET $p is a 404, with or without a token" ||
		bad "no token file: GET $p answered '$st' / '$st2'"
done
st=$(fcgi_status /healthz)
[ "${st%% *}" = 200 ] && ok "no token file: the same worker serves the public API (healthz $st)" ||
	bad "no token file: the lone worker does not serve: '$st' ($(head -3 "$TMP/no-admin.log"))"
kill "$lone" 2>/dev/null; wait "$lone" 2>/dev/null

done_testing
