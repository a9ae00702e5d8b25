#!/usr/bin/env bash
# tests/e2e/idempotency.sh: POST with an Idempotency-Key: a retry gets the
# first answer, another body 409, bad keys 400, racing retries one review,
# an expired key a new one.
# Needs BASE_URL and DATABASE_URL; starts from tests/e2e/fixtures.sh.
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header idempotency "Idempotency-Key: replays, conflicts, races, expiry"

KEY="e2e-$$-$(date +%s%N)"
count_w() { sql "SELECT count(*) FROM reviews WHERE product_id = $W"; }
n0=$(count_w)
post "$(good '.summary = "keyed"')" -H "Idempotency-Key: $KEY"
K1=$(jq -r '.review_id' <<<"$BODY")
[ "$STATUS" = 201 ] && [[ "$K1" =~ ^[0-9]+$ ]] && ok "keyed post: 201" || bad "keyed post: $STATUS $BODY"
post "$(good '.summary = "keyed"')" -H "Idempotency-Key: $KEY"
expect "keyed retry: the original 201 and review_id" 201 "{\"review_id\":$K1}"
[ "$(header Idempotent-Replayed)" = true ] && ok "keyed retry is marked replayed" || bad "no Idempotent-Replayed header"
[ "$(count_w)" = $((n0 + 1)) ] && ok "keyed retry wrote no second review" || bad "keyed retry: $(count_w) reviews, want $((n0 + 1))"
before_key=$(snapshot)
post "$(good '.summary = "other"')" -H "Idempotency-Key: $KEY"
expect_error "same key, another body: 409" 409 Idempotency-Key
for k in "$(printf 'k%.0s' $(seq 1 256))" "has space" ""; do
	post "$(good)" -H "Idempotency-Key: $k"
	if [ -z "$k" ]; then
		# curl sends no header for an empty value: an ordinary post.
		[ "$STATUS" = 201 ] && before_key=$(snapshot) && ok "empty key header is no key" || bad "empty key: $STATUS"
	else
		expect_error "bad key '${k:0:12}': 400" 400 Idempotency-Key
	fi
done
[ "$(snapshot)" = "$before_key" ] && ok "409 and bad keys wrote nothing" || bad "409/bad keys changed data"
# Two retries racing: exactly one review.
KEY2="$KEY-race"
n1=$(count_w)
race=$(good '.summary = "race"')
for i in 1 2 3 4; do
	{ post "$race" -H "Idempotency-Key: $KEY2"; printf '%s' "$BODY" >"$TMP/race$i"; } &
done
wait
ids=$(cat "$TMP"/race[1-4] | jq -r '.review_id' | sort -u | tr '\n' ' ')
[ "$(count_w)" = $((n1 + 1)) ] && [ "$(echo $ids | wc -w)" = 1 ] &&
	ok "racing keyed retries: one review, one id ($ids)" || bad "racing retries: ids $ids, $(($(count_w) - n1)) reviews"
# Keys expire after 24 hours: then the same key makes a new review.
sql "UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = '$KEY'" >/dev/null
post "$(good '.summary = "keyed"')" -H "Idempotency-Key: $KEY"
K3=$(jq -r '.review_id' <<<"$BODY")
[ "$STATUS" = 201 ] && [ "$K3" != "$K1" ] && ok "an expired key makes a new review" || bad "expired key: $STATUS $BODY (first $K1)"

verify_aggregates "verify: every aggregate matches the raw rows"
done_testing
