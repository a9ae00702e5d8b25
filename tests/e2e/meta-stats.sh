#!/usr/bin/env bash
# tests/e2e/meta-stats.sh: GET /reviews/meta, API.md Part 2: stats=true exact
# (counts, the mean rating's 16 digits rounded half up, null for no
# reviews, a review with photos counted once), stats=false the same as
# none; product_ids= with 1, several and 100 ids, each element the single
# answer byte for byte, cold, warm and half-cached; ETag and 304 on a
# batch; a batch's element fresh right after a post, a vote and a report.
# Needs BASE_URL and DATABASE_URL; starts from tests/e2e/fixtures.sh.
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header meta-stats "stats=true, product_ids=, ETag and 304 on batches"

M1=1900000031 M2=1900000032 M3=1900000033 M4=1900000034 M5=1900000035 M6=1900000036 M7=1900000037
# The reviews: product|rating|recommend|photos|reported|characteristic=value.
# What each product is for (means worked out by hand):
#   M1  1,2,2 (and a reported 5): mean 5/3 = 1.6666666666666667 (rounded up);
#       two reviews with photos (one has two) and the reported one's photo
#       not counted: with_photos 2; Comfort 1,1,2 = 4/3 = 1.3333333333333333
#   M2  1,1,2: 4/3 = 1.3333333333333333 (rounded down), no photos
#   M3  API.md's example: fifteen reviews, 59/15 = 3.9333333333333333, four
#       with photos (1 to 3 each)
#   M4  4,4: 4.0000000000000000 exactly; the writes below go to it
#   M5  2,3,3: 8/3 = 2.6666666666666667
#   M6  1,1,1,1,1,2: 7/6 = 1.1666666666666667
#   M7  only a reported review (with a photo, rating Quality): zero reviews,
#       average null, Quality null
MROWS="$M1|1|t|2|f|Comfort=1
$M1|2|f|0|f|Comfort=1
$M1|2|t|1|f|Comfort=2
$M1|5|t|1|t|Comfort=5
$M2|1|f|0|f|
$M2|1|f|0|f|
$M2|2|t|0|f|
$M4|4|t|0|f|
$M4|4|t|0|f|
$M5|2|f|0|f|
$M5|3|t|1|f|
$M5|3|f|0|f|
$M7|5|t|1|t|Quality=4"
for i in 1 2 3 4 5; do MROWS+=$'\n'"$M3|5|t|$([ $i = 1 ] && echo 3 || echo 0)|f|"; done
for i in 1 2 3 4 5 6; do MROWS+=$'\n'"$M3|4|t|$([ $i = 1 ] && echo 1 || echo 0)|f|"; done
for i in 1 2; do MROWS+=$'\n'"$M3|3|f|$([ $i = 1 ] && echo 1 || echo 0)|f|"; done
for i in 1 2; do MROWS+=$'\n'"$M3|2|f|$([ $i = 1 ] && echo 2 || echo 0)|f|"; done
for i in 1 2 3 4 5; do MROWS+=$'\n'"$M6|1|f|0|f|"; done
MROWS+=$'\n'"$M6|2|f|0|f|"
{
	echo "INSERT INTO characteristics (product_id, name) VALUES ($M1, 'Comfort'), ($M7, 'Quality');"
	n=0
	while IFS='|' read -r prod rating rec nph rep cv; do
		n=$((n + 1))
		echo "WITH r AS (INSERT INTO reviews (product_id, rating, date_ms, summary, body, recommend, reported,
		    reviewer_name, reviewer_email, helpfulness) VALUES ($prod, $rating, $((D + n * DAY)), 's', 'b', '$rec', '$rep',
		    'm$n', 'm$n@example.com', 0) RETURNING id),
		  p AS (INSERT INTO reviews_photos (review_id, url) SELECT r.id, 'https://img.example/m$n-' || k || '.jpg'
		    FROM r, generate_series(1, $nph) k)
		  INSERT INTO characteristic_reviews (characteristic_id, review_id, value)
		  SELECT c.id, r.id, $([ -n "$cv" ] && echo "${cv#*=}" || echo 1) FROM r JOIN characteristics c
		    ON c.product_id = $prod AND c.name = '${cv%%=*}';"
	done <<<"$MROWS"
} >"$TMP/m.sql"
setup_sql_file "$TMP/m.sql"
setup_sql_file "$(dirname "$0")/../../db/aggregates.sql"
setup_sql "NOTIFY reviews_cache, '*'" >/dev/null
sleep 0.1
COMFORT=$(setup_sql "SELECT id FROM characteristics WHERE product_id = $M1")
QUALITY=$(setup_sql "SELECT id FROM characteristics WHERE product_id = $M7")
[[ "$COMFORT$QUALITY" =~ ^[0-9]+$ ]] || bail_out "fixture: characteristic ids '$COMFORT' '$QUALITY'"

# The bodies, by hand from the table above.
meta() {	# meta PRODUCT "R1..R5" "FALSE TRUE" CHARS: a Part 1 body
	local r f t
	read -ra r <<<"$2"
	read -r f t <<<"$3"
	echo "{\"product_id\":\"$1\",\"ratings\":{\"1\":\"${r[0]}\",\"2\":\"${r[1]}\",\"3\":\"${r[2]}\",\"4\":\"${r[3]}\",\"5\":\"${r[4]}\"},\"recommended\":{\"false\":\"$f\",\"true\":\"$t\"},\"characteristics\":{$4}}"
}
stats() {	# stats BODY REVIEWS AVERAGE WITH_PHOTOS: BODY with its stats
	local avg=null
	[ "$3" = null ] || avg="\"$3\""
	echo "${1%\}},\"stats\":{\"reviews\":\"$2\",\"average\":$avg,\"with_photos\":\"$4\"}}"
}
declare -A PLAIN=() STATS=()
PLAIN[$M1]=$(meta "$M1" "1 2 0 0 0" "1 2" "\"Comfort\":{\"id\":$COMFORT,\"value\":\"1.3333333333333333\"}")
STATS[$M1]=$(stats "${PLAIN[$M1]}" 3 1.6666666666666667 2)
PLAIN[$M2]=$(meta "$M2" "2 1 0 0 0" "2 1" "")
STATS[$M2]=$(stats "${PLAIN[$M2]}" 3 1.3333333333333333 0)
PLAIN[$M3]=$(meta "$M3" "0 2 2 6 5" "4 11" "")
STATS[$M3]=$(stats "${PLAIN[$M3]}" 15 3.9333333333333333 4)
PLAIN[$M4]=$(meta "$M4" "0 0 0 2 0" "0 2" "")
STATS[$M4]=$(stats "${PLAIN[$M4]}" 2 4.0000000000000000 0)
PLAIN[$M5]=$(meta "$M5" "0 1 2 0 0" "2 1" "")
STATS[$M5]=$(stats "${PLAIN[$M5]}" 3 2.6666666666666667 1)
PLAIN[$M6]=$(meta "$M6" "5 1 0 0 0" "6 0" "")
STATS[$M6]=$(stats "${PLAIN[$M6]}" 6 1.1666666666666667 0)
PLAIN[$M7]=$(meta "$M7" "0 0 0 0 0" "0 0" "\"Quality\":{\"id\":$QUALITY,\"value\":null}")
STATS[$M7]=$(stats "${PLAIN[$M7]}" 0 null 0)
# fixtures.sh's: P has 5, 3, 4, 2 (A4 reported): 14/4, A2's two photos once.
PLAIN[$P]=$(meta "$P" "0 1 1 1 1" "1 3" "\"Fit\":{\"id\":$C1,\"value\":\"3.7500000000000000\"},\"Length\":{\"id\":$C2,\"value\":\"2.7500000000000000\"}")
STATS[$P]=$(stats "${PLAIN[$P]}" 4 3.5000000000000000 1)
PLAIN[$R]=$(meta "$R" "0 0 0 0 0" "0 0" "\"Quality\":{\"id\":$C3,\"value\":null}")
STATS[$R]=$(stats "${PLAIN[$R]}" 0 null 0)
U=1999999999	# unknown
PLAIN[$U]=$(meta "$U" "0 0 0 0 0" "0 0" "")
STATS[$U]=$(stats "${PLAIN[$U]}" 0 null 0)
HAND="$M1 $M2 $M3 $M4 $M5 $M6 $M7 $P $R $U"

# A batch first, before any single read: its elements come from the one
# statement for many products, not from the cache.
batch_of() {	# batch_of KIND ID...: the batch body from PLAIN or STATS
	local -n m=$1
	local out="" id
	shift
	for id in "$@"; do out+="${out:+,}${m[$id]}"; done
	echo "{\"results\":[$out]}"
}
SEVERAL="$M3 $U $P $R $M1 $M7 $M6 $M5 $M2 $M4"
req GET "/reviews/meta?product_ids=$(tr ' ' , <<<"$SEVERAL")&stats=true"
expect "batch of ten (stats), cold: each element exact, in the order given" 200 "$(batch_of STATS $SEVERAL)"
req GET "/reviews/meta?product_ids=$(tr ' ' , <<<"$SEVERAL")"
expect "batch of ten, cold: each element exact" 200 "$(batch_of PLAIN $SEVERAL)"
for id in $HAND; do
	req GET "/reviews/meta?product_id=$id&stats=true"
	expect "stats=true of $id" 200 "${STATS[$id]}"
	req GET "/reviews/meta?product_id=$id&stats=false"
	expect "stats=false of $id: the Part 1 body" 200 "${PLAIN[$id]}"
done
req GET "/reviews/meta?product_id=$M3"
expect "no stats: the Part 1 body" 200 "${PLAIN[$M3]}"
req GET "/reviews/meta?product_id=$M3&stats=fals%65"
expect "stats=fals%65 is false" 200 "${PLAIN[$M3]}"
req GET "/reviews/meta?product_ids=$(tr ' ' , <<<"$SEVERAL")&stats=true"
expect "batch of ten (stats), warm: the same" 200 "$(batch_of STATS $SEVERAL)"
for id in $M1 $M7 $U; do
	req GET "/reviews/meta?product_ids=$id&stats=true"
	expect "batch of one ($id, stats)" 200 "{\"results\":[${STATS[$id]}]}"
	req GET "/api/reviews/meta/?product_ids=$id"
	expect "batch of one ($id) under /api/.../" 200 "{\"results\":[${PLAIN[$id]}]}"
done

# 100 ids: the fixtures, unknown ids and sample products, in no sorted
# order.  Ten of them are read singly first (cached), so the batch mixes
# cached elements with ones from the database; each element must be
# byte for byte the single answer.
ids=($HAND $Q $W 1999999990 1999999991 1999999992 2147483647)
for i in $(seq 1 100); do ids+=($(((i * 37) % 1999 + 1))); done
ids=("${ids[@]:0:100}")
mapfile -t ids < <(printf '%s\n' "${ids[@]}" | awk '{print ((NR * 53) % 101) " " $0}' | sort -n | cut -d' ' -f2)
[ "$(printf '%s\n' "${ids[@]}" | sort -u | wc -l)" = 100 ] || bail_out "the 100 ids are not distinct"
LIST=$(printf '%s,' "${ids[@]}" | sed 's/,$//')
setup_sql "NOTIFY reviews_cache, '*'" >/dev/null
sleep 0.1
bulk_new
: >"$TMP/warm.cfg"
for id in "${ids[@]:5:10}"; do
	bulk_add "$TMP/warm.cfg" "m$id" GET "/reviews/meta?product_id=$id"
	bulk_add "$TMP/warm.cfg" "s$id" GET "/reviews/meta?product_id=$id&stats=true"
done
bulk_run "$TMP/warm.cfg"
for st in "" "&stats=true"; do
	req GET "/reviews/meta?product_ids=$LIST$st"
	cold=$BODY
	# The single answers, one curl for all of them, a line each.
	bulk_new
	: >"$TMP/singles.cfg"
	for id in "${ids[@]}"; do bulk_add "$TMP/singles.cfg" "m$id" GET "/reviews/meta?product_id=$id$st"; done
	bulk_run "$TMP/singles.cfg"
	for id in "${ids[@]}"; do bulk_got "m$id"; printf '%s\n' "$GOT"; done >"$TMP/singles"
	want="{\"results\":[$(paste -sd, "$TMP/singles")]}"
	[ "$(wc -l <"$TMP/singles")" = 100 ] && [ "$cold" = "$want" ] &&
		ok "100 ids${st:+ with stats}, half cached: each element the single answer, byte for byte" ||
		bad "100 ids${st}: $(head -c 300 <<<"$cold")..."$'\n'"want $(head -c 300 <<<"$want")..."
	req GET "/reviews/meta?product_ids=$LIST$st"
	expect "100 ids${st:+ with stats}, all cached: the same" 200 "$want"
done
missing=""
for id in $HAND; do grep -qxF "${STATS[$id]}" "$TMP/singles" || missing+=" $id"; done
[ -z "$missing" ] && ok "the hand-made bodies are among the 100 single answers" ||
	bad "the single answers of$missing among the 100 are not the hand-made ones"

# Bad values: 400 naming the field, nothing written.  One curl for all.
before=$(snapshot)
ids101=$(seq 1 101 | paste -sd,)
cat >"$TMP/badq" <<ROWS
product_id=1&stats=TRUE|stats
product_id=1&stats=1|stats
product_ids=1&stats=|stats
product_id=1&stats=yes|stats
product_id=1&stats=true&stats=true|stats
product_ids=1&stats=no|stats
product_ids=|product_ids
product_ids=1,,2|product_ids
product_ids=1,|product_ids
product_ids=,1|product_ids
product_ids=1,1|product_ids
product_ids=7,8,7|product_ids
product_ids=1%2C1|product_ids
product_ids=0|product_ids
product_ids=-1|product_ids
product_ids=+1|product_ids
product_ids=1%202|product_ids
product_ids=1;2|product_ids
product_ids=a|product_ids
product_ids=1.5|product_ids
product_ids=2147483648|product_ids
product_ids=1%00|product_ids
product_ids=$ids101|product_ids
product_ids=1&product_ids=2|product_ids
product_ids=1&product_id=1|product_ids
product_id=1&product_ids=|product_ids
ROWS
bulk_new
: >"$TMP/badq.cfg"
k=0
while IFS='|' read -r qs field; do
	k=$((k + 1))
	bulk_add "$TMP/badq.cfg" "q$k" GET "/reviews/meta?$qs"
done <"$TMP/badq"
bulk_run "$TMP/badq.cfg"
k=0
while IFS='|' read -r qs field; do
	k=$((k + 1))
	bulk_got "q$k"
	if [ "$CODE" = 400 ] && [[ "$GOT" =~ ^\{\"error\":\"$field\ [^\"]+\"\}$ ]] && [[ "$CTYPE" == application/json* ]]; then
		ok "meta rejects ?${qs:0:60}: 400 naming $field"
	else
		bad "meta rejects ?${qs:0:60}: $CODE $CTYPE $GOT (want 400 naming $field)"
	fi
done <"$TMP/badq"
req GET "/reviews/meta?product_ids=$(seq 1 100 | paste -sd,)"
expect_jq "exactly 100 ids: 200, 100 elements" '.results | length' 100
[ "$(snapshot)" = "$before" ] && ok "rejected metas wrote nothing" || bad "rejected metas changed data"

# Conditional GET on a batch: its ETag, a 304 for it from the cache (no
# miss counted: no database round trip), and after a write to one of its
# products a 200 with a new tag whose element is the new answer at once.
B="/reviews/meta?product_ids=$M5,$M4,$P&stats=true"
req GET "$B"
tag=$(header ETag)
expect "batch with stats" 200 "$(batch_of STATS $M5 $M4 $P)"
[[ "$tag" =~ ^\"[0-9a-f]{16}\"$ ]] && [ "$(header Cache-Control)" = no-cache ] && ok "a batch has an ETag ($tag) and no-cache" ||
	bad "batch ETag '$tag', Cache-Control '$(header Cache-Control)'"
req GET "$B"
[ "$(header ETag)" = "$tag" ] && ok "the same batch, the same ETag" || bad "batch ETag changed: $(header ETag), was $tag"
misses=$(metric reviews_cache_misses_total)
req GET "$B" -H "If-None-Match: $tag"
[ "$STATUS" = 304 ] && [ -z "$BODY" ] && [ "$(header ETag)" = "$tag" ] && ok "If-None-Match with the batch's tag: 304, no body, the tag" ||
	bad "batch If-None-Match: $STATUS '$BODY' ETag $(header ETag)"
[ "$(metric reviews_cache_misses_total)" = "$misses" ] && ok "that 304 came from the cache (no miss)" ||
	bad "batch 304: misses $misses -> $(metric reviews_cache_misses_total)"
req GET "$B" -H 'If-None-Match: *'
[ "$STATUS" = 304 ] && [ "$(header ETag)" = "$tag" ] && ok "If-None-Match: * on a batch: 304" || bad "If-None-Match *: $STATUS"
req GET "$B" -H 'If-None-Match: "0000000000000000"'
expect "If-None-Match with another tag: the 200" 200 "$(batch_of STATS $M5 $M4 $P)"

# fresh NAME PATH WANT: six reads on fresh connections (any worker of this
# host) right after a write: each is WANT.
fresh() {
	local i stale=0 pids=""
	for i in $(seq 1 6); do
		req GET "$2" -H 'Connection: close'
		[ "$STATUS" = 200 ] && [ "$BODY" = "$3" ] || stale=$((stale + 1))
		[[ " $pids " == *" $(header X-Worker-Pid) "* ]] || pids+=" $(header X-Worker-Pid)"
	done
	[ "$stale" = 0 ] && ok "$1 (6 reads, workers$pids)" || bad "$1: $stale of 6 reads stale; last $STATUS $BODY"$'\n'"want $3"
}
# A post to M4, rating 5, two photos: 3 reviews, 13/3, one with photos.
post "$(GOOD_PRODUCT=$M4 good '.rating = 5 | .recommend = false')"
NEW=$(jq -r .review_id <<<"$BODY")
[ "$STATUS" = 201 ] && ok "post a review of $M4 with two photos" || bad "post: $STATUS $BODY"
M4_POSTED=$(stats "$(meta "$M4" "0 0 0 2 1" "1 2" "")" 3 4.3333333333333333 1)
req GET "$B" -H "If-None-Match: $tag"
new_tag=$(header ETag)
[ "$STATUS" = 200 ] && [ "$new_tag" != "$tag" ] && [ -n "$new_tag" ] && ok "after the post, the old tag gets a 200 with a new tag" ||
	bad "after the post: $STATUS, ETag $new_tag (was $tag)"
fresh "after the post, the batch has M4's new answer, the others as they were" "$B" "{\"results\":[${STATS[$M5]},$M4_POSTED,${STATS[$P]}]}"
req GET "$B" -H "If-None-Match: $new_tag"
[ "$STATUS" = 304 ] && ok "the new tag: 304" || bad "the new tag: $STATUS"
req GET "/reviews/meta?product_id=$M4&stats=true"
expect "after the post, the single answer too" 200 "$M4_POSTED"
req PUT "/reviews/$NEW/helpful"
fresh "a vote changes no stats" "$B" "{\"results\":[${STATS[$M5]},$M4_POSTED,${STATS[$P]}]}"
req GET "$B" -H "If-None-Match: $new_tag"
[ "$STATUS" = 304 ] && ok "after a vote the batch is the same bytes: the same tag, 304" || bad "after a vote: $STATUS"
req PUT "/reviews/$NEW/report"
[ "$STATUS" = 204 ] && ok "report it" || bad "report: $STATUS"
fresh "after the report, M4's element is as before the post" "$B" "$(batch_of STATS $M5 $M4 $P)"
req GET "$B" -H "If-None-Match: $tag"
[ "$STATUS" = 304 ] && ok "the same body as at first: the first tag again (a tag is the body's)" || bad "first tag after the report: $STATUS $(header ETag)"
req GET "/reviews/meta?product_ids=$M4"
expect "and without stats" 200 "{\"results\":[${PLAIN[$M4]}]}"

# M7's first counted review, reported again: its aggregates now exist and
# are all zero, which must read as no reviews at all (average null).
post "$(GOOD_PRODUCT=$M7 good ".rating = 3 | .characteristics = {\"$QUALITY\": 2}")"
NEW7=$(jq -r .review_id <<<"$BODY")
fresh "a post to M7: its stats and Quality at once" "/reviews/meta?product_ids=$M7&stats=true" \
	"{\"results\":[$(stats "$(meta "$M7" "0 0 1 0 0" "0 1" "\"Quality\":{\"id\":$QUALITY,\"value\":\"2.0000000000000000\"}")" 1 3.0000000000000000 1)]}"
req PUT "/reviews/$NEW7/report"
fresh "reported again: zero counts, average null, Quality null" "/reviews/meta?product_ids=$M7&stats=true" "{\"results\":[${STATS[$M7]}]}"
[ "$(sql "SELECT with_photos + rating_3 + recommend_true FROM product_meta WHERE product_id = $M7")" = 0 ] &&
	ok "(M7's aggregates row exists, all zero)" || bad "M7's aggregates: $(sql "SELECT * FROM product_meta WHERE product_id = $M7")"

verify_aggregates "verify: every aggregate matches the raw rows"
drift=$(sql "SELECT count(*) FROM product_meta m WHERE with_photos <> (SELECT count(*) FROM reviews r
    WHERE r.product_id = m.product_id AND NOT r.reported AND EXISTS (SELECT 1 FROM reviews_photos p WHERE p.review_id = r.id))")
[ "$drift" = 0 ] && ok "with_photos of every product matches the raw rows" || bad "with_photos differs for $drift products"
done_testing
