#!/usr/bin/env bash
# tests/e2e/admin.sh: the moderator's reads and the data-subject requests
# of the admin API (API.md Part 2): the report queue, open and closed,
# paged, its reasons tallied and each review byte for byte; the audit log,
# newest first; a reviewer's export (every status, the e-mail matched
# whatever its case); and an erasure: every row of the reviewer gone (a
# data-only pg_dump holds the address before and not after), every
# aggregate exact (meta, stats, lists, verify), cached answers that held
# the reviews replaced at once, both products notified, the audit line
# without the address.
# Needs BASE_URL, DATABASE_URL and STACK_DIR (the stack whose token file
# the workers read: tests/run exports it); starts from
# tests/e2e/fixtures.sh.  Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header admin "report queue, audit log, export and erasure of a reviewer"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# A token of this suite's own (spawn/stack keeps its SHA-256 in the
# stack's token file, which the workers read again when it changes).  The
# stack's own settings name its database: a DATABASE_URL in the
# environment would be a different setting, which spawn/stack refuses.
TOKEN=$(env -u DATABASE_URL STACK_DIR="${STACK_DIR:?STACK_DIR is required}" \
	"$ROOT/spawn/stack" admin-token e2e-admin 2>"$TMP/token.err")
[[ "$TOKEN" =~ ^[A-Za-z0-9_-]{20,}$ ]] || bail_out "spawn/stack admin-token gave no token: $(tail -2 "$TMP/token.err")"
AUTH=(-H "Authorization: Bearer $TOKEN")
J=(-H 'Content-Type: application/json')
areq() { local m=$1 p=$2; shift 2; req "$m" "$p" "${AUTH[@]}" "$@"; }
# export/erase EMAIL: the data-subject requests, the address in the body.
export_of() { areq POST /admin/reviewers/export "${J[@]}" --data-binary "{\"email\":\"$1\"}"; }
erase() { areq POST /admin/reviewers/erase "${J[@]}" --data-binary "{\"email\":\"$1\"}"; }
# iso MS: what json_iso_date writes for ms since the epoch.
iso() { printf '%s.%03dZ' "$(date -u -d "@$(($1 / 1000))" +%Y-%m-%dT%H:%M:%S)" $(($1 % 1000)); }

# --- the fixture -------------------------------------------------------------
# The queue and the audit log are global: this suite makes them hold only
# what it writes.  Hidden reviews outside the fixture products are decided
# (removed), every report on record goes, the log starts empty.  The
# fixture of fixtures.sh keeps A4: reported, with no report on record (as
# a review hidden before reports were recorded): it waits in the open
# queue, last, with no times.
setup_sql "UPDATE reviews SET removed = true WHERE reported AND NOT removed AND product_id < 1900000000;
     DELETE FROM review_reports; DELETE FROM admin_audit;
     DELETE FROM idempotency_keys WHERE key LIKE 'e2e-admin-%';" >/dev/null
#   M  reviews X1 X2 X4 X5 X6, characteristics MS (Size), MW (Width)
#   N  reviews X3 X7 X8, characteristic NQ (Quality)
# Pat wrote X1 X2 X3 X6 X7 with five spellings of one address; X8 is
# another address that contains it.  Kim wrote X4 and X5.
#   X1 published, two photos, a response     X5 reported: open privacy,
#   X2 reported: seven open reports             and an old closed spam
#   X3 removed: one closed report (fake)      X6, X7, X8 published
#   X4 published again: one closed report (offensive)
M=1900000011 N=1900000012
PAT=pat.doe@example.com KIM=kim@example.com NEAR=pat.doe+shop@example.com
ids=$(setup_sql "
INSERT INTO reviews (product_id, rating, date_ms, summary, body, recommend, reported, removed,
    reviewer_name, reviewer_email, response, helpfulness) VALUES
 ($M, 5, $((D + 1 * DAY)), 'Fits', 'Fits well, \"true\" to size, café colour', true, false, false, 'pat', 'Pat.Doe@Example.com', 'Thank you, Pat', 2),
 ($M, 1, $((D + 2 * DAY)), 'Cheap', 'Buy cheap watches at example.net', false, true, false, 'pat', 'pat.doe@example.com', NULL, 0),
 ($N, 2, $((D + 3 * DAY)), 'Meh', 'Not for me', false, true, true, 'pat', 'PAT.DOE@EXAMPLE.COM', NULL, 1),
 ($M, 3, $((D + 4 * DAY)), 'Fine', 'Does the job', true, false, false, 'kim', '$KIM', NULL, 0),
 ($M, 4, $((D + 5 * DAY)), 'Good', 'Good value', true, true, false, 'kim', '$KIM', NULL, 0),
 ($M, 4, $((D + 6 * DAY)), 'Snug', 'A little snug', false, false, false, 'pat d', 'pat.doe@EXAMPLE.com', NULL, 0),
 ($N, 5, $((D + 7 * DAY)), 'Love it', 'Love it', true, false, false, 'pat', 'Pat.Doe@example.com', NULL, 4),
 ($N, 3, $((D + 8 * DAY)), 'Okay', 'Okay', true, false, false, 'pd', '$NEAR', NULL, 0)
RETURNING id" | tr '\n' ' ')
read -r X1 X2 X3 X4 X5 X6 X7 X8 <<<"$ids"
[[ "$X8" =~ ^[0-9]+$ ]] || bail_out "fixture setup: no review ids ($ids)"
setup_sql "INSERT INTO characteristics (product_id, name) VALUES ($M, 'Size'), ($M, 'Width'), ($N, 'Quality');
     INSERT INTO reviews_photos (review_id, url) VALUES ($X1, 'https://img.example/x1-b.jpg'),
       ($X1, 'https://img.example/x1-a.jpg'), ($X2, 'https://img.example/x2.jpg'),
       ($X5, 'https://img.example/x5.jpg'), ($X7, 'https://img.example/x7.jpg');" >/dev/null
read -r MS MW NQ <<<"$(setup_sql "SELECT id FROM characteristics WHERE product_id IN ($M, $N) ORDER BY id" | tr '\n' ' ')"
read -r PH1B PH1A PH2 PH5 PH7 <<<"$(setup_sql "SELECT id FROM reviews_photos WHERE review_id IN ($X1, $X2, $X5, $X7) ORDER BY id" | tr '\n' ' ')"
[[ "$NQ" =~ ^[0-9]+$ && "$PH7" =~ ^[0-9]+$ ]] || bail_out "fixture setup: ids (characteristics $MS $MW $NQ, photos $PH1B $PH7)"
setup_sql "INSERT INTO characteristic_reviews (characteristic_id, review_id, value) VALUES
     ($MS, $X1, 4), ($MW, $X1, 3), ($MS, $X2, 1), ($MW, $X2, 1), ($NQ, $X3, 2), ($MS, $X4, 2),
     ($MW, $X5, 5), ($MS, $X6, 5), ($NQ, $X7, 4), ($NQ, $X8, 3);
     INSERT INTO review_reports (review_id, reason, note, reported_at, closed_at) VALUES
     ($X2, 'other', 'odd', '2001-01-03 08:00:00+00', NULL),
     ($X2, 'spam', NULL, '2001-01-01 00:00:00.123999+00', NULL),
     ($X2, 'fake', NULL, '2001-01-02 00:00:00+00', NULL),
     ($X2, 'spam', 'links', '2001-01-04 00:00:00+00', NULL),
     ($X2, 'privacy', NULL, '2001-01-05 00:00:00+00', NULL),
     ($X2, 'off_topic', NULL, '2001-01-06 00:00:00+00', NULL),
     ($X2, 'offensive', NULL, '2001-01-07 12:34:56.789500+00', NULL),
     ($X3, 'fake', NULL, '2000-06-01 10:00:00+00', '2000-06-02 00:00:00+00'),
     ($X4, 'offensive', NULL, '2000-01-01 00:00:00+00', '2000-01-02 00:00:00+00'),
     ($X5, 'privacy', NULL, '2000-12-31 23:59:59.999+00', NULL),
     ($X5, 'spam', NULL, '1999-01-01 00:00:00+00', '1999-01-02 00:00:00+00');
     INSERT INTO idempotency_keys (key, body_sha, review_id) VALUES
     ('e2e-admin-x1', sha256('x'), $X1), ('e2e-admin-x8', sha256('y'), $X8);" >/dev/null
setup_sql_file "$ROOT/db/aggregates.sql"
setup_sql "NOTIFY reviews_cache, '*'" >/dev/null
sleep 0.1

# --- the expected bodies -----------------------------------------------------
# review VAR ID PRODUCT STATUS RATING SUMMARY RECOMMEND RESPONSE BODY DAYS
# NAME EMAIL HELPFULNESS PHOTOS CHARACTERISTICS: sets LIST_VAR (the
# review as a list shows it), QUEUE_VAR (the same with reviewer_email
# last, as the queue shows it) and EXPORT_VAR (the export's element).
# RESPONSE is JSON (null or a quoted string); BODY is JSON string content.
review() {
	local v=$1 id=$2 prod=$3 st=$4 rating=$5 sum=$6 rec=$7 resp=$8 body=$9
	local date name=${11} email=${12} help=${13} photos=${14} chars=${15}
	date=$(iso $((D + ${10} * DAY)))
	local head="{\"review_id\":$id,\"rating\":$rating,\"summary\":\"$sum\",\"recommend\":$rec,\"response\":$resp,\"body\":\"$body\",\"date\":\"$date\",\"reviewer_name\":\"$name\",\"helpfulness\":$help,\"photos\":[$photos]"
	printf -v "LIST_$v" '%s}' "$head"
	printf -v "QUEUE_$v" '%s,"reviewer_email":"%s"}' "$head" "$email"
	printf -v "EXPORT_$v" '{"review_id":%s,"product_id":"%s","status":"%s","rating":%s,"summary":"%s","recommend":%s,"response":%s,"body":"%s","date":"%s","reviewer_name":"%s","reviewer_email":"%s","helpfulness":%s,"photos":[%s],"characteristics":[%s]}' \
		"$id" "$prod" "$st" "$rating" "$sum" "$rec" "$resp" "$body" "$date" "$name" "$email" "$help" "$photos" "$chars"
}
ph() { printf '{"id":%s,"url":"https://img.example/%s.jpg"}' "$1" "$2"; }
ch() { printf '{"id":%s,"name":"%s","value":%s}' "$1" "$2" "$3"; }
review X1 "$X1" "$M" published 5 Fits true '"Thank you, Pat"' 'Fits well, \"true\" to size, café colour' 1 pat Pat.Doe@Example.com 2 \
	"$(ph "$PH1B" x1-b),$(ph "$PH1A" x1-a)" "$(ch "$MS" Size 4),$(ch "$MW" Width 3)"
review X2 "$X2" "$M" reported 1 Cheap false null 'Buy cheap watches at example.net' 2 pat pat.doe@example.com 0 \
	"$(ph "$PH2" x2)" "$(ch "$MS" Size 1),$(ch "$MW" Width 1)"
review X3 "$X3" "$N" removed 2 Meh false null 'Not for me' 3 pat PAT.DOE@EXAMPLE.COM 1 "" "$(ch "$NQ" Quality 2)"
review X4 "$X4" "$M" published 3 Fine true null 'Does the job' 4 kim "$KIM" 0 "" "$(ch "$MS" Size 2)"
review X5 "$X5" "$M" reported 4 Good true null 'Good value' 5 kim "$KIM" 0 "$(ph "$PH5" x5)" "$(ch "$MW" Width 5)"
review X6 "$X6" "$M" published 4 Snug false null 'A little snug' 6 'pat d' pat.doe@EXAMPLE.com 0 "" "$(ch "$MS" Size 5)"
review X7 "$X7" "$N" published 5 'Love it' true null 'Love it' 7 pat Pat.Doe@example.com 4 "$(ph "$PH7" x7)" "$(ch "$NQ" Quality 4)"
review X8 "$X8" "$N" published 3 Okay true null 'Okay' 8 pd "$NEAR" 0 "" "$(ch "$NQ" Quality 3)"
review A4 "$A4" "$P" reported 1 Reported false null 'Body four' 60 dee dee@example.com 9 "" ""

# entry VAR PRODUCT STATUS REPORTS REASONS FIRST LAST: a queue entry.
entry() {
	local q=QUEUE_$1 id
	id=$(jq -r .review_id <<<"${!q}")
	printf '{"review_id":%s,"product_id":"%s","status":"%s","reports":%s,"reasons":%s,"first_reported":%s,"last_reported":%s,"review":%s}' \
		"$id" "$2" "$3" "$4" "$5" "$6" "$7" "${!q}"
}
Q_X5=$(entry X5 "$M" reported 1 '{"privacy":1}' '"2000-12-31T23:59:59.999Z"' '"2000-12-31T23:59:59.999Z"')
Q_X2=$(entry X2 "$M" reported 7 '{"spam":2,"offensive":1,"off_topic":1,"fake":1,"privacy":1,"other":1}' \
	'"2001-01-01T00:00:00.123Z"' '"2001-01-07T12:34:56.789Z"')
Q_A4=$(entry A4 "$P" reported 0 '{}' null null)
Q_X4=$(entry X4 "$M" published 1 '{"offensive":1}' '"2000-01-01T00:00:00.000Z"' '"2000-01-01T00:00:00.000Z"')
Q_X3=$(entry X3 "$N" removed 1 '{"fake":1}' '"2000-06-01T10:00:00.000Z"' '"2000-06-01T10:00:00.000Z"')
queue() {	# queue PAGE COUNT ENTRY...: a page of the queue
	local page=$1 count=$2 out=""
	shift 2
	for e in "$@"; do out+="${out:+,}$e"; done
	echo "{\"page\":$page,\"count\":$count,\"results\":[$out]}"
}

# --- the gate ------------------------------------------------------------------
note "admin: the token gate, on these paths too"
req GET /admin/reports
expect_error "the queue without a token: 401" 401 Authorization
[[ "$(header WWW-Authenticate)" == Bearer* ]] && ok "401 says WWW-Authenticate: Bearer" ||
	bad "401 WWW-Authenticate: $(header WWW-Authenticate)"
req POST /admin/reviewers/erase "${J[@]}" -H "Authorization: Bearer x${TOKEN:1}" --data-binary "{\"email\":\"$PAT\"}"
expect_error "an erasure with a wrong token: 401, nothing erased" 401 Authorization
[ "$(sql "SELECT count(*) FROM reviews WHERE lower(reviewer_email) = '$PAT'")" = 5 ] &&
	ok "the five reviews are still there" || bad "reviews erased without a token"

# --- the queue -----------------------------------------------------------------
note "admin: GET /admin/reports, open and closed, paged"
before=$(snapshot)
areq GET /admin/reports
expect "open queue (default): oldest first report first, the review with no report last" 200 \
	"$(queue 0 20 "$Q_X5" "$Q_X2" "$Q_A4")"
[ "$(header Cache-Control)" = no-store ] && [ -z "$(header ETag)" ] && ok "the queue: no-store, no ETag" ||
	bad "the queue: Cache-Control $(header Cache-Control), ETag $(header ETag)"
areq GET "/admin/reports?status=open&count=2"
expect "open, count=2: the first two" 200 "$(queue 0 2 "$Q_X5" "$Q_X2")"
areq GET "/admin/reports?status=open&count=2&page=2"
expect "open, page 2 of count 2: the last" 200 "$(queue 1 2 "$Q_A4")"
areq GET "/admin/reports?count=2&page=3"
expect "open, page 3 of count 2: empty" 200 "$(queue 2 2)"
areq GET "/admin/reports?status=closed"
expect "closed queue: decided reviews with their closed reports (not X5's old one: X5 waits)" 200 \
	"$(queue 0 20 "$Q_X4" "$Q_X3")"
areq GET "/admin/reports?status=closed&count=1&page=2"
expect "closed, page 2 of count 1" 200 "$(queue 1 1 "$Q_X3")"
areq GET "/api/admin/reports/?status=closed&count=100&cb=1"
expect "closed under /api with a trailing slash and a cache-buster, count=100" 200 "$(queue 0 100 "$Q_X4" "$Q_X3")"
[ "$(snapshot)" = "$before" ] && ok "reading the queue wrote nothing, logged nothing" ||
	bad "reading the queue wrote something: $before, then $(snapshot)"

# --- the audit log -------------------------------------------------------------
note "admin: GET /admin/audit, newest first"
areq GET /admin/audit
expect "an empty log" 200 '{"page":0,"count":20,"results":[]}'
setup_sql "INSERT INTO admin_audit (at, token, action, target) VALUES
     ('2001-02-03 04:05:06.789999+00', 'alice', 'restore', 'review 5'),
     ('2001-02-03 04:05:07+00', 'bob', 'remove', 'review 6'),
     ('2001-02-04 00:00:00.5+00', 'alice', 'response', 'review \"7\"')" >/dev/null
AU1='{"at":"2001-02-03T04:05:06.789Z","token":"alice","action":"restore","target":"review 5"}'
AU2='{"at":"2001-02-03T04:05:07.000Z","token":"bob","action":"remove","target":"review 6"}'
AU3='{"at":"2001-02-04T00:00:00.500Z","token":"alice","action":"response","target":"review \"7\""}'
areq GET /admin/audit
expect "the log, newest first" 200 "{\"page\":0,\"count\":20,\"results\":[$AU3,$AU2,$AU1]}"
areq GET "/admin/audit?count=2"
expect "count=2" 200 "{\"page\":0,\"count\":2,\"results\":[$AU3,$AU2]}"
areq GET "/admin/audit?count=2&page=2"
expect "page 2 of count 2" 200 "{\"page\":1,\"count\":2,\"results\":[$AU1]}"

# audit_top N: the newest N lines as the service must render them, from
# the table itself (the time cut to milliseconds, not rounded).
audit_top() {
	sql "SELECT coalesce(json_agg(json_build_object('at', to_char(date_trunc('milliseconds', at) AT TIME ZONE 'UTC',
	    'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'), 'token', token, 'action', action, 'target', target) ORDER BY id DESC), '[]')
	    FROM (SELECT * FROM admin_audit ORDER BY id DESC LIMIT $1) a" | jq -c .
}

# --- export ----------------------------------------------------------------------
note "admin: POST /admin/reviewers/export"
before=$(snapshot)
export_of pAT.dOE@example.COM
expect "pat's export: five reviews of every status, by id, the address as asked" 200 \
	"{\"email\":\"pAT.dOE@example.COM\",\"results\":[$EXPORT_X1,$EXPORT_X2,$EXPORT_X3,$EXPORT_X6,$EXPORT_X7]}"
[ "$(header Cache-Control)" = no-store ] && ok "the export: no-store" || bad "the export: Cache-Control $(header Cache-Control)"
export_of "$KIM"
expect "kim's export: a published and a reported review" 200 "{\"email\":\"$KIM\",\"results\":[$EXPORT_X4,$EXPORT_X5]}"
areq POST /api/admin/reviewers/export/ -H 'Content-Type: application/json; charset=utf-8' \
	--data-binary "{\"note\":\"ticket 7\",\"email\":\"$NEAR\",\"email\":\"$PAT\"}"
expect "an address that contains pat's is another reviewer (/api, charset, unknown and repeated keys)" 200 \
	"{\"email\":\"$NEAR\",\"results\":[$EXPORT_X8]}"
export_of nobody@example.com
expect "no review with that address: an empty export" 200 '{"email":"nobody@example.com","results":[]}'
# An export writes its audit line and nothing else.
after=$(snapshot)
[ "${after%|*}" = "${before%|*}" ] && [ "${after##*|}" = $((${before##*|} + 4)) ] &&
	ok "the exports changed no review, report or aggregate; four audit lines" || bad "the exports changed $before to $after"
areq GET "/admin/audit?count=4"
want=$(audit_top 4)
expect "each export is logged with the number of reviews, never the address" 200 \
	"{\"page\":0,\"count\":4,\"results\":$want}"
expect_jq "the export lines: token, action, target" '[.results[] | [.token, .action, .target]]' \
	'[["e2e-admin","export","reviewer (0 reviews)"],["e2e-admin","export","reviewer (1 review)"],["e2e-admin","export","reviewer (2 reviews)"],["e2e-admin","export","reviewer (5 reviews)"]]'
age=$(sql "SELECT extract(epoch FROM now() - max(at))::int FROM admin_audit")
[ "${age:-99}" -le 5 ] && ok "the lines are stamped now" || bad "audit line $age s old"

# --- erasure ---------------------------------------------------------------------
note "admin: POST /admin/reviewers/erase"
# What the public sees before: M holds X6 X4 X1 (X2 X5 hidden), N X8 X7.
# Meta of M: 3,4,5 stars, Size 4,2,5 = 11/3, Width 3; of N: 3 and 5, Quality 3,4.
META_M0="{\"product_id\":\"$M\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"1\",\"4\":\"1\",\"5\":\"1\"},\"recommended\":{\"false\":\"1\",\"true\":\"2\"},\"characteristics\":{\"Size\":{\"id\":$MS,\"value\":\"3.6666666666666667\"},\"Width\":{\"id\":$MW,\"value\":\"3.0000000000000000\"}},\"stats\":{\"reviews\":\"3\",\"average\":\"4.0000000000000000\",\"with_photos\":\"1\"}}"
META_N0="{\"product_id\":\"$N\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"1\",\"4\":\"0\",\"5\":\"1\"},\"recommended\":{\"false\":\"0\",\"true\":\"2\"},\"characteristics\":{\"Quality\":{\"id\":$NQ,\"value\":\"3.5000000000000000\"}},\"stats\":{\"reviews\":\"2\",\"average\":\"4.0000000000000000\",\"with_photos\":\"1\"}}"
# After pat's erasure: M holds X4 (X5 hidden), N X8.
META_M1="{\"product_id\":\"$M\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"1\",\"4\":\"0\",\"5\":\"0\"},\"recommended\":{\"false\":\"0\",\"true\":\"1\"},\"characteristics\":{\"Size\":{\"id\":$MS,\"value\":\"2.0000000000000000\"},\"Width\":{\"id\":$MW,\"value\":null}},\"stats\":{\"reviews\":\"1\",\"average\":\"3.0000000000000000\",\"with_photos\":\"0\"}}"
META_N1="{\"product_id\":\"$N\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"1\",\"4\":\"0\",\"5\":\"0\"},\"recommended\":{\"false\":\"0\",\"true\":\"1\"},\"characteristics\":{\"Quality\":{\"id\":$NQ,\"value\":\"3.0000000000000000\"}},\"stats\":{\"reviews\":\"1\",\"average\":\"3.0000000000000000\",\"with_photos\":\"0\"}}"
lists() {	# lists WHEN LIST_M LIST_N META_M META_N: the five public reads
	req GET "/reviews?product_id=$M&sort=newest"
	expect "$1: M's list" 200 "{\"product\":\"$M\",\"page\":0,\"count\":5,\"results\":[$2]}"
	req GET "/reviews?product_id=$N&sort=newest"
	expect "$1: N's list" 200 "{\"product\":\"$N\",\"page\":0,\"count\":5,\"results\":[$3]}"
	req GET "/reviews/meta?product_id=$M&stats=true"
	expect "$1: M's meta and stats" 200 "$4"
	req GET "/reviews/meta?product_id=$N&stats=true"
	expect "$1: N's meta and stats" 200 "$5"
	req GET "/reviews/meta?product_ids=$M,$N&stats=true"
	expect "$1: both in one batch" 200 "{\"results\":[$4,$5]}"
}
hits() { req GET /metrics; awk '$1 == "reviews_cache_hits_total" { print $2 }' <<<"$BODY"; }
lists "before" "$LIST_X6,$LIST_X4,$LIST_X1" "$LIST_X8,$LIST_X7" "$META_M0" "$META_N0"
h0=$(hits)
lists "before, again" "$LIST_X6,$LIST_X4,$LIST_X1" "$LIST_X8,$LIST_X7" "$META_M0" "$META_N0"
h1=$(hits)
[ $((h1 - h0)) -ge 6 ] && ok "the second reads came from the response cache ($((h1 - h0)) hits)" ||
	bad "the reads were not cached: $h0 -> $h1 hits"

dump() { pg_dump --data-only --no-owner -d "$DB" 2>"$TMP/dump.err" | grep -ciF "$1"; }
n=$(dump "$PAT")
[ "${n:-0}" -ge 5 ] && ok "before: a data-only pg_dump holds pat's address ($n lines)" ||
	bad "before: pg_dump finds pat's address $n times ($(head -2 "$TMP/dump.err"))"

# Every app server's cache hears of both products: the statement notifies.
{ echo "LISTEN reviews_cache;"; sleep 2; echo "SELECT 1;"; } |
	psql -X -q -d "$DB" >"$TMP/listen.out" 2>&1 &
listener=$!
sleep 0.5
before_meta=$(sql "SELECT rating_1 + rating_2 + rating_3 + rating_4 + rating_5 FROM product_meta WHERE product_id = $M")
erase Pat.DOE@example.com
expect "pat's erasure: five reviews" 200 '{"deleted":5}'
wait "$listener"
grep -q "payload \"$M\"" "$TMP/listen.out" && grep -q "payload \"$N\"" "$TMP/listen.out" &&
	ok "both products were notified (reviews_cache $M and $N)" ||
	bad "notifications heard: $(grep -o 'payload "[0-9]*"' "$TMP/listen.out" | sort -u | tr '\n' ' ')"

lists "after" "$LIST_X4" "$LIST_X8" "$META_M1" "$META_N1"
verify_aggregates "after the erasure every aggregate matches the raw rows"
[ "$before_meta" = 3 ] && [ "$(sql "SELECT rating_1 + rating_2 + rating_3 + rating_4 + rating_5 FROM product_meta WHERE product_id = $M")" = 1 ] &&
	ok "M's histogram lost both of pat's published reviews in one statement" || bad "M's histogram: $before_meta then $(sql "SELECT rating_3 FROM product_meta WHERE product_id = $M")"

n=$(dump "$PAT")
near=$(dump "$NEAR")
[ "${n:-1}" = 0 ] && [ "${near:-0}" -ge 1 ] &&
	ok "after: the dump holds pat's address nowhere (and still the other address: $near lines)" ||
	bad "after: pg_dump finds pat's address $n times, the other $near ($(head -2 "$TMP/dump.err"))"
left=$(sql "SELECT (SELECT count(*) FROM reviews WHERE id IN ($X1, $X2, $X3, $X6, $X7)),
    (SELECT count(*) FROM reviews_photos WHERE review_id IN ($X1, $X2, $X3, $X6, $X7)),
    (SELECT count(*) FROM characteristic_reviews WHERE review_id IN ($X1, $X2, $X3, $X6, $X7)),
    (SELECT count(*) FROM review_reports WHERE review_id IN ($X1, $X2, $X3, $X6, $X7)),
    (SELECT count(*) FROM idempotency_keys WHERE review_id IN ($X1, $X2, $X3, $X6, $X7)),
    (SELECT count(*) FROM idempotency_keys WHERE key = 'e2e-admin-x8'),
    (SELECT count(*) FROM review_reports), (SELECT count(*) FROM admin_audit WHERE target LIKE '%@%')")
[ "$left" = "0|0|0|0|0|1|3|0" ] && ok "no row of pat's left: reviews, photos, ratings, reports, keys (others kept)" ||
	bad "left after the erasure (reviews|photos|ratings|reports|keys|other key|all reports|audit with @): $left"

areq GET /admin/reports
expect "the open queue without X2" 200 "$(queue 0 20 "$Q_X5" "$Q_A4")"
areq GET "/admin/reports?status=closed"
expect "the closed queue without X3" 200 "$(queue 0 20 "$Q_X4")"
export_of "$PAT"
expect "pat's export after the erasure: empty" 200 "{\"email\":\"$PAT\",\"results\":[]}"
areq GET "/admin/audit?count=2"
want=$(audit_top 2)
expect "the erasure is logged, before the empty export" 200 "{\"page\":0,\"count\":2,\"results\":$want}"
expect_jq "the erasure line counts five reviews, no address" '[.results[] | [.token, .action, .target]]' \
	'[["e2e-admin","export","reviewer (0 reviews)"],["e2e-admin","erase","reviewer (5 reviews)"]]'

before=$(snapshot)
erase "$PAT"
expect "erasing pat again: nothing to delete" 200 '{"deleted":0}'
after=$(snapshot)
[ "${after%|*}" = "${before%|*}" ] && [ "${after##*|}" = $((${before##*|} + 1)) ] &&
	ok "an erasure of nobody changes nothing but the log" || bad "an empty erasure changed $before to $after"
areq GET "/admin/audit?count=1"
expect_jq "an erasure of nobody is logged too" '[.results[] | [.action, .target]]' '[["erase","reviewer (0 reviews)"]]'

# Kim: a published and a reported review of one product; the near
# address: one review, the last of N.
erase KIM@Example.COM
expect "kim's erasure" 200 '{"deleted":2}'
areq POST /admin/reviewers/erase/ "${J[@]}" --data-binary "{\"email\":\"$NEAR\"}"
expect "the other address's erasure (trailing slash)" 200 '{"deleted":1}'
EMPTY_M="{\"product_id\":\"$M\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"0\",\"4\":\"0\",\"5\":\"0\"},\"recommended\":{\"false\":\"0\",\"true\":\"0\"},\"characteristics\":{\"Size\":{\"id\":$MS,\"value\":null},\"Width\":{\"id\":$MW,\"value\":null}},\"stats\":{\"reviews\":\"0\",\"average\":null,\"with_photos\":\"0\"}}"
EMPTY_N="{\"product_id\":\"$N\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"0\",\"4\":\"0\",\"5\":\"0\"},\"recommended\":{\"false\":\"0\",\"true\":\"0\"},\"characteristics\":{\"Quality\":{\"id\":$NQ,\"value\":null}},\"stats\":{\"reviews\":\"0\",\"average\":null,\"with_photos\":\"0\"}}"
lists "after every erasure" "" "" "$EMPTY_M" "$EMPTY_N"
areq GET /admin/reports
expect "the open queue: only the review hidden without a report" 200 "$(queue 0 20 "$Q_A4")"
areq GET "/admin/reports?status=closed"
expect "the closed queue: empty" 200 "$(queue 0 20)"
areq GET "/admin/audit?count=2"
expect_jq "one line per erasure, singular for one review" '[.results[] | .target]' '["reviewer (1 review)","reviewer (2 reviews)"]'

# --- erasures racing other writes of the same product -------------------------
# Each round: a reviewer's six reviews of product RP (rated on RC), then at
# once their six reports, eight posts by others of the same product, and
# the reviewer's erasure.  Every write is answered for what it is (a
# deadlock would be a 503), nothing of the reviewer is left, and every
# aggregate is exact: a report that commits while the erasure waits for
# the review is not subtracted twice.  (The lock-order deadlock of an
# erasure and a post, README, was seen with 16 workers; four under
# valgrind rarely overlap enough to show it.)
note "admin: erasures racing reports and posts of the same product"
RP=1900000013
RC=$(setup_sql "INSERT INTO characteristics (product_id, name) VALUES ($RP, 'Fit') RETURNING id")
# In the background each request needs files of its own (req's XF is one
# path unless the openapi suite keeps exchanges, which it names by pid).
race_req() { XF=$TMP/race.$BASHPID; req "$@"; echo "$STATUS" >>"$TMP/race.codes"; }
codes_ok=1 erased_ok=1 rounds=4
for round in $(seq 1 $rounds); do
	E="racer$round@example.com"
	for i in $(seq 1 6); do
		post "$(GOOD_PRODUCT=$RP good ".email = \"$E\" | .rating = $((i % 5 + 1)) | .characteristics = {\"$RC\": $(((i + 2) % 5 + 1))}")"
		[ "$STATUS" = 201 ] || codes_ok=0
	done
	: >"$TMP/race.codes"
	for id in $(sql "SELECT id FROM reviews WHERE reviewer_email = '$E'"); do
		race_req PUT "/reviews/$id/report" &
	done
	for i in $(seq 1 8); do
		race_req POST /reviews "${J[@]}" --data-binary "$(GOOD_PRODUCT=$RP good ".characteristics = {\"$RC\": 4}")" &
	done
	( XF=$TMP/race.$BASHPID; erase "$E"; echo "$STATUS $BODY" >"$TMP/race.erase" ) &
	wait
	# Reports answer 204, or 404 once the erasure has committed.
	[ "$(grep -c '^201$' "$TMP/race.codes")" = 8 ] &&
		[ "$(grep -cvE '^(201|204|404)$' "$TMP/race.codes")" = 0 ] || codes_ok=0
	[ "$(cat "$TMP/race.erase")" = '200 {"deleted":6}' ] || erased_ok=0
	[ "$codes_ok$erased_ok" = 11 ] || note "round $round: $(sort "$TMP/race.codes" | uniq -c | tr '\n' ' '); erase $(cat "$TMP/race.erase")"
done
[ "$codes_ok" = 1 ] && ok "$rounds rounds: every post 201, every report 204 or 404, no 503" || bad "racing writes got other answers (notes above)"
[ "$erased_ok" = 1 ] && ok "every racing erasure deleted the reviewer's six reviews" || bad "a racing erasure: $(cat "$TMP/race.erase")"
[ "$(sql "SELECT count(*) FROM reviews WHERE reviewer_email LIKE 'racer%@example.com'")" = 0 ] &&
	ok "no review of the racing reviewers is left" || bad "racing reviewers' reviews left"
verify_aggregates "verify: every aggregate matches the raw rows"
done_testing
