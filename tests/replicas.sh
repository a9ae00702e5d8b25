#!/usr/bin/env bash
# tests/replicas.sh: the namespace topology with a streaming standby
# (`spawn/stack up --servers 3 --standbys 1`).  Checks the standby and the
# encrypted links; that no host ever answers from a standby that has not
# replayed the latest acknowledged write of what it is asked about (replay
# paused on the standby while every kind of write goes on); faults under
# wrk with keyed posts (the standby stopped and started, the primary
# stopped and started) with a report of requests sent, failed and moved
# and the times to recover; the connection limit; and, last, promotion of
# the standby.  Needs BASE_URL, DATABASE_URL, STACK_DIR and STACKCTL.  Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${STACKCTL:?}" "${STACK_DIR:?}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RUN="replicas-$$-$(date +%s)"
ctl() { $STACKCTL "$@"; }
. "$(dirname "$0")/hosts.sh"

PGPORT_=$(ctl eval 'echo $STACK_PGPORT')
# The primary and the standby (db and db2 at first; swapped by each run's
# promotion at the end, which the test stack keeps).
PR=$(ctl eval 'echo $PG_HOST')
SB=$(ctl standby_hosts | head -1)
TLS=$(ctl eval 'echo $TLS_DIR')
HTTPS=$(ctl eval 'echo $HTTPS_PORT')
su_on() {	# su_on HOST SQL: as the superuser on database host HOST
	psql -X -q -tA -v ON_ERROR_STOP=1 -d "host=$(ctl pg_sock "$1") port=$PGPORT_ user=postgres dbname=reviews" -c "$2"
}
sum_metric() {	# sum_metric NAME: summed over the app hosts
	local h t=0 v
	for h in "${hosts[@]}"; do v=$(metric_of "$h" "$1"); t=$(awk -v a="$t" -v b="${v:-0}" 'BEGIN {print a + b}'); done
	echo "$t"
}
reads_standby() { sum_metric 'reviews_db_reads_total{database="standby"}'; }
reads_primary() { sum_metric 'reviews_db_reads_total{database="primary"}'; }
moved_behind() { sum_metric 'reviews_db_reads_moved_total{reason="behind"}'; }
moved_down() { sum_metric 'reviews_db_reads_moved_total{reason="unavailable"}'; }
unconfirmed() { sum_metric 'reviews_db_reads_total{database="standby_unconfirmed"}'; }

# --- the standby and the links ------------------------------------------

[ "$(su_on "$SB" 'SELECT pg_is_in_recovery()')" = t ] && ok "$SB is a hot standby (in recovery, answering reads)" ||
	bad "$SB is not in recovery"
row=$(sql "SELECT s.state, l.ssl, r.slot_name, r.active FROM pg_stat_replication s JOIN pg_stat_ssl l USING (pid)
	JOIN pg_replication_slots r ON r.active_pid = s.pid WHERE s.application_name = '$SB'")
[ "$row" = "streaming|t|$SB|t" ] && ok "$SB streams from the primary over TLS through its replication slot ($row)" ||
	bad "replication of $SB: '$row', want streaming|t|$SB|t"
fb=$(su_on "$SB" "SHOW hot_standby_feedback")
[ "$fb" = on ] && ok "$SB sends hot_standby_feedback" || bad "hot_standby_feedback on $SB: $fb"
# Every worker holds a connection to each: 3 hosts x workers.
nw=0; for h in "${hosts[@]}"; do nw=$((nw + $(ctl host_workers "$h"))); done
for i in $(seq 1 50); do
	for h in "${hosts[@]}"; do for _ in 1 2 3 4 5 6; do fcgi "$h" GET /healthz >/dev/null; done; done
	p=$(sql "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl l USING (pid) WHERE application_name = 'reviews-fcgi' AND l.ssl")
	s=$(su_on "$SB" "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl l USING (pid) WHERE application_name = 'reviews-fcgi' AND l.ssl")
	[ "$p" -ge "$nw" ] && [ "$s" -ge "$nw" ] && break
	sleep 0.1
done
[ "$p" = "$nw" ] && [ "$s" = "$nw" ] &&
	ok "each of the $nw workers holds one TLS connection to the primary and one to the standby" ||
	bad "worker connections over TLS: primary $p, standby $s, want $nw each"
plain=$(sql "SELECT count(*) FROM pg_stat_activity a JOIN pg_stat_ssl l USING (pid) WHERE client_addr IS NOT NULL AND NOT l.ssl AND backend_type = 'client backend'")
[ "$plain" = 0 ] && ok "no unencrypted connection from another host" || bad "$plain connections without TLS"
# verify-full: the right name and CA pass; another name, another CA, no
# client certificate or no TLS at all are refused.
app_ns=$(ctl netns_of app1) db_ip=$(ctl netns_ip "$PR") name=$(ctl tls_name "$PR")
try() { ip netns exec "$app_ns" runuser -u nobody -- psql -X -tA -d "$1" -c 'SELECT 1' 2>&1; }
good_ci="host=$name hostaddr=$db_ip port=$PGPORT_ dbname=reviews user=reviews $(ctl tls_conninfo reviews)"
[ "$(try "$good_ci")" = 1 ] && ok "an app host connects with sslmode=verify-full and its certificate" ||
	bad "verify-full connection from app1: $(try "$good_ci")"
out=$(try "${good_ci/host=$name/host=$(ctl tls_name "$SB")}")
[[ $out == *"does not match host name"* ]] && ok "verify-full refuses a server whose certificate names another host" ||
	bad "a wrong host name was accepted: $out"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$TMP/other.key" \
	-out "$TMP/other.crt" -days 1 -subj "/CN=other CA" 2>/dev/null; chmod 0644 "$TMP/other.crt"; chmod 0755 "$TMP"
out=$(try "${good_ci/sslrootcert=$TLS\/ca.crt/sslrootcert=$TMP/other.crt}")
[[ $out == *"certificate verify failed"* ]] && ok "verify-full refuses a server certificate of another CA" ||
	bad "another CA was accepted: $out"
out=$(try "host=$name hostaddr=$db_ip port=$PGPORT_ dbname=reviews user=reviews sslmode=verify-full sslrootcert=$TLS/ca.crt")
[[ $out == *"no pg_hba.conf entry"* || $out == *"certificate"* ]] && ok "the server refuses a client without a certificate" ||
	bad "a client without certificate got in: $out"
out=$(try "host=$name hostaddr=$db_ip port=$PGPORT_ dbname=reviews user=reviews sslmode=disable")
[[ $out == *"no pg_hba.conf entry"* ]] && ok "the server refuses a connection without TLS" || bad "plain connection: $out"
b=$(curl -s --cacert "$TLS/ca.crt" "https://127.0.0.1:$HTTPS/reviews/meta?product_id=1")
[[ $b == '{"product_id":"1"'* ]] && ok "the load balancer answers HTTPS with a certificate of the stack's CA" ||
	bad "HTTPS: $b"
out=$(curl -s -o /dev/null -w '%{http_code}' "https://127.0.0.1:$HTTPS/healthz" 2>&1)
[ "$out" = 000 ] && ok "a client that does not trust the test CA is refused the HTTPS connection" ||
	bad "HTTPS without the CA answered $out"

# --- never stale, with replay paused on the standby -------------------------
# Twelve products of this run's own, three reviews each, replicated.  Then
# replay pauses on the standby (REPLICAS_PAUSE_MS, 25 s at least) and
# every kind of write goes on through the load
# balancer (posts 201, helpful votes and reports 204, a merchant's remove,
# restore and response 204): after each, every host answers its list and
# meta fresh (the writing host at once, the others within 100 ms, as
# without standbys), while the standby holds none of them.
pbase=$((1970000000 + ($$ % 10000) * 100))
mapfile -t prods < <(seq "$pbase" $((pbase + 11)))
seed_products "${prods[@]}"
for _ in $(seq 1 100); do
	[ "$(su_on "$SB" "SELECT count(*) FROM reviews WHERE body LIKE 'seed $RUN %'")" = 36 ] && break
	sleep 0.1
done
TOKEN=$(env -u DATABASE_URL "$ROOT/spawn/stack" admin-token replicas 2>"$TMP/token.err")
[[ "$TOKEN" =~ ^[A-Za-z0-9_-]{40,}$ ]] || bail_out "spawn/stack admin-token: $(tr '\n' ' ' <"$TMP/token.err")"
AUTH=(-H "Authorization: Bearer $TOKEN")
su_on "$SB" "SELECT pg_wal_replay_pause()" >/dev/null
for _ in $(seq 1 50); do [ "$(su_on "$SB" 'SELECT pg_get_wal_replay_pause_state()')" = paused ] && break; sleep 0.1; done
[ "$(su_on "$SB" 'SELECT pg_get_wal_replay_pause_state()')" = paused ] && ok "replay paused on $SB" || bad "replay not paused"
t_pause=$(now_ms)
behind0=$(moved_behind) standby0=$(reads_standby)
answers() {	# answers HOST PRODUCT: its list and meta (with stats)
	fcgi "$1" GET /reviews "product_id=$2&sort=newest&count=5"
	fcgi "$1" GET /reviews/meta "product_id=$2&stats=true"
}
# After the write (answered at T_ACK through the LB), each host until its
# answers differ from what it answered before; the worst delay to a read
# still stale, and answers still stale after 1 s, are counted.
stale_worst=0 stale_never=0 nwrites=0 nreads=0
declare -A before=()
check_write() {	# check_write PRODUCT T_ACK
	local h t stale
	for h in "${hosts[@]}"; do
		stale=0
		while :; do
			t=$(now_ms)
			[ $((t - $2)) -gt 1000 ] && { stale_never=$((stale_never + 1)); break; }
			[ "$(answers "$h" "$1")" != "${before[$h]}" ] && break
			stale=$((t - $2))
		done
		[ "$stale" -gt "$stale_worst" ] && stale_worst=$stale
		nreads=$((nreads + 2))
	done
	nwrites=$((nwrites + 1))
}
warm_all() {	# warm_all PRODUCT: each host's answers cached, kept in before
	local h
	for h in "${hosts[@]}"; do answers "$h" "$1" >/dev/null; before[$h]=$(answers "$h" "$1"); done
}
review_of() { fcgi app1 GET /reviews "product_id=$1&sort=newest&count=1" | jq -r '.results[0].review_id'; }
# Rounds of writes go on while the standby falls REPLICAS_PAUSE_MS behind
# (25 s: the check compares replay positions, not times; a longer pause,
# say REPLICAS_PAUSE_MS=180000, shows the same for minutes).
round=0
while [ $round -lt 3 ] || [ $(( $(now_ms) - t_pause )) -lt "${REPLICAS_PAUSE_MS:-25000}" ]; do
	round=$((round + 1))
	for p in "${prods[@]}"; do
		warm_all "$p"
		case $(( (round + p) % 6 )) in
		0|3) post "$(jq -cn --arg r "$RUN" --argjson p "$p" --argjson n "$round" '{product_id: $p, rating: 5, body: ("paused " + $r + " " + ($n|tostring) + " " + ("p" * 40)),
			summary: "paused", recommend: true, name: "p", email: "p@example.com", photos: ["https://example.com/p.jpg"]}')"
			want=201 ;;
		1) req PUT "/reviews/$(review_of "$p")/helpful"; want=204 ;;
		2) req PUT "/reviews/$(review_of "$p")/report"; want=204 ;;
		4) id=$(review_of "$p"); req PUT "/admin/reviews/$id/remove" "${AUTH[@]}"; want=204 ;;
		5) id=$(review_of "$p"); req PUT "/admin/reviews/$id/response" "${AUTH[@]}" -H 'Content-Type: application/json' \
			--data-binary "{\"response\":\"Thank you ($RUN $round)\"}"; want=204 ;;
		esac
		t_ack=$(now_ms)
		[ "$STATUS" = "$want" ] || { bad "write on $p answered $STATUS, want $want: $BODY"; continue; }
		check_write "$p" "$t_ack"
	done
done
# Restore what was removed: the review is back on every host.
for id in $(sql "SELECT id FROM reviews WHERE product_id BETWEEN $pbase AND $((pbase + 11)) AND removed"); do
	p=$(sql "SELECT product_id FROM reviews WHERE id = $id")
	warm_all "$p"
	req PUT "/admin/reviews/$id/restore" "${AUTH[@]}"
	t_ack=$(now_ms)
	[ "$STATUS" = 204 ] || bad "restore $id: $STATUS"
	check_write "$p" "$t_ack"
done
# The writing host at once: posts to app1 directly, read back on app1.
same_stale=0
for k in $(seq 1 10); do
	p=${prods[$((k % 12))]}
	b0=$(answers app1 "$p")
	body=$(jq -cn --arg r "$RUN" --argjson p "$p" --argjson k "$k" '{product_id: $p, rating: 2, body: ("direct " + $r + " " + ($k|tostring) + " " + ("d" * 40)),
		summary: "direct", recommend: false, name: "d", email: "d@example.com"}')
	st=$(printf '%s' "$body" | env -i REQUEST_METHOD=POST REQUEST_PATH=/reviews CONTENT_TYPE=application/json \
		CONTENT_LENGTH=${#body} cgi-fcgi -bind -connect "${addr[app1]}" 2>/dev/null | sed -n 's/^Status: \([0-9]*\).*/\1/p')
	[ "$st" = 201 ] || { bad "direct post on app1: $st"; continue; }
	[ "$(answers app1 "$p")" != "$b0" ] || same_stale=$((same_stale + 1))
done
[ "$same_stale" = 0 ] && ok "read after write on the writing host: each of 10 posts shows in the very next read" ||
	bad "$same_stale of 10 reads right after a post on the same host were stale"
lag=$(su_on "$SB" "SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())")
behind_s=$(su_on "$SB" "SELECT round(extract(epoch FROM now() - pg_last_xact_replay_timestamp()))")
n_sb=$(su_on "$SB" "SELECT count(*) FROM reviews WHERE body LIKE 'paused $RUN %' OR body LIKE 'direct $RUN %'")
n_pr=$(sql "SELECT count(*) FROM reviews WHERE body LIKE 'paused $RUN %' OR body LIKE 'direct $RUN %'")
behind=$(( $(moved_behind) - behind0 )) standby_reads=$(( $(reads_standby) - standby0 ))
echo "numbers: replay paused $(( ($(now_ms) - t_pause) / 1000 )) s: $nwrites writes, $nreads reads on 3 hosts after them; the latest stale answer came $stale_worst ms after a write; $SB holds $n_sb of the $n_pr new reviews, $lag bytes received not replayed, its last replayed commit $behind_s s old; $behind reads moved to the primary, $standby_reads answered by $SB"
[ "$nwrites" -ge 36 ] && [ "$stale_never" = 0 ] && [ "$stale_worst" -le 100 ] &&
	ok "every read after a 201, 204 or moderation write reflects it on every host within 100 ms ($nwrites writes, latest stale $stale_worst ms)" ||
	bad "stale reads: $stale_never still stale after 1 s, latest $stale_worst ms, $nwrites writes"
[ "$n_sb" = 0 ] && [ "$n_pr" -gt 10 ] && [ "$lag" -gt 0 ] &&
	ok "meanwhile $SB replayed none of it ($n_pr reviews, $lag bytes behind)" ||
	bad "$SB was not behind: $n_sb of $n_pr reviews, lag $lag"
[ "$behind" -gt 0 ] && ok "reads of the written products went to the primary ($behind moved)" || bad "no read moved: $behind"
# Products nobody wrote still read from the standby (products no host
# has cached yet, most likely: each first read is a database read).
s0=$(reads_standby)
mapfile -t others < <(sql "SELECT product_id FROM product_meta WHERE product_id < 1900000000 ORDER BY random() LIMIT 60")
for i in "${!others[@]}"; do fcgi "${hosts[$((i % 3))]}" GET /reviews/meta "product_id=${others[$i]}&stats=true" >/dev/null; done
[ $(( $(reads_standby) - s0 )) -ge 30 ] && ok "reads of products without new writes stay on $SB while it is behind ($(( $(reads_standby) - s0 )) of 60)" ||
	bad "only $(( $(reads_standby) - s0 )) of 60 untouched reads went to $SB"
m=$(metric_of app1 "reviews_db_standby_lag_bytes{standby=\"$SB\"}")
[ "${m:-0}" -gt 0 ] && ok "/metrics shows $SB's lag: $m bytes" || bad "/metrics lag of $SB: '${m:-}'"
su_on "$SB" "SELECT pg_wal_replay_resume()" >/dev/null
t_res=$(now_ms)
for _ in $(seq 1 100); do
	[ "$(su_on "$SB" "SELECT count(*) FROM reviews WHERE body LIKE 'paused $RUN %' OR body LIKE 'direct $RUN %'")" = "$n_pr" ] && break
	sleep 0.05
done
caught=$(( $(now_ms) - t_res ))
# Every cached answer dropped (as a bulk change does): the written
# products' reads are database reads again, and go to db2.
sql "NOTIFY reviews_cache, '*'" >/dev/null
sleep 0.2
b0=$(moved_behind) s0=$(reads_standby)
for p in "${prods[@]}"; do for h in "${hosts[@]}"; do answers "$h" "$p" >/dev/null; done; done
[ "$(moved_behind)" = "$b0" ] && [ $(( $(reads_standby) - s0 )) -ge 30 ] &&
	ok "replay resumed, $SB caught up in $caught ms and answers the written products again ($(( $(reads_standby) - s0 )) reads)" ||
	bad "after resuming: $(( $(moved_behind) - b0 )) reads still moved, $(( $(reads_standby) - s0 )) on $SB"

# --- faults under load --------------------------------------------------
# wrk reads through the load balancer while a client posts with
# Idempotency-Keys (each retried with its key until a 201; a 503 must
# carry Retry-After).  FAULT at 2 s, MEND 3 s later (times to recover
# count from the end of MEND); then the load goes on until it recovered
# (or 15 s).
PRODUCT_MAX=$(sql "SELECT max(product_id) FROM product_meta WHERE product_id < 1900000000")
export PRODUCT_MAX PRODUCT_MIN=1
# Recovered (BACK): "standby" once db2 answers reads again, "writes" once
# a post gets its 201 after the mend.
fault() {	# fault NAME FAULT MEND BACK
	local name=$1 w=$TMP/wrk.$1 line t_fault t_mend t_back= t_write= k tries ok_posts no_ra s0 p0 md0 mb0 wrk_pid posts_pid
	s0=$(reads_standby) p0=$(reads_primary) md0=$(moved_down) mb0=$(moved_behind) u0=$(unconfirmed)
	timeout -k 5 60 wrk -t1 -c8 -d40s --timeout 20s \
		-s "$ROOT/tests/load/reviews.lua" "$BASE" >"$w" 2>&1 &
	wrk_pid=$!
	(
		for k in $(seq 1 30); do
			key="$RUN-$name-$k"
			b=$(jq -cn --arg r "$key" '{product_id: 1, rating: 4, body: ("fault " + $r + " " + ("f" * 40)),
				summary: "fault", recommend: true, name: "f", email: "f@example.com"}')
			for t in $(seq 1 150); do
				st=$(curl -s -D "$TMP/h.$name" -o /dev/null -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' \
					-H "Idempotency-Key: $key" --data-binary "$b" "$BASE/reviews")
				ra=$(grep -ci '^retry-after:' "$TMP/h.$name")
				echo "$key $st $ra $(now_ms)"
				[ "$st" = 201 ] && break
				sleep 0.1
			done
			sleep 0.1
		done
	) >"$TMP/posts.$name" &
	posts_pid=$!
	sleep 2
	t_fault=$(now_ms)
	$2
	sleep 3
	$3
	t_mend=$(now_ms)
	local sm; sm=$(reads_standby)
	for _ in $(seq 1 150); do
		if [ "$4" = standby ]; then
			[ "$(reads_standby)" -gt "$sm" ] && { t_back=$(( $(now_ms) - t_mend )); break; }
		else
			t_back=$(awk -v t="$t_mend" '$2 == 201 && $4 >= t {print $4 - t; exit}' "$TMP/posts.$name")
			[ -n "$t_back" ] && break
		fi
		sleep 0.1
	done
	sleep 1
	kill -INT "$wrk_pid" 2>/dev/null
	wait "$wrk_pid"
	wait "$posts_pid"
	line=$(grep '^BENCH' "$w")
	get() { sed -nE "s/.* $1=([0-9.]+).*/\1/p" <<<"$line"; }
	tries=$(wc -l <"$TMP/posts.$name")
	ok_posts=$(awk '$2 == 201' "$TMP/posts.$name" | wc -l)
	no_ra=$(awk '$2 == 503 && $3 == 0' "$TMP/posts.$name" | wc -l)
	n503=$(awk '$2 == 503' "$TMP/posts.$name" | wc -l)
	t_write=$(awk -v t="$t_mend" '$2 == 201 && $4 >= t {print $4 - t; exit}' "$TMP/posts.$name")
	t_sb=$t_back; [ "$4" = standby ] || t_sb="(never stopped)"
	echo "numbers: $name: wrk sent $(get requests) reads, $(get non2xx) failed responses, $(get sock_errors) socket errors, p99 $(get p99_ms) ms; database reads: $SB $(( $(reads_standby) - s0 )), primary $(( $(reads_primary) - p0 )), moved to the primary $(( $(moved_down) - md0 )) ($SB not answering) + $(( $(moved_behind) - mb0 )) (behind), answered by $SB as it was while the primary was away $(( $(unconfirmed) - u0 )); $tries post attempts for 30 posts: $ok_posts answered 201, $n503 503; after the mend: $SB answered reads again in ${t_sb:-never} ms, the first post got its 201 in ${t_write:-never} ms"
	if [ -z "$line" ]; then
		bad "$name: wrk gave no result: $(tail -3 "$w")"
	elif [ "$(get non2xx)" = 0 ] && [ "$(get sock_errors)" = 0 ] && [ "$(get requests)" -gt 0 ]; then
		ok "$name: no read failed ($(get requests) reads)"
	else
		bad "$name: $(get non2xx) failed responses, $(get sock_errors) socket errors"
	fi
	[ "$ok_posts" = 30 ] && ok "$name: every post answered 201 in the end" || bad "$name: $ok_posts of 30 posts answered 201"
	[ "$no_ra" = 0 ] && ok "$name: every 503 ($n503) carried Retry-After" || bad "$name: $no_ra 503s without Retry-After"
	k=$(sql "SELECT count(*), count(DISTINCT body) FROM reviews WHERE body LIKE 'fault $RUN-$name-%'")
	[ "$k" = "30|30" ] && ok "$name: every post exists exactly once" || bad "$name: reviews (all|distinct) $k, want 30|30"
	if [ "$4" = standby ]; then
		[ -n "$t_back" ] && ok "$name: $SB serves reads again by itself, $t_back ms after the mend" ||
			bad "$name: $SB did not answer reads within 15 s of the mend"
	else
		[ -n "$t_back" ] && ok "$name: writes are served again by themselves, $t_back ms after the mend" ||
			bad "$name: no write succeeded within 15 s of the mend"
	fi
	FAULT_503=$n503 FAULT_UNCONFIRMED=$(( $(unconfirmed) - u0 ))
}
stop_standby() { ctl pg_stop_on "$SB" fast; }
start_standby() { ctl pg_start_on "$SB"; }
fault standby-stopped stop_standby start_standby standby
stop_primary() { ctl pg_down; }
start_primary() { ctl pg_start; }
fault primary-stopped stop_primary start_primary writes
[ "$FAULT_503" -gt 0 ] && ok "primary-stopped: writes were refused with 503 while it was down ($FAULT_503)" ||
	bad "primary-stopped: no write was refused"
[ "$FAULT_UNCONFIRMED" -gt 0 ] && ok "primary-stopped: $SB answered reads as of its last replayed commit meanwhile ($FAULT_UNCONFIRMED)" ||
	bad "primary-stopped: no read was answered by $SB alone"
verify_aggregates "after the faults"

# --- connections --------------------------------------------------------
w0=$(ctl host_workers app1) s0=$(ctl host_slot app1)
out=$(env -u DATABASE_URL "$ROOT/spawn/stack" scale app1 400 2>&1); rc=$?
[ $rc != 0 ] && [[ $out == *max_connections* ]] && [ "$(ctl host_workers app1)" = "$w0" ] &&
	[ "$(ctl host_slot app1)" = "$s0" ] && [ "$(fcgi app1 GET /healthz)" = '{"status":"ok"}' ] &&
	ok "a pool that would exceed max_connections is refused, saying what to change" ||
	bad "scale app1 400: rc $rc, $out; app1 has $(ctl host_workers app1) workers in slot $(ctl host_slot app1)"
note "$(grep -o 'would need.*' <<<"$out" | head -1)"

# --- promotion --------------------------------------------------------------
out=$(env -u DATABASE_URL "$ROOT/spawn/stack" promote "$SB" 2>&1); rc=$?
[ $rc = 0 ] && ok "spawn/stack promote $SB: $(tail -1 <<<"$out")" || bad "promote: rc $rc: $out"
[ "$(su_on "$SB" 'SELECT pg_is_in_recovery()')" = f ] && ok "$SB is the primary" || bad "$SB still in recovery"
DB="host=$(ctl pg_sock "$SB") port=$PGPORT_ dbname=reviews user=reviews"	# sql: the primary
t0=$(now_ms) st=
for _ in $(seq 1 100); do
	post "$(jq -cn --arg r "$RUN" '{product_id: 2, rating: 5, body: ("promoted " + $r + " " + ("q" * 40)),
		summary: "promoted", recommend: true, name: "q", email: "q@example.com"}')" -H "Idempotency-Key: $RUN-promoted"
	st=$STATUS
	[ "$st" = 201 ] && break
	sleep 0.1
done
[ "$st" = 201 ] && ok "writes go to $SB by themselves after the promotion (first 201 $(( $(now_ms) - t0 )) ms after)" ||
	bad "no write succeeded after the promotion: $st $BODY"
for h in "${hosts[@]}"; do
	for _ in $(seq 1 40); do [ "$(metric_of "$h" reviews_cache_listening)" = 1 ] && break; sleep 0.1; done
done
fresh=0
for h in "${hosts[@]}"; do
	[[ $(fcgi "$h" GET /reviews "product_id=2&sort=newest&count=1") == *"promoted $RUN"* ]] && fresh=$((fresh + 1))
done
[ "$fresh" = 3 ] && ok "every host reads the post made on the new primary" || bad "$fresh of 3 hosts read it"
out=$(env -u DATABASE_URL "$ROOT/spawn/stack" up --servers 3 --standbys 1 2>&1); rc=$?
[ $rc = 0 ] && [ "$(su_on "$PR" 'SELECT pg_is_in_recovery()')" = t ] &&
	ok "spawn/stack up brings the old primary back as a standby of $SB (copied anew)" ||
	bad "up after the promotion: rc $rc: $(tail -3 <<<"$out")"
[ "$(sql "SELECT state FROM pg_stat_replication WHERE application_name = '$PR'")" = streaming ] &&
	ok "$PR streams from $SB" || bad "$PR does not stream from $SB"
verify_aggregates "after the promotion"
done_testing
