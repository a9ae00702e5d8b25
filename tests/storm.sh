#!/usr/bin/env bash
# tests/storm.sh: a write storm (posts, helpful, reports, and the
# merchant's restores, removes, responses and erasures through an admin
# token) while workers are SIGKILLed at random and PostgreSQL restarts in
# immediate mode.  Then: every post answered 201 exists exactly once (posts
# carry an Idempotency-Key; those not answered 201 are retried with it, so
# each exists exactly once in the end), every 204 is reflected, each
# review's status, reports and audit rows agree with what was acknowledged
# (a transition is logged once, however often it was asked for), nothing
# of an erased reviewer is left, and every aggregate is exact.  Needs
# BASE_URL, DATABASE_URL, PG_RESTART (restarts PostgreSQL in immediate
# mode), POOL_PIDFILE and spawn/stack admin-token for the test stack
# (STACK_DIR).  Ends with TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${PG_RESTART:?}" "${POOL_PIDFILE:?}"
POSTS=${STORM_POSTS:-600}
VOTES=${STORM_VOTES:-300}
CHUNK=${STORM_CHUNK:-60}	# requests started per second
RUN="storm-$$-$(date +%s)"
S=$TMP/storm
mkdir -p "$S"

# Targets for helpful and report: existing, not reported reviews.
mapfile -t targets < <(sql "SELECT id FROM reviews WHERE NOT reported AND product_id < 1000 ORDER BY id LIMIT 40")
helpful0=$(sql "SELECT string_agg(helpfulness::text, ' ' ORDER BY id) FROM reviews WHERE id IN ($(IFS=,; echo "${targets[*]}"))")
# Targets of the merchant's writes, published and without a response,
# none of the above, eight each: restored (reported through the API
# first), removed (and reported meanwhile), answered.
mapfile -t mod < <(sql "SELECT id FROM reviews WHERE NOT reported AND response IS NULL AND product_id < 1000
    AND id > ${targets[-1]} ORDER BY id LIMIT 24")
[ "${#mod[@]}" = 24 ] || bail_out "only ${#mod[@]} reviews for the merchant's writes"
rtargets=("${mod[@]:0:8}") xtargets=("${mod[@]:8:8}") stargets=("${mod[@]:16:8}")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TOKEN=$(env -u DATABASE_URL "$ROOT/spawn/stack" admin-token storm 2>"$TMP/token.err")
[[ "$TOKEN" =~ ^[A-Za-z0-9_-]{40,}$ ]] || bail_out "spawn/stack admin-token: $(tr '\n' ' ' <"$TMP/token.err")"
AUTH=(-H "Authorization: Bearer $TOKEN")
J=(-H 'Content-Type: application/json')
AUDIT0=$(sql "SELECT coalesce(max(id), 0) FROM admin_audit")
for t in "${rtargets[@]}"; do
	req PUT "/reviews/$t/report" "${J[@]}" --data-binary '{"reason":"spam","note":"before the storm"}'
	[ "$STATUS" = 204 ] || bail_out "reporting review $t before the storm: $STATUS $BODY"
done
# Reviewers to erase, six, three reviews each (of the storm's products,
# posted with a key, a photo and every characteristic rated), the first
# reported with a reason: an erasure has every kind of row to delete, and
# aggregates of the products the storm writes to to correct.
ERASE=6
erased=()
for j in $(seq 1 $ERASE); do
	e="erase$j-$RUN@example.com" p=$((1 + j % 50))
	erased+=("$e")
	chars=$(sql "SELECT coalesce(json_object_agg(id, 1 + id % 5), '{}') FROM characteristics WHERE product_id = $p")
	for n in 1 2 3; do
		post "$(GOOD_PRODUCT=$p good ".email = \"$e\" | .rating = $n | .characteristics = $chars")" -H "Idempotency-Key: $RUN-erase-$j-$n"
		[ "$STATUS" = 201 ] || bail_out "posting reviewer $j's review $n: $STATUS $BODY"
		[ "$n" = 1 ] || continue
		req PUT "/reviews/$(jq -r .review_id <<<"$BODY")/report" "${J[@]}" --data-binary '{"reason":"privacy"}'
		[ "$STATUS" = 204 ] || bail_out "reporting reviewer $j's review: $STATUS $BODY"
	done
done
ERASED_IDS=$(sql "SELECT string_agg(id::text, ',') FROM reviews WHERE reviewer_email LIKE 'erase%-$RUN@example.com'")
# The merchant's writes in the order they go out, a round over every
# target at a time: each restore target asked three times, each remove
# target reported and removed twice and removed once more, each response
# target answered three times with a text of its own; the erasures in the
# second round, each reviewer's two published reviews reported just
# before.
admin=()
for k in 1 2 3; do
	for t in "${rtargets[@]}"; do admin+=("restore $t $k"); done
	for t in "${xtargets[@]}"; do
		[ "$k" -le 2 ] && admin+=("xreport $t $k")
		admin+=("remove $t $k")
	done
	for t in "${stargets[@]}"; do admin+=("response $t $k"); done
	[ "$k" = 2 ] || continue
	for j in $(seq 1 $ERASE); do
		for t in $(sql "SELECT id FROM reviews WHERE reviewer_email = '${erased[$((j - 1))]}' AND NOT reported"); do
			admin+=("xreport $t 1")
		done
		admin+=("erase $j 1")
	done
done
# admin_add CFG I: the merchant's write I of admin, if any, to CFG.
admin_add() {
	local w t k
	[ -n "${admin[$2]:-}" ] || return 0
	read -r w t k <<<"${admin[$2]}"
	case $w in
	xreport) bulk_add "$1" "xreport.$t.$k" PUT "/reviews/$t/report" --max-time 30 "${J[@]}" --data-binary '{"reason":"fake"}' ;;
	response) bulk_add "$1" "response.$t.$k" PUT "/admin/reviews/$t/response" --max-time 30 "${AUTH[@]}" "${J[@]}" \
		--data-binary "{\"response\":\"$RUN-response-$t-$k\"}" ;;
	erase) bulk_add "$1" "erase.$t.$k" POST /admin/reviewers/erase --max-time 30 "${AUTH[@]}" "${J[@]}" \
		--data-binary "{\"email\":\"${erased[$((t - 1))]}\"}" ;;
	*) bulk_add "$1" "$w.$t.$k" PUT "/admin/reviews/$t/$w" --max-time 30 "${AUTH[@]}" ;;
	esac
}

# curl configs for the storm (tests/lib.sh's bulk_add), writes
# interleaved, a config per STORM_CHUNK / 2 posts (STORM_CHUNK requests
# while there are votes beside them).  Each request is named for what it
# is (post.I, helpful.ID.I, report.ID.I, and the merchant's WRITE.ID.K,
# one after every third post): its answer's body is $XB.NAME.body.
B50=$BODY50
bulk_new
for i in $(seq 1 "$POSTS"); do
	printf -v cfg '%s/chunk.%03d.cfg' "$S" $(((i - 1) / (CHUNK / 2)))
	# Every third post has a photo: the with-photos aggregate moves too.
	photos=
	[ $((i % 3)) = 0 ] && photos=",\"photos\":[\"https://img.example/$RUN-$i.jpg\"]"
	bulk_add "$cfg" "post.$i" POST /reviews --max-time 30 \
		-H 'Content-Type: application/json' -H "Idempotency-Key: $RUN-$i" \
		--data-binary "{\"product_id\":$((1 + i % 50)),\"rating\":$((1 + i % 5)),\"summary\":\"$RUN-$i\",\"body\":\"$B50\",\"recommend\":true,\"name\":\"s\",\"email\":\"s@example.com\"$photos}"
	[ $((i % 3)) = 1 ] && admin_add "$cfg" $((i / 3))
	# The vote after a config's last post starts the next config.
	printf -v cfg '%s/chunk.%03d.cfg' "$S" $((i / (CHUNK / 2)))
	if [ "$i" -le "$VOTES" ]; then
		t=${targets[$((i % ${#targets[@]}))]}
		if [ $((i % 20)) = 0 ]; then
			bulk_add "$cfg" "report.$t.$i" PUT "/reviews/$t/report" --max-time 30
		else
			bulk_add "$cfg" "helpful.$t.$i" PUT "/reviews/$t/helpful" --max-time 30
		fi
	fi
done

# The storm: a chunk every second, 8 requests at a time; the faults beside.
[ "${#admin[@]}" -le $((POSTS / 3)) ] || bail_out "${#admin[@]} merchant's writes for $((POSTS / 3)) places"
note "storm: $((POSTS + VOTES + ${#admin[@]})) writes ($POSTS posts, $VOTES votes and reports, ${#admin[@]} reports and merchant's writes), $CHUNK a second, while a worker is SIGKILLed or PostgreSQL crash-restarted every 1.3 s"
t0=$(date +%s%N)
(
	for c in "$S"/chunk.*.cfg; do
		bulk_run "$c" --parallel --parallel-max 8 &
		sleep 1
	done
	wait
) &
storm=$!
kills=0
restarts=0
for round in $(seq 1 30); do
	sleep 1.3
	kill -0 $storm 2>/dev/null || break
	if [ $((round % 4)) = 3 ]; then
		$PG_RESTART && restarts=$((restarts + 1))
	else
		victim=$(pgrep -P "$(cat "$POOL_PIDFILE")" | shuf -n 1)
		[ -n "$victim" ] && kill -KILL "$victim" && kills=$((kills + 1))
	fi
done
wait $storm
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
# Lines "NAME STATUS CURL_EXIT", from each run's write-out lines.
cut -d'|' -f1-3 --output-delimiter=' ' "$S"/chunk.*.cfg.out >"$S/results"
sent=$(wc -l <"$S/results")
summary=$(awk '{print $2 ($3 == 0 ? "" : " (curl exit " $3 ")")}' "$S/results" | sort | uniq -c |
	awk '{$1 = $1 " x"; printf "%s, ", $0}')
note "storm: $sent requests in $ms ms ($summary) with $kills workers killed, $restarts database restarts"
[ "$kills" -ge 2 ] && [ "$restarts" -ge 1 ] && ok "faults injected: $kills kills, $restarts restart" ||
	bad "faults injected: $kills kills, $restarts restarts"
grep -qvE ' (200|201|204|404|429|502|503|504|000) [0-9]+$' "$S/results" &&
	bad "unexpected statuses: $(grep -vE ' (200|201|204|404|429|502|503|504|000) [0-9]+$' "$S/results" | head -3)" ||
	ok "every answer was success, 503/502/504 or a dropped connection"

# Every 201 exists, with its own summary, exactly once.
acked=0 wrong=0
while read -r f code _; do
	[ "$code" = 201 ] || continue
	i=${f##*.}
	id=$(jq -r '.review_id' "$XB.$f.body")
	acked=$((acked + 1))
	echo "$id $RUN-$i"
done < <(grep '^post\.' "$S/results") >"$S/acked"
while read -r id want; do
	[ "$(sql "SELECT summary FROM reviews WHERE id = $id")" = "$want" ] || wrong=$((wrong + 1))
done <"$S/acked"
[ "$acked" -gt 0 ] && [ "$wrong" = 0 ] && ok "all $acked posts answered 201 exist with their content" ||
	bad "$wrong of $acked acknowledged posts missing or different"

# Retry every post not answered 201, with its key: each then exists once.
for i in $(seq 1 "$POSTS"); do
	grep -q "^post\.$i 201 " "$S/results" && continue
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		post "{\"product_id\":$((1 + i % 50)),\"rating\":$((1 + i % 5)),\"summary\":\"$RUN-$i\",\"body\":\"$B50\",\"recommend\":true,\"name\":\"s\",\"email\":\"s@example.com\"}" \
			-H "Idempotency-Key: $RUN-$i"
		[ "$STATUS" = 201 ] && break
		sleep 0.3
	done
done
dups=$(sql "SELECT count(*) FROM (SELECT summary FROM reviews WHERE summary LIKE '$RUN-%' GROUP BY summary HAVING count(*) > 1) d")
have=$(sql "SELECT count(DISTINCT summary) FROM reviews WHERE summary LIKE '$RUN-%'")
[ "$dups" = 0 ] && [ "$have" = "$POSTS" ] && ok "after keyed retries: all $POSTS posts exist exactly once" ||
	bad "after retries: $have of $POSTS posts exist, $dups duplicated"

# Every 204 is reflected: helpfulness grew by at least the 204s (at most
# by the requests sent), every 204'd report is reported.
i=0 bad_votes=0
for t in "${targets[@]}"; do
	i=$((i + 1))
	h0=$(echo "$helpful0" | cut -d' ' -f$i)
	acks=$(grep -c "^helpful\.$t\.[0-9]* 204 " "$S/results")
	tries=$(grep -c "^helpful\.$t\.[0-9]* " "$S/results")
	h1=$(sql "SELECT helpfulness FROM reviews WHERE id = $t")
	{ [ $((h1 - h0)) -ge "$acks" ] && [ $((h1 - h0)) -le "$tries" ]; } || bad_votes=$((bad_votes + 1))
done
[ "$bad_votes" = 0 ] && ok "every helpful 204 is counted, none counted twice" || bad "$bad_votes reviews with wrong helpfulness"
reps=$(grep -E '^report\.[0-9]+\.[0-9]+ 204 ' "$S/results" | sed -E 's/.*report\.([0-9]+)\..*/\1/' | sort -u)
unrep=0
for t in $reps; do
	[ "$(sql "SELECT reported FROM reviews WHERE id = $t")" = t ] || unrep=$((unrep + 1))
done
[ "$unrep" = 0 ] && ok "every report answered 204 is reported" || bad "$unrep acknowledged reports lost"

# The merchant's writes.  A review's writes wait for one another (each
# locks the review), so a transition happens once however often it is
# asked for, and is logged once; a write may commit without its 204 (its
# worker killed), never the other way round.
status() {
	sql "SELECT CASE WHEN NOT reported THEN 'published' WHEN removed THEN 'removed' ELSE 'reported' END
	    || ' ' || (SELECT count(*) FROM review_reports x WHERE x.review_id = r.id AND x.closed_at IS NULL)
	    || ' ' || (SELECT count(*) FROM review_reports x WHERE x.review_id = r.id)
	    || ' ' || (SELECT count(*) FROM admin_audit a WHERE a.id > $AUDIT0 AND a.token = 'storm'
	        AND a.target = 'review ' || r.id AND a.action = '$2')
	    FROM reviews r WHERE r.id = $1"
}
acks() { grep -c "^$1\.$2\.[0-9]* 204 " "$S/results"; }
tries() { grep -c "^$1\.$2\.[0-9]* " "$S/results"; }
note "storm: the merchant's writes answered 2xx: $(for w in restore xreport remove response erase; do
	printf '%s %d of %d, ' "$w" "$(grep -cE "^$w\.[0-9]+\.[0-9]+ 20[04] " "$S/results")" "$(grep -c "^$w\." "$S/results")"; done)"
wrong=
for t in "${rtargets[@]}"; do
	read -r st open all logged <<<"$(status "$t" restore)"
	# Restored: published, its report closed, one audit row.  Not: still
	# reported with its open report, nothing logged, no 204 given.
	case "$st $open $all $logged" in
	"published 0 1 1") ;;
	"reported 1 1 0") [ "$(acks restore "$t")" = 0 ] || wrong+=" $t(204 but reported)" ;;
	*) wrong+=" $t($st, $open of $all reports open, $logged logged)" ;;
	esac
done
[ -z "$wrong" ] && ok "restores: each restored review published once, its report closed, one audit row; none acknowledged and lost" ||
	bad "restore targets wrong:$wrong"
wrong=
for t in "${xtargets[@]}"; do
	read -r st open all logged <<<"$(status "$t" remove)"
	# Removed: no report left open, one audit row, whatever order the
	# reports came in.  Not removed: nothing logged, no 204 given.
	case "$st $open $logged" in
	"removed 0 1") ;;
	"reported $all 0" | "published 0 0")
		[ "$(acks remove "$t")" = 0 ] && [ "$st" = reported -o "$all" = 0 ] || wrong+=" $t(204 but $st)" ;;
	*) wrong+=" $t($st, $open of $all reports open, $logged logged)" ;;
	esac
done
[ -z "$wrong" ] && ok "removes: each removed review removed once, no report left open, one audit row; none acknowledged and lost" ||
	bad "remove targets wrong:$wrong"
wrong=
for t in "${stargets[@]}"; do
	read -r st open all logged <<<"$(status "$t" response)"
	resp=$(sql "SELECT coalesce(response, '(none)') FROM reviews WHERE id = $t")
	# Every text differs, so every committed request changed the response
	# and is logged: at least the 204s, at most the requests sent; the
	# response is one of them.
	if [ "$st" != published ] || [ "$logged" -lt "$(acks response "$t")" ] || [ "$logged" -gt "$(tries response "$t")" ]; then
		wrong+=" $t($st, $logged logged, $(acks response "$t") acknowledged of $(tries response "$t"))"
	elif [ "$logged" = 0 ] && [ "$resp" != "(none)" ]; then
		wrong+=" $t(response '$resp' unlogged)"
	elif [ "$logged" != 0 ] && [[ ! "$resp" =~ ^$RUN-response-$t-[123]$ ]]; then
		wrong+=" $t(response '$resp')"
	fi
done
[ -z "$wrong" ] && ok "responses: each answered review holds one of its texts, one audit row per change, every 204 logged" ||
	bad "response targets wrong:$wrong"

# Erasures: those not answered 200 are asked again (an erasure is
# idempotent); then nothing of any erased reviewer is left, and the log
# says each reviewer's three reviews went once.
e_acked=$(grep -cE '^erase\.[0-9]+\.1 200 ' "$S/results")
e_sent=$(grep -c '^erase\.' "$S/results")
again=0
for j in $(seq 1 $ERASE); do
	grep -qE "^erase\.$j\.1 200 " "$S/results" && continue
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		req POST /admin/reviewers/erase "${AUTH[@]}" "${J[@]}" --data-binary "{\"email\":\"${erased[$((j - 1))]}\"}"
		[ "$STATUS" = 200 ] && break
		sleep 0.3
	done
	[ "$STATUS" = 200 ] && again=$((again + 1))
done
left=$(sql "SELECT (SELECT count(*) FROM reviews WHERE reviewer_email LIKE 'erase%-$RUN@example.com' OR id IN ($ERASED_IDS))
    + (SELECT count(*) FROM reviews_photos WHERE review_id IN ($ERASED_IDS))
    + (SELECT count(*) FROM characteristic_reviews WHERE review_id IN ($ERASED_IDS))
    + (SELECT count(*) FROM review_reports WHERE review_id IN ($ERASED_IDS))
    + (SELECT count(*) FROM idempotency_keys WHERE review_id IN ($ERASED_IDS) OR key LIKE '$RUN-erase-%')")
[ "$e_acked" -ge 1 ] && [ $((e_acked + again)) = $ERASE ] && [ "$left" = 0 ] &&
	ok "erasures: $e_acked of $e_sent answered 200 in the storm, $again more after it; no row of the $ERASE reviewers left (reviews, photos, ratings, reports, keys)" ||
	bad "erasures: $e_acked of $e_sent answered 200 in the storm, $again of the rest after it; $left rows left"
e_logged=$(sql "SELECT count(*) FILTER (WHERE target = 'reviewer (3 reviews)') || ' ' || count(*) FILTER (WHERE target <> 'reviewer (0 reviews)')
    FROM admin_audit WHERE id > $AUDIT0 AND action = 'erase'")
[ "$e_logged" = "$ERASE $ERASE" ] && ok "the audit log: each reviewer's three reviews erased once" ||
	bad "the audit log's erasures: $e_logged (want $ERASE of three reviews, nothing else but none)"
others=$(sql "SELECT count(*) FROM admin_audit WHERE id > $AUDIT0 AND (token <> 'storm' OR action <> 'erase' AND target NOT IN
    ($(printf "'review %s'," "${mod[@]}" | sed 's/,$//')))")
[ "$others" = 0 ] && ok "the audit log holds nothing but the storm's own writes" || bad "$others audit rows of other reviews or tokens"

drift=$(psql -X -q -tA -d "$DB" -f "$(dirname "$0")/../db/verify.sql")
[ -z "$drift" ] && ok "verify: every aggregate exact after the storm" || bad "aggregates drifted: $drift"
workers=$(pgrep -P "$(cat "$POOL_PIDFILE")" | wc -l)
[ "$workers" -ge 1 ] && ok "the pool is back to $workers workers" || bad "pool has $workers workers"

done_testing
