#!/usr/bin/env bash
# tests/load.sh: the loader on files holding every kind of dirt DATA.md
# names (plus quotes and newlines inside fields and multi-byte UTF-8).  The
# reject report names exactly the bad rows and reasons, the good rows are
# all there, the aggregates summed while loading are exact (with_photos
# named product by product), verify passes, the CSV's reported review is
# removed (and the API treats it so), loading twice gives the same database
# and clears the reports on record, and the API serves what was loaded.  Then the same files with a
# product past the loader's arrays, whose aggregates are summed in SQL
# (aggregates.sql) instead.  Needs BASE_URL, DATABASE_URL and LOAD (a
# command that loads a directory, as `spawn/stack load`, honouring
# $REJECTS).  Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${LOAD:?}"
FIX=$(cd "$(dirname "$0")/fixtures/dirty" && pwd)
note "load: reviews-load on tests/fixtures/dirty, twice"

# served: after a load the stack restarts its workers; under valgrind on
# a busy machine the first request can outlast NGINX's read timeout while
# none has started yet.  Wait (up to a minute) until one answers.
served() {
	local i
	for i in $(seq 1 120); do
		req GET /healthz
		[ "$STATUS" = 200 ] && return 0
		sleep 0.5
	done
	bad "no worker answered /healthz for a minute after the load (last $STATUS)"
}
REJECTS=$TMP/rejects.tsv $LOAD "$FIX" >"$TMP/load.out" 2>&1 || { cat "$TMP/load.out"; bad "the load failed"; }
served
# Files load concurrently: compare in (file, line) order.
bysite() { sort -t $'\t' -k1,1 -k2,2n; }
got=$(tail -n +2 "$TMP/rejects.tsv" | cut -f1-3 | bysite)
want=$(bysite <"$FIX/expected-rejects.tsv")
if [ "$got" = "$want" ]; then
	ok "reject report: exactly the $(wc -l <"$FIX/expected-rejects.tsv") bad rows, with their reasons"
else
	bad "reject report differs:"$'\n'"$(diff <(echo "$got") <(echo "$want"))"
fi
grep -q $'^reviews.csv\t14\tduplicate id\t1,2,4,1596080481475,"Duplicate id"' "$TMP/rejects.tsv" &&
	ok "reject report carries the raw row" || bad "reject report lacks the raw row"
grep -q "rejected" "$TMP/load.out" && grep -qE 'total +[0-9]+ rows +[0-9]+ loaded +26 rejected' "$TMP/load.out" &&
	ok "summary counts 26 rejected rows" || bad "summary: $(grep total "$TMP/load.out")"

ids() { sql "SELECT string_agg(id::text, ' ' ORDER BY id) FROM $1"; }
[ "$(ids reviews)" = "1 2 3 13 14 18" ] && ok "good reviews all loaded" || bad "reviews: $(ids reviews)"
[ "$(ids characteristics)" = "1 2 3 5" ] && ok "good characteristics all loaded" || bad "characteristics: $(ids characteristics)"
[ "$(ids reviews_photos)" = "1 2 4 6 7" ] && ok "good photos all loaded" || bad "photos: $(ids reviews_photos)"
[ "$(ids characteristic_reviews)" = "1 2 3 4 5 6 7 8 14" ] && ok "good ratings all loaded" || bad "ratings: $(ids characteristic_reviews)"
[ "$(sql "SELECT body FROM reviews WHERE id = 2")" = $'Line one\nline two, after a newline' ] &&
	ok "a newline inside a quoted field is kept" || bad "multi-line body"
[ "$(sql "SELECT response IS NULL FROM reviews WHERE id = 3")" = t ] &&
	ok "a quoted \"null\" response is no response" || bad "quoted null response"
# Product 1: review 1 has two photos, review 2 one; product 2: the
# reported review 13 has one, and the photo of review 14 was rejected
# (a duplicate id); product 3: review 18 has one.
with_photos() { sql "SELECT string_agg(product_id || ':' || with_photos, ' ' ORDER BY product_id) FROM product_meta"; }
[ "$(with_photos)" = "1:2 2:0 3:1" ] &&
	ok "with_photos: a review counts once however many photos, reported reviews and rejected photos nowhere" ||
	bad "with_photos (product:count): $(with_photos), want 1:2 2:0 3:1"
drift=$(psql -X -q -tA -d "$DB" -f "$(dirname "$0")/../db/verify.sql")
[ -z "$drift" ] && ok "verify: aggregates match the loaded rows" || bad "verify: $drift"
# The CSV's reported review (13) is an old report, decided: removed, with
# no report on record; every other review is published.
statuses() {
	sql "SELECT string_agg(id || ':' || CASE WHEN NOT reported THEN 'published'
	    WHEN removed THEN 'removed' ELSE 'reported' END, ' ' ORDER BY id) FROM reviews"
}
[ "$(statuses)" = "1:published 2:published 3:published 13:removed 14:published 18:published" ] &&
	ok "the CSV's reported review loads as removed, the others as published" || bad "statuses: $(statuses)"
[ "$(sql "SELECT count(*) FROM review_reports")" = 0 ] && ok "no report on record after the load" ||
	bad "review_reports after the load: $(sql "SELECT count(*) FROM review_reports")"
# Removed, as the API sees it: removing it again and reporting it change
# nothing and record nothing.
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOKEN=$(env -u DATABASE_URL "$ROOT/spawn/stack" admin-token load 2>"$TMP/token.err")
[[ "$TOKEN" =~ ^[A-Za-z0-9_-]{40,}$ ]] || bail_out "spawn/stack admin-token: $(tr '\n' ' ' <"$TMP/token.err")"
audit0=$(sql "SELECT coalesce(max(id), 0) FROM admin_audit")
req PUT /admin/reviews/13/remove -H "Authorization: Bearer $TOKEN"
expect "API: a remove of the loaded reported review is a no-op 204" 204 ""
req PUT /reviews/13/report -H 'Content-Type: application/json' --data-binary '{"reason":"spam"}'
expect "API: a report of it, 204" 204 ""
[ "$(sql "SELECT count(*) FROM admin_audit WHERE id > $audit0")/$(sql "SELECT count(*) FROM review_reports")/$(statuses)" = \
  "0/0/1:published 2:published 3:published 13:removed 14:published 18:published" ] &&
	ok "API: it was removed already (nothing logged), and a report of it records nothing" ||
	bad "after remove and report of 13: audit $(sql "SELECT count(*) FROM admin_audit WHERE id > $audit0"), reports $(sql "SELECT count(*) FROM review_reports"), $(statuses)"

dump() {
	sql "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM (
	    SELECT r::text AS t FROM reviews r UNION ALL SELECT p::text FROM reviews_photos p
	    UNION ALL SELECT c::text FROM characteristics c UNION ALL SELECT x::text FROM characteristic_reviews x
	    UNION ALL SELECT m::text FROM product_meta m) all_rows"
}
first=$(dump)
# A report before the second load: the load puts the review back as the
# CSV has it and clears the reports with the data set.
req PUT /reviews/14/report -H 'Content-Type: application/json' --data-binary '{"reason":"fake","note":"before a reload"}'
expect "API: a report of review 14 before loading again" 204 ""
[ "$(sql "SELECT count(*) FROM review_reports WHERE review_id = 14")" = 1 ] && ok "the report is on record" ||
	bad "reports of 14: $(sql "SELECT count(*) FROM review_reports WHERE review_id = 14")"
REJECTS=$TMP/rejects2.tsv $LOAD "$FIX" >"$TMP/load2.out" 2>&1
served
[ "$(dump)" = "$first" ] && ok "loading the same files again gives the same database" || bad "second load differs"
[ "$(sql "SELECT count(*) FROM review_reports")" = 0 ] && [ "$(statuses)" = "1:published 2:published 3:published 13:removed 14:published 18:published" ] &&
	ok "the reload cleared the report and published review 14 again" ||
	bad "after the reload: $(sql "SELECT count(*) FROM review_reports") reports, $(statuses)"

# The API serves the loaded rows.
B1='{"review_id":1,"rating":5,"summary":"Great","recommend":true,"response":null,"body":"A fine body, with a comma.","date":"2020-07-30T03:41:21.467Z","reviewer_name":"ann","helpfulness":8,"photos":[{"id":1,"url":"https://images.example/1-a.jpg"},{"id":2,"url":"https://images.example/1-b.jpg"}]}'
B2='{"review_id":2,"rating":4,"summary":"Quotes \"inside\"","recommend":false,"response":"Thanks \"Bob\"!","body":"Line one\nline two, after a newline","date":"2020-07-30T03:41:21.468Z","reviewer_name":"bob","helpfulness":0,"photos":[{"id":4,"url":"https://images.example/2.jpg"}]}'
B3='{"review_id":3,"rating":3,"summary":"Café ünïcode ✓","recommend":true,"response":null,"body":"Naïve façade body","date":"2020-07-30T03:41:21.469Z","reviewer_name":"zoë","helpfulness":1,"photos":[]}'
req GET "/reviews?product_id=1&sort=newest"
expect "API lists the loaded reviews: ISO dates, null responses, photos in id order" 200 \
	"{\"product\":\"1\",\"page\":0,\"count\":5,\"results\":[$B3,$B2,$B1]}"
req GET "/reviews/meta?product_id=1"
expect "API meta of the loaded product" 200 '{"product_id":"1","ratings":{"1":"0","2":"0","3":"1","4":"1","5":"1"},"recommended":{"false":"1","true":"2"},"characteristics":{"Fit":{"id":1,"value":"4.0000000000000000"},"Length":{"id":2,"value":"3.3333333333333333"}}}'
req GET "/reviews/meta?product_id=2"
expect "API meta leaves the reported review out" 200 '{"product_id":"2","ratings":{"1":"0","2":"0","3":"0","4":"0","5":"1"},"recommended":{"false":"0","true":"1"},"characteristics":{"Size":{"id":3,"value":"5.0000000000000000"}}}'
post '{"product_id":3,"rating":4,"body":"After the load, new reviews get ids past the loaded ones.","recommend":true,"name":"n","email":"n@example.com","photos":["https://images.example/new.jpg"],"characteristics":{"5":3}}'
id=$(jq -r '.review_id' <<<"$BODY")
[ "$STATUS" = 201 ] && [ "$id" -gt 18 ] && ok "a new review gets a fresh id ($id)" || bad "post after load: $STATUS $BODY"

# A product id past the loader's flat arrays (IDMAP_DENSE, 2^26): every
# aggregate is summed by aggregates.sql instead, and must come out the same.
S=$TMP/sparse
mkdir -p "$S"
cp "$FIX"/*.csv "$S/"
echo '19,70000000,5,1596080481483,"Far away","body",true,false,"i","i@example.com",null,0' >>"$S/reviews.csv"
printf '%s\n' '8,19,"https://images.example/far-1.jpg"' '9,19,"https://images.example/far-2.jpg"' >>"$S/reviews_photos.csv"
REJECTS=$TMP/rejects3.tsv $LOAD "$S" >"$TMP/load3.out" 2>&1 || { cat "$TMP/load3.out"; bad "the load of a product past the arrays failed"; }
served
grep -q 'summing aggregates in SQL' "$TMP/load3.out" &&
	ok "a product past 2^26: the loader sums the aggregates in SQL" || bad "no SQL summing: $(cat "$TMP/load3.out")"
[ "$(with_photos)" = "1:2 2:0 3:1 70000000:1" ] &&
	ok "with_photos summed in SQL: the same counts, the far product's two photos once" ||
	bad "with_photos in SQL (product:count): $(with_photos), want 1:2 2:0 3:1 70000000:1"
drift=$(psql -X -q -tA -d "$DB" -f "$(dirname "$0")/../db/verify.sql")
[ -z "$drift" ] && ok "verify: aggregates summed in SQL match the rows" || bad "verify: $drift"

done_testing
