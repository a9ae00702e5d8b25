#!/usr/bin/env bash
# tests/cluster.sh: the three-app-host topology of `spawn/stack up --servers
# 3` under load.  Checks the hosts and where requests go, how long a write
# takes to reach the other hosts' caches, losing a host (its workers
# stopped, then its link cut) while wrk reads and a client posts with
# Idempotency-Keys, and changing worker counts under load.  Needs BASE_URL,
# DATABASE_URL, STACK_DIR and STACKCTL (tests/stackctl) of the running
# stack, ACCESS_LOG
# (NGINX's access log, format "upstream" of nginx.conf.in) and
# CACHE_TTL_MS.  Ends with "cluster: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${STACKCTL:?}" "${ACCESS_LOG:?}" "${CACHE_TTL_MS:?}" "${STACK_DIR:?}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN="cluster-$$-$(date +%s)"
ctl() { $STACKCTL "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# --- the topology -------------------------------------------------------

mapfile -t hosts < <(ctl host_list)
[ "${hosts[*]}" = "app1 app2 app3" ] && ok "three app hosts: ${hosts[*]}" ||
	bad "hosts: '${hosts[*]}', want app1 app2 app3"
declare -A addr
for h in "${hosts[@]}"; do
	addr[$h]=$(ctl host_addr "$h" "$(ctl host_slot "$h")")
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

# --- a write, seen by the other hosts' caches -----------------------------
# Each host caches answers for CACHE_TTL_MS; a write clears its own host's
# entries at once (tests/e2e.sh proves that), the others' within the TTL.
pid=$(sql "SELECT min(product_id) FROM product_meta WHERE rating_1 + rating_2 + rating_3 + rating_4 + rating_5 > 0")
for i in $(seq 1 9); do req GET "/reviews/meta?product_id=$pid"; done
before=$(jq -c '.ratings' <<<"$BODY")
body=$(jq -cn --arg r "$RUN" --argjson p "$pid" '{product_id: $p, rating: 1, body: ("cache " + $r + " " + ("x" * 40)),
	summary: "cache", recommend: false, name: "c", email: "c@example.com"}')
post "$body"
t_write=$(now_ms)
[ "$STATUS" = 201 ] || bad "post for the cache check: $STATUS $BODY"
stale_last=0 fresh=0
# A read counts from when it was sent: its answer was made after that.
while [ $(($(now_ms) - t_write)) -lt $((CACHE_TTL_MS + 1500)) ]; do
	t_req=$(now_ms)
	req GET "/reviews/meta?product_id=$pid"
	if [ "$(jq -c '.ratings' <<<"$BODY")" = "$before" ]; then
		stale_last=$((t_req - t_write)); fresh=0
	else
		fresh=$((fresh + 1))
	fi
	sleep 0.02
done
echo "numbers: a write reached every host's cache after at most ${stale_last} ms (TTL ${CACHE_TTL_MS} ms)"
[ "$stale_last" -le $((CACHE_TTL_MS + 50)) ] && [ $fresh -ge 9 ] &&
	ok "other hosts serve the write within the cache TTL (last stale read after $stale_last ms)" ||
	bad "stale reads until $stale_last ms after the write (TTL $CACHE_TTL_MS ms), $fresh fresh at the end"

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
lose workers-stopped stop_app2 start_app2
lose link-cut cut_app2 plug_app2

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

echo "cluster: $pass passed, $fail failed"
[ $fail -eq 0 ]
