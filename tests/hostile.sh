#!/usr/bin/env bash
# tests/hostile.sh: hostile requests, one row each.  Every row asserts the
# status, a JSON error naming the field, and that nothing was written (a
# snapshot of every table's rows and every aggregate, before and after).
# Needs BASE_URL and DATABASE_URL.  Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

# good (tests/lib.sh): a valid review of product 1, edited by jq.
long() { head -c "$1" /dev/zero | tr '\0' "${2:-a}"; }

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

# --- content types, sizes, methods ------------------------------------------
hostile "no Content-Type" 415 Content-Type POST /reviews -H 'Content-Type:' --data-binary "$(good)"
hostile "form Content-Type" 415 Content-Type POST /reviews -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "$(good)"
hostile "JSON-ish Content-Type" 415 Content-Type POST /reviews -H 'Content-Type: application/jsonx' --data-binary "$(good)"
hostile "text/json" 415 Content-Type POST /reviews -H 'Content-Type: text/json' --data-binary "$(good)"
long 70000 >"$TMP/big"
hostile "oversized body" 413 body POST /reviews "${J[@]}" --data-binary @"$TMP/big"
hostile "oversized declared length" 413 body POST /reviews "${J[@]}" -H 'Content-Length: 1000000' --data-binary '{}'
for m in DELETE PATCH TRACE PROPFIND; do
	hostile "$m /reviews" 405 method "$m" /reviews
done
hostile "PUT /reviews/meta" 405 method PUT /reviews/meta
hostile "POST /reviews/1/report" 405 method POST /reviews/1/report

done_testing
