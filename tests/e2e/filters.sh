#!/usr/bin/env bash
# tests/e2e/filters.sh: GET /reviews, API.md Part 2: the rating and
# has_photos filters, the rating sorts and cursor paging.  Exact bodies for
# every combination (eleven rating sets, has_photos absent/true/false, all
# five sorts), by page and by cursor, on a fixture whose rows make every
# order and tie-break visible.  The expected bodies come from the fixture's
# own table below (sorted by jq), never from the service.  Then: a Part 1
# request unchanged, all five ratings the same as none, bad values, and
# cached filtered and cursor answers fresh after each kind of write.
# The fixture's lists are made from the product's cached set of reviews
# (src/api/reviewset.h), one cache entry; with FILTERS_PAD=N it has N
# more reviews: filters-chunked.sh, a set of several entries, and
# filters-big.sh, too many for a set, where the same combinations are the
# answers of each list's own statement (FILTERS_SET=0).  The part after
# the cursor walks is this file's alone.
# Needs BASE_URL and DATABASE_URL; starts from tests/e2e/fixtures.sh.
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
PAD=${FILTERS_PAD:-0} FROM_SET=${FILTERS_SET:-1}
if [ "$PAD" = 0 ]; then
	e2e_header filters "rating, has_photos, rating sorts, cursor paging: every combination exact"
	F=1900000010	# this file's product (fixtures.sh removes it at each start)
else
	# (run as filters.sh)
	[ "$FROM_SET" = 1 ] && EXCHANGE_SUITE=e2e-filters-chunked F=1900000015 ||
		EXCHANGE_SUITE=e2e-filters-big F=1900000014
	e2e_header "${EXCHANGE_SUITE#e2e-}" "the same with $PAD more reviews, lists $([ "$FROM_SET" = 1 ] &&
		echo "from a set of several cache entries" || echo "by their statements")"
fi

# The fixture: name|rating|day (after D)|ms (after that day)|votes|photos|reported.
# Inserted in this order, so ids ascend f1 < f2 < ... < f13.  What each row
# is for:
#   f1, f2    rating 5, same date, same votes: id breaks every tie
#   f3        rating 5, later: date before id in the rating sorts; 2 photos
#   f4, f12   rating 4, one millisecond apart: date compared to the ms
#   f3, f4    same date: newest falls back on id
#   f4, f5    relevant ties (20 days + 1 vote = 50 days): id breaks it
#   f6, f7, f8 relevant ties at 100 days from three different mixes
#   f6, f1/f2 the same votes, another date: helpful falls back on date
#   f9, f13   rating 1, same date: only has_photos tells them apart
#   f10       reported: in no answer, whatever it has
#   f11       3 photos, f6's date and rating
FIXTURE="f1|5|0|0|3|1|f
f2|5|0|0|3|0|f
f3|5|20|0|0|2|f
f4|4|20|0|1|0|f
f5|4|50|0|0|1|f
f6|3|10|0|3|0|f
f7|2|40|0|2|1|f
f8|2|40|0|2|0|f
f9|1|5|0|0|0|f
f10|1|60|0|9|1|t
f11|3|10|0|0|3|f
f12|4|20|1|1|0|f
f13|1|5|0|0|1|f"
# Padding: ratings, dates, votes and photos of their own, after every
# fixture row in newest order.
for k in $(seq 1 "$PAD"); do
	FIXTURE+=$'\n'"p$k|$((1 + k % 5))|$((60 + k))|$k|$((k % 4))|$((k % 3 == 0 ? 1 : 0))|$([ $((k % 7)) = 0 ] && echo t || echo f)"
done

values=""
while IFS='|' read -r name rating day ms votes nph rep; do
	resp=NULL
	[ "$name" = f3 ] && resp="'Glad it fits'"
	rec=false
	[ "$rating" -ge 3 ] && rec=true
	values+="${values:+,}($F, $rating, $((D + day * DAY + ms)), 'Summary $name', 'Body of $name', $rec, '$rep', '$name', '$name@example.com', $resp, $votes)"
done <<<"$FIXTURE"
setup_sql "INSERT INTO reviews (product_id, rating, date_ms, summary, body, recommend, reported,
    reviewer_name, reviewer_email, response, helpfulness) VALUES $values" >/dev/null
# Photos: each review's in reverse url order, so ordering by photo id (as
# API.md says) differs from ordering by url.
photos=""
while IFS='|' read -r name _ _ _ _ nph _; do
	for k in $(seq "$nph" -1 1); do
		photos+="${photos:+,}((SELECT id FROM reviews WHERE product_id = $F AND reviewer_name = '$name'), 'https://img.example/$name-$k.jpg')"
	done
done <<<"$FIXTURE"
setup_sql "INSERT INTO reviews_photos (review_id, url) VALUES $photos" >/dev/null
setup_sql_file "$(dirname "$0")/../../db/aggregates.sql"
setup_sql "NOTIFY reviews_cache, '*'" >/dev/null
sleep 0.1

# The model: the table above as the list's reviews, with the ids and photo
# ids the database gave them (those are the only things read back).
ids=$(setup_sql "SELECT json_object_agg(reviewer_name, id) FROM reviews WHERE product_id = $F")
pics=$(setup_sql "SELECT json_object_agg(r.reviewer_name, (SELECT coalesce(json_agg(json_build_object('id', p.id, 'url', p.url) ORDER BY p.id), '[]')
    FROM reviews_photos p WHERE p.review_id = r.id)) FROM reviews r WHERE r.product_id = $F")
while IFS='|' read -r name rating day ms votes nph rep; do
	jq -cn --arg n "$name" --argjson ids "$ids" --argjson pics "$pics" \
		--argjson rating "$rating" --argjson date $((D + day * DAY + ms)) --argjson votes "$votes" \
		--argjson rep "$([ "$rep" = t ] && echo true || echo false)" \
		'{name: $n, id: $ids[$n], rating: $rating, summary: "Summary \($n)", recommend: ($rating >= 3),
		  response: (if $n == "f3" then "Glad it fits" else null end), body: "Body of \($n)",
		  date_ms: $date, reviewer_name: $n, helpfulness: $votes, photos: $pics[$n], reported: $rep}'
done <<<"$FIXTURE" | jq -cs . >"$TMP/model.json"
[ "$(jq -r --argjson n $((13 + PAD)) 'map(.id) | . == sort and length == $n and all(type == "number")' "$TMP/model.json")" = true ] ||
	bail_out "fixture: ids do not ascend in insertion order: $ids"

# jq: the reviews of the model a request asks for, in its order, as the
# API renders them.  ratings: an array of ratings, or null for all.
JQ_DEFS='
def iso: ((. / 1000 | floor | strftime("%Y-%m-%dT%H:%M:%S")) + "." + ((. % 1000) + 1000 | tostring | .[1:]) + "Z");
def ordered($sort):
	if $sort == "newest" then sort_by(-.date_ms, -.id)
	elif $sort == "helpful" then sort_by(-.helpfulness, -.date_ms, -.id)
	elif $sort == "relevant" then sort_by(-(.date_ms + 2592000000 * .helpfulness), -.id)
	elif $sort == "rating_desc" then sort_by(-.rating, -.date_ms, -.id)
	else sort_by(.rating, -.date_ms, -.id) end;
def wanted($sort; $ratings; $photos):
	map(select(.reported | not)
	    | select($ratings == null or (.rating as $r | $ratings | index($r) != null))
	    | select($photos == "" or ((.photos | length > 0) == ($photos == "true"))))
	| ordered($sort);
def view: {review_id: .id, rating, summary, recommend, response, body,
	date: (.date_ms | iso), reviewer_name, helpfulness, photos: (.photos | map({id, url}))};
'
# model_list SORT RATINGS PHOTOS: the model's review names, in order.
model_list() {
	jq -r --arg s "$1" --arg r "$2" --arg p "$3" "$JQ_DEFS"'
		wanted($s; (if $r == "" then null else $r | split(",") | map(tonumber) end); $p) | map(.name) | join(" ")' "$TMP/model.json"
}
# model_views SORT RATINGS PHOTOS FROM N: the JSON of N reviews from FROM on.
model_views() {
	jq -c --arg s "$1" --arg r "$2" --arg p "$3" --argjson from "$4" --argjson n "$5" "$JQ_DEFS"'
		wanted($s; (if $r == "" then null else $r | split(",") | map(tonumber) end); $p) | .[$from:$from + $n] | map(view)' "$TMP/model.json"
}
# The model against the orders worked out by hand from the table (so a
# mistake in the jq above cannot make the service's mistake look right);
# with padding, the model is the one checked so without it.
[ "$PAD" = 0 ] && while read -r sort want; do
	got=$(model_list "$sort" "" "")
	[ "$got" = "$want" ] && ok "model: $sort is $want" || bad "model: $sort is $got, by hand $want"
done <<'ROWS'
newest f5 f8 f7 f12 f4 f3 f11 f6 f13 f9 f2 f1
helpful f6 f2 f1 f8 f7 f12 f4 f5 f3 f11 f13 f9
relevant f8 f7 f6 f2 f1 f12 f5 f4 f3 f11 f13 f9
rating_desc f3 f2 f1 f5 f12 f4 f11 f6 f8 f7 f13 f9
rating_asc f13 f9 f8 f7 f11 f6 f5 f12 f4 f3 f2 f1
ROWS
[ "$PAD" != 0 ] || { [ "$(model_list rating_asc 1 true)" = f13 ] && [ "$(model_list newest "" true)" = "f5 f7 f3 f11 f13 f1" ] &&
	ok "model: has_photos and rating filters" || bad "model filters: $(model_list rating_asc 1 true) / $(model_list newest "" true)"; }

# fetch_all LIST: LIST's lines "NAME PATH", fetched by one curl (four at a
# time, one per worker; tests/lib.sh's bulk_run): then bulk_got NAME sets
# CODE and GOT, NAME's status and body (read without a fork: a few
# thousand of them).
fetch_all() {
	local name path
	bulk_new
	: >"$TMP/fetch.cfg"
	while read -r name path; do bulk_add "$TMP/fetch.cfg" "$name" GET "$path"; done <"$1"
	bulk_run "$TMP/fetch.cfg" --parallel --parallel-max 4
}

SORTS="newest helpful relevant rating_desc rating_asc"
# Every single rating, pairs (adjacent and not), three given out of order,
# all five, none.
RATINGS="- 1 2 3 4 5 4,5 1,2 2,4 5,3,1 1,2,3,4,5"
PHOTOS="- true false"
combos() {	# lines "NAME SORT RATINGS PHOTOS QUERY" ("-": not given)
	local s r p q
	for s in $SORTS; do for r in $RATINGS; do for p in $PHOTOS; do
		q="product_id=$F&sort=$s"
		[ "$r" = - ] || q+="&rating=$r"
		[ "$p" = - ] || q+="&has_photos=$p"
		echo "$s.${r//,/_}.$p $s $r $p $q"
	done; done; done
}
combos >"$TMP/combos"
norm() { [ "$1" = - ] && echo "" || echo "$1"; }

# Every expected body of the two loops below in one jq run (a run per body
# was most of this file's time): lines "KEY BODY", where KEY is
# NAME.all / NAME.p2 (by page) or NAME.cK (the cursor walk's page K, from
# 0), and a cursor page that has a next one says "@TOKEN@" for the token.
jq -Rcn '[inputs | split(" ") | {name: .[0], sort: .[1],
	ratings: (if .[2] == "-" then null else .[2] | split(",") | map(tonumber) end),
	photos: (if .[3] == "-" then "" else .[3] end)}]' "$TMP/combos" >"$TMP/combos.json"
declare -A WANT=() NPAGES=()
while read -r key body; do
	WANT[$key]=$body
	[[ "$key" == *.c[0-9]* ]] && NPAGES[${key%.c*}]=$((${key##*.c} + 1))
done < <(jq -r --arg F "$F" --slurpfile combos "$TMP/combos.json" "$JQ_DEFS"'
	. as $m | $combos[0][] | . as $c
	| ($m | wanted($c.sort; $c.ratings; $c.photos) | map(view)) as $l
	| "\($c.name).all \({product: $F, page: 0, count: 100, results: $l[0:100]} | tojson)",
	  "\($c.name).p2 \({product: $F, page: 1, count: 3, results: $l[3:6]} | tojson)",
	  (range(0; ([($l | length) + 3, 4] | max) / 4 | floor) as $k
	   | "\($c.name).c\($k) \({product: $F, count: 4, results: $l[4 * $k:4 * $k + 4],
		next_cursor: (if 4 * $k + 4 < ($l | length) then "@TOKEN@" else null end)} | tojson)")
	' "$TMP/model.json")
[ "${#WANT[@]}" -gt 500 ] || bail_out "the model made only ${#WANT[@]} bodies"

# Which way lists are made (the host's /metrics): from the product's
# cached set of reviews, or (padded) by their statements.
set_hits0=$(metric reviews_cache_set_hits_total) hits0=$(metric reviews_cache_hits_total) asked=0

# By page: page 1 of 100 (the whole list), and for three of the rating
# sets page 2 of 3 (the offset counts filtered reviews only).
P2_RATINGS=" - 2,4 5,3,1 "
while read -r name s r p q; do
	echo "$name.all /reviews?$q&count=100"
	[[ "$P2_RATINGS" == *" $r "* ]] && echo "$name.p2 /reviews?$q&page=2&count=3"
done <"$TMP/combos" >"$TMP/list"
fetch_all "$TMP/list"
asked=$(grep -c '' "$TMP/list")
while read -r name s r p q; do
	for tag in "all 1 100" "p2 2 3"; do
		read -r tag page count <<<"$tag"
		[ "$tag" = all ] || [[ "$P2_RATINGS" == *" $r "* ]] || continue
		bulk_got "$name.$tag"
		if [ "$CODE" = 200 ] && [ "$GOT" = "${WANT[$name.$tag]}" ]; then
			ok "page: sort=$s rating=$r has_photos=$p page=$page count=$count"
		else
			bad "page: sort=$s rating=$r has_photos=$p page=$page count=$count: $CODE $GOT"$'\n'"want ${WANT[$name.$tag]}"
		fi
	done
done <"$TMP/combos"

# By cursor, four a page: every combination walked to its end in rounds
# (each round fetches the next page of every walk still going).  Each page
# is the model's next four, next_cursor a token (URL-safe, so usable as is)
# until the last page, null on it: also when the last page is full (twelve
# reviews: 4 + 4 + 4) or when there is nothing at all.
declare -A TOKEN=() PAGE=() FAILED=()
while read -r name _ _ _ _; do TOKEN[$name]=""; PAGE[$name]=0; done <"$TMP/combos"
for round in $(seq 1 20); do
	: >"$TMP/list"
	while read -r name s r p q; do
		[ -z "${FAILED[$name]:-}" ] && [ "${PAGE[$name]}" -lt "${NPAGES[$name]}" ] &&
			echo "$name /reviews?$q&count=4&cursor=${TOKEN[$name]}" >>"$TMP/list"
	done <"$TMP/combos"
	[ -s "$TMP/list" ] || break
	fetch_all "$TMP/list"
	asked=$((asked + $(grep -c '' "$TMP/list")))
	while read -r name _; do
		bulk_got "$name"
		want=${WANT[$name.c${PAGE[$name]}]} tok=""
		[[ "$GOT" =~ \"next_cursor\":\"([A-Za-z0-9_-]+)\"\}$ ]] && tok=${BASH_REMATCH[1]}
		[ "$CODE" = 200 ] && [ "$GOT" = "${want/@TOKEN@/$tok}" ] ||
			FAILED[$name]="page $((PAGE[$name] + 1)): $CODE $GOT"$'\n'"want $want"
		PAGE[$name]=$((PAGE[$name] + 1)) TOKEN[$name]=$tok
	done <"$TMP/list"
done
while read -r name s r p q; do
	if [ -n "${FAILED[$name]:-}" ]; then
		bad "cursor: sort=$s rating=$r has_photos=$p: ${FAILED[$name]}"
	elif [ "${PAGE[$name]}" != "${NPAGES[$name]}" ]; then
		bad "cursor: sort=$s rating=$r has_photos=$p: ${PAGE[$name]} pages, want ${NPAGES[$name]}"
	else
		ok "cursor: sort=$s rating=$r has_photos=$p: ${PAGE[$name]} page(s) of 4, exact"
	fi
done <"$TMP/combos"

set_hits=$(($(metric reviews_cache_set_hits_total) - set_hits0))
hits=$(($(metric reviews_cache_hits_total) - hits0))
if [ "$FROM_SET" = 1 ]; then
	# Every list made from the set, or the same answer again
	# (rating=1,2,3,4,5 is no filter), but the first: it fetched the set
	# (four go at a time, so up to four may have).
	[ $((asked - set_hits - hits)) -ge 1 ] && [ $((asked - set_hits - hits)) -le 4 ] &&
		ok "of the $asked lists above, $set_hits were made from the product's cached reviews, $hits were cached answers, $((asked - set_hits - hits)) fetched the set" ||
		bad "of $asked lists, $set_hits made from the cached set, $hits cached answers"
else
	[ "$set_hits" = 0 ] && ok "with $((13 + PAD)) reviews, no list was made from a set: each ran its statement" ||
		bad "$set_hits lists of a product too big for a set were made from one"
fi
if [ "$PAD" != 0 ] && [ "$FROM_SET" = 1 ]; then
	# The set's texts alone (its items take 24 bytes more a review) are
	# more than one 4 KB cache entry holds.
	bytes=$(jq -r '.results | map(tojson | length + 1) | add' <<<"${WANT[newest.-.-.all]}")
	[ "$bytes" -gt 4024 ] && ok "the set of this product takes several cache entries ($bytes bytes of reviews)" ||
		bad "the fixture's set is only $bytes bytes: one cache entry"
fi
if [ "$PAD" != 0 ]; then
	verify_aggregates "verify: every aggregate matches the raw rows"
	done_testing
	exit
fi

# A Part 1 request is answered as before, byte for byte (lists.sh checks
# P's), and all five ratings are the same as no filter, by page and by
# cursor; a token of one works for the other (the same list).
for s in newest helpful relevant; do
	req GET "/reviews?product_id=$F&sort=$s"
	expect "Part 1 sort=$s: the Part 1 body" 200 "{\"product\":\"$F\",\"page\":0,\"count\":5,\"results\":$(model_views "$s" "" "" 0 5)}"
done
for s in $SORTS; do
	req GET "/reviews?product_id=$F&sort=$s&count=5&page=2"
	plain=$BODY
	req GET "/reviews?product_id=$F&sort=$s&count=5&page=2&rating=1,2,3,4,5"
	expect "rating=1,2,3,4,5 is no filter (sort=$s, by page)" 200 "$plain"
	req GET "/reviews?product_id=$F&sort=$s&count=5&cursor="
	plain=$BODY tok=$(jq -r .next_cursor <<<"$BODY")
	req GET "/reviews?product_id=$F&sort=$s&count=5&cursor=&rating=5,4,3,2,1"
	expect "rating=5,4,3,2,1 is no filter (sort=$s, by cursor)" 200 "$plain"
	req GET "/reviews?product_id=$F&sort=$s&count=5&cursor=$tok&rating=1,2,3,4,5"
	expect_jq "a token of no filter pages rating=1,2,3,4,5 on (sort=$s)" '[.results[].reviewer_name]' \
		"$(model_views "$s" "" "" 5 5 | jq -c 'map(.reviewer_name)')"
done
# The same set of ratings in another order is the same filter.
req GET "/reviews?product_id=$F&sort=newest&count=2&cursor=&rating=4,5"
tok=$(jq -r .next_cursor <<<"$BODY")
req GET "/reviews?product_id=$F&sort=newest&count=2&cursor=$tok&rating=5,4"
expect "a token of rating=4,5 pages rating=5,4 on" 200 \
	"{\"product\":\"$F\",\"count\":2,\"results\":$(model_views newest 4,5 "" 2 2),\"next_cursor\":$(jq -c .next_cursor <<<"$BODY")}"
# count may change from one page to the next: the position is the token's.
req GET "/reviews?product_id=$F&sort=helpful&count=2&cursor="
tok=$(jq -r .next_cursor <<<"$BODY")
req GET "/reviews?product_id=$F&sort=helpful&count=5&cursor=$tok"
expect_jq "another count on the next page: the next five" '[.results[].reviewer_name]' \
	"$(model_views helpful "" "" 2 5 | jq -c 'map(.reviewer_name)')"
req GET "/reviews?product_id=$F&sort=rating_asc&count=1000&cursor="
expect "cursor with count=1000: everything, next_cursor null" 200 \
	"{\"product\":\"$F\",\"count\":1000,\"results\":$(model_views rating_asc "" "" 0 1000),\"next_cursor\":null}"
req GET "/reviews?product_id=$F&sort=rating_desc&rating=4%2C5&has_photos=tru%65&count=10"
expect "percent-encoded comma and letter decoded" 200 \
	"{\"product\":\"$F\",\"page\":0,\"count\":10,\"results\":$(model_views rating_desc 4,5 true 0 10)}"
req GET "/reviews?product_id=1999999999&sort=rating_asc&rating=3&has_photos=false&cursor="
expect "cursor on an unknown product: empty, next_cursor null" 200 \
	'{"product":"1999999999","count":5,"results":[],"next_cursor":null}'

# Bad values: 400 naming the field, nothing written.
req GET "/reviews?product_id=$F&count=2&cursor="
tok=$(jq -r .next_cursor <<<"$BODY")
before=$(snapshot)
# One curl for all (expect_error's curl, jq and greps for each were most of
# this file's time), each checked as expect_error does.
cat >"$TMP/badq" <<ROWS
rating=|rating
rating=0|rating
rating=6|rating
rating=4,4|rating
rating=4,|rating
rating=,4|rating
rating=45|rating
rating=4;5|rating
rating=4+5|rating
rating=4%2C%2C5|rating
rating=1,2,3,4,5,1|rating
rating=-1|rating
rating=4&rating=5|rating
has_photos=|has_photos
has_photos=TRUE|has_photos
has_photos=1|has_photos
has_photos=yes|has_photos
has_photos=true&has_photos=true|has_photos
sort=RATING_DESC|sort
sort=rating|sort
sort=rating_desc+|sort
cursor=&page=1|cursor
page=1&cursor=|cursor
page=2&cursor=$tok|cursor
cursor=&cursor=|cursor
cursor=&count=0|count
cursor=&count=1001|count
ROWS
bulk_new
: >"$TMP/badq.cfg"
k=0
while IFS='|' read -r qs field; do
	k=$((k + 1))
	bulk_add "$TMP/badq.cfg" "q$k" GET "/reviews?product_id=$F&$qs"
done <"$TMP/badq"
bulk_run "$TMP/badq.cfg"
k=0
while IFS='|' read -r qs field; do
	k=$((k + 1))
	bulk_got "q$k"
	if [ "$CODE" = 400 ] && [[ "$GOT" =~ ^\{\"error\":\"$field\ [^\"]+\"\}$ ]] && [[ "$CTYPE" == application/json* ]]; then
		ok "list rejects ?...&$qs: 400 naming $field"
	else
		bad "list rejects ?...&$qs: $CODE $CTYPE $GOT (want 400 naming $field)"
	fi
done <"$TMP/badq"
[ "$(snapshot)" = "$before" ] && ok "rejected lists wrote nothing" || bad "rejected lists changed data"

# The cache: a filtered or cursor answer read twice is the same bytes and
# ETag, the second from the cache (the host's summed /metrics); after each
# kind of write the next read of the same URL, through any worker of this
# host, is the new answer.
# fresh NAME PATH WANT: six reads on fresh connections (any worker): all WANT.
fresh() {
	local i stale=0 pids=""
	for i in $(seq 1 6); do
		req GET "$2" -H 'Connection: close'
		[ "$STATUS" = 200 ] && [ "$BODY" = "$3" ] || stale=$((stale + 1))
		[[ " $pids " == *" $(header X-Worker-Pid) "* ]] || pids+=" $(header X-Worker-Pid)"
	done
	[ "$stale" = 0 ] && ok "$1 (6 reads, workers$pids)" || bad "$1: $stale of 6 reads not the new answer; last $STATUS $BODY"$'\n'"want $3"
}
U1="/reviews?product_id=$F&sort=newest&rating=5,1&has_photos=true&count=2"
req GET "/reviews?product_id=$F&sort=rating_asc&count=3&cursor="
U2="/reviews?product_id=$F&sort=rating_asc&count=3&cursor=$(jq -r .next_cursor <<<"$BODY")"
U3="/reviews?product_id=$F&sort=helpful&rating=4&cursor="
U4="/reviews?product_id=$F&sort=rating_desc&has_photos=false&count=3&cursor="
for u in "$U1" "$U2" "$U3" "$U4"; do
	req GET "$u"
	body=$BODY tag=$(header ETag)
	hits=$(metric reviews_cache_hits_total) misses=$(metric reviews_cache_misses_total)
	req GET "$u"
	if [ "$STATUS" = 200 ] && [ "$BODY" = "$body" ] && [ "$(header ETag)" = "$tag" ] &&
	   [ "$(metric reviews_cache_hits_total)" = $((hits + 1)) ] && [ "$(metric reviews_cache_misses_total)" = "$misses" ]; then
		ok "read twice, the same bytes and ETag, the second from the cache: ${u#*\?}"
	else
		bad "read twice: ${u#*\?}: $STATUS $(header ETag) (was $tag), hits $hits -> $(metric reviews_cache_hits_total), misses $misses -> $(metric reviews_cache_misses_total)"
	fi
done
# next_cursor PATH: the token a read of PATH answers (opaque: the one
# thing of a cursor answer the model cannot say), as JSON.
next_cursor() { req GET "$1"; jq -c .next_cursor <<<"$BODY"; }
fresh "cursor page 2 before any write" "$U2" \
	"{\"product\":\"$F\",\"count\":3,\"results\":$(model_views rating_asc "" "" 3 3),\"next_cursor\":$(next_cursor "$U2")}"

# A POST with a photo, rating 5: first in U1 (newest, 5 or 1 stars, with
# photos); U4 (without photos) is the same as before.
req GET "$U4"
u4=$BODY
post "$(GOOD_PRODUCT=$F good '.rating = 5 | .photos = ["https://img.example/new-1.jpg"]')"
NEWR=$(jq -r .review_id <<<"$BODY")
[ "$STATUS" = 201 ] && ok "post a review of $F with a photo" || bad "post: $STATUS $BODY"
req GET "$U1"
expect_jq "after the post, its filtered list starts with it (the cached answer was dropped)" \
	'[.results[].review_id, .results[0].photos[0].url]' "[$NEWR,$(jq -c '.[0].review_id' <<<"$(model_views newest 1,5 true 0 1)"),\"https://img.example/new-1.jpg\"]"
fresh "after the post, has_photos=false is the same as before" "$U4" "$u4"
post "$(GOOD_PRODUCT=$F good '.rating = 5 | .photos = []')"
NEWR2=$(jq -r .review_id <<<"$BODY")
req GET "$U4"
expect_jq "after a post without photos, has_photos=false starts with it" '[.results[].review_id][0]' "$NEWR2"

# Two helpful votes for f4: first among the four stars in helpful order
# (3 votes against f12's 1), by cursor.
f4=$(jq '.[] | select(.name == "f4") | .id' "$TMP/model.json")
req PUT "/reviews/$f4/helpful"
req PUT "/reviews/$f4/helpful"
[ "$STATUS" = 204 ] && ok "two helpful votes for f4" || bad "helpful: $STATUS"
jq "map(if .name == \"f4\" then .helpfulness += 2 else . end)" "$TMP/model.json" >"$TMP/m2" && mv "$TMP/m2" "$TMP/model.json"
[ "$(model_list helpful 4 "")" = "f4 f12 f5" ] || bad "model after the votes: $(model_list helpful 4 "")"
fresh "after the votes, helpful rating=4 by cursor has f4 first" "$U3" \
	"{\"product\":\"$F\",\"count\":5,\"results\":$(model_views helpful 4 "" 0 5),\"next_cursor\":null}"

# Report f11 (on the cached cursor page 2 of rating_asc): the same token's
# page now skips it and takes the next.
f11=$(jq '.[] | select(.name == "f11") | .id' "$TMP/model.json")
req PUT "/reviews/$f11/report"
[ "$STATUS" = 204 ] && ok "report f11" || bad "report: $STATUS"
jq 'map(if .name == "f11" then .reported = true else . end)' "$TMP/model.json" >"$TMP/m2" && mv "$TMP/m2" "$TMP/model.json"
fresh "after the report, the same cursor's page skips f11" "$U2" \
	"{\"product\":\"$F\",\"count\":3,\"results\":$(model_views rating_asc "" "" 3 3),\"next_cursor\":$(next_cursor "$U2")}"
[ "$(jq -c '[.results[].reviewer_name]' <<<"$BODY")" = '["f7","f6","f5"]' ] && ok "page 2 of rating_asc is f7 f6 f5 now" ||
	bad "page 2 after the report: $BODY"

verify_aggregates "verify: every aggregate matches the raw rows"
done_testing
