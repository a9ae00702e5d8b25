#!/usr/bin/env bash
# tests/e2e/cursor.sh: cursor paging under writes (API.md Part 2).  A
# product of 210 reviews full of ties is paged seven at a time in every
# sort (and two filtered lists) while another client posts reviews of it,
# votes, reports and deletes some: no review comes twice, none that stayed
# as it was is skipped, none comes after its report was acknowledged, and
# afterwards each sort is exactly the database's list.  Before that, every
# kind of bad token (altered, truncated, extended, random, empty-looking,
# made for another list, forged with a right check but a field out of
# range) is a 400 naming cursor that writes nothing, and forged positions
# in range before or after every review answer a page.
# Needs BASE_URL and DATABASE_URL; starts from tests/e2e/fixtures.sh.
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header cursor "cursor paging while reviews are posted, voted, reported and deleted; bad tokens"

K=1900000020	# this file's product (fixtures.sh removes it at each start)
N=210
# Review i (1..210): rating 1 + i % 5, date D + (i % 12) x 10 days, votes
# (i / 3) % 4, two photos when 7 divides i, else one when 3 does, and a
# Fit rating.  So every (rating, date) pair holds four reviews (the id
# breaks the tie), a date twenty, and relevant scores tie across different
# dates (30 days and no vote = 0 days and one vote).
setup_sql "INSERT INTO characteristics (product_id, name) VALUES ($K, 'Fit');
INSERT INTO reviews (product_id, rating, date_ms, summary, body, recommend, reported,
    reviewer_name, reviewer_email, response, helpfulness)
SELECT $K, 1 + i % 5, $D + (i % 12) * 10 * $DAY::bigint, 'k' || i, 'Body of k' || i, i % 2 = 0, false,
    'k' || i, 'k' || i || '@example.com', NULL, (i / 3) % 4
FROM generate_series(1, $N) i ORDER BY i;
INSERT INTO reviews_photos (review_id, url)
SELECT r.id, 'https://img.example/' || r.reviewer_name || '-' || n || '.jpg'
FROM reviews r, LATERAL generate_series(1, CASE WHEN substr(r.reviewer_name, 2)::int % 7 = 0 THEN 2
    WHEN substr(r.reviewer_name, 2)::int % 3 = 0 THEN 1 ELSE 0 END) n
WHERE r.product_id = $K ORDER BY r.id, n;
INSERT INTO characteristic_reviews (characteristic_id, review_id, value)
SELECT c.id, r.id, 1 + r.id % 5 FROM reviews r JOIN characteristics c ON c.product_id = r.product_id
WHERE r.product_id = $K;" >/dev/null
setup_sql_file "$(dirname "$0")/../../db/aggregates.sql"
setup_sql "NOTIFY reviews_cache, '*'" >/dev/null
sleep 0.1
mapfile -t FIX < <(setup_sql "SELECT id FROM reviews WHERE product_id = $K ORDER BY id")
[ "${#FIX[@]}" = "$N" ] || bail_out "fixture: ${#FIX[@]} reviews of $K, want $N"

# The other client's targets: a sixth of the reviews it reports, a sixth
# it deletes, a sixth it votes for (as many as it gets to; the checks go
# by what it did).
REPORT=() DELETE=() VOTE=()
for i in "${!FIX[@]}"; do
	case $((i % 6)) in
	1) REPORT+=("${FIX[$i]}") ;;
	3) DELETE+=("${FIX[$i]}") ;;
	5) VOTE+=("${FIX[$i]}") ;;
	esac
done
printf '%s\n' "${REPORT[@]}" "${DELETE[@]}" "${VOTE[@]}" >"$TMP/plans"

ORDER_newest="date_ms DESC, id DESC"
ORDER_helpful="helpfulness DESC, date_ms DESC, id DESC"
ORDER_relevant="date_ms + 2592000000 * helpfulness DESC, id DESC"
ORDER_rating_desc="rating DESC, date_ms DESC, id DESC"
ORDER_rating_asc="rating, date_ms DESC, id DESC"
order_of() { local v="ORDER_$1"; echo "${!v}"; }

# Bad tokens first, while nothing else writes: each a 400 naming cursor,
# never a 500, and none writes anything.
req GET "/reviews?product_id=$K&sort=newest&count=7&cursor="
T=$(jq -r .next_cursor <<<"$BODY")
[[ "$T" =~ ^[A-Za-z0-9_-]{16,}$ ]] && ok "a next_cursor token: ${#T} URL-safe characters" || bad "next_cursor: $BODY"
req GET "/reviews?product_id=$K&sort=newest&count=7&cursor=$T"
expect_jq "the token pages on" '.results | length' 7
good_page=$BODY
# The same token, percent-encoded character by character, is the same token.
req GET "/reviews?product_id=$K&sort=newest&count=7&cursor=$(printf '%s' "$T" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g')"
expect "the token percent-encoded is the same token" 200 "$good_page"
other() {	# other STRING POS: STRING with the character at POS replaced by another of the alphabet
	local c=${1:$2:1} r=A
	[ "$c" = A ] && r=B
	echo "${1:0:$2}$r${1:$(($2 + 1))}"
}
swapcase() { local c=${1:$2:1}; echo "${1:0:$2}$(tr 'a-zA-Z' 'A-Za-z' <<<"$c")${1:$(($2 + 1))}"; }
enc() { jq -rn --arg t "$1" '$t | @uri'; }
L=${#T}
rand_token() { head -c 64 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=' | head -c "$1"; }
Q_TOK=$(req GET "/reviews?product_id=$Q&sort=newest&count=2&cursor="; jq -r .next_cursor <<<"$BODY")
H_TOK=$(req GET "/reviews?product_id=$K&sort=helpful&count=7&cursor="; jq -r .next_cursor <<<"$BODY")
R_TOK=$(req GET "/reviews?product_id=$K&sort=newest&rating=4,5&count=7&cursor="; jq -r .next_cursor <<<"$BODY")
P_TOK=$(req GET "/reviews?product_id=$K&sort=newest&has_photos=true&count=7&cursor="; jq -r .next_cursor <<<"$BODY")
[[ "$Q_TOK$H_TOK$R_TOK$P_TOK" =~ ^[A-Za-z0-9_-]+$ ]] || bad "tokens of other lists: $Q_TOK $H_TOK $R_TOK $P_TOK"
# Tokens whose check is right but whose fields no answer carries: only a
# forger (tests/e2e/cursor-token, which knows src/api/cursor.c's layout)
# sends them.  First, that it makes the service's own tokens.
FORGE="$(dirname "$0")/cursor-token"
read -r v0 s0 r0 p0 k0 a0 b0 i0 rest <<<"$("$FORGE" decode "$T")"
[ "$("$FORGE" encode "$v0" "$s0" "$r0" "$p0" "$k0" "$a0" "$b0" "$i0")" = "$T" ] && [ -z "${rest:-}" ] && [ "$k0" = "$K" ] &&
	ok "the forger reads and remakes the service's token ($v0 $s0 $r0 $p0 $k0 $a0 $b0 $i0)" ||
	bad "the forger does not know the token's layout: $("$FORGE" decode "$T")"
forge() { "$FORGE" encode "$@"; }
MAX64=9223372036854775807 MAX32=2147483647
before=$(snapshot)
{
	# Each with the sort it says (sorts: 0 newest .. 4 rating_asc), so only
	# the field in question is wrong.  Out of range: a vote count beyond
	# helpfulness's integer, a rating other than 1..5.
	while IFS='|' read -r what f; do
		read -r sort f <<<"$f"
		echo "forged, $what|sort=$sort&cursor=$(forge $f)"
	done <<ROWS
version 0|newest 0 $s0 $r0 $p0 $K $a0 $b0 $i0
version 2|newest 2 $s0 $r0 $p0 $K $a0 $b0 $i0
sort 5|newest $v0 5 $r0 $p0 $K $a0 $b0 $i0
sort 255|newest $v0 255 $r0 $p0 $K $a0 $b0 $i0
no ratings|newest $v0 $s0 0 $p0 $K $a0 $b0 $i0
ratings bit 6|newest $v0 $s0 32 $p0 $K $a0 $b0 $i0
ratings 255|newest $v0 $s0 255 $p0 $K $a0 $b0 $i0
has_photos 3|newest $v0 $s0 $r0 3 $K $a0 $b0 $i0
product 0|newest $v0 $s0 $r0 $p0 0 $a0 $b0 $i0
product -1|newest $v0 $s0 $r0 $p0 -1 $a0 $b0 $i0
review id 0|newest $v0 $s0 $r0 $p0 $K $a0 $b0 0
review id -1|newest $v0 $s0 $r0 $p0 $K $a0 $b0 -1
date -1|newest $v0 $s0 $r0 $p0 $K -1 $b0 $i0
second field -1|newest $v0 $s0 $r0 $p0 $K $a0 -1 $i0
helpful, votes 2^31|helpful 1 1 31 0 $K $((MAX32 + 1)) $a0 $i0
helpful, votes 2^63-1|helpful 1 1 31 0 $K $MAX64 $a0 $i0
rating_desc, rating 6|rating_desc 1 3 31 0 $K 6 $a0 $i0
rating_desc, rating 0|rating_desc 1 3 31 0 $K 0 $a0 $i0
rating_asc, rating 0|rating_asc 1 4 31 0 $K 0 $a0 $i0
rating_asc, rating 2^63-1|rating_asc 1 4 31 0 $K $MAX64 $a0 $i0
ROWS
	for pos in 0 1 2 3 4 7 12 20 28 33 40 $((L - 3)) $((L - 2)) $((L - 1)); do
		echo "one character changed at $pos|sort=newest&cursor=$(other "$T" "$pos")"
	done
	for pos in 5 $((L - 1)); do
		[[ "${T:$pos:1}" =~ [a-zA-Z] ]] && echo "case of character $pos flipped|sort=newest&cursor=$(swapcase "$T" "$pos")"
	done
	for n in $((L - 1)) $((L - 4)) $((L / 2)) 4 1; do echo "truncated to $n|sort=newest&cursor=${T:0:$n}"; done
	echo "extended by one|sort=newest&cursor=${T}A"
	echo "extended by four|sort=newest&cursor=${T}AAAA"
	echo "twice over|sort=newest&cursor=$T$T"
	echo "with base64 padding|sort=newest&cursor=$(enc "$T==")"
	echo "with a space inside|sort=newest&cursor=${T:0:10}%20${T:11}"
	echo "standard base64 + and / in it|sort=newest&cursor=$(enc "${T:0:10}+/${T:12}")"
	echo "a dot in it|sort=newest&cursor=${T:0:10}.${T:11}"
	echo "random, the same length|sort=newest&cursor=$(rand_token "$L")"
	echo "random, the same length again|sort=newest&cursor=$(rand_token "$L")"
	echo "random hex, the same length|sort=newest&cursor=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n' | head -c "$L")"
	echo "all A|sort=newest&cursor=$(head -c "$L" /dev/zero | tr '\0' A)"
	echo "all _|sort=newest&cursor=$(head -c "$L" /dev/zero | tr '\0' _)"
	echo "long (1,000 characters)|sort=newest&cursor=$(head -c 1000 /dev/zero | tr '\0' A)"
	for v in '%20' '+' '%09' '%0A' null undefined 0 false true '%22%22' "''" '-' '_' '%3D' '%00' '%' '%zz' '%C3%A9'; do
		echo "empty-looking or junk: $v|sort=newest&cursor=$v"
	done
	echo "another product's token|sort=newest&cursor=$Q_TOK"
	echo "another sort's token (helpful with newest)|sort=newest&cursor=$H_TOK"
	echo "newest's token with helpful|sort=helpful&cursor=$T"
	echo "newest's token with rating_desc|sort=rating_desc&cursor=$T"
	echo "the default sort (relevant) with newest's token|cursor=$T"
	echo "rating=4,5's token with rating=4|sort=newest&rating=4&cursor=$R_TOK"
	echo "rating=4,5's token with no rating|sort=newest&cursor=$R_TOK"
	echo "rating=4,5's token with rating=3,4,5|sort=newest&rating=3,4,5&cursor=$R_TOK"
	echo "no filter's token with rating=4,5|sort=newest&rating=4,5&cursor=$T"
	echo "no filter's token with rating=1,2,3,4|sort=newest&rating=1,2,3,4&cursor=$T"
	echo "has_photos=true's token with has_photos=false|sort=newest&has_photos=false&cursor=$P_TOK"
	echo "has_photos=true's token with no has_photos|sort=newest&cursor=$P_TOK"
	echo "no filter's token with has_photos=true|sort=newest&has_photos=true&cursor=$T"
	echo "no filter's token with has_photos=false|sort=newest&has_photos=false&cursor=$T"
} >"$TMP/badtokens"
# One curl for all of them (a curl, a jq and a grep for each took most of
# this file's time): status, Content-Type and body of each.
bulk_new
: >"$TMP/bad.cfg"
k=0
while IFS='|' read -r what qs; do
	k=$((k + 1))
	bulk_add "$TMP/bad.cfg" "t$k" GET "/reviews?product_id=$K&count=7&$qs"
done <"$TMP/badtokens"
bulk_run "$TMP/bad.cfg"
k=0
while IFS='|' read -r what qs; do
	k=$((k + 1))
	bulk_got "t$k"
	if [ "$CODE" = 400 ] && [[ "$GOT" =~ ^\{\"error\":\"cursor\ [^\"]+\"\}$ ]] && [[ "$CTYPE" == application/json* ]]; then
		ok "cursor $what: 400 naming cursor"
	else
		bad "cursor $what: $CODE $CTYPE $GOT"
	fi
done <"$TMP/badtokens"
# Forged positions in range, before or after every review: a page.
while read -r sort sn a b id want; do
	req GET "/reviews?product_id=$K&sort=$sort&count=7&cursor="
	first=$BODY
	req GET "/reviews?product_id=$K&sort=$sort&count=7&cursor=$(forge 1 "$sn" 31 0 "$K" "$a" "$b" "$id")"
	if [ "$want" = first ]; then
		expect "forged $sort token before everything ($a, $b, $id): the first page" 200 "$first"
	else
		expect "forged $sort token after everything ($a, $b, $id): empty" 200 "{\"product\":\"$K\",\"count\":7,\"results\":[],\"next_cursor\":null}"
	fi
done <<ROWS
newest 0 $MAX64 0 $MAX32 first
newest 0 0 0 1 empty
helpful 1 $MAX32 $MAX64 $MAX32 first
helpful 1 0 0 1 empty
relevant 2 $MAX64 0 $MAX32 first
relevant 2 0 0 1 empty
rating_desc 3 5 $MAX64 $MAX32 first
rating_desc 3 1 0 1 empty
rating_asc 4 1 $MAX64 $MAX32 first
rating_asc 4 5 0 1 empty
ROWS
[ "$(snapshot)" = "$before" ] && ok "the bad tokens wrote nothing" || bad "bad tokens changed data"
req GET "/reviews?product_id=$K&sort=newest&count=7&cursor=$T"
expect "the good token still answers the same page" 200 "$good_page"

# The other client, in two processes: one reports and deletes, one votes
# and posts, through the API, a little at a time until told to stop.
# Every acknowledged write goes to $TMP/ops as "WHAT ID MS" (MS: when its
# answer came).
#
# A deletion is a report through the API and then a DELETE of the rows by
# SQL (one psql session of its own, fed through a fifo), without a NOTIFY.
# The report already dropped every cached answer of K (on this host before
# its 204; elsewhere through its NOTIFY), and from then on the review is in
# no list (lists read only non-reported reviews) and in no aggregate (the
# report subtracted it): deleting its rows changes no answer, so there is
# nothing to invalidate.  A NOTIFY here would only drop correct answers,
# and would hide a report that failed to invalidate, which the exact walks
# at the end would catch.
op() { echo "$1 $2 $(now_ms)" >>"$TMP/ops"; }
put() { req PUT "/reviews/$1/$2"; echo "$STATUS"; }	# put ID helpful|report: the status
report() {
	[ "$(put "$1" report)" = 204 ] && op report "$1" && return 0
	echo "report $1 failed" >>"$TMP/churn.err"
	return 1
}
delete_sql() {
	echo "BEGIN; DELETE FROM review_reports WHERE review_id = $1;
	    DELETE FROM characteristic_reviews WHERE review_id = $1;
	    DELETE FROM reviews_photos WHERE review_id = $1;
	    DELETE FROM review_reports WHERE review_id = $1;
	    DELETE FROM reviews WHERE id = $1 AND reported; COMMIT;"
}
delete() { report "$1" && sql "$(delete_sql "$1")" >/dev/null 2>>"$TMP/churn.err" && echo "$1" >>"$TMP/deleted"; }
# It stops by itself when this suite has gone (bailed out, say).
going() { [ ! -e "$TMP/stop" ] && kill -0 $$ 2>/dev/null; }
churn_remove() {
	local i=0
	exec 5>"$TMP/delq"
	while going && [ "$i" -lt "${#REPORT[@]}" ]; do
		report "${REPORT[$i]}"
		report "${DELETE[$i]}" && delete_sql "${DELETE[$i]}" >&5 && echo "${DELETE[$i]}" >>"$TMP/deleted"
		i=$((i + 1))
		sleep 0.05
	done
	exec 5>&-
}
for j in $(seq 0 14); do	# the posts' bodies: ratings 1..5, a photo or none
	GOOD_PRODUCT=$K good ".rating = $((1 + j % 5)) | .photos = $([ $((j % 3)) = 0 ] && echo '["https://img.example/c.jpg"]' || echo '[]')" >"$TMP/post$j"
done
churn_write() {
	local i=0 id
	while going && [ "$i" -lt 400 ]; do
		id=${VOTE[$((i % ${#VOTE[@]}))]}
		[ "$(put "$id" helpful)" = 204 ] && op vote "$id" || echo "vote $id failed" >>"$TMP/churn.err"
		if [ $((i % 2)) = 0 ] && [ "$i" -lt 120 ]; then
			req POST /reviews -H 'Content-Type: application/json' --data-binary @"$TMP/post$((i % 15))"
			[[ "$BODY" =~ ^\{\"review_id\":([0-9]+)\}$ ]] && op post "${BASH_REMATCH[1]}" || echo "post failed: $STATUS $BODY" >>"$TMP/churn.err"
		fi
		i=$((i + 1))
		sleep 0.05
	done
}

# pager_remove ID HOW: the pagers' own writes (HOW delete or report), one
# pager at a time.  A review another pager removed already is left alone;
# one the other client has plans for is only reported (its own report or
# vote of a deleted review would be a 404), and a 404 is fine when the
# other client deleted it meanwhile.
pager_remove() {
	(
		flock 9
		grep -qx "$1" "$TMP/pager-removed" && exit 0
		if [ "$2" = delete ] && ! grep -qx "$1" "$TMP/plans"; then
			delete "$1"
		else
			code=$(put "$1" report)
			if [ "$code" = 204 ]; then
				op report "$1"
			elif [ "$code" != 404 ] || [ "$(sql "SELECT count(*) FROM reviews WHERE id = $1")" != 0 ]; then
				echo "report $1: $code" >>"$TMP/churn.err"
			fi
		fi
		echo "$1" >>"$TMP/pager-removed"
	) 9>"$TMP/lock"
}

# walk NAME QUERY: page QUERY seven at a time to the last page.  Each
# page is a line of $TMP/walk/NAME/pages: the time its request was sent,
# its status and its body.
# The pager writes too, at the moments that matter most: after page 3 it
# deletes the review the token points after, and after page 6 it reads the
# next page, reports that page's first review and reads the page again.
walk() {
	local q=$2 tok="" page=0 d=$TMP/walk/$1 body status sent
	mkdir -p "$d"
	while [ "$page" -lt 80 ]; do
		page=$((page + 1))
		sent=$(now_ms)
		req GET "/reviews?$q&count=7&cursor=$tok"
		body=$BODY status=$STATUS
		echo "$sent $status $body" >>"$d/pages"
		[[ "$body" =~ \"next_cursor\":\"([A-Za-z0-9_-]+)\"\}$ ]] || break
		tok=${BASH_REMATCH[1]}
		if [ "$page" = 3 ]; then
			pager_remove "$(jq '.results[-1].review_id' <<<"$body")" delete
		elif [ "$page" = 6 ]; then
			req GET "/reviews?$q&count=7&cursor=$tok"
			jq '.results[0].review_id' <<<"$BODY" >"$d/reported-next"
			pager_remove "$(cat "$d/reported-next")" report
		fi
	done
}

: >"$TMP/ops"
: >"$TMP/churn.err"
: >"$TMP/pager-removed"
: >"$TMP/deleted"
mkfifo "$TMP/delq"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" <"$TMP/delq" >/dev/null 2>>"$TMP/churn.err" &
DELQ=$!
churn_remove &
CHURN1=$!
churn_write &
CHURN2=$!
WALKS="newest helpful relevant rating_desc rating_asc rating_desc.f relevant.p"
query_of() {
	case $1 in
	rating_desc.f) echo "product_id=$K&sort=rating_desc&rating=2,4&has_photos=false" ;;
	relevant.p) echo "product_id=$K&sort=relevant&rating=1,3,5&has_photos=true" ;;
	*) echo "product_id=$K&sort=$1" ;;
	esac
}
# All the walks at once (one pager each), with the other client.
pagers=()
for w in $WALKS; do
	walk "$w" "$(query_of "$w")" &
	pagers+=($!)
done
for pid in "${pagers[@]}"; do wait "$pid"; done
for w in $WALKS; do
	read -r t0 t1 < <(awk 'NR == 1 {a = $1} {b = $1} END {print a, b}' "$TMP/walk/$w/pages")
	note "walk $w: $(wc -l <"$TMP/walk/$w/pages") pages in $((t1 - t0)) ms, meanwhile $(awk -v a="$t0" -v b="$t1" '$3 >= a && $3 <= b' "$TMP/ops" | wc -l) acknowledged writes"
done
touch "$TMP/stop"
wait "$CHURN1" "$CHURN2" "$DELQ"
[ -s "$TMP/churn.err" ] && bad "the other client's writes failed: $(head -5 "$TMP/churn.err")" ||
	ok "the other client's writes all succeeded: $(awk '{n[$1]++} END {for (k in n) printf "%s %d, ", k, n[k]}' "$TMP/ops")"
for what in report vote post; do
	grep -q "^$what " "$TMP/ops" || bad "the other client made no $what"
done
gone=$(sql "SELECT count(*) FROM reviews WHERE id IN ($(paste -sd, "$TMP/deleted"))")
[ -s "$TMP/deleted" ] && [ "$gone" = 0 ] && ok "the $(wc -l <"$TMP/deleted") deleted reviews' rows are gone" ||
	bad "deletions: $(wc -l <"$TMP/deleted") sent, $gone still there"

# The checks, walk by walk.  Reviews that stayed as they were: the
# fixture's, minus those anyone reported (deleted ones too), minus (in
# helpful and relevant, where votes are the sort value) those voted for.  Votes
# only raise a review in those orders, so a voted review may be skipped
# (it moved before the token) but can never come twice.
reported_at() {	# review ids with the time their report was acknowledged
	awk '$1 == "report" && !($2 in t) {t[$2] = $3} END {for (i in t) print i, t[i]}' "$TMP/ops"
}
reported_at >"$TMP/reported_at"
for w in $WALKS; do
	d=$TMP/walk/$w q=$(query_of "$w")
	sort=${q#*sort=}; sort=${sort%%&*}
	pages=$(wc -l <"$d/pages")
	# Every page 200 with a token, the last with null.
	bad_pages=$(awk '$2 != 200 {print "page " NR ": " substr($0, 1, 200)}' "$d/pages")
	last=$(tail -1 "$d/pages" | cut -d' ' -f3- | jq -c .next_cursor 2>/dev/null)
	[ -z "$bad_pages" ] && [ "$last" = null ] && ok "walk $w: $pages pages, each 200, the last with next_cursor null" ||
		bad "walk $w: ${bad_pages:-next_cursor $last on the last page}"
	# The walk's reviews in order: "ID RATING PHOTOS SENT_MS".
	jq -rR 'capture("^(?<t>[0-9]+) [0-9]+ (?<b>.*)$") | .t as $t | .b | fromjson
		| .results[]? | "\(.review_id) \(.rating) \(.photos | length) \($t)"' "$d/pages" >"$d/seen"
	dup=$(cut -d' ' -f1 "$d/seen" | sort | uniq -d | tr '\n' ' ')
	[ -z "$dup" ] && ok "walk $w: no review twice ($(wc -l <"$d/seen") reviews)" || bad "walk $w: reviews twice: $dup"
	# The filter held for every review of the walk.
	case $w in
	rating_desc.f) off=$(awk '!($2 == 2 || $2 == 4) || $3 != 0' "$d/seen" | head -3) ;;
	relevant.p) off=$(awk '!($2 == 1 || $2 == 3 || $2 == 5) || $3 == 0' "$d/seen" | head -3) ;;
	*) off="" ;;
	esac
	[ -z "$off" ] && ok "walk $w: every review matches the filter" || bad "walk $w: off the filter: $off"
	# None shown in a page asked for after its report was acknowledged.
	late=$(awk 'NR == FNR {t[$1] = $2; next} ($1 in t) && t[$1] < $4 {print $1 " (reported at " t[$1] ", read at " $4 ")"}' \
		"$TMP/reported_at" "$d/seen" | head -3)
	[ -z "$late" ] && ok "walk $w: no review in a page asked for after its report's 204" || bad "walk $w: shown after its report: $late"
	# Every review that stayed, exactly once, in the sort's order.
	gone=$({ awk '$1 == "report" {print $2}' "$TMP/ops"; cat "$TMP/pager-removed"
		case $sort in helpful | relevant) awk '$1 == "vote" {print $2}' "$TMP/ops" ;; esac; } | sort -u | paste -sd,)
	filter=""
	case $w in
	rating_desc.f) filter="AND rating IN (2, 4) AND NOT EXISTS (SELECT 1 FROM reviews_photos p WHERE p.review_id = r.id)" ;;
	relevant.p) filter="AND rating IN (1, 3, 5) AND EXISTS (SELECT 1 FROM reviews_photos p WHERE p.review_id = r.id)" ;;
	esac
	want=$(sql "SELECT string_agg(id::text, ' ' ORDER BY $(order_of "$sort")) FROM reviews r
	    WHERE id IN ($(printf '%s,' "${FIX[@]}" | sed 's/,$//')) AND id NOT IN ($gone) $filter")
	got=$(awk 'NR == FNR {keep[$1] = 1; next} ($1 in keep) {print $1}' <(tr ' ' '\n' <<<"$want") "$d/seen" | paste -sd' ')
	[ -n "$want" ] && [ "$got" = "$want" ] && ok "walk $w: all $(wc -w <<<"$want") reviews that stayed, each once, in order" ||
		bad "walk $w: the reviews that stayed: got $got"$'\n'"want $want"
	# The page after page 6 no longer has the review reported before it was read.
	if [ -f "$d/reported-next" ]; then
		x=$(cat "$d/reported-next")
		sed -n 7p "$d/pages" | cut -d' ' -f3- | jq -e --argjson x "$x" '[.results[].review_id] | index($x) == null' >/dev/null &&
			ok "walk $w: page 7, read again after its first review ($x) was reported, skips it" ||
			bad "walk $w: page 7 still has $x after its report: $(sed -n 7p "$d/pages" | head -c 300)"
	fi
done

# With everything still, each sort walked again (thirty a page: the walks
# above did the small pages) is exactly the database's list, posted
# reviews included: after the deletions without a NOTIFY no cached answer
# is stale.
for sort in newest helpful relevant rating_desc rating_asc; do
	tok=""
	: >"$TMP/final"
	for page in $(seq 1 80); do
		req GET "/reviews?product_id=$K&sort=$sort&count=30&cursor=$tok"
		echo "$BODY" >>"$TMP/final"
		[[ "$BODY" =~ \"next_cursor\":\"([A-Za-z0-9_-]+)\"\}$ ]] || break
		tok=${BASH_REMATCH[1]}
	done
	ids=$(jq -r '.results[].review_id' "$TMP/final" 2>&1 | paste -sd' ')
	want=$(sql "SELECT string_agg(id::text, ' ' ORDER BY $(order_of "$sort")) FROM reviews r WHERE product_id = $K AND NOT reported")
	[ "$ids" = "$want" ] && ok "afterwards, $sort by cursor is exactly the database's $(wc -w <<<"$want") reviews" ||
		bad "afterwards, $sort: got $ids"$'\n'"want $want"
done
want=$(sql "SELECT format('{\"reviews\":\"%s\",\"with_photos\":\"%s\"}', count(*),
    count(*) FILTER (WHERE EXISTS (SELECT 1 FROM reviews_photos p WHERE p.review_id = r.id)))
    FROM reviews r WHERE product_id = $K AND NOT reported")
req GET "/reviews/meta?product_id=$K&stats=true"
expect_jq "afterwards, meta's stats count what the database holds" '.stats | {reviews, with_photos}' "$want"
verify_aggregates "verify: every aggregate matches the raw rows"
drift=$(sql "SELECT count(*) FROM product_meta m WHERE with_photos <> (SELECT count(*) FROM reviews r
    WHERE r.product_id = m.product_id AND NOT r.reported AND EXISTS (SELECT 1 FROM reviews_photos p WHERE p.review_id = r.id))")
[ "$drift" = 0 ] && ok "with_photos of every product matches the raw rows" || bad "with_photos differs for $drift products"
done_testing
