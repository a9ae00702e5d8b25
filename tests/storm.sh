#!/usr/bin/env bash
# tests/storm.sh: a write storm (posts, helpful, reports) while workers are
# SIGKILLed at random and PostgreSQL restarts in immediate mode.  Then:
# every post answered 201 exists exactly once (posts carry an
# Idempotency-Key; those not answered 201 are retried with it, so each
# exists exactly once in the end), every 204 is reflected, and every
# aggregate is exact.  Needs BASE_URL, DATABASE_URL, PG_RESTART (restarts
# PostgreSQL in immediate mode) and POOL_PIDFILE.  Ends with
# TAP (tests/lib.sh).
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

# curl configs for the storm (tests/lib.sh's bulk_add), writes
# interleaved, a config per STORM_CHUNK / 2 posts (STORM_CHUNK requests
# while there are votes beside them).  Each request is named for what it
# is (post.I, helpful.ID.I, report.ID.I): its answer's body is
# $XB.NAME.body.
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
note "storm: $((POSTS + VOTES)) writes, $CHUNK a second, while a worker is SIGKILLed or PostgreSQL crash-restarted every 1.3 s"
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
grep -qvE ' (201|204|404|429|502|503|504|000) [0-9]+$' "$S/results" &&
	bad "unexpected statuses: $(grep -vE ' (201|204|404|429|502|503|504|000) [0-9]+$' "$S/results" | head -3)" ||
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

drift=$(psql -X -q -tA -d "$DB" -f "$(dirname "$0")/../db/verify.sql")
[ -z "$drift" ] && ok "verify: every aggregate exact after the storm" || bad "aggregates drifted: $drift"
workers=$(pgrep -P "$(cat "$POOL_PIDFILE")" | wc -l)
[ "$workers" -ge 1 ] && ok "the pool is back to $workers workers" || bad "pool has $workers workers"

done_testing
