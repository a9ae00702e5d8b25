#!/usr/bin/env bash
# tests/faults-load.sh: faults under read load, with numbers.  wrk (2
# threads, FAULT_CONNS=8 connections, tests/faults-load.lua: every request
# a read that reaches the database) runs for a few seconds while
#
#   reload   NGINX is reloaded three times: no request fails
#   kill     a worker is SIGKILLed, twice: multiwatch replaces it, NGINX
#            retries on another worker the reads it had in hand (reads
#            only: fastcgi_next_upstream), no request fails.  NGINX passes
#            a read on only to another server of its upstream (or after a
#            kept-alive connection failed): an upstream of one server
#            loses the read a killed worker held on a new connection (502)
#   supervise  the pool's multiwatch is SIGKILLed, then the listener: the
#            supervisor (spawn/pool) starts a new pool within 2 s and stops
#            the orphaned workers, starts a new listener within 2 s, and no
#            read fails
#   restart  PostgreSQL is stopped and started again: reads get 503 while
#            it is down, all of them 200 again within 2 s after it is back,
#            and no worker was restarted
#
# Each phase prints a numbers line "faults-load PHASE: ...".  Needs
# BASE_URL, DATABASE_URL, POOL_PIDFILE, WORKERS and the commands
# NGINX_RELOAD, PG_STOP and PG_START; NGINX_LOG (NGINX's error log) and
# PG_LOG (PostgreSQL's) are optional; FAULT_PHASES picks phases (default
# "reload kill restart").  Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${POOL_PIDFILE:?}" "${WORKERS:?}" "${NGINX_RELOAD:?}" "${PG_STOP:?}" "${PG_START:?}"
LUA=$(cd "$(dirname "$0")" && pwd)/faults-load.lua
CONNS=${FAULT_CONNS:-8}
PHASES=${FAULT_PHASES:-reload kill supervise restart}

# wrk_start NAME SECONDS [VAR=VALUE...]: wrk in the background (pid in
# WRK), its output in $TMP/NAME.wrk.  Every run asks for product ids of
# its own, so no answer comes from the response cache.
base=1700000000
wrk_start() {
	local name=$1 secs=$2
	shift 2
	base=$((base + 50000000))
	env FAULT_BASE=$base "$@" wrk -t2 -c"$CONNS" -d"${secs}s" --timeout 10s \
		-s "$LUA" "$BASE" >"$TMP/$name.wrk" 2>&1 &
	WRK=$!
}

# wrk_loop NAME: wrk runs of 2 s, one after the other, until the file
# $TMP/NAME.stop exists (pid in WRK; every run's output appended to
# $TMP/NAME.wrk): load for as long as a fault takes, however slow.
wrk_loop() {
	local name=$1
	base=$((base + 50000000))
	rm -f "$TMP/$name.stop"
	: >"$TMP/$name.wrk"
	(
		k=0
		until [ -e "$TMP/$name.stop" ] || [ $k -ge 60 ]; do
			FAULT_BASE=$((base + k * 2000000)) wrk -t2 -c"$CONNS" -d2s --timeout 10s \
				-s "$LUA" "$BASE" >>"$TMP/$name.wrk" 2>&1
			k=$((k + 1))
		done
	) &
	WRK=$!
}

# wrk_result NAME: wait for wrk, then set from its output (summed over its
# runs) REQ, OK, S503, OTHER, SOCK, SENT, FAILED, FIRST_BAD, LAST_BAD and
# LAST_OK (ms since the epoch), and STATUSES (", statuses CODE:N,..." of
# the non-2xx, or empty).  The script's counts, cross-checked with wrk's
# own summary lines ("Non-2xx or 3xx responses: N", "Socket errors:
# connect N, read N, write N, timeout N"): the larger count wins.
wrk_result() {
	local out=$TMP/$1.wrk non2xx wsock
	touch "$TMP/$1.stop"
	wait "$WRK"
	if ! grep -q '^FAULTLOAD ' "$out"; then
		bad "$1: wrk gave no result: $(tail -5 "$out" | tr '\n' ' ')"
		REQ=0 OK=0 S503=0 OTHER=0 SOCK=0 SENT=0 FAILED=1 FIRST_BAD=0 LAST_BAD=0 LAST_OK=0
		STATUSES=
		return 1
	fi
	read -r REQ OK S503 OTHER SOCK FIRST_BAD LAST_BAD LAST_OK STATUSES < <(awk '
		/^FAULTLOAD / {
			for (i = 2; i <= NF; i++) {
				eq = index($i, "=")
				v[substr($i, 1, eq - 1)] = substr($i, eq + 1)
			}
			req += v["requests"]; ok += v["s2xx"]; s503 += v["s503"]
			other += v["sother"]; sock += v["sock_errors"]
			f = v["first_bad_ms"] + 0; l = v["last_bad_ms"] + 0; o = v["last_ok_ms"] + 0
			if (f > 0 && (fb == 0 || f < fb)) fb = f
			if (l > lb) lb = l
			if (o > lo) lo = o
			n = split(v["statuses"], parts, ",")
			for (j = 1; j <= n; j++) {
				split(parts[j], cn, ":")
				if (!(cn[1] in codes)) order[++nc] = cn[1]
				codes[cn[1]] += cn[2]
			}
		}
		END {
			st = ""
			for (j = 1; j <= nc; j++) st = st (j > 1 ? "," : "") order[j] ":" codes[order[j]]
			printf "%.0f %.0f %.0f %.0f %.0f %.0f %.0f %.0f %s\n",
				req, ok, s503, other, sock, fb, lb, lo, st
		}' "$out")
	STATUSES=${STATUSES:+, statuses $STATUSES}
	non2xx=$(sed -nE 's/^ *Non-2xx or 3xx responses: *([0-9]+).*/\1/p' "$out" |
		awk '{n += $1} END {print n + 0}')
	wsock=$(sed -nE 's/^ *Socket errors: *connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+).*/\1 \2 \3 \4/p' "$out" |
		awk '{n += $1 + $2 + $3 + $4} END {print n + 0}')
	[ "$wsock" -gt "$SOCK" ] && SOCK=$wsock
	[ "$non2xx" -gt $((S503 + OTHER)) ] && OTHER=$((non2xx - S503))
	SENT=$((REQ + SOCK))
	FAILED=$((S503 + OTHER + SOCK))
}

# NGINX's error-log lines about its upstream since mark_log (how many
# reads NGINX had to take elsewhere), when NGINX_LOG is given.
mark_log() { LOG_MARK=$( [ -n "${NGINX_LOG:-}" ] && wc -l <"$NGINX_LOG" || echo 0); }
upstream_errors() {
	[ -n "${NGINX_LOG:-}" ] || { echo "?"; return; }
	tail -n +"$((LOG_MARK + 1))" "$NGINX_LOG" | grep -c 'upstream' || true
}

command -v wrk >/dev/null || bad "wrk is not installed (apt-get install -y wrk): no load to run"
req GET /healthz
expect "healthz before" 200 '{"status":"ok"}'
[ "$(nworkers)" = "$WORKERS" ] && ok "the pool runs $WORKERS workers" ||
	bad "the pool runs $(nworkers) workers, want $WORKERS"

# 1. NGINX reloaded under load.  wrk opens a connection per request here:
# a reload closes the old NGINX workers' idle kept-alive client
# connections, and a request racing that close fails on the client's side
# (the keep-alive race every HTTP client retries: RFC 9112, 9.3.1).  The
# same with kept-alive connections is measured too, for the record.
reload_run() {	# reload_run NAME [VAR=VALUE...]: 6 s of load, 3 reloads
	local name=$1 i
	shift
	wrk_start "$name" 6 "$@"
	RELOADS=0
	for i in 1 2 3; do
		sleep 1.2
		$NGINX_RELOAD 2>/dev/null && RELOADS=$((RELOADS + 1))
	done
	wrk_result "$name"
}
phase_reload() {
	reload_run reload FAULT_CLOSE=1
	note "faults-load reload: $SENT requests sent, $FAILED failed ($S503 + $OTHER non-2xx, $SOCK socket errors), $RELOADS NGINX reloads, a new connection per request$STATUSES"
	[ "$RELOADS" = 3 ] && ok "NGINX reloaded 3 times under load" || bad "only $RELOADS of 3 reloads worked"
	[ "$REQ" -gt 0 ] && [ "$FAILED" = 0 ] &&
		ok "reload under load: all $REQ requests 200, no socket errors" ||
		bad "reload under load: $FAILED of $SENT requests failed ($S503 + $OTHER non-2xx, $SOCK socket errors)"
	reload_run reload-keepalive
	note "faults-load reload, kept-alive connections: $SENT requests sent, $((S503 + OTHER)) non-2xx, $SOCK socket errors (not checked: requests that met a kept-alive connection an old NGINX worker closed)$STATUSES"
	[ "$REQ" -gt 0 ] && [ $((S503 + OTHER)) = 0 ] &&
		ok "reload with kept-alive connections: all $REQ answers 200" ||
		bad "reload with kept-alive connections: $((S503 + OTHER)) non-2xx answers"
}

# 2. A worker SIGKILLed under load, twice.  Replacement: the new worker's
# pid is there (ms after the kill), and its database connection is (its
# statements are prepared: it serves).
phase_kill() {
	local before after round victim t0 t0s pid_ms conn_ms kills=0 replaced=0 times=""
	before=$(workers)
	mark_log
	wrk_start kill 8
	for round in 1 2; do
		sleep 1.5
		victim=$(pgrep -P "$(cat "$POOL_PIDFILE")" | shuf -n 1)
		[ -n "$victim" ] || continue
		t0=$(now_ms)
		t0s=$(date -u -d "@$((t0 / 1000)).$(printf '%03d' $((t0 % 1000)))" '+%Y-%m-%d %H:%M:%S.%3N+00')
		kill -KILL "$victim" || continue
		kills=$((kills + 1))
		pid_ms= conn_ms=
		for _ in $(seq 1 300); do
			if [ -z "$pid_ms" ] && ! workers | grep -qw "$victim" &&
			   [ "$(nworkers)" = "$WORKERS" ]; then
				pid_ms=$(($(now_ms) - t0))
			fi
			if [ -n "$pid_ms" ] && [ "$(sql "SELECT count(*) FROM pg_stat_activity
			    WHERE application_name = 'reviews-fcgi' AND backend_start > '$t0s'")" -ge 1 ]; then
				conn_ms=$(($(now_ms) - t0))
				break
			fi
			sleep 0.05
		done
		[ -n "$conn_ms" ] && replaced=$((replaced + 1))
		times+="${times:+; }pid $victim: new worker after ${pid_ms:-?} ms, connected after ${conn_ms:-?} ms"
	done
	wrk_result kill
	after=$(workers)
	note "faults-load kill: $SENT requests sent, $FAILED failed ($S503 + $OTHER non-2xx, $SOCK socket errors), $kills workers SIGKILLed ($times), $(upstream_errors) upstream errors in NGINX's log$STATUSES"
	[ "$kills" = 2 ] && [ "$replaced" = 2 ] && ok "2 workers SIGKILLed, both replaced and connected" ||
		bad "$kills workers killed, $replaced replaced within 15 s ($times)"
	[ "$(nworkers)" = "$WORKERS" ] && [ "$after" != "$before" ] &&
		ok "the pool has $WORKERS workers again, new pids ($before-> $after)" ||
		bad "the pool: $before-> $after, want $WORKERS workers with new pids"
	[ "$REQ" -gt 0 ] && [ "$FAILED" = 0 ] &&
		ok "SIGKILL under load: all $REQ reads 200 (NGINX retried what the dead worker held)" ||
		bad "SIGKILL under load: $FAILED of $SENT reads failed ($S503 + $OTHER non-2xx, $SOCK socket errors$STATUSES): NGINX passes a failed read on only to another server of the upstream, or when the failed connection was a kept-alive one"
	# The replacements serve, each one itself (X-Worker-Pid).
	every_worker_serves "after the kills" 1690000000
}

# 2b. The supervisors supervised: multiwatch, then the listener, SIGKILLed
# under load.
phase_supervise() {
	local sup old_mw new_mw= old_lis new_lis= t0 mw_ms= lis_ms= orphans=
	sup=$(cat "$POOL_PIDFILE.supervisor")
	old_mw=$(cat "$POOL_PIDFILE")
	old_lis=$(pgrep -g "$sup" -x reviews-listen | head -1)
	wrk_start supervise 7
	sleep 1.5
	t0=$(now_ms)
	kill -KILL "$old_mw"
	for _ in $(seq 1 100); do
		new_mw=$(cat "$POOL_PIDFILE" 2>/dev/null)
		if [ -n "$new_mw" ] && [ "$new_mw" != "$old_mw" ] && [ "$(nworkers)" = "$WORKERS" ]; then
			mw_ms=$(($(now_ms) - t0)); break
		fi
		sleep 0.02
	done
	# The orphans: workers of the supervisor's group whose multiwatch is gone.
	for _ in $(seq 1 100); do
		orphans=$(for w in $(pgrep -g "$sup" -f 'reviews-fcgi'); do
			[ "$(ps -o ppid= -p "$w" | tr -d ' ')" = "$new_mw" ] || [ "$w" = "$new_mw" ] || echo "$w"
		done | grep -vx "$sup" | tr '\n' ' ')
		[ -z "${orphans// }" ] && break
		sleep 0.05
	done
	sleep 1.5
	t0=$(now_ms)
	kill -KILL "$old_lis"
	for _ in $(seq 1 100); do
		new_lis=$(pgrep -g "$sup" -x reviews-listen | head -1)
		if [ -n "$new_lis" ] && [ "$new_lis" != "$old_lis" ]; then
			lis_ms=$(($(now_ms) - t0)); break
		fi
		sleep 0.02
	done
	wrk_result supervise
	echo "faults-load supervise: $SENT requests sent, $FAILED failed$STATUSES; multiwatch $old_mw SIGKILLed: a new pool ($new_mw, $(nworkers) workers) after ${mw_ms:-never} ms, orphans left: ${orphans:-none}; listener $old_lis SIGKILLed: a new one ($new_lis) after ${lis_ms:-never} ms"
	[ -n "$mw_ms" ] && [ "$mw_ms" -le 2000 ] && ok "a SIGKILLed multiwatch is replaced within 2 s ($mw_ms ms)" ||
		bad "multiwatch not replaced within 2 s (${mw_ms:-never})"
	[ -z "${orphans// }" ] && ok "its orphaned workers were stopped" || bad "orphaned workers still run: $orphans"
	[ -n "$lis_ms" ] && [ "$lis_ms" -le 2000 ] && ok "a SIGKILLed listener is replaced within 2 s ($lis_ms ms)" ||
		bad "listener not replaced within 2 s (${lis_ms:-never})"
	[ "$REQ" -gt 0 ] && [ "$FAILED" = 0 ] && ok "supervisors killed under load: all $REQ reads 200" ||
		bad "supervisors killed under load: $FAILED of $SENT reads failed$STATUSES"
}

# 3. PostgreSQL stopped and started under load.  Recovery: from the moment
# the database accepts connections again to the last failed read.  That
# moment is the server's own "ready to accept connections" line in PG_LOG
# (its log, when given: exact to the ms), else when pg_isready, polled
# every 20 ms, first succeeded (late by a process start or more on a busy
# machine).
pg_ready_ms() {	# pg_ready_ms LINE: time of the first "ready" line after LINE of PG_LOG
	local ts
	ts=$(tail -n +"$(($1 + 1))" "$PG_LOG" | grep -m1 'ready to accept connections' |
		grep -oE '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+ [A-Z]+')
	[ -n "$ts" ] && date -d "$ts" +%s%3N
}
phase_restart() {
	local before t_stop t_back poller recovery mark=0 how="pg_isready" t_log when
	before=$(workers)
	[ -n "${PG_LOG:-}" ] && mark=$(wc -l <"$PG_LOG")
	wrk_loop restart
	sleep 1.5
	t_stop=$(now_ms)
	$PG_STOP
	(
		for _ in $(seq 1 1500); do
			pg_isready -q -d "$DB" 2>/dev/null && break
			sleep 0.02
		done
		now_ms >"$TMP/back"
	) &
	poller=$!
	sleep 1
	$PG_START
	wait "$poller"
	t_back=$(cat "$TMP/back")
	if [ -n "${PG_LOG:-}" ] && t_log=$(pg_ready_ms "$mark"); then
		t_back=$t_log how="its log"
	fi
	# Load goes on for 3 s after the database is back (recovery must fit
	# in 2 s), then stops at the end of the current run.
	sleep "$(awk -v ms=$((t_back + 3000 - $(now_ms))) 'BEGIN {print (ms > 0 ? ms / 1000 : 0)}')"
	wrk_result restart
	recovery=$((LAST_BAD - t_back))
	if [ "$recovery" -ge 0 ]; then
		when="every read 200 again $recovery ms after it was ready ($how)"
	else
		when="every read 200 again as it was ready ($how; the last 503 $((-recovery)) ms before)"
		recovery=0
	fi
	note "faults-load restart: $SENT requests sent, $S503 answered 503 (the first $((FIRST_BAD - t_stop)) ms after the stop began), $OTHER other non-2xx, $SOCK socket errors; database down $((t_back - t_stop)) ms; $when$STATUSES"
	[ "$S503" -gt 0 ] && [ "$OTHER" = 0 ] && [ "$SOCK" = 0 ] &&
		ok "database down under load: $S503 reads answered 503 with Retry-After, nothing else failed" ||
		bad "database down under load: $S503 503s, $OTHER other non-2xx (or 503 without Retry-After), $SOCK socket errors"
	[ "$S503" -gt 0 ] && [ "$LAST_OK" -gt "$LAST_BAD" ] && [ "$recovery" -le 2000 ] &&
		ok "database back: every read 200 again within $recovery ms" ||
		bad "database back: a failure $recovery ms after it was ready (want <= 2000; last 200 at $LAST_OK, last failure at $LAST_BAD)"
	[ "$(workers)" = "$before" ] && ok "no worker was restarted" || bad "workers changed: $before-> $(workers)"
	every_worker_serves "database back" 1695000000
}

for p in $PHASES; do
	case $p in
	reload | kill | supervise | restart) note "faults-load: phase $p (wrk at $CONNS connections)"; "phase_$p" ;;
	*) bad "no phase $p" ;;
	esac
done

done_testing
