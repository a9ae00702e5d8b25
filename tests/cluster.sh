#!/usr/bin/env bash
# tests/cluster.sh: the three-app-host topology of `spawn/stack up --servers
# 3` under load.  Checks the hosts and where requests go, how long a write
# takes to reach the other hosts' caches, losing a host (its workers
# stopped, then its link cut) while wrk reads and a client posts with
# Idempotency-Keys, and changing worker counts under load.  Also how
# every host's cache follows writes on the others (Part 1's and Part 2's
# answers; the merchant's removes, restores, responses and an erasure),
# through faults of the listener's path.  Needs BASE_URL, DATABASE_URL,
# STACK_DIR and STACKCTL (tests/stackctl) of the running stack and
# ACCESS_LOG (NGINX's access log, format "upstream" of nginx.conf.in).
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${STACKCTL:?}" "${ACCESS_LOG:?}" "${STACK_DIR:?}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN="cluster-$$-$(date +%s)"
ctl() { $STACKCTL "$@"; }

# --- the topology -------------------------------------------------------

. "$(dirname "$0")/hosts.sh"
[ "${hosts[*]}" = "app1 app2 app3" ] && ok "three app hosts: ${hosts[*]}" ||
	bad "hosts: '${hosts[*]}', want app1 app2 app3"
for h in "${hosts[@]}"; do
	ns=$(ctl netns_of "$h")
	if ip netns exec "$ns" ss -Htln | grep -q " ${addr[$h]} "; then
		ok "$h: its pool listens on ${addr[$h]} in namespace $ns"
	else
		bad "$h: nothing listens on ${addr[$h]} in $ns"
	fi
done
db_ip=$(ctl netns_ip db)
n=$(ip netns exec "$(ctl netns_of db)" ss -Htn state established "( sport = :$(sql 'SHOW port') )" | wc -l)
[ "$n" -ge 1 ] && ok "workers reach PostgreSQL on the database host ($db_ip, $n connections)" ||
	bad "no TCP connection to PostgreSQL on $db_ip"

# Round robin: 30 reads reach every host.
mark=$(now_ms)
for i in $(seq 1 30); do req GET "/reviews/meta?product_id=$i"; done
sleep 0.3
seen=$(awk -v t="$mark" '$1 * 1000 >= t {print $5}' "$ACCESS_LOG" | sort -u | tr '\n' ' ')
all=1
for h in "${hosts[@]}"; do [[ " $seen " == *" ${addr[$h]} "* ]] || all=0; done
[ $all = 1 ] && ok "reads are spread over every host ($seen)" || bad "reads reached only: $seen"

# --- a write, seen by every host's cache -----------------------------------
# Each host keeps answers for minutes (CACHE_TTL_MS); a write bumps its own
# host's generation before it answers, and the others' through the
# database (NOTIFY -> reviews-listen).  Hosts are read directly, each over
# FastCGI (fcgi in tests/hosts.sh), so every one of them is asked after
# every write.
# fresh_delay HOST PRODUCT BEFORE T_ACK: poll HOST's newest list of
# PRODUCT until it differs from BEFORE.  Prints "STALE FRESH": the ms from
# T_ACK (the write's answer) to the send of the last read that still got
# BEFORE (0: none did) and to the send of the first that did not, or
# "stale" after 1 s.  A read's answer is made after it was sent, so a
# stale answer proves the host stale at least STALE ms after the write;
# FRESH bounds it from above (it includes the probe's own time).
# every_host_fresh PRODUCT BEFORE T_ACK: the same on every host at once;
# prints the largest of each.
fresh_delay() {
	local h=$1 p=$2 before=$3 t_ack=$4 t_req stale=0
	while :; do
		t_req=$(now_ms)
		[ $((t_req - t_ack)) -gt 1000 ] && { echo stale; return; }
		if [ "$(fcgi "$h" GET /reviews "product_id=$p&sort=newest&count=3")" != "$before" ]; then
			echo "$stale $((t_req - t_ack))"; return
		fi
		stale=$((t_req - t_ack))
	done
}
every_host_fresh() {
	local h s f ws=0 wf=0
	for h in "${hosts[@]}"; do fresh_delay "$h" "$1" "$2" "$3" >"$TMP/fresh.$h" & done
	wait
	for h in "${hosts[@]}"; do
		read -r s f <"$TMP/fresh.$h"
		[ "$s" = stale ] && { echo stale; return; }
		[ "$s" -gt "$ws" ] && ws=$s
		[ "$f" -gt "$wf" ] && wf=$f
	done
	echo "$ws $wf"
}
# 20 products of this run's own, three reviews each: every third write is
# a report, and at most one in three writes to a product, so none runs out.
cbase=$((1960000000 + ($$ % 10000) * 100))
mapfile -t cprods < <(seq "$cbase" $((cbase + 19)))
seed_products "${cprods[@]}"
# What one probe costs (a cgi-fcgi process and its answer): every delay
# below includes it.
t0=$(now_ms)
for _ in $(seq 1 20); do fcgi app1 GET /reviews "product_id=${cprods[0]}&sort=newest&count=3" >/dev/null; done
probe=$(( ($(now_ms) - t0) / 20 ))
for p in "${cprods[@]}"; do
	for h in "${hosts[@]}"; do fcgi "$h" GET /reviews "product_id=$p&sort=newest&count=3" >/dev/null; done
done
hits0=$(metric_of app1 reviews_cache_hits_total)
declare -a delays=() fresh_by=()
nstale=0
for w in $(seq 0 209); do
	p=${cprods[$((w % ${#cprods[@]}))]}
	before=$(list_of app1 "$p")
	top=$(jq -r '.results[0].review_id // empty' <<<"$before")
	case $((w % 3)) in
	0) post "$(jq -cn --arg r "$RUN" --argjson p "$p" --argjson w "$w" '{product_id: $p, rating: 4, body: ("exact " + $r + " " + ($w|tostring) + " " + ("x" * 40)),
		summary: "exact", recommend: true, name: "e", email: "e@example.com"}')" ;;
	1) req PUT "/reviews/$top/helpful" ;;
	2) req PUT "/reviews/$top/report" ;;
	esac
	t_ack=$(now_ms)
	case $STATUS in 201|204) ;; *) bad "write $w: $STATUS $BODY"; continue ;; esac
	read -r d f < <(every_host_fresh "$p" "$before" "$t_ack")
	if [ "$d" = stale ]; then nstale=$((nstale + 1)); d=1000 f=1000; fi
	delays+=("$d") fresh_by+=("$f")
done
pct() { sort -n | awk '{a[NR] = $1} END {print a[int(NR * 0.5 + 0.5)], a[int(NR * 0.99 + 0.5)], a[NR]}'; }
read -r p50 p99 dmax < <(printf '%s\n' "${delays[@]}" | pct)
read -r f50 f99 fmax < <(printf '%s\n' "${fresh_by[@]}" | pct)
hits1=$(metric_of app1 reviews_cache_hits_total)
echo "numbers: ${#delays[@]} writes (posts, helpful votes, reports), each read back on every host at once: the last stale answer anywhere came to a read sent p50 $p50 ms, p99 $p99 ms, max $dmax ms after the write's answer; every host had answered fresh to a read sent by p50 $f50 ms, p99 $f99 ms, max $fmax ms (one probe costs $probe ms here); app1 served $((hits1 - hits0)) of those reads from its cache"
[ ${#delays[@]} -ge 200 ] && [ "$nstale" = 0 ] && [ "$dmax" -le 100 ] &&
	ok "no host answers stale 100 ms after a write on any host (latest stale answer: $dmax ms, over ${#delays[@]} writes)" ||
	bad "cross-host freshness: a stale answer $dmax ms after a write, $nstale reads still stale after 1 s, ${#delays[@]} writes"
[ $((hits1 - hits0)) -gt 100 ] && ok "the reads between writes came from app1's cache ($((hits1 - hits0)) hits)" ||
	bad "app1's cache served only $((hits1 - hits0)) reads: is it listening?"

# --- Part 2's answers follow writes on every host too ----------------------
# A filtered list, a cursor's first page and a batch meta with stats are
# cached like the rest: after a write through the load balancer, each
# host's next answer of each is fresh within the same bound.  Every post
# of these products is a 4 without photos, newer than the seeded 1..3s, so
# the newest review tops both lists and each write changes both; helpful
# votes change no meta, so the batch is read back after posts and reports.
part2_queries() {	# part2_queries PRODUCT: "PATH QUERY" lines
	echo "/reviews product_id=$1&sort=newest&rating=4,5&has_photos=false&count=3"
	echo "/reviews product_id=$1&sort=rating_desc&rating=4&cursor=&count=2"
	echo "/reviews/meta product_ids=$1,${cprods[0]}&stats=true"
}
# await_fresh T_ACK [SKIP]: ask every host each of qs ("PATH QUERY"
# lines) until its answer differs from was[HOST.I], its answer before the
# write answered at T_ACK (SKIP: the index of a query the write does not
# change).  Counts the reads in fresh_n and those still stale after 1 s
# in fresh_stale; fresh_worst: the most ms from T_ACK to the send of a
# read that still got the old answer.  now[HOST.I]: the fresh answer.
fresh_worst=0 fresh_stale=0 fresh_n=0
declare -A was=() now=()
await_fresh() {
	local t_ack=$1 skip=${2:--1} h i t_req stale b
	now=()
	for h in "${hosts[@]}"; do
		for i in "${!qs[@]}"; do
			[ "$i" = "$skip" ] && continue
			stale=0
			while :; do
				t_req=$(now_ms)
				[ $((t_req - t_ack)) -gt 1000 ] && { fresh_stale=$((fresh_stale + 1)); stale=1000; break; }
				b=$(fcgi "$h" GET ${qs[$i]})
				[ "$b" != "${was[$h.$i]}" ] && { now[$h.$i]=$b; break; }
				stale=$((t_req - t_ack))
			done
			[ "$stale" -gt "$fresh_worst" ] && fresh_worst=$stale
			fresh_n=$((fresh_n + 1))
		done
	done
}
warm() {	# warm: each host's answers to qs cached, and kept in was
	local h i
	was=()
	for h in "${hosts[@]}"; do
		for i in "${!qs[@]}"; do
			fcgi "$h" GET ${qs[$i]} >/dev/null
			was[$h.$i]=$(fcgi "$h" GET ${qs[$i]})
		done
	done
}
for w in $(seq 0 29); do
	p=${cprods[$((1 + w % (${#cprods[@]} - 1)))]}
	mapfile -t qs < <(part2_queries "$p")
	warm
	top=$(jq -r '.results[0].review_id // empty' <<<"${was[app1.0]}")
	kind=$((w % 3))
	[ -z "$top" ] && kind=0
	case $kind in
	0) post "$(jq -cn --arg r "$RUN" --argjson p "$p" --argjson w "$w" '{product_id: $p, rating: 4, body: ("part2 " + $r + " " + ($w|tostring) + " " + ("y" * 40)),
		summary: "part2", recommend: true, name: "p", email: "p@example.com"}')" ;;
	1) req PUT "/reviews/$top/helpful" ;;
	2) req PUT "/reviews/$top/report" ;;
	esac
	t_ack=$(now_ms)
	case $STATUS in 201|204) ;; *) bad "part 2 write $w: $STATUS $BODY"; continue ;; esac
	# A helpful vote changes no meta.
	if [ "$kind" = 1 ]; then await_fresh "$t_ack" 2; else await_fresh "$t_ack"; fi
done
echo "numbers: Part 2 answers (filtered list, cursor page, batch meta with stats): $fresh_n read back on every host after 30 writes; the latest stale answer came $fresh_worst ms after its write"
[ "$fresh_stale" = 0 ] && [ "$fresh_worst" -le 100 ] &&
	ok "filtered lists, cursor pages and batch meta are fresh on every host within 100 ms of a write (worst $fresh_worst ms over $fresh_n reads)" ||
	bad "Part 2 answers: $fresh_stale still stale after 1 s, worst $fresh_worst ms"

# --- the merchant's writes follow on every host ----------------------------
# Through the load balancer, with a token of the stack's: a review removed,
# restored and answered, each write read back on every host (its list and
# its meta with stats) within the same bound; after the restore, every
# host answers exactly what it answered before the remove.  Then an
# erasure: no answer any host gives, of every kind cached on every host
# before it, holds a review of the erased reviewer.
TOKEN=$(env -u DATABASE_URL "$ROOT/spawn/stack" admin-token cluster 2>"$TMP/token.err")
[[ "$TOKEN" =~ ^[A-Za-z0-9_-]{40,}$ ]] || bail_out "spawn/stack admin-token: $(tr '\n' ' ' <"$TMP/token.err")"
AUTH=(-H "Authorization: Bearer $TOKEN")
fresh_worst=0 fresh_stale=0 fresh_n=0 restored_ok=1 mod_bad=
for r in $(seq 1 8); do
	p=${cprods[$r]}
	qs=("/reviews product_id=$p&sort=newest&count=3" "/reviews/meta product_id=$p&stats=true")
	warm
	declare -A orig=()
	for k in "${!was[@]}"; do orig[$k]=${was[$k]}; done
	t=$(jq -r '.results[0].review_id // empty' <<<"${was[app1.0]}")
	[ -n "$t" ] || { bad "no published review of product $p"; continue; }
	for w in remove restore response; do
		case $w in
		response) req PUT "/admin/reviews/$t/response" "${AUTH[@]}" -H 'Content-Type: application/json' \
			--data-binary "{\"response\":\"Thank you, $RUN $r\"}" ;;
		*) req PUT "/admin/reviews/$t/$w" "${AUTH[@]}" ;;
		esac
		t_ack=$(now_ms)
		[ "$STATUS" = 204 ] || { mod_bad+=" $w $t: $STATUS $BODY"; continue; }
		# A response is in the list only.
		if [ "$w" = response ]; then await_fresh "$t_ack" 1; else await_fresh "$t_ack"; fi
		if [ "$w" = restore ]; then
			for k in "${!orig[@]}"; do [ "${now[$k]:-}" = "${orig[$k]}" ] || restored_ok=0; done
		fi
		for k in "${!now[@]}"; do was[$k]=${now[$k]}; done
	done
	unset orig
done
echo "numbers: the merchant's writes (8 removes, restores and responses): $fresh_n answers read back on every host; the latest stale answer came $fresh_worst ms after its write"
[ -z "$mod_bad" ] && ok "every remove, restore and response answered 204" || bad "merchant's writes:$mod_bad"
[ "$fresh_stale" = 0 ] && [ "$fresh_worst" -le 100 ] &&
	ok "removes, restores and responses are in every host's lists and meta within 100 ms (worst $fresh_worst ms over $fresh_n reads)" ||
	bad "merchant's writes: $fresh_stale answers still stale after 1 s, worst $fresh_worst ms"
[ "$restored_ok" = 1 ] && ok "a restored review: every host answers its list and meta exactly as before the remove" ||
	bad "after a restore, a host's list or meta differs from before the remove"

E="cluster-erase-$RUN@example.com" p=${cprods[10]} p2=${cprods[11]}
ids=()
for q in "$p 5" "$p 1" "$p2 3"; do
	read -r pp rating <<<"$q"
	post "$(jq -cn --arg r "$RUN" --arg e "$E" --argjson p "$pp" --argjson k "$rating" '{product_id: $p, rating: $k, body: ("erase " + $r + " " + ("z" * 40)),
		summary: "erase me", recommend: false, name: "x", email: $e, photos: ["https://img.example/erase.jpg"]}')"
	[ "$STATUS" = 201 ] && ids+=("$(jq -r .review_id <<<"$BODY")") || bad "posting the erased reviewer's review: $STATUS $BODY"
done
qs=()
for s in newest helpful relevant rating_desc rating_asc; do qs+=("/reviews product_id=$p&sort=$s&count=100"); done
qs+=("/reviews product_id=$p&sort=newest&rating=1,5&has_photos=true&count=5"
	"/reviews product_id=$p&sort=newest&cursor=&count=1"
	"/reviews product_id=$p2&sort=relevant&count=100"
	"/reviews/meta product_id=$p&stats=true"
	"/reviews/meta product_ids=$p,$p2&stats=true")
warm
held=0
for k in "${!was[@]}"; do
	for id in "${ids[@]}"; do grep -q "\"review_id\":$id[,}]" <<<"${was[$k]}" && held=$((held + 1)); done
done
fresh_worst=0 fresh_stale=0 fresh_n=0
req POST /admin/reviewers/erase "${AUTH[@]}" -H 'Content-Type: application/json' --data-binary "{\"email\":\"$E\"}"
t_ack=$(now_ms)
[ "$STATUS $BODY" = '200 {"deleted":3}' ] && ok "the erasure through the load balancer: {\"deleted\":3}" || bad "erasure: $STATUS $BODY"
await_fresh "$t_ack"
left=0
for h in "${hosts[@]}"; do
	for i in "${!qs[@]}"; do
		b=$(fcgi "$h" GET ${qs[$i]})
		for id in "${ids[@]}"; do grep -q "\"review_id\":$id[,}]" <<<"$b" && left=$((left + 1)); done
	done
done
echo "numbers: an erasure: ${#qs[@]} answers on each host held its reviews $held times before; after it, the latest stale answer came $fresh_worst ms after it"
# Held before: on each host, five sorts with both reviews of p, the
# filtered list with both, the cursor page with the newest, p2's list.
[ "$held" = $((3 * (5 * 2 + 2 + 1 + 1))) ] && [ "$fresh_stale" = 0 ] && [ "$fresh_worst" -le 100 ] && [ "$left" = 0 ] &&
	ok "an erasure: every cached answer of every host (lists of each sort, filtered, cursor, meta, batch meta) fresh within 100 ms (worst $fresh_worst ms), none holds an erased review" ||
	bad "an erasure: $held held before, $fresh_stale stale after 1 s, worst $fresh_worst ms, $left answers still hold an erased review"

# The same body has the same ETag on every host.
tags=$(for h in "${hosts[@]}"; do fcgi_head "$h" /reviews/meta "product_id=${cprods[0]}" | sed -n 's/^ETag: //p'; done | sort -u | wc -l)
[ "$tags" = 1 ] && ok "one ETag for one body on every host" || bad "$tags different ETags for one body"

# Faults of the listener's path: never a stale answer past the bound.  Each
# fault is made on app1, then app2 takes a helpful vote and app1 is read.
listener_pid() {	# the reviews-listen of HOST's current pool
	pgrep -g "$(cat "$(ctl pool_pidfile "$1" "$(ctl host_slot "$1")").supervisor")" -x reviews-listen | head -1
}
kill_listener() { kill -KILL "$(listener_pid app1)"; }
cut_listener() {
	sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'reviews-listen'
	     AND client_addr = '$(ctl netns_ip app1)'" >/dev/null
}
restart_pg() { ctl pg_down >/dev/null 2>&1; ctl pg_up >/dev/null 2>&1; }
fault_reads() {	# fault_reads NAME FAULT: 10 writes on app2 right after FAULT
	local name=$1 fault=$2 worst=0 d k p top before st t_ack old_lis
	old_lis=$(listener_pid app1)
	$fault
	for k in $(seq 1 10); do
		p=${cprods[$k]}
		before=$(list_of app1 "$p")
		top=$(jq -r '.results[0].review_id // empty' <<<"$before" 2>/dev/null)
		[ -n "$top" ] || { bad "$name: no review of product $p to vote on: $before"; return; }
		for _ in $(seq 1 100); do
			st=$(env -i REQUEST_METHOD=PUT REQUEST_PATH="/reviews/$top/helpful" cgi-fcgi -bind -connect "${addr[app2]}" 2>/dev/null | sed -n 's/^Status: \([0-9]*\).*/\1/p')
			[ "$st" = 204 ] && break
			sleep 0.1
		done
		t_ack=$(now_ms)
		[ "$st" = 204 ] || { bad "$name: the vote on app2 answered $st"; return; }
		read -r d _ < <(fresh_delay app1 "$p" "$before" "$t_ack")
		[ "$d" = stale ] && d=1000
		[ "$d" -gt "$worst" ] && worst=$d
	done
	echo "numbers: $name: app1's latest stale answer came $worst ms after one of 10 writes on app2 (0: none was stale)"
	[ "$worst" -le 100 ] && ok "$name: app1 never served a stale answer (worst $worst ms)" ||
		bad "$name: app1 stale $worst ms after a write on app2"
	for _ in $(seq 1 40); do
		[ -n "$(listener_pid app1)" ] && [ "$(metric_of app1 reviews_cache_listening)" = 1 ] && break
		sleep 0.1
	done
	[ -n "$(listener_pid app1)" ] && [ "$(metric_of app1 reviews_cache_listening)" = 1 ] &&
		ok "$name: app1 listens again (listener $old_lis -> $(listener_pid app1))" ||
		bad "$name: app1 is not listening 4 s later"
}
fault_reads "listener killed" kill_listener
fault_reads "listener's connection cut" cut_listener
fault_reads "PostgreSQL restarted" restart_pg

# --- losing a host ----------------------------------------------------------
# wrk reads while a client posts with Idempotency-Keys (retrying each post
# with its key until it gets a 201).  After 2 s host app2 goes away
# (FAULT); 2 s later it comes back (MEND); the load goes on until app2
# serves reads again (or 15 s).  Then: no read failed, every post exists
# exactly once, and app2 rejoined by itself.
PRODUCT_MAX=$(sql "SELECT max(product_id) FROM product_meta")
export PRODUCT_MAX PRODUCT_MIN=1
lose() {	# lose NAME FAULT MEND
	local name=$1 fault=$2 mend=$3 w=$TMP/wrk.$1 line t_fault t_down t_back rejoin= k ok_posts tries
	timeout -k 5 60 wrk -t1 -c8 -d40s --timeout 20s \
		-s "$ROOT/tests/load/reviews.lua" "$BASE" >"$w" 2>&1 &
	local wrk_pid=$!
	(
		for k in $(seq 1 40); do
			key="$RUN-$name-$k"
			b=$(jq -cn --arg r "$key" '{product_id: 1, rating: 5, body: ("loss " + $r + " " + ("y" * 40)),
				summary: "loss", recommend: true, name: "l", email: "l@example.com"}')
			for t in $(seq 1 100); do
				st=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' \
					-H "Idempotency-Key: $key" --data-binary "$b" "$BASE/reviews")
				echo "$key $st"
				[ "$st" = 201 ] && break
				sleep 0.2
			done
			sleep 0.1
		done
	) >"$TMP/posts.$name" &
	local posts_pid=$!
	sleep 2
	t_fault=$(now_ms)
	$fault
	t_down=$(($(now_ms) - t_fault))
	sleep 2
	$mend
	t_back=$(now_ms)
	for _ in $(seq 1 150); do
		rejoin=$(awk -v t="$t_back" -v a="${addr[app2]}" '$1 * 1000 >= t && $5 == a && $2 == 200 {print int($1 * 1000 - t); exit}' "$ACCESS_LOG")
		[ -n "$rejoin" ] && break
		sleep 0.1
	done
	sleep 1
	kill -INT "$wrk_pid" 2>/dev/null
	wait "$wrk_pid"
	wait "$posts_pid"
	line=$(grep '^BENCH' "$w")
	get() { sed -nE "s/.* $1=([0-9.]+).*/\1/p" <<<"$line"; }
	tries=$(wc -l <"$TMP/posts.$name")
	ok_posts=$(grep -c ' 201$' "$TMP/posts.$name")
	echo "numbers: $name: app2 down in $t_down ms; wrk sent $(get requests) reads, $(get non2xx) failed responses, $(get sock_errors) socket errors, p99 $(get p99_ms) ms, max $(get max_ms) ms; $tries post attempts for 40 posts ($ok_posts answered 201); app2 served again ${rejoin:-never} ms after it came back"
	if [ -z "$line" ]; then
		bad "$name: wrk gave no result: $(tail -3 "$w")"
	elif [ "$(get non2xx)" = 0 ] && [ "$(get sock_errors)" = 0 ] && [ "$(get requests)" -gt 0 ]; then
		ok "$name: no read failed ($(get requests) reads)"
	else
		bad "$name: $(get non2xx) failed responses, $(get sock_errors) socket errors"
	fi
	[ "$ok_posts" = 40 ] && ok "$name: every post answered 201 in the end" || bad "$name: $ok_posts of 40 posts answered 201"
	k=$(sql "SELECT count(*), count(DISTINCT body) FROM reviews WHERE body LIKE 'loss $RUN-$name-%'")
	[ "$k" = "40|40" ] && ok "$name: every post exists exactly once" || bad "$name: reviews (all|distinct) $k, want 40|40"
	[ -n "$rejoin" ] && ok "$name: app2 rejoined by itself after $rejoin ms" || bad "$name: app2 did not serve again within 15 s"
}
stop_app2() { ctl pool_down app2; }
start_app2() { ctl pool_up app2; }
cut_app2() { ctl netns_link app2 down; }
plug_app2() { ctl netns_link app2 up; }
# app2's multiwatch SIGKILLed: its supervisor stops the orphaned workers
# and starts the pool again by itself (nothing to mend).
kill_mw_app2() { kill -KILL "$(cat "$(ctl pool_pidfile app2 "$(ctl host_slot app2)")")"; }
by_itself() { :; }
lose workers-stopped stop_app2 start_app2
lose link-cut cut_app2 plug_app2
lose multiwatch-killed kill_mw_app2 by_itself

# --- scaling under load ---------------------------------------------------
# curl keeps its connections alive and, as browsers and k6 do, sends a
# request again on a fresh connection when a kept-alive one was closed
# before any answer (NGINX's graceful reload closes idle connections).
# wrk does not: its counts beside are for the record.
urls=$TMP/scale.urls
for i in $(seq 1 6000); do
	printf 'url = "%s/reviews?product_id=%d&count=5"\nwrite-out = "%%{http_code}\\n"\noutput = "/dev/null"\n' "$BASE" $((1 + i % 500))
done >"$urls"
curl -s --parallel --parallel-max 8 -K "$urls" >"$TMP/scale.codes" 2>/dev/null &
cpid=$!
timeout -k 5 40 wrk -t1 -c8 -d8s --timeout 20s -s "$ROOT/tests/load/reviews.lua" "$BASE" >"$TMP/wrk.scale" 2>&1 &
wpid=$!
keepalive_ok=1
for step in "app1 8" "app3 2" "app1 3" "app3 4"; do
	sleep 1
	set -- $step
	ctl pool_scale "$1" "$2" >/dev/null 2>"$TMP/scale.err" || bad "scale $step: $(cat "$TMP/scale.err")"
	got=$(pgrep -P "$(cat "$(ctl pool_pidfile "$1" "$(ctl host_slot "$1")")")" | wc -l)
	[ "$got" = "$2" ] && ok "scale $1 to $2: $got workers" || bad "scale $1 to $2: $got workers"
	# DESIGN.md's trap: the kept-alive connections of all NGINX workers
	# must pin fewer workers than the smallest pool has.
	ka=$(sed -nE 's/^\s*keepalive ([0-9]+);/\1/p' "$STACK_DIR/nginx/upstream.conf")
	nw=$(sed -nE 's/^worker_processes ([0-9]+);/\1/p' "$STACK_DIR/nginx/nginx.conf")
	min=$(ctl host_min_workers)
	[ $(( ${ka:-0} * nw )) -lt "$min" ] || keepalive_ok=0
done
wait "$cpid"
wait "$wpid"
[ $keepalive_ok = 1 ] && ok "keepalive x NGINX workers stayed below the smallest pool at every step" ||
	bad "keepalive sizing unsafe at some step"
sent=$(wc -l <"$TMP/scale.codes")
failed=$(grep -vc '^200$' "$TMP/scale.codes")
line=$(grep '^BENCH' "$TMP/wrk.scale")
echo "numbers: scaling: curl sent $sent reads, $failed failed; wrk $(sed -nE 's/.* requests=([0-9]+).* non2xx=([0-9]+).* sock_read=([0-9]+).*/sent \1, \2 failed responses, \3 kept-alive connections closed under it/p' <<<"$line")"
[ "$sent" = 6000 ] && [ "$failed" = 0 ] && ok "scaling under load: $sent reads, none failed" ||
	bad "scaling under load: $failed of $sent reads failed"
[ -n "$line" ] && [ "$(sed -nE 's/.* non2xx=([0-9]+).*/\1/p' <<<"$line")" = 0 ] &&
	ok "scaling under load: wrk saw no failed response" || bad "scaling: wrk $line"

done_testing
