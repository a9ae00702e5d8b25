#!/usr/bin/env bash
# tests/e2e/nginx.sh: NGINX's guards: security headers, Cache-Control,
# request line and header limits (414, 494) as JSON, the write rate limit.
# Needs BASE_URL and DATABASE_URL; starts from tests/e2e/fixtures.sh.
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header nginx "security headers, URI and header limits, the write rate limit (1000 writes at once)"

req GET "/reviews?product_id=$P"
for h in "X-Content-Type-Options: nosniff" "X-Frame-Options: DENY" "Cache-Control: no-cache"; do
	[ "$(header "${h%%:*}")" = "${h#*: }" ] && ok "header $h" || bad "header ${h%%:*}: '$(header "${h%%:*}")'"
done
req GET "/reviews?product_id=abc"
[ "$(header Cache-Control)" = no-store ] && ok "an error says Cache-Control: no-store" ||
	bad "error Cache-Control: '$(header Cache-Control)'"
req GET "/reviews?product_id=1&x=$(head -c 9000 /dev/zero | tr '\0' a)"
expect_error "request line over 8 KiB: 414 as JSON" 414 "URI"
req GET "/reviews?product_id=1" -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' a)"
expect_error "header over 8 KiB: 400 (NGINX's 494) as JSON" 400 "headers"
[ "$(header X-Content-Type-Options)" = nosniff ] && ok "NGINX's own errors carry the security headers" || bad "no security headers on 494"
before_rate=$(snapshot)
# 1000 writes at once from one client (curl --parallel: forking a curl each
# would be slower than the limit).  Those admitted get their 400.
bulk_new
: >"$TMP/rate.cfg"
for i in $(seq 1 1000); do bulk_add "$TMP/rate.cfg" "w$i" PUT /reviews/0/helpful --max-time 30; done
bulk_run "$TMP/rate.cfg" --parallel --parallel-immediate --parallel-max 500
cut -d'|' -f2 "$TMP/rate.cfg.out" >"$TMP/rate"
n429=$(grep -c '^429$' "$TMP/rate")
nother=$(grep -vcE '^(429|400|000)$' "$TMP/rate")
[ "$n429" -gt 0 ] && [ "$nother" = 0 ] && [ "$(wc -l <"$TMP/rate")" = 1000 ] &&
	ok "write rate limit: $n429 of 1000 rapid writes got 429" ||
	bad "write rate limit: $n429 x 429, $nother other statuses: $(sort "$TMP/rate" | uniq -c | tr '\n' ' ')"
# The burst's 429s themselves (a write after it may find the bucket
# refilled): each NGINX's JSON error with Retry-After.
first= other429=0
for i in $(seq 1 1000); do
	[ "${BULK_CODE[w$i]}" = 429 ] || continue
	[ -n "$first" ] || first=w$i
	bulk_header "w$i" Retry-After
	[[ "${BULK_CTYPE[w$i]}" == application/json* ]] && [ "$HDR" = 1 ] || other429=$((other429 + 1))
done
bulk_got "${first:-none}"
[[ "$CTYPE" == application/json* ]] && [[ "$GOT" =~ ^\{\"error\":\"[^\"]*retry[^\"]*\"\}$ ]] &&
	ok "429 is JSON naming the retry" || bad "429: $CTYPE $GOT"
[ -n "$first" ] && [ "$other429" = 0 ] && ok "each of the $n429 429s is JSON with Retry-After: 1" ||
	bad "$other429 of the $n429 429s are not JSON with Retry-After: 1 (the first: $CTYPE, Retry-After '$(bulk_header "${first:-none}" Retry-After; echo "$HDR")')"
req GET "/reviews?product_id=$P"
[ "$STATUS" = 200 ] && ok "reads are not rate-limited" || bad "read after write burst: $STATUS"
[ "$(snapshot)" = "$before_rate" ] && ok "the write burst wrote nothing" || bad "write burst changed data"
sleep 3	# let the bucket refill for whatever runs next

done_testing
