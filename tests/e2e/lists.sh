#!/usr/bin/env bash
# tests/e2e/lists.sh: GET /reviews: exact bodies for each sort order and
# tie-break, paging stability, every bad query string (400 naming the field).
# Needs BASE_URL and DATABASE_URL; starts from tests/e2e/fixtures.sh.
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header lists "GET /reviews: sort orders, paging, bad query strings"

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


done_testing
