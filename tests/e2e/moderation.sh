#!/usr/bin/env bash
# tests/e2e/moderation.sh: the moderation writes, API.md Part 2.  One
# review walks every transition (published -> reported -> restored ->
# reported again -> removed -> a report of it changes nothing -> restored,
# and published -> removed -> restored) and after each step the public
# list, meta with stats, the review's status and its reports are exact,
# read through NGINX right after the write (each read warms the response
# cache, so a write that failed to drop it would show).  Idempotent no-ops
# (restore of a published review, remove of a removed one, the same
# response again) answer 204 and write no audit row; every admin write is
# one audit row under its token's name.  A restore brings back a product
# that had no aggregate row at all.  Responses set and cleared show in
# lists at once, a hidden review's when it is restored.  Reports record
# each reason and note; a body without JSON's Content-Type is Part 1's
# report; a bad body records nothing.  No token, a wrong token: 401 and
# nothing written.  Needs BASE_URL, DATABASE_URL and spawn/stack
# admin-token for the test stack (STACK_DIR); starts from
# tests/e2e/fixtures.sh.  Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header moderation "report reasons; restore, remove, response; the audit log"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# Two tokens, so the audit log shows whose write each row is.  spawn/stack
# takes the stack's settings from STACK_DIR and refuses a DATABASE_URL
# that is not among them: the suite's own is not its business.
token() { env -u DATABASE_URL "$ROOT/spawn/stack" admin-token "$1" 2>>"$TMP/token.err"; }
ALICE=$(token mod-alice)
BOB=$(token mod-bob)
[[ "$ALICE" =~ ^[A-Za-z0-9_-]{40,}$ && "$BOB" =~ ^[A-Za-z0-9_-]{40,}$ ]] ||
	bail_out "spawn/stack admin-token made no token (STACK_DIR ${STACK_DIR:-unset}): $(tr '\n' ' ' <"$TMP/token.err")"
AS_ALICE=(-H "Authorization: Bearer $ALICE")
AS_BOB=(-H "Authorization: Bearer $BOB")
J=(-H 'Content-Type: application/json')

# MP: three reviews, every aggregate moved by the first (MA: 5 stars,
# recommended, a photo, Size 5 and Fit 4).  MN: one review, removed (the
# loader's reported row), so the product has no product_meta row at all.
# MR: a review to report with every reason (RA), one to race (RB).
MP=1900000051 MN=1900000052 MR=1900000053
ids=$(setup_sql "
INSERT INTO reviews (product_id, rating, date_ms, summary, body, recommend, reported, removed,
    reviewer_name, reviewer_email, response, helpfulness) VALUES
 ($MP, 5, $((D + 3 * DAY)), 'Target', 'Body A', true, false, false, 'mia', 'mia@example.com', NULL, 0),
 ($MP, 3, $((D + 2 * DAY)), 'Second', 'Body B', false, false, false, 'max', 'max@example.com', NULL, 2),
 ($MP, 4, $((D + 1 * DAY)), 'Third', 'Body C', true, false, false, 'moe', 'moe@example.com', NULL, 1),
 ($MN, 2, $D, 'Gone', 'Body N', false, true, true, 'nat', 'nat@example.com', NULL, 0),
 ($MR, 4, $D, 'Reasons', 'Body R', true, false, false, 'rex', 'rex@example.com', NULL, 0),
 ($MR, 3, $((D + DAY)), 'Races', 'Body S', false, false, false, 'sue', 'sue@example.com', NULL, 0)
RETURNING id" | tr '\n' ' ')
read -r MA MB MC NA RA RB <<<"$ids"
[[ "$RB" =~ ^[0-9]+$ ]] || bail_out "fixture setup: no review ids ($ids)"
setup_sql "INSERT INTO reviews_photos (review_id, url) VALUES ($MA, 'https://img.example/ma.jpg'), ($NA, 'https://img.example/na.jpg');
    INSERT INTO characteristics (product_id, name) VALUES ($MP, 'Size'), ($MP, 'Fit'), ($MN, 'Quality');" >/dev/null
read -r SIZE FIT <<<"$(setup_sql "SELECT id FROM characteristics WHERE product_id = $MP ORDER BY id" | tr '\n' ' ')"
QUALITY=$(setup_sql "SELECT id FROM characteristics WHERE product_id = $MN")
setup_sql "INSERT INTO characteristic_reviews (characteristic_id, review_id, value) VALUES
    ($SIZE, $MA, 5), ($FIT, $MA, 4), ($SIZE, $MB, 2), ($FIT, $MB, 3), ($SIZE, $MC, 4), ($FIT, $MC, 2),
    ($QUALITY, $NA, 1)" >/dev/null
setup_sql_file "$(dirname "$0")/../../db/aggregates.sql"
setup_sql "NOTIFY reviews_cache, '*'" >/dev/null
sleep 0.1
PHOTO=$(setup_sql "SELECT id FROM reviews_photos WHERE review_id = $MA")
NPHOTO=$(setup_sql "SELECT id FROM reviews_photos WHERE review_id = $NA")
[[ "$SIZE$FIT$QUALITY$PHOTO$NPHOTO" =~ ^[0-9]+$ ]] || bail_out "fixture setup: missing ids"
[ "$(sql "SELECT count(*) FROM product_meta WHERE product_id = $MN")" = 0 ] ||
	bail_out "fixture setup: product $MN has an aggregate row"
AUDIT0=$(sql "SELECT coalesce(max(id), 0) FROM admin_audit")

# The exact bodies.  review ID RESPONSE: one review of a list.
review() {
	local resp=null
	[ -z "${2:-}" ] || resp=$(jq -c -n --arg r "$2" '$r')
	case $1 in
	A) echo "{\"review_id\":$MA,\"rating\":5,\"summary\":\"Target\",\"recommend\":true,\"response\":$resp,\"body\":\"Body A\",\"date\":\"2019-04-17T00:00:00.000Z\",\"reviewer_name\":\"mia\",\"helpfulness\":0,\"photos\":[{\"id\":$PHOTO,\"url\":\"https://img.example/ma.jpg\"}]}" ;;
	B) echo "{\"review_id\":$MB,\"rating\":3,\"summary\":\"Second\",\"recommend\":false,\"response\":$resp,\"body\":\"Body B\",\"date\":\"2019-04-16T00:00:00.000Z\",\"reviewer_name\":\"max\",\"helpfulness\":2,\"photos\":[]}" ;;
	C) echo "{\"review_id\":$MC,\"rating\":4,\"summary\":\"Third\",\"recommend\":true,\"response\":$resp,\"body\":\"Body C\",\"date\":\"2019-04-15T00:00:00.000Z\",\"reviewer_name\":\"moe\",\"helpfulness\":1,\"photos\":[]}" ;;
	N) echo "{\"review_id\":$NA,\"rating\":2,\"summary\":\"Gone\",\"recommend\":false,\"response\":$resp,\"body\":\"Body N\",\"date\":\"2019-04-14T00:00:00.000Z\",\"reviewer_name\":\"nat\",\"helpfulness\":0,\"photos\":[{\"id\":$NPHOTO,\"url\":\"https://img.example/na.jpg\"}]}" ;;
	esac
}
list_of() {	# list_of PRODUCT REVIEW_JSON...: page 0 of 5, newest first
	local p=$1 out="" r
	shift
	for r in "$@"; do out+="${out:+,}$r"; done
	echo "{\"product\":\"$p\",\"page\":0,\"count\":5,\"results\":[$out]}"
}
# MP's meta with stats, all three published, and without MA (Size
# 2,4 = 3, Fit 3,2 = 2.5, mean 7/2).
META_ALL="{\"product_id\":\"$MP\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"1\",\"4\":\"1\",\"5\":\"1\"},\"recommended\":{\"false\":\"1\",\"true\":\"2\"},\"characteristics\":{\"Size\":{\"id\":$SIZE,\"value\":\"3.6666666666666667\"},\"Fit\":{\"id\":$FIT,\"value\":\"3.0000000000000000\"}},\"stats\":{\"reviews\":\"3\",\"average\":\"4.0000000000000000\",\"with_photos\":\"1\"}}"
META_HID="{\"product_id\":\"$MP\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"1\",\"4\":\"1\",\"5\":\"0\"},\"recommended\":{\"false\":\"1\",\"true\":\"1\"},\"characteristics\":{\"Size\":{\"id\":$SIZE,\"value\":\"3.0000000000000000\"},\"Fit\":{\"id\":$FIT,\"value\":\"2.5000000000000000\"}},\"stats\":{\"reviews\":\"2\",\"average\":\"3.5000000000000000\",\"with_photos\":\"0\"}}"
LIST_ALL=$(list_of "$MP" "$(review A)" "$(review B)" "$(review C)")
LIST_HID=$(list_of "$MP" "$(review B)" "$(review C)")

# status ID: published, reported or removed, from the two flags.
status() {
	sql "SELECT CASE WHEN NOT reported THEN 'published' WHEN removed THEN 'removed'
	    ELSE 'reported' END FROM reviews WHERE id = $1"
}
# reports ID: its reports, oldest first: reason:note:open|closed.
reports() {
	sql "SELECT coalesce(string_agg(reason || ':' || coalesce(note, '-') || ':' ||
	    CASE WHEN closed_at IS NULL THEN 'open' ELSE 'closed' END, ' ' ORDER BY id), '')
	    FROM review_reports WHERE review_id = $1"
}
# audit_since ID: the audit rows after ID, oldest first: token action target.
audit_since() {
	sql "SELECT coalesce(string_agg(token || ' ' || action || ' ' || target, ', ' ORDER BY id), '')
	    FROM admin_audit WHERE id > $1"
}
audit_top() { sql "SELECT coalesce(max(id), 0) FROM admin_audit"; }

# after STEP VISIBLE STATUS REPORTS: MP's list and meta (MA in them or
# not), MA's status and reports, db/verify.sql, all exact.
after() {
	local step=$1 visible=$2
	req GET "/reviews?product_id=$MP&sort=newest"
	if [ "$visible" = 1 ]; then
		expect "$step: the list holds it" 200 "$LIST_ALL"
	else
		expect "$step: the list leaves it out" 200 "$LIST_HID"
	fi
	req GET "/reviews/meta?product_id=$MP&stats=true"
	if [ "$visible" = 1 ]; then
		expect "$step: meta and stats count it" 200 "$META_ALL"
	else
		expect "$step: meta and stats leave it out" 200 "$META_HID"
	fi
	[ "$(status "$MA")" = "$3" ] && ok "$step: status $3" || bad "$step: status $(status "$MA"), want $3"
	[ "$(reports "$MA")" = "$4" ] && ok "$step: reports '$4'" || bad "$step: reports '$(reports "$MA")', want '$4'"
	verify_aggregates "$step: every aggregate exact (verify.sql)"
}

note "moderation: the walk of one review through every transition"
after "published (fixture)" 1 published ""

req PUT "/reviews/$MA/report" "${J[@]}" --data-binary '{"reason":"spam","note":"Looks like an ad"}'
expect "report with spam and a note: 204, no body" 204 ""
after "published -> reported" 0 reported "spam:Looks like an ad:open"

req PUT "/reviews/$MA/report" "${J[@]}" --data-binary '{"reason":"fake","note":null,"extra":[1]}'
expect "report of a reported review: 204" 204 ""
after "reported, reported again: recorded, nothing public" 0 reported \
	"spam:Looks like an ad:open fake:-:open"

a=$(audit_top)
req PUT "/admin/reviews/$MA/restore" "${AS_ALICE[@]}"
expect "restore (alice): 204, no body" 204 ""
[ -z "$(header Content-Type)" ] && ok "restore: a 204 without Content-Type" || bad "restore: Content-Type $(header Content-Type)"
after "reported -> restored" 1 published "spam:Looks like an ad:closed fake:-:closed"
[ "$(audit_since "$a")" = "mod-alice restore review $MA" ] && ok "restore: one audit row, alice's" ||
	bad "restore: audit '$(audit_since "$a")'"

a=$(audit_top)
req PUT "/admin/reviews/$MA/restore" "${AS_BOB[@]}"
expect "restore of a published review: 204" 204 ""
after "published, restored again: nothing" 1 published "spam:Looks like an ad:closed fake:-:closed"
[ "$(audit_since "$a")" = "" ] && ok "restore of a published review: no audit row" ||
	bad "no-op restore logged: '$(audit_since "$a")'"

# A later public report hides it again (API.md: its reports were closed).
req PUT "/reviews/$MA/report"
expect "report with no body (Part 1's): 204" 204 ""
after "restored -> reported again" 0 reported \
	"spam:Looks like an ad:closed fake:-:closed other:-:open"

a=$(audit_top)
req PUT "/admin/reviews/$MA/remove" "${AS_BOB[@]}"
expect "remove (bob): 204" 204 ""
after "reported -> removed" 0 removed \
	"spam:Looks like an ad:closed fake:-:closed other:-:closed"
[ "$(audit_since "$a")" = "mod-bob remove review $MA" ] && ok "remove: one audit row, bob's" ||
	bad "remove: audit '$(audit_since "$a")'"

a=$(audit_top)
req PUT "/admin/reviews/$MA/remove" "${AS_ALICE[@]}"
expect "remove of a removed review: 204" 204 ""
after "removed, removed again: nothing" 0 removed \
	"spam:Looks like an ad:closed fake:-:closed other:-:closed"
[ "$(audit_since "$a")" = "" ] && ok "remove of a removed review: no audit row" ||
	bad "no-op remove logged: '$(audit_since "$a")'"

req PUT "/reviews/$MA/report" "${J[@]}" --data-binary '{"reason":"offensive","note":"again"}'
expect "report of a removed review: 204" 204 ""
after "removed, reported: nothing recorded, nothing changes" 0 removed \
	"spam:Looks like an ad:closed fake:-:closed other:-:closed"

a=$(audit_top)
req PUT "/admin/reviews/$MA/restore" "${AS_ALICE[@]}"
expect "restore of a removed review: 204" 204 ""
after "removed -> restored" 1 published \
	"spam:Looks like an ad:closed fake:-:closed other:-:closed"

req PUT "/admin/reviews/$MA/remove" "${AS_ALICE[@]}"
expect "remove of a published review: 204" 204 ""
after "published -> removed" 0 removed \
	"spam:Looks like an ad:closed fake:-:closed other:-:closed"
req PUT "/api/admin/reviews/$MA/restore/" "${AS_BOB[@]}"
expect "restore under /api with a trailing slash: 204" 204 ""
after "removed -> restored (under /api)" 1 published \
	"spam:Looks like an ad:closed fake:-:closed other:-:closed"
want="mod-alice restore review $MA, mod-alice remove review $MA, mod-bob restore review $MA"
[ "$(audit_since "$a")" = "$want" ] && ok "three transitions: three audit rows, each under its token's name" ||
	bad "audit: '$(audit_since "$a")', want '$want'"

# --- a product with no aggregate row: the restore makes it --------------
note "moderation: restore into a product that had no product_meta row"
req GET "/reviews/meta?product_id=$MN&stats=true"
expect "before: meta of a product whose only review is removed" 200 \
	"{\"product_id\":\"$MN\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"0\",\"4\":\"0\",\"5\":\"0\"},\"recommended\":{\"false\":\"0\",\"true\":\"0\"},\"characteristics\":{\"Quality\":{\"id\":$QUALITY,\"value\":null}},\"stats\":{\"reviews\":\"0\",\"average\":null,\"with_photos\":\"0\"}}"
req GET "/reviews?product_id=$MN"
expect "before: its list is empty" 200 "{\"product\":\"$MN\",\"page\":0,\"count\":5,\"results\":[]}"
req PUT "/admin/reviews/$NA/restore" "${AS_ALICE[@]}"
expect "restore of the removed review: 204" 204 ""
req GET "/reviews/meta?product_id=$MN&stats=true"
expect "after: meta counts it (the row was made)" 200 \
	"{\"product_id\":\"$MN\",\"ratings\":{\"1\":\"0\",\"2\":\"1\",\"3\":\"0\",\"4\":\"0\",\"5\":\"0\"},\"recommended\":{\"false\":\"1\",\"true\":\"0\"},\"characteristics\":{\"Quality\":{\"id\":$QUALITY,\"value\":\"1.0000000000000000\"}},\"stats\":{\"reviews\":\"1\",\"average\":\"2.0000000000000000\",\"with_photos\":\"1\"}}"
req GET "/reviews?product_id=$MN"
expect "after: the list holds it" 200 "$(list_of "$MN" "$(review N)")"
verify_aggregates "after the restore into a new aggregate row: verify exact"

# --- responses ---------------------------------------------------------------
note "moderation: the merchant's response, set and cleared"
a=$(audit_top)
req PUT "/admin/reviews/$MB/response" "${AS_BOB[@]}" "${J[@]}" --data-binary '{"response":"Thank you, Max — we fixed the sizing."}'
expect "response set: 204" 204 ""
req GET "/reviews?product_id=$MP&sort=newest"
expect "the list shows the response at once" 200 \
	"$(list_of "$MP" "$(review A)" "$(review B 'Thank you, Max — we fixed the sizing.')" "$(review C)")"
req PUT "/admin/reviews/$MB/response" "${AS_BOB[@]}" "${J[@]}" --data-binary '{"response":"Thank you, Max — we fixed the sizing."}'
expect "the same response again: 204" 204 ""
req PUT "/admin/reviews/$MB/response" "${AS_ALICE[@]}" -H 'Content-Type: application/json; charset=utf-8' --data-binary '{"response":"Updated: sizes run small."}'
expect "response replaced (charset in the Content-Type): 204" 204 ""
req GET "/reviews?product_id=$MP&sort=newest"
expect "the list shows the new response" 200 \
	"$(list_of "$MP" "$(review A)" "$(review B 'Updated: sizes run small.')" "$(review C)")"
req PUT "/admin/reviews/$MB/response" "${AS_ALICE[@]}" "${J[@]}" --data-binary '{"response":null}'
expect "response cleared: 204" 204 ""
req GET "/reviews?product_id=$MP&sort=newest"
expect "the list shows no response at once" 200 "$LIST_ALL"
req PUT "/admin/reviews/$MB/response" "${AS_ALICE[@]}" "${J[@]}" --data-binary '{"response":null}'
expect "clearing no response: 204" 204 ""
want="mod-bob response review $MB, mod-alice response review $MB, mod-alice response_clear review $MB"
[ "$(audit_since "$a")" = "$want" ] && ok "responses: one audit row per change, none for the same response or a second clear" ||
	bad "responses audit: '$(audit_since "$a")', want '$want'"
# A hidden review's response: written and logged, shown once it is back.
req PUT "/reviews/$MC/report" "${J[@]}" --data-binary '{"reason":"off_topic"}'
expect "report of MC: 204" 204 ""
req PUT "/admin/reviews/$MC/response" "${AS_ALICE[@]}" "${J[@]}" --data-binary '{"response":"We are looking into it."}'
expect "response to a reported review: 204" 204 ""
[ "$(sql "SELECT response FROM reviews WHERE id = $MC")" = "We are looking into it." ] &&
	ok "a reported review's response is stored" || bad "reported review's response: $(sql "SELECT response FROM reviews WHERE id = $MC")"
req GET "/reviews?product_id=$MP&sort=newest"
expect "the list still leaves the reported review out" 200 "$(list_of "$MP" "$(review A)" "$(review B)")"
req PUT "/admin/reviews/$MC/restore" "${AS_ALICE[@]}"
expect "restore of MC: 204" 204 ""
req GET "/reviews?product_id=$MP&sort=newest"
expect "restored, with its response" 200 \
	"$(list_of "$MP" "$(review A)" "$(review B)" "$(review C 'We are looking into it.')")"
req PUT "/admin/reviews/$MC/response" "${AS_ALICE[@]}" "${J[@]}" --data-binary '{"response":null}'
expect "its response cleared: 204" 204 ""
req GET "/reviews/meta?product_id=$MP&stats=true"
expect "meta as before all this" 200 "$META_ALL"
verify_aggregates "after the responses: verify exact"

# --- reasons, notes, bodies ---------------------------------------------------
note "moderation: a report with each reason and a note; bodies that are not JSON; bad bodies"
for r in spam offensive off_topic fake privacy other; do
	req PUT "/reviews/$RA/report" "${J[@]}" --data-binary "{\"note\":\"why: $r ✓\",\"reason\":\"$r\"}"
	expect "report with reason $r and a note: 204" 204 ""
done
req PUT "/reviews/$RA/report" -H 'Content-Type: text/plain' --data-binary '{"reason":"spam"}'
expect "a JSON body sent as text/plain: Part 1's report, 204" 204 ""
req PUT "/reviews/$RA/report" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'reason=spam'
expect "a form body: Part 1's report, 204" 204 ""
req PUT "/reviews/$RA/report" "${J[@]}" --data-binary ''
expect "application/json with no body: Part 1's report, 204" 204 ""
want="spam:why: spam ✓:open offensive:why: offensive ✓:open off_topic:why: off_topic ✓:open fake:why: fake ✓:open privacy:why: privacy ✓:open other:why: other ✓:open other:-:open other:-:open other:-:open"
[ "$(reports "$RA")" = "$want" ] && ok "every report recorded with its reason and note, in order" ||
	bad "reports of RA: '$(reports "$RA")'"$'\n'"want '$want'"
[ "$(status "$RA")" = reported ] && ok "reported by the first of them" || bad "RA status $(status "$RA")"
before=$(snapshot)
req PUT "/reviews/$RA/report" "${J[@]}" --data-binary '{"reason":"Spam"}'
expect_error "reason in another case: 400 naming reason" 400 reason
req PUT "/reviews/$RA/report" "${J[@]}" --data-binary "{\"note\":\"$(head -c 501 /dev/zero | tr '\0' n)\"}"
expect_error "a note of 501 characters: 400 naming note" 400 note
req PUT "/reviews/$RA/report" "${J[@]}" --data-binary '{"reason":"spam"'
expect_error "malformed JSON: 400 naming body" 400 body
req PUT "/reviews/2147483647/report" "${J[@]}" --data-binary '{"reason":"spam"}'
expect_error "a report of no such review: 404" 404 review_id
[ "$(snapshot)" = "$before" ] && ok "bad report bodies and a missing review recorded nothing" ||
	bad "a refused report wrote something"
[ "$(reports "$RA")" = "$want" ] && ok "its reports are as they were" || bad "reports of RA changed: $(reports "$RA")"

# --- a report that commits while a restore or remove waits ---------------------
# A psql session stands in for a report: it holds the review's lock, a
# restore (then a remove) starts and waits for it, the "report" records
# its row and commits.  The write that waited must see that report and
# close it: its snapshot was taken before the report committed, and the
# statement runs again for that (sql.c, MOD_LOCK).
note "moderation: a report committed while a restore or remove waits for the review"
# race WRITE STATUS_AFTER: the write of RB raced by one report.
race() {
	local w=$1 line waiting=0 a
	a=$(audit_top)
	coproc LOCKER { psql -X -q -tA -v ON_ERROR_STOP=1 -d "$DB" 2>&1; }
	# bash unsets LOCKER_PID once the session ends
	local locker=$LOCKER_PID
	echo "BEGIN; SELECT 'locked' FROM reviews WHERE id = $RB FOR NO KEY UPDATE;" >&"${LOCKER[1]}"
	read -r -t 10 line <&"${LOCKER[0]}"
	[ "$line" = locked ] || { bad "$w race: the session did not lock the review: $line"; return; }
	( req PUT "/admin/reviews/$RB/$w" "${AS_ALICE[@]}"; echo "$STATUS" >"$TMP/race.status" ) &
	local racer=$!
	for _ in $(seq 1 200); do
		# The statement's opening (pg_stat_activity keeps its first KiB).
		[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
		    AND query LIKE 'WITH s AS (SELECT xmin AS seen FROM reviews %'")" -ge 1 ] && { waiting=1; break; }
		sleep 0.1
	done
	echo "INSERT INTO review_reports (review_id, reason, note) VALUES ($RB, 'fake', 'during the $w');
	    UPDATE reviews SET reported = true WHERE id = $RB; COMMIT; SELECT 'done';" >&"${LOCKER[1]}"
	read -r -t 10 line <&"${LOCKER[0]}"
	echo '\q' >&"${LOCKER[1]}"
	wait "$racer"
	wait "$locker" 2>/dev/null
	[ "$waiting" = 1 ] && ok "$w race: the $w waited for the review's lock" || bad "$w race: the $w never waited for the lock"
	[ "$(cat "$TMP/race.status")" = 204 ] && ok "$w race: 204" || bad "$w race: status $(cat "$TMP/race.status")"
	[ "$(status "$RB")" = "$2" ] && ok "$w race: status $2" || bad "$w race: status $(status "$RB"), want $2"
	[ "$(sql "SELECT count(*) FILTER (WHERE closed_at IS NULL) || ' of ' || count(*) FROM review_reports WHERE review_id = $RB")" = "0 of $3" ] &&
		ok "$w race: the report that committed meanwhile is closed too (0 of $3 open)" ||
		bad "$w race: reports open: $(sql "SELECT count(*) FILTER (WHERE closed_at IS NULL) || ' of ' || count(*) FROM review_reports WHERE review_id = $RB")"
	[ "$(audit_since "$a")" = "mod-alice $w review $RB" ] && ok "$w race: one audit row" || bad "$w race: audit '$(audit_since "$a")'"
	verify_aggregates "$w race: every aggregate exact"
}
req PUT "/reviews/$RB/report" "${J[@]}" --data-binary '{"reason":"spam"}'
expect "RB reported: 204" 204 ""
race restore published 2
req PUT "/reviews/$RB/report" "${J[@]}" --data-binary '{"reason":"privacy"}'
expect "RB reported again: 204" 204 ""
race remove removed 4

# --- authentication, 404s, bad ids ---------------------------------------------
note "moderation: no token, a wrong token, no such review, bad ids"
before=$(snapshot)
for w in restore remove response; do
	req PUT "/admin/reviews/$MA/$w" "${J[@]}" --data-binary '{"response":"x"}'
	expect_error "$w without a token: 401" 401 Authorization
	[[ "$(header WWW-Authenticate)" == Bearer* ]] && ok "$w without a token: WWW-Authenticate: Bearer" ||
		bad "$w: WWW-Authenticate '$(header WWW-Authenticate)'"
	req PUT "/admin/reviews/$MA/$w" -H "Authorization: Bearer ${ALICE}x" "${J[@]}" --data-binary '{"response":"x"}'
	expect_error "$w with a wrong token: 401" 401 Authorization
	req PUT "/admin/reviews/2147483647/$w" "${AS_ALICE[@]}" "${J[@]}" --data-binary '{"response":"x"}'
	expect_error "$w of no such review: 404 naming review_id" 404 review_id
	req PUT "/admin/reviews/abc/$w" "${AS_ALICE[@]}" "${J[@]}" --data-binary '{"response":"x"}'
	expect_error "$w of review_id abc: 400" 400 review_id
	req GET "/admin/reviews/$MA/$w" "${AS_ALICE[@]}"
	expect_error "GET $w: 405" 405 "method"
	[ "$(header Allow)" = PUT ] && ok "GET $w: Allow: PUT" || bad "GET $w: Allow '$(header Allow)'"
done
req PUT "/admin/reviews/$MA/response" "${AS_ALICE[@]}" --data-binary '{"response":"x"}' -H 'Content-Type: text/plain'
expect_error "response as text/plain: 415" 415 Content-Type
req PUT "/admin/reviews/$MA/response" "${AS_ALICE[@]}" "${J[@]}" --data-binary '{}'
expect_error "response missing: 400 naming response" 400 response
[ "$(snapshot)" = "$before" ] && ok "refused admin writes wrote nothing" || bad "a refused admin write wrote something"

req GET "/reviews/meta?product_id=$MP&stats=true"
expect "in the end: meta as the fixture's" 200 "$META_ALL"
req GET "/reviews?product_id=$MP&sort=newest"
expect "in the end: the list as the fixture's" 200 "$LIST_ALL"
[ "$(sql "SELECT count(*) FROM admin_audit WHERE id > $AUDIT0 AND target !~ '^review [0-9]+\$'")" = 0 ] &&
	ok "every audit row targets 'review N' (no e-mail, nothing else)" || bad "audit targets: $(audit_since "$AUDIT0")"
verify_aggregates "verify: every aggregate matches the raw rows"
done_testing
