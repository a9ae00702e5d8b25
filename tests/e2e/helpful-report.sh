#!/usr/bin/env bash
# tests/e2e/helpful-report.sh: PUT helpful and report: a vote moves a review
# in helpful and relevant order, a report hides it and lowers every count
# in meta, bad and missing review ids write nothing.
# Needs BASE_URL and DATABASE_URL; starts from tests/e2e/fixtures.sh.
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header helpful-report "PUT helpful and report"

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

verify_aggregates "verify: every aggregate matches the raw rows"
done_testing
