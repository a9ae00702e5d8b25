#!/usr/bin/env bash
# tests/e2e/post.sh: POST /reviews: stored exactly, read back through other
# workers at once, lengths in characters, the 64 KiB boundary, and every
# bad body a 400 (or 413, 415) naming its field with nothing written.
# Needs BASE_URL and DATABASE_URL; starts from tests/e2e/fixtures.sh.
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header post "POST /reviews: stored, read after write, limits, every bad body"

# Read W's meta and list through every worker first, so any response cache
# holds the old answers: the write must still show at once.
for i in $(seq 1 12); do
	req GET "/reviews?product_id=$W&sort=newest" -H 'Connection: close'
	req GET "/reviews/meta?product_id=$W" -H 'Connection: close'
done
expect "meta before the first review" 200 "{\"product_id\":\"$W\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"0\",\"4\":\"0\",\"5\":\"0\"},\"recommended\":{\"false\":\"0\",\"true\":\"0\"},\"characteristics\":{\"Size\":{\"id\":$WC1,\"value\":null},\"Width\":{\"id\":$WC2,\"value\":null}}}"
post "$(good ".characteristics = {\"$WC1\": 5, \"$WC2\": \"3\"}")"
NEW=$(jq -r '.review_id' <<<"$BODY" 2>/dev/null)
if [ "$STATUS" = 201 ] && [[ "$NEW" =~ ^[0-9]+$ ]] && [ "$BODY" = "{\"review_id\":$NEW}" ]; then
	ok "post: 201 with the new review_id"
else
	bad "post: $STATUS $BODY"; NEW=0
fi
row=$(sql "SELECT rating, summary, recommend, reviewer_name, reviewer_email, helpfulness, response IS NULL, reported,
	    abs(date_ms - floor(extract(epoch FROM now()) * 1000)) < 60000
	    FROM reviews WHERE id = $NEW")
[ "$row" = "4|Nice|t|zed|zed@example.com|0|t|f|t" ] && ok "post: stored with server date, helpfulness 0, response null" || bad "post: stored row $row"
[ "$(sql "SELECT string_agg(url, ' ' ORDER BY id) FROM reviews_photos WHERE review_id = $NEW")" = "https://img.example/w1.jpg http://img.example/w2.jpg" ] &&
	ok "post: photos stored in order" || bad "post: photos"
[ "$(sql "SELECT string_agg(characteristic_id || '=' || value, ' ' ORDER BY characteristic_id) FROM characteristic_reviews WHERE review_id = $NEW")" = "$WC1=5 $WC2=3" ] &&
	ok "post: characteristic ratings stored" || bad "post: characteristic ratings"

# Read-after-write from other workers: every worker that answers sees it.
want_meta="{\"product_id\":\"$W\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"0\",\"4\":\"1\",\"5\":\"0\"},\"recommended\":{\"false\":\"0\",\"true\":\"1\"},\"characteristics\":{\"Size\":{\"id\":$WC1,\"value\":\"5.0000000000000000\"},\"Width\":{\"id\":$WC2,\"value\":\"3.0000000000000000\"}}}"
post_pid=$(header X-Worker-Pid)
pids=() stale=0
for i in $(seq 1 40); do
	# a fresh connection each time, so NGINX may pick any worker
	req GET "/reviews/meta?product_id=$W" -H 'Connection: close'
	[ "$BODY" = "$want_meta" ] || stale=$((stale + 1))
	p=$(header X-Worker-Pid)
	[[ " ${pids[*]} " == *" $p "* ]] || pids+=("$p")
done
others=$(printf '%s\n' "${pids[@]}" | grep -vx "$post_pid" | wc -l)
if [ "$stale" = 0 ] && [ "$others" -ge 1 ]; then
	ok "post then meta through $others other worker(s): never stale"
else
	bad "read-after-write: $stale stale reads, post by $post_pid, reads by ${pids[*]}"
fi
req GET "/reviews?product_id=$W&sort=newest"
expect_jq "post: the review is listed with its photos" \
	"[.results[0].review_id, .results[0].response, .results[0].helpfulness, (.results[0].photos | map(.url)), (.results[0].date | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\\\.[0-9]{3}Z$\"))]" \
	"[$NEW,null,0,[\"https://img.example/w1.jpg\",\"http://img.example/w2.jpg\"],true]"

post "$(good '.product_id = "'$W'" | .rating = "5" | del(.summary) | .photos = null | .unknown = [1]')"
[ "$STATUS" = 201 ] && ok "post: digit strings, absent summary, null photos, unknown fields" || bad "post variants: $STATUS $BODY"
NEW2=$(jq -r '.review_id' <<<"$BODY")
[ "$(sql "SELECT summary || '|' || (SELECT count(*) FROM reviews_photos WHERE review_id = $NEW2) FROM reviews WHERE id = $NEW2")" = "|0" ] &&
	ok "post: summary defaults to empty, no photos" || bad "post: defaults"
post "$(good '.body = ("é" * 50) | .name = ("ü" * 60) | .summary = ("✓" * 60)')"
[ "$STATUS" = 201 ] && ok "post: lengths count characters, not bytes" || bad "post multibyte: $STATUS $BODY"
# At the limits: five URLs of exactly 2,048 four-byte characters (a
# 41 KB body) are a 201 that reads back byte for byte, and so are five of
# three-byte ones; the array literal's buffer is sized from the limits.
for ch in "😀" "€"; do
	urls=$(jq -cn --arg c "$ch" '[range(5) as $i | "https://img.example/\($i)/" | . + ($c * (2048 - length))]')
	post "$(good ".photos = $urls")"
	LIM=$(jq -r '.review_id' <<<"$BODY" 2>/dev/null)
	if [ "$STATUS" = 201 ]; then
		req GET "/reviews?product_id=$W&sort=newest&count=1"
		got=$(jq -c '[.results[0].review_id, (.results[0].photos | map(.url))]' <<<"$BODY")
		[ "$got" = "[$LIM,$urls]" ] &&
			ok "post: five 2,048-character URLs of '$ch' read back identical" ||
			bad "post: long URLs of '$ch' read back as $(head -c 200 <<<"$got")"
	else
		bad "post: five 2,048-character URLs of '$ch': $STATUS $BODY"
	fi
done
before_bad=$(snapshot)

# Bad bodies: 400 naming the field, nothing written.
while IFS='|' read -r edit field; do
	post "$(good "$edit")"
	expect_error "post rejects $edit" 400 "$field"
done <<ROWS
del(.product_id)|product_id
.product_id = 0|product_id
.product_id = -3|product_id
.product_id = 2147483648|product_id
.product_id = 1.5|product_id
.product_id = "12a"|product_id
.product_id = true|product_id
.product_id = [1]|product_id
del(.rating)|rating
.rating = 0|rating
.rating = 6|rating
.rating = 4.5|rating
.rating = "five"|rating
.rating = true|rating
.rating = null|rating
.summary = ("s" * 61)|summary
.summary = 5|summary
del(.body)|body
.body = ("b" * 49)|body
.body = ("b" * 1001)|body
.body = 12345|body
del(.recommend)|recommend
.recommend = "true"|recommend
.recommend = 1|recommend
del(.name)|name
.name = ""|name
.name = ("n" * 61)|name
.name = {}|name
del(.email)|email
.email = "zed"|email
.email = "zed@example"|email
.email = "@example.com"|email
.email = "a@b@example.com"|email
.email = "zed @example.com"|email
.email = ("e" * 50 + "@example.com")|email
.photos = "https://img.example/1.jpg"|photos
.photos = ["ftp://img.example/1.jpg"]|photos
.photos = ["not a url"]|photos
.photos = [1]|photos
.photos = ["https://a.example/1", "https://a.example/2", "https://a.example/3", "https://a.example/4", "https://a.example/5", "https://a.example/6"]|photos
.photos = ["https://a.example/" + ("x" * 2040)]|photos
.characteristics = [5]|characteristics
.characteristics = {"abc": 5}|characteristics
.characteristics = {"$WC1": 6}|characteristics
.characteristics = {"$WC1": 0}|characteristics
.characteristics = {"$C1": 4}|characteristics
.characteristics = {"1999999999": 4}|characteristics
ROWS
# Bodies jq cannot make.
for b in '' 'not json' '{"product_id":' '[1,2]' '"text"' "$(good) trailing" \
	 "$(printf '%0.s[' $(seq 1 3000))"; do
	post "$b"
	expect_error "post rejects body ${b:0:30}" 400 body
done
post "$(good | sed 's/"zed"/"z\\u0000d"/')"
expect_error "post rejects a \\u0000 escape in name" 400 name
printf '%s' "$(good | sed 's/"zed"/"z@@d"/')" | sed 's/@@/\x00/' >"$TMP/nul.json"
req POST /reviews -H 'Content-Type: application/json' --data-binary @"$TMP/nul.json"
expect_error "post rejects a raw NUL byte in name" 400 name
printf '%s' "$(good | sed 's/"zed"/"z@@d"/')" | sed 's/@@/\xff/' >"$TMP/bad.json"
req POST /reviews -H 'Content-Type: application/json' --data-binary @"$TMP/bad.json"
expect_error "post rejects invalid UTF-8 in name" 400 name
req POST /reviews --data-binary "$(good)" -H 'Content-Type: text/plain'
expect_error "post with text/plain: 415" 415 Content-Type
req POST /reviews --data-binary "$(good)" -H 'Content-Type:'
expect_error "post without Content-Type: 415" 415 Content-Type
head -c 70000 /dev/zero | tr '\0' 'a' >"$TMP/big"
req POST /reviews -H 'Content-Type: application/json' --data-binary @"$TMP/big"
expect_error "post over 64 KiB: 413 from NGINX, as JSON" 413 body
[ "$(snapshot)" = "$before_bad" ] && ok "rejected posts wrote nothing (rows and aggregates)" ||
	bad "rejected posts changed data: $before_bad -> $(snapshot)"
post "$(good '.body = ("é" * 1000) | .summary = ("é" * 60)')" -H 'Content-Type: application/json; charset=utf-8'
[ "$STATUS" = 201 ] && ok "post with charset parameter, longest texts" || bad "post with charset: $STATUS $BODY"


# The 64 KiB boundary (HTTP_BODY_MAX, NGINX's client_max_body_size 64k): a
# valid review padded with JSON whitespace to exactly 65,536 bytes is
# stored; one byte more is NGINX's 413.
pad_to() {	# pad_to BYTES FILE: good() padded with spaces to BYTES bytes
	local b
	b=$(good '.summary = "padded"')
	{ printf '%s' "$b"; head -c $(($1 - ${#b})) /dev/zero | tr '\0' ' '; } >"$2"
}
pad_to 65536 "$TMP/64k"
req POST /reviews -H 'Content-Type: application/json' --data-binary @"$TMP/64k"
[ "$(wc -c <"$TMP/64k")" = 65536 ] && [ "$STATUS" = 201 ] && [[ "$BODY" =~ ^\{\"review_id\":[0-9]+\}$ ]] &&
	ok "post of exactly 65,536 bytes: 201" || bad "post of 65,536 bytes: $STATUS $BODY"
pad_to 65537 "$TMP/64k1"
before_big=$(snapshot)
req POST /reviews -H 'Content-Type: application/json' --data-binary @"$TMP/64k1"
expect_error "post of 65,537 bytes: 413" 413 body
[ "$(snapshot)" = "$before_big" ] && ok "the 65,537-byte post wrote nothing" || bad "the 65,537-byte post changed data"

verify_aggregates "verify: every aggregate matches the raw rows"
done_testing
