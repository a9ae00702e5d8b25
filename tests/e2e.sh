#!/usr/bin/env bash
# tests/e2e.sh: the API through real NGINX to real workers and PostgreSQL,
# one check per row of API.md.  Needs BASE_URL and DATABASE_URL (for
# fixtures and row counts).  Ends with "e2e: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# ---------------------------------------------------------------------------
# Fixtures: products in a range the sample data never uses, with dates and
# helpfulness chosen so each sort order and tie-break is visible.
P=1900000001	# the sort fixture
Q=1900000002	# paging: 12 reviews tied on date and helpfulness
R=1900000003	# a product with characteristics and no reviews
W=1900000004	# writes
sql "DELETE FROM characteristic_reviews WHERE review_id IN (SELECT id FROM reviews WHERE product_id >= 1900000000);
     DELETE FROM reviews_photos WHERE review_id IN (SELECT id FROM reviews WHERE product_id >= 1900000000);
     DELETE FROM reviews WHERE product_id >= 1900000000;
     DELETE FROM characteristics WHERE product_id >= 1900000000;
     DELETE FROM product_meta WHERE product_id >= 1900000000;" >/dev/null
D=1555200000000			# 2019-04-14T00:00:00.000Z
DAY=86400000
ids=$(sql "
INSERT INTO reviews (product_id, rating, date_ms, summary, body, recommend, reported,
    reviewer_name, reviewer_email, response, helpfulness) VALUES
 ($P, 5, $D, 'Old but loved', 'Body one', true, false, 'ann', 'ann@example.com', NULL, 3),
 ($P, 3, $((D + 50 * DAY)), 'Newest', 'Body two \"quoted\" and é', false, false, 'bob', 'bob@example.com', 'Thanks, Bob!', 0),
 ($P, 4, $((D + 50 * DAY)), 'Newest tie', 'Body three', true, false, 'cy', 'cy@example.com', NULL, 0),
 ($P, 1, $((D + 60 * DAY)), 'Reported', 'Body four', false, true, 'dee', 'dee@example.com', NULL, 9),
 ($P, 2, $((D + 10 * DAY)), 'Helpful', 'Body five', true, false, 'eve', 'eve@example.com', NULL, 3)
RETURNING id" | tr '\n' ' ')
read -r A1 A2 A3 A4 A5 <<<"$ids"
sql "INSERT INTO reviews_photos (review_id, url) VALUES ($A2, 'https://img.example/b.jpg'), ($A2, 'https://img.example/a.jpg');
     INSERT INTO characteristics (product_id, name) VALUES ($P, 'Fit'), ($P, 'Length'), ($R, 'Quality');" >/dev/null
read -r C1 C2 <<<"$(sql "SELECT id FROM characteristics WHERE product_id = $P ORDER BY id" | tr '\n' ' ')"
C3=$(sql "SELECT id FROM characteristics WHERE product_id = $R")
sql "INSERT INTO characteristic_reviews (characteristic_id, review_id, value) VALUES
     ($C1, $A1, 5), ($C1, $A2, 2), ($C1, $A3, 4), ($C1, $A4, 1), ($C1, $A5, 4),
     ($C2, $A1, 3), ($C2, $A2, 3), ($C2, $A3, 3), ($C2, $A4, 1), ($C2, $A5, 2);" >/dev/null
for i in $(seq 1 12); do
	echo "($Q, 4, $D, 'tie $i', 'same day, same votes', true, false, 'q$i', 'q$i@example.com', NULL, 1)"
done | paste -sd, | sed 's/^/INSERT INTO reviews (product_id, rating, date_ms, summary, body, recommend, reported, reviewer_name, reviewer_email, response, helpfulness) VALUES /' >"$TMP/q.sql"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$TMP/q.sql"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$(dirname "$0")/../db/aggregates.sql" >/dev/null
# Fixtures written behind the API's back: every app server drops its cache.
sql "NOTIFY reviews_cache, '*'" >/dev/null
sleep 0.1
PHOTO_B=$(sql "SELECT id FROM reviews_photos WHERE url = 'https://img.example/b.jpg' AND review_id = $A2")
PHOTO_A=$((PHOTO_B + 1))

# ---------------------------------------------------------------------------
# GET /reviews
review_json() {	# the exact JSON of one fixture review
	case $1 in
	1) echo "{\"review_id\":$A1,\"rating\":5,\"summary\":\"Old but loved\",\"recommend\":true,\"response\":null,\"body\":\"Body one\",\"date\":\"2019-04-14T00:00:00.000Z\",\"reviewer_name\":\"ann\",\"helpfulness\":3,\"photos\":[]}" ;;
	2) echo "{\"review_id\":$A2,\"rating\":3,\"summary\":\"Newest\",\"recommend\":false,\"response\":\"Thanks, Bob!\",\"body\":\"Body two \\\"quoted\\\" and é\",\"date\":\"2019-06-03T00:00:00.000Z\",\"reviewer_name\":\"bob\",\"helpfulness\":0,\"photos\":[{\"id\":$PHOTO_B,\"url\":\"https://img.example/b.jpg\"},{\"id\":$PHOTO_A,\"url\":\"https://img.example/a.jpg\"}]}" ;;
	3) echo "{\"review_id\":$A3,\"rating\":4,\"summary\":\"Newest tie\",\"recommend\":true,\"response\":null,\"body\":\"Body three\",\"date\":\"2019-06-03T00:00:00.000Z\",\"reviewer_name\":\"cy\",\"helpfulness\":0,\"photos\":[]}" ;;
	5) echo "{\"review_id\":$A5,\"rating\":2,\"summary\":\"Helpful\",\"recommend\":true,\"response\":null,\"body\":\"Body five\",\"date\":\"2019-04-24T00:00:00.000Z\",\"reviewer_name\":\"eve\",\"helpfulness\":3,\"photos\":[]}" ;;
	esac
}
page_json() {	# page_json PAGE COUNT REVIEW...
	local page=$1 count=$2 out="" r
	shift 2
	for r in "$@"; do out+="${out:+,}$(review_json "$r")"; done
	echo "{\"product\":\"$P\",\"page\":$page,\"count\":$count,\"results\":[$out]}"
}

# newest: date desc, the tie (A2, A3 same date) broken by id desc.
req GET "/reviews?product_id=$P&sort=newest"
expect "list newest: order, tie-break, every field, reported hidden" 200 "$(page_json 0 5 3 2 5 1)"
[[ "$(header Content-Type)" == "application/json; charset=utf-8" ]] && ok "list content type" || bad "list content type: $(header Content-Type)"
# helpful: helpfulness desc, then date desc (A5 newer than A1), then id.
req GET "/reviews?product_id=$P&sort=helpful"
expect "list helpful order" 200 "$(page_json 0 5 5 1 3 2)"
# relevant: date + 30 days x helpfulness: A1 = D+90d, A5 = D+100d,
# A2 = A3 = D+50d (id desc).
req GET "/reviews?product_id=$P&sort=relevant"
expect "list relevant order" 200 "$(page_json 0 5 5 1 3 2)"
req GET "/reviews?product_id=$P"
expect "list default sort is relevant, page 1, count 5" 200 "$(page_json 0 5 5 1 3 2)"
req GET "/reviews?product_id=$P&sort=newest&page=2&count=3"
expect "list page 2 of 3: page index 1, count echoed" 200 "$(page_json 1 3 1)"
req GET "/reviews?product_id=$P&sort=newest&page=3&count=3"
expect "list past the end: empty results" 200 "$(page_json 2 3)"
req GET "/reviews/?product_id=$P&sort=newest&count=1"
expect "list with trailing slash" 200 "$(page_json 0 1 3)"
req GET "/api/reviews?product_id=$P&sort=newest&count=1"
expect "list under /api" 200 "$(page_json 0 1 3)"
req GET "/api/reviews/?product_id=$P&sort=newest&count=1&_=1&_=2&foo"
expect "list ignores unknown parameters, repeated or not" 200 "$(page_json 0 1 3)"
req GET "/reviews?product%5Fid=$P&sort=new%65st&count=1"
expect "list decodes percent-encoding" 200 "$(page_json 0 1 3)"
req GET "/reviews?product_id=1999999999"
expect "list of an unknown product: empty results" 200 '{"product":"1999999999","page":0,"count":5,"results":[]}'
req GET "/reviews?product_id=$P&count=1000&page=100000"
expect "list at the largest page and count" 200 "{\"product\":\"$P\",\"page\":99999,\"count\":1000,\"results\":[]}"

# Paging is stable: Q's twelve reviews tie on everything but id.
for sort in newest helpful relevant; do
	all=""
	for page in 1 2 3; do
		req GET "/reviews?product_id=$Q&sort=$sort&count=5&page=$page"
		all+=" $(jq -r '[.results[].review_id] | map(tostring) | join(" ")' <<<"$BODY")"
	done
	want=$(sql "SELECT string_agg(id::text, ' ' ORDER BY id DESC) FROM reviews WHERE product_id = $Q")
	[ "$(echo $all)" = "$want" ] && ok "paging $sort: every review once, id desc on ties" ||
		bad "paging $sort: got $all, want $want"
done

# Bad query strings: 400 naming the field.
while IFS='|' read -r qs field; do
	req GET "/reviews?$qs"
	expect_error "list rejects ?$qs" 400 "$field"
done <<'ROWS'
|product_id
page=1|product_id
product_id=|product_id
product_id=abc|product_id
product_id=0|product_id
product_id=-1|product_id
product_id=+1|product_id
product_id=%201|product_id
product_id=1.5|product_id
product_id=1e3|product_id
product_id=2147483648|product_id
product_id=99999999999999999999999|product_id
product_id=1%00|product_id
product_id=1%zz|product_id
product_id=1&product_id=2|product_id
product_id=1&page=0|page
product_id=1&page=100001|page
product_id=1&page=x|page
product_id=1&count=0|count
product_id=1&count=1001|count
product_id=1&count=-5|count
product_id=1&sort=NEWEST|sort
product_id=1&sort=|sort
product_id=1&sort=newest+|sort
product_id=1&sort=oldest|sort
product_id=1&sort=newest&sort=helpful|sort
ROWS

# ---------------------------------------------------------------------------
# GET /reviews/meta
# Fit: 5,2,4,4 (A4 reported) = 15/4; Length: 3,3,3,2 = 11/4.
META_P="{\"product_id\":\"$P\",\"ratings\":{\"1\":\"0\",\"2\":\"1\",\"3\":\"1\",\"4\":\"1\",\"5\":\"1\"},\"recommended\":{\"false\":\"1\",\"true\":\"3\"},\"characteristics\":{\"Fit\":{\"id\":$C1,\"value\":\"3.7500000000000000\"},\"Length\":{\"id\":$C2,\"value\":\"2.7500000000000000\"}}}"
req GET "/reviews/meta?product_id=$P"
expect "meta: string counts, 16-digit means, reported not counted" 200 "$META_P"
req GET "/reviews/meta/?product_id=$P"
expect "meta with trailing slash" 200 "$META_P"
req GET "/api/reviews/meta?product_id=$P&cachebust=7"
expect "meta under /api, unknown parameter ignored" 200 "$META_P"
# Percent-encoded letters are the letters themselves (RFC 3986): the
# worker decodes each segment of the path as sent (README, "Paths").
req GET "/reviews/%6Deta?product_id=$P"
expect "meta as /reviews/%6Deta" 200 "$META_P"
req GET "/api/%72eviews/meta/?product_id=$P"
expect "meta as /api/%72eviews/meta/" 200 "$META_P"
req GET "/reviews/meta%2F?product_id=$P"
expect_error "an encoded slash is not a separator: /reviews/meta%2F is no route" 404 "not found"
req GET "/reviews/meta?product_id=$R"
expect "meta: characteristic without ratings has value null" 200 "{\"product_id\":\"$R\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"0\",\"4\":\"0\",\"5\":\"0\"},\"recommended\":{\"false\":\"0\",\"true\":\"0\"},\"characteristics\":{\"Quality\":{\"id\":$C3,\"value\":null}}}"
req GET "/reviews/meta?product_id=1999999999"
expect "meta of an unknown product: zeros, no characteristics" 200 '{"product_id":"1999999999","ratings":{"1":"0","2":"0","3":"0","4":"0","5":"0"},"recommended":{"false":"0","true":"0"},"characteristics":{}}'
for qs in "" "product_id=x" "product_id=0" "product_id=1&product_id=1" "product_id=2147483648"; do
	req GET "/reviews/meta?$qs"
	expect_error "meta rejects ?$qs" 400 product_id
done

# ---------------------------------------------------------------------------
# POST /reviews
BODY50="This body has exactly enough characters to pass: 50"
good() {	# good [JQ-EDIT]: a valid review for W, edited by jq
	jq -cn --arg b "$BODY50" --argjson w "$W" "{product_id: \$w, rating: 4, summary: \"Nice\",
	    body: \$b, recommend: true, name: \"zed\", email: \"zed@example.com\",
	    photos: [\"https://img.example/w1.jpg\", \"http://img.example/w2.jpg\"]} | ${1:-.}"
}
sql "INSERT INTO characteristics (product_id, name) VALUES ($W, 'Size'), ($W, 'Width')" >/dev/null
read -r WC1 WC2 <<<"$(sql "SELECT id FROM characteristics WHERE product_id = $W ORDER BY id" | tr '\n' ' ')"

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

# ---------------------------------------------------------------------------
# POST with an Idempotency-Key: a retry gets the first answer.
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
for i in 1 2 3 4; do
	curl -s -o "$TMP/race$i" -X POST -H 'Content-Type: application/json' \
		-H "Idempotency-Key: $KEY2" --data-binary "$(good '.summary = "race"')" \
		"$BASE/reviews" &
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

# ---------------------------------------------------------------------------
# PUT helpful / report
# A2 and A3 tie (same date, no votes; A3 first by id): one vote for A2
# puts it first in helpful order and thirty days ahead in relevant order.
req PUT "/reviews/$A2/helpful"
expect "helpful: 204, no body" 204 ""
[ -z "$(header Content-Type)" ] && ok "204 has no Content-Type" || bad "204 Content-Type $(header Content-Type)"
req GET "/reviews?product_id=$P&sort=helpful"
expect_jq "helpful moves the review up in helpful order" '[.results[].review_id]' "[$A5,$A1,$A2,$A3]"
req GET "/reviews?product_id=$P&sort=relevant"
expect_jq "helpful moves the review up in relevant order (+30 days)" '[.results[].review_id]' "[$A5,$A1,$A2,$A3]"
req PUT "/reviews/$A4/helpful"
expect "helpful on a reported review: 204" 204 ""
[ "$(sql "SELECT helpfulness FROM reviews WHERE id = $A4")" = 10 ] && ok "helpful counted on a reported review" || bad "helpful on reported"
req GET "/reviews?product_id=$P&sort=helpful"
expect_jq "a reported review stays hidden after helpful" "[.results[].review_id] | index($A4)" "null"
req PUT "/api/reviews/$A3/helpful/"
expect "helpful under /api with trailing slash" 204 ""

req PUT "/reviews/$A1/report"
expect "report: 204" 204 ""
req GET "/reviews?product_id=$P&sort=newest"
expect_jq "report hides the review" '[.results[].review_id]' "[$A3,$A2,$A5]"
# Meta without A1 (5 stars, recommend, Fit 5, Length 3):
# Fit 2,4,4 = 10/3, Length 3,3,2 = 8/3.
req GET "/reviews/meta?product_id=$P"
expect "report lowers every count in meta" 200 "{\"product_id\":\"$P\",\"ratings\":{\"1\":\"0\",\"2\":\"1\",\"3\":\"1\",\"4\":\"1\",\"5\":\"0\"},\"recommended\":{\"false\":\"1\",\"true\":\"2\"},\"characteristics\":{\"Fit\":{\"id\":$C1,\"value\":\"3.3333333333333333\"},\"Length\":{\"id\":$C2,\"value\":\"2.6666666666666667\"}}}"
meta1=$BODY
req PUT "/reviews/$A1/report"
expect "report twice: 204" 204 ""
req GET "/reviews/meta?product_id=$P"
expect "report twice changes nothing more" 200 "$meta1"

before=$(snapshot)
for id in abc 0 -1 1.5 99999999999 "%20" "1%2B"; do
	req PUT "/reviews/$id/helpful"
	expect_error "helpful rejects review_id $id" 400 review_id
	req PUT "/reviews/$id/report"
	expect_error "report rejects review_id $id" 400 review_id
done
req PUT /reviews/2147483647/helpful
expect_error "helpful of a missing review: 404" 404 review_id
req PUT /reviews/2147483647/report
expect_error "report of a missing review: 404" 404 review_id
[ "$(snapshot)" = "$before" ] && ok "rejected PUTs wrote nothing" || bad "rejected PUTs changed data"

# ---------------------------------------------------------------------------
# Everything else
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

# ---------------------------------------------------------------------------
# NGINX's guards: security headers, header and URI limits, write rate.
req GET "/reviews?product_id=$P"
for h in "X-Content-Type-Options: nosniff" "X-Frame-Options: DENY" "Cache-Control: no-cache"; do
	[ "$(header "${h%%:*}")" = "${h#*: }" ] && ok "header $h" || bad "header ${h%%:*}: '$(header "${h%%:*}")'"
done
req GET "/reviews?product_id=abc"
[ "$(header Cache-Control)" = no-store ] && ok "an error says Cache-Control: no-store" ||
	bad "error Cache-Control: '$(header Cache-Control)'"

# ---------------------------------------------------------------------------
# Conditional GET (API.md Part 2): a strong ETag from the body's bytes, 304
# with no body for a matching If-None-Match, answered from the cache.
metric() {	# metric NAME: this host's summed counter
	curl -s "$BASE/metrics" | awk -v n="$1" '$1 == n {print $2}'
}
for path in "/reviews?product_id=$P&sort=newest" "/reviews/meta?product_id=$P"; do
	req GET "$path"
	tag=$(header ETag) body=$BODY
	[[ "$tag" =~ ^\"[0-9a-f]{16}\"$ ]] && ok "ETag on $path: $tag" || bad "ETag on $path: '$tag'"
	req GET "$path"
	[ "$(header ETag)" = "$tag" ] && [ "$BODY" = "$body" ] && ok "the same body, the same ETag" ||
		bad "ETag changed: $(header ETag) for the same body"
	hits=$(metric reviews_cache_hits_total) misses=$(metric reviews_cache_misses_total)
	req GET "$path" -H "If-None-Match: $tag"
	if [ "$STATUS" = 304 ] && [ -z "$BODY" ] && [ "$(header ETag)" = "$tag" ] &&
	   [ "$(header Cache-Control)" = no-cache ]; then
		ok "If-None-Match $tag: 304, no body, the ETag, no-cache"
	else
		bad "If-None-Match: $STATUS, ETag '$(header ETag)', body '$BODY'"
	fi
	[ "$(metric reviews_cache_hits_total)" = $((hits + 1)) ] && [ "$(metric reviews_cache_misses_total)" = "$misses" ] &&
		ok "that 304 came from the cache, without a database round trip" ||
		bad "304: hits $hits -> $(metric reviews_cache_hits_total), misses $misses -> $(metric reviews_cache_misses_total)"
	for inm in "W/$tag" "*" "\"0000000000000000\", $tag" "  $tag  "; do
		req GET "$path" -H "If-None-Match: $inm"
		expect "If-None-Match: $inm is a 304" 304 ""
	done
	for inm in '"0000000000000000"' "${tag%?}" 'garbage'; do
		req GET "$path" -H "If-None-Match: $inm"
		expect "If-None-Match: $inm is the 200" 200 "$body"
	done
done
req GET "/reviews?product_id=$P&sort=newest"
tag=$(header ETag)
req PUT "/reviews/$A2/helpful"
req GET "/reviews?product_id=$P&sort=newest" -H "If-None-Match: $tag"
[ "$STATUS" = 200 ] && [ "$(header ETag)" != "$tag" ] && ok "after a write the old ETag gets the new 200" ||
	bad "after a write: $STATUS, ETag $(header ETag) (was $tag)"
# Undone behind the API's back: such a write must say so to the caches.
sql "UPDATE reviews SET helpfulness = helpfulness - 1 WHERE id = $A2; NOTIFY reviews_cache, '$P'" >/dev/null
sleep 0.1
req GET "/reviews?product_id=1&x=$(head -c 9000 /dev/zero | tr '\0' a)"
expect_error "request line over 8 KiB: 414 as JSON" 414 "URI"
req GET "/reviews?product_id=1" -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' a)"
expect_error "header over 8 KiB: 400 (NGINX's 494) as JSON" 400 "headers"
[ "$(header X-Content-Type-Options)" = nosniff ] && ok "NGINX's own errors carry the security headers" || bad "no security headers on 494"
before_rate=$(snapshot)
# 1000 writes at once from one client (curl --parallel: forking a curl each
# would be slower than the limit).  Those admitted get their 400.
for _ in $(seq 1 1000); do
	printf 'url = "%s/reviews/0/helpful"\noutput = "/dev/null"\n' "$BASE"
done >"$TMP/rate.cfg"
curl -s --parallel --parallel-immediate --parallel-max 500 --max-time 30 -X PUT \
	-w '%{http_code}\n' -K "$TMP/rate.cfg" 2>/dev/null >"$TMP/rate"
n429=$(grep -c '^429$' "$TMP/rate")
nother=$(grep -vcE '^(429|400|000)$' "$TMP/rate")
[ "$n429" -gt 0 ] && [ "$nother" = 0 ] && [ "$(wc -l <"$TMP/rate")" = 1000 ] &&
	ok "write rate limit: $n429 of 1000 rapid writes got 429" ||
	bad "write rate limit: $n429 x 429, $nother other statuses: $(sort "$TMP/rate" | uniq -c | tr '\n' ' ')"
req PUT "/reviews/0/helpful"
if [ "$STATUS" = 429 ]; then
	expect_error "429 is JSON" 429 "retry"
	[ "$(header Retry-After)" = 1 ] && ok "429 carries Retry-After" || bad "429 without Retry-After"
else
	ok "429 is JSON (bucket already refilled)"; ok "429 carries Retry-After (not seen)"
fi
req GET "/reviews?product_id=$P"
[ "$STATUS" = 200 ] && ok "reads are not rate-limited" || bad "read after write burst: $STATUS"
[ "$(snapshot)" = "$before_rate" ] && ok "the write burst wrote nothing" || bad "write burst changed data"
sleep 3	# let the bucket refill for whatever runs next

# Every aggregate is still exact after all these writes.
drift=$(psql -X -q -tA -d "$DB" -f "$(dirname "$0")/../db/verify.sql")
[ -z "$drift" ] && ok "verify: every aggregate matches the raw rows" || bad "aggregates drifted: $drift"

echo "e2e: $pass passed, $fail failed"
[ $fail -eq 0 ]
