#!/usr/bin/env bash
# tests/hostile.sh: hostile requests, one row each.  Every row asserts the
# status, a JSON error naming the field, and that nothing was written (a
# snapshot of every table's rows and every aggregate, before and after).
# Needs BASE_URL and DATABASE_URL.  Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# good (tests/lib.sh): a valid review of product 1, edited by jq.
long() { head -c "$1" /dev/zero | tr '\0' "${2:-a}"; }
long 70000 >"$TMP/big"

# hostile NAME STATUS FIELD METHOD PATH [curl args...]
hostile() {
	local name=$1 st=$2 field=$3 m=$4 p=$5 before
	shift 5
	before=$(snapshot)
	req "$m" "$p" "$@"
	expect_error "$name" "$st" "$field"
	if [ "$(snapshot)" != "$before" ]; then
		bad "$name: something was written"
	fi
}
J=(-H 'Content-Type: application/json')
# hpost NAME FIELD BODY: a hostile POST body, 400 naming FIELD.
hpost() { hostile "$1" 400 "$2" POST /reviews "${J[@]}" --data-binary "$3"; }

# --- ids: signs, spaces, junk, huge, types ---------------------------------
note "hostile: ids, parameters, paths, bodies, documents, types: each a 4xx naming its field, a snapshot around each"
for v in -1 +1 %2B1 %201 1%20 1.0 1e3 0x1 0 00 2147483648 9223372036854775808 \
	 99999999999999999999999999 abc 1abc "1%3B" "1'" "1%27%20OR%20%271%27=%271" \
	 "1;DROP%20TABLE%20reviews" "%EF%BC%91" "1%00" "%00" "" "%zz"; do
	hostile "list product_id=$v" 400 product_id GET "/reviews?product_id=$v"
done
for v in -1 0 abc 1.5 99999999999 "1%20" "1;select" "%2e%2e" "1%00"; do
	hostile "meta product_id=$v" 400 product_id GET "/reviews/meta?product_id=$v"
done
for q in "page=-1" "page=1e2" "page=%2B2" "count=1001" "count=99999999999999999999" \
	 "count=" "sort=newest%00" "sort=RELEVANT" "sort=relevant%27" "sort=%FF"; do
	hostile "list $q" 400 "${q%%=*}" GET "/reviews?product_id=1&$q"
done

# --- duplicated parameters --------------------------------------------------
hostile "duplicate product_id" 400 product_id GET "/reviews?product_id=1&product_id=2"
hostile "duplicate page, encoded name" 400 page GET "/reviews?product_id=1&page=1&p%61ge=2"
hostile "duplicate sort" 400 sort GET "/reviews?product_id=1&sort=newest&sort=newest"
hostile "meta duplicate product_id" 400 product_id GET "/reviews/meta?product_id=1&product_id=1"

# --- Part 2: filters, rating sorts, cursor; meta's stats and product_ids ----
# Through NGINX as sent and under /api (its one prefix rewrite must pass
# the query string through untouched).
note "hostile: Part 2 parameters (rating, has_photos, sort, cursor, stats, product_ids), with and without /api"
# A real next_cursor: the first page of one review of a product with two
# or more, by the default sort and no filter.
TP=$(sql "SELECT product_id FROM reviews WHERE NOT reported GROUP BY product_id
    HAVING count(*) >= 2 ORDER BY product_id LIMIT 1")
[[ "$TP" =~ ^[0-9]+$ ]] || bail_out "no product with two reviews for a real cursor"
req GET "/reviews?product_id=$TP&count=1&cursor="
TOKEN=$(jq -r '.next_cursor // empty' <<<"$BODY" 2>/dev/null)
if [[ "$STATUS" = 200 && "$TOKEN" =~ ^[A-Za-z0-9_-]+$ ]]; then
	ok "a real next_cursor of product $TP (count=1): URL-safe"
	# The same token is good again (the rows below refuse it only for
	# what they change).
	req GET "/reviews?product_id=$TP&count=1&cursor=$TOKEN"
	expect "the real token, as given" 200
else
	bad "no next_cursor for product $TP: status $STATUS, body $BODY"
	TOKEN=AQIfAAAAAAIAAAFr6KEYAAAAAAAAAAAAAAAABZ9B_yU5ff2e
fi
# One character in the middle changed, to another of the alphabet.
mid=$(( ${#TOKEN} / 2 ))
[ "${TOKEN:mid:1}" = A ] && sub=B || sub=A
ALTERED=${TOKEN:0:mid}$sub${TOKEN:mid+1}
OTHER=$((TP + 1))
# What each refusal says: an altered token is no token of ours; a good
# one for another list says so.
NOT_TOKEN="cursor must be empty or a next_cursor of an earlier answer"
FOREIGN="cursor was made for another product, sort or filter"
# forge_token SORT RATINGS PHOTOS PRODUCT A B ID: the token cursor.c
# writes for those fields (its layout, cursor.h: version 1, the fields
# big-endian, hash_bytes of those 28 bytes, base64url), made here to send
# tokens the service never writes but whose check is right (it is no
# secret).  Bash's arithmetic is 64-bit and wraps as C's uint64_t does;
# its >> is arithmetic, hence the masks.
forge_mix() {	# hash.h's hash_mix, into MIX
	local z=$1
	z=$(( (z ^ ((z >> 30) & ((1 << 34) - 1))) * 0xBF58476D1CE4E5B9 ))
	z=$(( (z ^ ((z >> 27) & ((1 << 37) - 1))) * 0x94D049BB133111EB ))
	MIX=$(( z ^ ((z >> 31) & ((1 << 33) - 1)) ))
}
forge_token() {
	local b=(1 "$1" "$2" "$3") v k i j w h
	for v in "$4:4" "$5:8" "$6:8" "$7:4"; do
		for ((k = ${v#*:} - 1; k >= 0; k--)); do
			b+=($(( (${v%:*} >> (8 * k)) & 255 )))
		done
	done
	h=$(( 0x9E3779B97F4A7C15 ^ 28 ))
	for ((i = 0; i < 24; i += 8)); do
		for ((w = 0, j = 0; j < 8; j++)); do
			w=$(( w | b[i + j] << (8 * j) ))
		done
		forge_mix $(( h ^ w )); h=$MIX
	done
	w=$(( b[24] | b[25] << 8 | b[26] << 16 | b[27] << 24 ))
	forge_mix $(( h ^ w ^ (4 << 59) )); h=$MIX
	for ((k = 7; k >= 0; k--)); do b+=($(( (h >> (8 * k)) & 255 ))); done
	printf "$(printf '\\x%02x' "${b[@]}")" | base64 -w0 | tr '+/' '-_'
}
# The forger is cursor.c's layout: it writes the real token for the
# fields of that first page's review (relevant: the score, then its id).
read -r TID TSCORE <<<"$(sql "SELECT id, date_ms + 2592000000 * helpfulness FROM reviews
    WHERE product_id = $TP AND NOT reported
    ORDER BY date_ms + 2592000000 * helpfulness DESC, id DESC LIMIT 1" | tr '|' ' ')"
if [ "$(forge_token 2 31 0 "$TP" "$TSCORE" 0 "$TID")" = "$TOKEN" ]; then
	ok "forge_token writes the real token for its fields"
else
	bad "forge_token wrote $(forge_token 2 31 0 "$TP" "$TSCORE" 0 "$TID") for the real $TOKEN (review $TID, score $TSCORE)"
fi
IDS101=$(seq -s, 1 101)
IDS100=$(seq -s, 1 100)
for pre in "" /api; do
	L="$pre/reviews?product_id=1"
	for q in "rating=0" "rating=4,4" "rating=4," "rating=" "rating=6" "rating=%34%2C%34" \
		 "rating=,4" "rating=4;5" "rating=04" "has_photos=yes" "has_photos=" "has_photos=TRUE" \
		 "has_photos=1" "sort=RATING_DESC" "sort=rating_desc%00" "sort=rating" "cursor=abc" \
		 "cursor=%3D" "rating=4&rating=5" "rating=5&r%61ting=5" \
		 "has_photos=true&has_photos=true" "cursor=&cursor=" "sort=rating_asc&sort=rating_asc"; do
		f=${q%%=*}
		[ "$f" = "r%61ting" ] && f=rating
		hostile "$pre list $q" 400 "$f" GET "$L&$q"
	done
	hostile "$pre list cursor= with page=1" 400 "cursor must not be given with page" GET "$L&cursor=&page=1"
	hostile "$pre list page=1 with a real token" 400 "cursor must not be given with page" GET "$pre/reviews?product_id=$TP&page=1&cursor=$TOKEN"
	hostile "$pre list a real token altered" 400 "$NOT_TOKEN" GET "$pre/reviews?product_id=$TP&cursor=$ALTERED"
	hostile "$pre list a real token truncated" 400 "$NOT_TOKEN" GET "$pre/reviews?product_id=$TP&cursor=${TOKEN%?}"
	hostile "$pre list a real token extended" 400 "$NOT_TOKEN" GET "$pre/reviews?product_id=$TP&cursor=${TOKEN}A"
	hostile "$pre list a real token padded" 400 "$NOT_TOKEN" GET "$pre/reviews?product_id=$TP&cursor=${TOKEN}%3D"
	# '+' and '/' (standard base64's), sent encoded ('+' is a space).
	hostile "$pre list a real token with '+' and '/'" 400 "$NOT_TOKEN" \
		GET "$pre/reviews?product_id=$TP&cursor=${TOKEN:0:2}%2B%2F${TOKEN:4}"
	hostile "$pre list a token of product $TP for product $OTHER" 400 "$FOREIGN" GET "$pre/reviews?product_id=$OTHER&cursor=$TOKEN"
	hostile "$pre list a token for another sort" 400 "$FOREIGN" GET "$pre/reviews?product_id=$TP&sort=newest&cursor=$TOKEN"
	hostile "$pre list a token for another rating filter" 400 "$FOREIGN" GET "$pre/reviews?product_id=$TP&rating=5&cursor=$TOKEN"
	hostile "$pre list a token for another photos filter" 400 "$FOREIGN" GET "$pre/reviews?product_id=$TP&has_photos=false&cursor=$TOKEN"
	# Tokens with a right check and values the service never writes:
	# a rating past smallint, a helpfulness past integer (both were the
	# database's "out of range", a 400 naming no field), a rating of 6,
	# a second value for a sort that has one.
	L2="$pre/reviews?product_id=$TP"
	hostile "$pre list a forged rating_desc token, rating 40000" 400 "$NOT_TOKEN" \
		GET "$L2&sort=rating_desc&cursor=$(forge_token 3 31 0 "$TP" 40000 0 1)"
	hostile "$pre list a forged rating_asc token, rating 6" 400 "$NOT_TOKEN" \
		GET "$L2&sort=rating_asc&cursor=$(forge_token 4 31 0 "$TP" 6 0 1)"
	hostile "$pre list a forged helpful token, helpfulness 2^31" 400 "$NOT_TOKEN" \
		GET "$L2&sort=helpful&cursor=$(forge_token 1 31 0 "$TP" 2147483648 0 1)"
	hostile "$pre list a forged newest token with a second value" 400 "$NOT_TOKEN" \
		GET "$L2&sort=newest&cursor=$(forge_token 0 31 0 "$TP" 1555200000000 5 1)"
	M="$pre/reviews/meta"
	for q in "stats=yes" "stats=1" "stats=TRUE" "stats=" "stats=true&stats=true"; do
		hostile "$pre meta $q" 400 stats GET "$M?product_id=1&$q"
	done
	for q in "product_ids=1,1" "product_ids=" "product_ids=1," "product_ids=,1" "product_ids=1,,2" \
		 "product_ids=0" "product_ids=2147483648" "product_ids=7,07" "product_ids=x" \
		 "product_ids=1%20,2"; do
		hostile "$pre meta $q" 400 product_ids GET "$M?$q"
	done
	hostile "$pre meta product_ids twice" 400 "product_ids must be given only once" \
		GET "$M?product_ids=1&product_ids=2"
	for q in "product_ids=1&product_id=1" "product_id=1&product_ids=1" "product_id=x&product_ids=0"; do
		hostile "$pre meta $q" 400 "product_ids must not be given with product_id" GET "$M?$q"
	done
	hostile "$pre meta 101 product_ids" 400 product_ids GET "$M?product_ids=$IDS101"
	hostile "$pre meta stats=true alone: product_id is required" 400 product_id GET "$M?stats=true"
	req GET "$M?product_ids=$IDS100&stats=true"
	expect_jq "$pre meta 100 product_ids: 100 results" '.results | length' 100
done

# --- path tricks in review_id -----------------------------------------------
for id in abc 0 -1 1.5 1e3 99999999999 "%20" "1%3Bx" "'1'" "1%27%20OR%201=1"; do
	hostile "helpful review_id $id" 400 review_id PUT "/reviews/$id/helpful"
	hostile "report review_id $id" 400 review_id PUT "/reviews/$id/report"
done
# The worker routes on the path as sent, each segment decoded: an encoded
# slash or dot segment stays in the id segment, which is then not digits
# (before, NGINX's normalised $uri sent 1%2F..%2F2 to review 2).  With and
# without /api; --path-as-is keeps curl from normalising "..".
for pre in "" /api; do
	for w in helpful report; do
		for id in "1%2F..%2F2" "1%2F2" "%2E%2E" "%2e%2e" ".." "" "1%20" "%201" "1%2F"; do
			hostile "$pre $w review_id '$id'" 400 review_id PUT "$pre/reviews/$id/$w" --path-as-is
		done
		# A dot segment between segments makes a path of no route.
		hostile "$pre $w /reviews/1/../2: no route" 404 "not found" PUT "$pre/reviews/1/../2/$w" --path-as-is
		hostile "$pre $w /reviews/1//2: no route" 404 "not found" PUT "$pre/reviews/1//2/$w" --path-as-is
		# A NUL or a malformed escape never reaches a worker: NGINX
		# refuses either while decoding $uri.
		hostile "$pre $w review_id 1%00: NGINX's 400" 400 "malformed" PUT "$pre/reviews/1%00/$w"
		hostile "$pre $w review_id 1%zz: NGINX's 400" 400 "malformed" PUT "$pre/reviews/1%zz/$w"
	done
done
hostile "path climbing ../" 404 "not found" PUT "/reviews/1/../../reviews/1/helpful/x"
hostile "encoded slash between literals: no route" 404 "not found" GET "/reviews%2Fmeta?product_id=1"

# --- POST bodies: types, ranges, lengths, text ------------------------------
hpost "rating as object" rating "$(good '.rating = {}')"
hpost "rating huge" rating "$(good '.rating = 1e308')"
hpost "rating negative zero-ish" rating "$(good '.rating = -0')"
hpost "product_id huge string" product_id "$(good '.product_id = "99999999999999999999"')"
hpost "product_id with space" product_id "$(good '.product_id = " 1"')"
hpost "product_id SQL" product_id "$(good '.product_id = "1; DROP TABLE reviews"')"
hpost "recommend null" recommend "$(good '.recommend = null')"
hpost "recommend string" recommend "$(good '.recommend = "yes"')"
hpost "body empty" body "$(good '.body = ""')"
hpost "body overlong (64 KiB of text)" body "$(good ".body = \"$(long 60000)\"")"
hpost "body array" body "$(good '.body = ["x"]')"
hpost "name overlong" name "$(good ".name = \"$(long 61)\"")"
hpost "name empty" name "$(good '.name = ""')"
hpost "summary overlong" summary "$(good ".summary = \"$(long 61)\"")"
hpost "email overlong" email "$(good ".email = \"$(long 55)@x.com\"")"
hpost "email SQL" email "$(good '.email = "a@b.co'"'"'; DROP TABLE reviews;--"')"
hpost "email newline" email "$(good '.email = "a@b.co\nBcc: x@y.z"')"
hpost "photos javascript: URL" photos "$(good '.photos = ["javascript:alert(1)"]')"
hpost "photos data: URL" photos "$(good '.photos = ["data:image/png;base64,AAAA"]')"
hpost "photos nested" photos "$(good '.photos = [["https://a.b/c"]]')"
hpost "characteristics huge id" characteristics "$(good '.characteristics = {"99999999999": 3}')"
hpost "characteristics negative id" characteristics "$(good '.characteristics = {"-1": 3}')"
hpost "characteristics value string" characteristics "$(good '.characteristics = {"1": "five"}')"
hpost "name SQL injection is just text, but unknown characteristic" characteristics \
	"$(good '.name = "Robert'"'"'); DROP TABLE reviews;--" | .characteristics = {"2147483647": 3}')"
printf '%s' "$(good '.name = "n@@n"')" | sed 's/@@/\xff\xfe/' >"$TMP/u1"
hpost "name invalid UTF-8" name "$(cat "$TMP/u1")"
printf '%s' "$(good '.summary = "s@@"')" | sed 's/@@/\xed\xa0\x80/' >"$TMP/u2"
hpost "summary lone surrogate bytes" summary "$(cat "$TMP/u2")"
hpost "body \\u0000 escape" body "$(good '.body = ("x" * 50 + "\u0000")')"
printf '%s' "$(good '.name = "n@@n"')" | sed 's/@@/\x00/' >"$TMP/nul"
hostile "name raw NUL byte" 400 name POST /reviews "${J[@]}" --data-binary @"$TMP/nul"
hpost "summary lone \\ud800 escape" body '{"product_id":1,"rating":4,"summary":"\ud800","body":"x"}'

# --- malformed documents ----------------------------------------------------
hpost "not JSON" body 'product_id=1&rating=5'
hpost "truncated JSON" body '{"product_id":1,'
hpost "JSON array" body '[{"product_id":1}]'
hpost "JSON string" body '"review"'
hpost "trailing garbage" body "$(good) x"
hpost "single quotes" body "{'product_id':1}"
hpost "deeply nested" body "$(long 5000 '[')"
hpost "deeply nested objects" body "$(for _ in $(seq 1 3000); do printf '{"a":'; done)"
hpost "empty object" product_id '{}'
hostile "missing body" 400 body POST /reviews "${J[@]}"

# --- Part 2: report bodies, response bodies --------------------------------
# A published review to aim at: a refused report must not hide it, a
# refused response must not touch it.
note "hostile: report reasons and notes, merchant responses: each a 4xx naming its field, nothing recorded"
RID=$(sql "SELECT id FROM reviews WHERE NOT reported ORDER BY id LIMIT 1")
[[ "$RID" =~ ^[0-9]+$ ]] || bail_out "no published review to report"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOKEN=$(env -u DATABASE_URL "$ROOT/spawn/stack" admin-token hostile 2>"$TMP/token.err")
[[ "$TOKEN" =~ ^[A-Za-z0-9_-]{40,}$ ]] || bail_out "spawn/stack admin-token: $(tr '\n' ' ' <"$TMP/token.err")"
AUTH=(-H "Authorization: Bearer $TOKEN")
# hreport NAME FIELD BODY / hresponse NAME FIELD BODY: 400 naming FIELD.
hreport() { hostile "report: $1" 400 "$2" PUT "/reviews/$RID/report" "${J[@]}" --data-binary "$3"; }
hresponse() { hostile "response: $1" 400 "$2" PUT "/admin/reviews/$RID/response" "${AUTH[@]}" "${J[@]}" --data-binary "$3"; }
hreport "reason not one of the six" reason '{"reason":"rude"}'
hreport "reason in another case" reason '{"reason":"SPAM"}'
hreport "reason capitalised" reason '{"reason":"Off_topic"}'
hreport "reason with a dash" reason '{"reason":"off-topic"}'
hreport "reason with a space" reason '{"reason":" spam"}'
hreport "reason empty" reason '{"reason":""}'
hreport "reason a number" reason '{"reason":1}'
hreport "reason an array" reason '{"reason":["spam"]}'
hreport "reason true" reason '{"reason":true}'
hreport "reason \\u0000 escape" reason '{"reason":"spam\u0000"}'
hreport "reason SQL" reason "{\"reason\":\"spam'); DELETE FROM review_reports;--\"}"
hreport "note of 501 characters" note "{\"note\":\"$(long 501)\"}"
hreport "note of 501 two-byte characters" note "{\"note\":\"$(long 501 | sed 's/a/é/g')\"}"
hreport "note a number" note '{"reason":"spam","note":5}'
hreport "note an array" note '{"note":["x"]}'
hreport "note an object" note '{"note":{}}'
hreport "note \\u0000 escape" note '{"note":"a\u0000b"}'
printf '{"note":"a@@b"}' | sed 's/@@/\x00/' >"$TMP/rnul"
hostile "report: note with a raw NUL byte" 400 note PUT "/reviews/$RID/report" "${J[@]}" --data-binary @"$TMP/rnul"
printf '{"note":"a@@b"}' | sed 's/@@/\xff\xfe/' >"$TMP/rutf"
hostile "report: note invalid UTF-8" 400 note PUT "/reviews/$RID/report" "${J[@]}" --data-binary @"$TMP/rutf"
printf '{"note":"a@@b"}' | sed 's/@@/\xed\xa0\x80/' >"$TMP/rsur"
hostile "report: note lone surrogate bytes" 400 note PUT "/reviews/$RID/report" "${J[@]}" --data-binary @"$TMP/rsur"
hreport "malformed JSON" body '{"reason":"spam"'
hreport "trailing garbage" body '{"reason":"spam"} x'
hreport "JSON array" body '["spam"]'
hreport "JSON string" body '"spam"'
hreport "form data sent as JSON" body 'reason=spam'
hreport "deeply nested" body "$(long 5000 '[')"
hostile "report: oversized body" 413 body PUT "/reviews/$RID/report" "${J[@]}" --data-binary @"$TMP/big"
hostile "report: /api, reason in another case" 400 reason PUT "/api/reviews/$RID/report/" "${J[@]}" --data-binary '{"reason":"Fake"}'
hresponse "empty string" response '{"response":""}'
hresponse "1001 characters" response "{\"response\":\"$(long 1001)\"}"
hresponse "1001 two-byte characters" response "{\"response\":\"$(long 1001 | sed 's/a/ü/g')\"}"
hresponse "a number" response '{"response":5}'
hresponse "an array" response '{"response":["thanks"]}'
hresponse "an object" response '{"response":{"text":"thanks"}}'
hresponse "true" response '{"response":true}'
hresponse "missing key" response '{}'
hresponse "key in another case" response '{"Response":"thanks"}'
hresponse "\\u0000 escape" response '{"response":"thanks\u0000"}'
printf '{"response":"a@@b"}' | sed 's/@@/\x00/' >"$TMP/pnul"
hostile "response: a raw NUL byte" 400 response PUT "/admin/reviews/$RID/response" "${AUTH[@]}" "${J[@]}" --data-binary @"$TMP/pnul"
printf '{"response":"a@@b"}' | sed 's/@@/\xc3/' >"$TMP/putf"
hostile "response: invalid UTF-8" 400 response PUT "/admin/reviews/$RID/response" "${AUTH[@]}" "${J[@]}" --data-binary @"$TMP/putf"
hresponse "malformed JSON" body '{"response":"thanks"'
hresponse "JSON array" body '[{"response":"thanks"}]'
hresponse "no body" body ''
hostile "response: form Content-Type" 415 Content-Type PUT "/admin/reviews/$RID/response" "${AUTH[@]}" \
	-H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'response=thanks'
hostile "response: no Content-Type" 415 Content-Type PUT "/admin/reviews/$RID/response" "${AUTH[@]}" \
	-H 'Content-Type:' --data-binary '{"response":"thanks"}'
hostile "response: oversized body" 413 body PUT "/admin/reviews/$RID/response" "${AUTH[@]}" "${J[@]}" --data-binary @"$TMP/big"
for w in restore remove response; do
	hostile "$w: no token" 401 Authorization PUT "/admin/reviews/$RID/$w" "${J[@]}" --data-binary '{"response":"x"}'
	hostile "$w: a token not in the file" 401 Authorization PUT "/admin/reviews/$RID/$w" \
		-H "Authorization: Bearer ${TOKEN}A" "${J[@]}" --data-binary '{"response":"x"}'
	hostile "$w: Basic, not Bearer" 401 Authorization PUT "/admin/reviews/$RID/$w" \
		-H "Authorization: Basic $TOKEN" "${J[@]}" --data-binary '{"response":"x"}'
	for id in abc 0 -1 99999999999 "1%2F..%2F2"; do
		hostile "$w: review_id $id" 400 review_id PUT "/admin/reviews/$id/$w" "${AUTH[@]}" \
			"${J[@]}" --data-binary '{"response":"x"}'
	done
	hostile "$w: no such review" 404 review_id PUT "/admin/reviews/2147483647/$w" "${AUTH[@]}" \
		"${J[@]}" --data-binary '{"response":"x"}'
	hostile "POST $w" 405 method POST "/admin/reviews/$RID/$w" "${AUTH[@]}"
done
[ "$(sql "SELECT reported FROM reviews WHERE id = $RID")" = f ] && ok "the review aimed at is still published" ||
	bad "review $RID was hidden by a refused request"
# --- the admin API: data-subject bodies, the queue's and the log's parameters -
# With a token of this suite's own (the stack's own settings name its
# database: spawn/stack refuses a different DATABASE_URL).  Every row a
# 4xx naming its field, and nothing written, nothing logged (snapshot
# counts the audit log too).
note "hostile: admin bodies (export, erase), queue and audit parameters, the token gate"
HTOKEN=$(env -u DATABASE_URL "$(dirname "$0")/../spawn/stack" admin-token hostile 2>"$TMP/token.err")
[[ "$HTOKEN" =~ ^[A-Za-z0-9_-]{20,}$ ]] || bail_out "spawn/stack admin-token gave no token: $(tail -2 "$TMP/token.err")"
HA=(-H "Authorization: Bearer $HTOKEN")
ADDR=pat.doe@example.com
# A 65,537-byte body that would erase ADDR if it were let in.
{ printf '{"email":"%s","pad":"' "$ADDR"; long $((65537 - 21 - ${#ADDR})); printf '"}'; } >"$TMP/admin-big"
[ "$(wc -c <"$TMP/admin-big")" = 65537 ] || bail_out "the 64 KiB + 1 body is $(wc -c <"$TMP/admin-big") bytes"
for w in export erase; do
	A=/admin/reviewers/$w
	# habody NAME FIELD BODY: a bad JSON body, 400 naming FIELD.
	habody() { hostile "$w: $1" 400 "$2" POST "$A" "${HA[@]}" "${J[@]}" --data-binary "$3"; }
	habody "email missing" email '{}'
	habody "email null" email '{"email":null}'
	habody "email empty" email '{"email":""}'
	habody "email not an email" email '{"email":"pat.doe"}'
	habody "email without a dot in its domain" email '{"email":"pat@example"}'
	habody "email of 61 characters" email "{\"email\":\"$(long 53)@x.co.uk\"}"
	habody "email a number" email '{"email":5}'
	habody "email an array" email "{\"email\":[\"$ADDR\"]}"
	habody "email an object" email "{\"email\":{\"email\":\"$ADDR\"}}"
	habody "email true" email '{"email":true}'
	habody "email with a header after a newline" email "{\"email\":\"$ADDR\\nBcc: x@y.z\"}"
	habody "email with a \\u0000" email "{\"email\":\"$ADDR\\u0000\"}"
	habody "email spelled Email" email "{\"Email\":\"$ADDR\"}"
	habody "email SQL" email "{\"email\":\"a@b.co'; DELETE FROM reviews;--\"}"
	habody "malformed JSON" body '{"email":'
	habody "not JSON" body "email=$ADDR"
	habody "a JSON array" body "[{\"email\":\"$ADDR\"}]"
	habody "a JSON string" body "\"$ADDR\""
	habody "trailing garbage" body "{\"email\":\"$ADDR\"} x"
	hostile "$w: no body" 400 body POST "$A" "${HA[@]}" "${J[@]}"
	hostile "$w: no Content-Type" 415 Content-Type POST "$A" "${HA[@]}" -H 'Content-Type:' \
		--data-binary "{\"email\":\"$ADDR\"}"
	hostile "$w: form Content-Type" 415 Content-Type POST "$A" "${HA[@]}" \
		-H 'Content-Type: application/x-www-form-urlencoded' --data-binary "email=$ADDR"
	hostile "$w: text/plain" 415 Content-Type POST "$A" "${HA[@]}" -H 'Content-Type: text/plain' \
		--data-binary "{\"email\":\"$ADDR\"}"
	hostile "$w: 64 KiB + 1" 413 body POST "$A" "${HA[@]}" "${J[@]}" --data-binary @"$TMP/admin-big"
	hostile "$w: no token" 401 Authorization POST "$A" "${J[@]}" --data-binary "{\"email\":\"$ADDR\"}"
	hostile "$w: a token not on file" 401 Authorization POST "$A" -H "Authorization: Bearer x${HTOKEN:1}" \
		"${J[@]}" --data-binary "{\"email\":\"$ADDR\"}"
	hostile "$w: a Basic credential" 401 Authorization POST "$A" -H "Authorization: Basic $(printf 'a:b' | base64)" \
		"${J[@]}" --data-binary "{\"email\":\"$ADDR\"}"
	hostile "$w: GET" 405 method GET "$A" "${HA[@]}"
	# Under /api (NGINX's one prefix rule) the same checks run.
	hostile "/api $w: not an email" 400 email POST "/api$A/" "${HA[@]}" "${J[@]}" --data-binary '{"email":"pat.doe"}'
	hostile "/api $w: text/plain" 415 Content-Type POST "/api$A" "${HA[@]}" -H 'Content-Type: text/plain' \
		--data-binary "{\"email\":\"$ADDR\"}"
	hostile "/api $w: no token" 401 Authorization POST "/api$A" "${J[@]}" --data-binary "{\"email\":\"$ADDR\"}"
done
for q in "status=x" "status=OPEN" "status=" "status=reported" "status=open&status=closed" "page=0" \
	 "page=100001" "page=-1" "page=abc" "count=0" "count=101" "count=1000" "count=1e2" "count=" \
	 "count=20&count=20" "status=open%00"; do
	hostile "reports $q" 400 "${q%%=*}" GET "/admin/reports?$q" "${HA[@]}"
done
for q in "page=0" "page=x" "count=101" "count=0" "count=-1" "page=1&page=1"; do
	hostile "audit $q" 400 "${q%%=*}" GET "/admin/audit?$q" "${HA[@]}"
done
hostile "/api reports count=101" 400 count GET "/api/admin/reports/?count=101" "${HA[@]}"
hostile "/api audit page=0" 400 page GET "/api/admin/audit?page=0" "${HA[@]}"
hostile "reports without a token" 401 Authorization GET "/admin/reports"
hostile "audit without a token, bad count" 401 Authorization GET "/admin/audit?count=101"
hostile "POST /admin/reports" 405 method POST "/admin/reports" "${HA[@]}"

# --- content types, sizes, methods ------------------------------------------
hostile "no Content-Type" 415 Content-Type POST /reviews -H 'Content-Type:' --data-binary "$(good)"
hostile "form Content-Type" 415 Content-Type POST /reviews -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "$(good)"
hostile "JSON-ish Content-Type" 415 Content-Type POST /reviews -H 'Content-Type: application/jsonx' --data-binary "$(good)"
hostile "text/json" 415 Content-Type POST /reviews -H 'Content-Type: text/json' --data-binary "$(good)"
hostile "oversized body" 413 body POST /reviews "${J[@]}" --data-binary @"$TMP/big"
hostile "oversized declared length" 413 body POST /reviews "${J[@]}" -H 'Content-Length: 1000000' --data-binary '{}'
for m in DELETE PATCH TRACE PROPFIND; do
	hostile "$m /reviews" 405 method "$m" /reviews
done
hostile "PUT /reviews/meta" 405 method PUT /reviews/meta
hostile "POST /reviews/1/report" 405 method POST /reviews/1/report

# --- admin tokens ----------------------------------------------------------
# Every /admin path asks for a token before anything else, so a path no
# route serves says 401 too: nothing under /admin, not even whether a path
# exists, is told without one.  A real token, made as an admin makes one.
note "hostile: admin tokens: each refused with 401 and WWW-Authenticate: Bearer, nothing written"
ADMIN=$("$(dirname "$0")/../spawn/stack" admin-token hostile 2>/dev/null)
[[ "$ADMIN" =~ ^[A-Za-z0-9_-]{43}$ ]] || bail_out "spawn/stack admin-token made no token: $ADMIN"
# hadmin NAME STATUS AUTHORIZATION [PATH]: a PUT under /admin with that
# Authorization header ("-": none), refused, its challenge with it.
hadmin() {
	local name=$1 st=$2 auth=$3 p=${4:-/admin/reviews/1/restore} h=()
	[ "$auth" = - ] || h=(-H "Authorization: $auth")
	hostile "admin: $name" "$st" Authorization PUT "$p" "${h[@]}"
	if [ "$st" = 401 ] && [[ "$(header WWW-Authenticate)" != Bearer* ]]; then
		bad "admin: $name: no WWW-Authenticate: Bearer challenge ($(header WWW-Authenticate))"
	fi
}
upper=$(tr '[:lower:]' '[:upper:]' <<<"$ADMIN") lower=$(tr '[:upper:]' '[:lower:]' <<<"$ADMIN")
[ "$upper" != "$ADMIN" ] || upper=${ADMIN}x
[ "$lower" != "$ADMIN" ] || lower=${ADMIN}y
hadmin "no Authorization" 401 -
hadmin "an empty Authorization" 401 ""
hadmin "Bearer and no token" 401 "Bearer"
hadmin "Bearer and a blank" 401 "Bearer "
hadmin "Basic instead of Bearer" 401 "Basic $(printf 'admin:%s' "$ADMIN" | base64 -w0)"
hadmin "the token alone" 401 "$ADMIN"
hadmin "Token instead of Bearer" 401 "Token $ADMIN"
hadmin "the token in upper case" 401 "Bearer $upper"
hadmin "the token in lower case" 401 "Bearer $lower"
hadmin "a prefix of the token" 401 "Bearer ${ADMIN:0:42}"
hadmin "the token's first character" 401 "Bearer ${ADMIN:0:1}"
hadmin "the token and one more character" 401 "Bearer ${ADMIN}A"
hadmin "the token with a space inside" 401 "Bearer ${ADMIN:0:20} ${ADMIN:20}"
hadmin "the token quoted" 401 "Bearer \"$ADMIN\""
hadmin "the token twice" 401 "Bearer $ADMIN, Bearer $ADMIN"
hadmin "the token's SHA-256" 401 "Bearer $(printf '%s' "$ADMIN" | sha256sum | cut -d' ' -f1)"
hadmin "a token of UTF-8" 401 "Bearer $(printf '\xc3\xa9')$ADMIN"
hadmin "1 KB of token" 401 "Bearer $(long 1024 A)"
hadmin "no token, a path no route serves" 401 - /admin/nothing/here
hadmin "a wrong token, a path no route serves" 401 "Bearer x$ADMIN" /admin/nothing/here
# Past NGINX's header buffers (8 KiB): its own JSON 400, before a worker.
hostile "admin: 10 KB of token" 400 "" PUT /admin/reviews/1/restore -H "Authorization: Bearer $(long 10240 A)"
# A NUL can only be sent raw (curl cuts a header there); NGINX refuses the
# header line with its 400.
before=$(snapshot)
raw=$(printf 'PUT /admin/reviews/1/restore HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\0%s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n' "${ADMIN:0:20}" "${ADMIN:20}" |
	timeout 5 curl -s --max-time 5 "telnet://${BASE#http://}" 2>/dev/null | head -1 | tr -d '\r')
[[ "$raw" == "HTTP/1.1 400"* ]] && ok "admin: a NUL in the token: NGINX's 400 ($raw)" ||
	bad "admin: a NUL in the token: $raw"
[ "$(snapshot)" = "$before" ] || bad "admin: a NUL in the token: something was written"
# The token itself passes the gate (the scheme's case does not matter,
# and blanks around a header's value are not part of it: RFC 9110): what
# answers is the route's own 404, not a 401.
for auth in "Bearer $ADMIN" "bearer $ADMIN" "BEARER $ADMIN" "Bearer  $ADMIN" "Bearer $ADMIN "; do
	req GET /admin/nothing/here -H "Authorization: $auth"
	expect "admin: '${auth/$ADMIN/TOKEN}' passes the gate to an unknown path's 404" 404
done

done_testing
