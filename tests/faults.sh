#!/usr/bin/env bash
# tests/faults.sh: the database goes away and comes back, then the pool goes
# away.  Meanwhile the service answers 503/502 as JSON with Retry-After, and
# it recovers without restarting a worker.  Needs BASE_URL, DATABASE_URL,
# POOL_PIDFILE and the commands PG_STOP, PG_START and POOL_STOP.  Ends with
# "faults: N passed, N failed".
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${PG_STOP:?}" "${PG_START:?}" "${POOL_STOP:?}" "${POOL_PIDFILE:?}"
good() {
	jq -cn '{product_id: 1, rating: 4, body: ("b" * 60), recommend: true,
	    name: "zed", email: "zed@example.com"}'
}
# The pool's workers: the children of its multiwatch (not another stack's).
workers() { pgrep -P "$(cat "$POOL_PIDFILE")" | sort -n | tr '\n' ' '; }

# The database stops: every endpoint says 503 and when to retry.  (Reads
# the response cache holds may still be served from it, within its TTL:
# these ask for products no one asked for before.)
req GET /healthz
expect "healthz before" 200 '{"status":"ok"}'
before=$(workers)
$PG_STOP
req GET "/reviews?product_id=1600000001"
expect_error "database down: list answers 503" 503 "database"
[ "$(header Retry-After)" = 1 ] && ok "503 carries Retry-After" || bad "503 Retry-After '$(header Retry-After)'"
req GET "/reviews/meta?product_id=1600000002"
expect_error "database down: meta answers 503" 503 "database"
req GET /healthz
expect_error "database down: healthz 503" 503 "database"
post "$(good)"
expect_error "database down: post 503" 503 "database"
req PUT /reviews/1/helpful
expect_error "database down: helpful 503" 503 "database"

# It comes back: served again within 2 s, by the same workers.
$PG_START
t0=$(date +%s%N)
back=0
for _ in $(seq 1 50); do
	req GET "/reviews/meta?product_id=1600000003"
	[ "$STATUS" = 200 ] && { back=1; break; }
	sleep 0.1
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ $back = 1 ] && [ $ms -le 2000 ] && ok "database back: served again after ${ms} ms" ||
	bad "database back: not served within 2 s ($ms ms)"
fails=0
for i in $(seq 1 20); do
	req GET "/reviews?product_id=$((1600000010 + i))" -H 'Connection: close'
	[ "$STATUS" = 200 ] || fails=$((fails + 1))
done
[ $fails = 0 ] && ok "every worker reconnected by itself" || bad "$fails failures after the database came back"
[ -n "$before" ] && [ "$(workers)" = "$before" ] && ok "no worker was restarted" || bad "workers changed: $before -> $(workers)"

# The pool stops: NGINX's own 502, as JSON.
$POOL_STOP
req GET "/reviews?product_id=1600000100"
expect_error "pool gone: NGINX answers 502 as JSON" 502 "retry"
[ "$(header Retry-After)" = 1 ] && ok "502 carries Retry-After" || bad "502 Retry-After '$(header Retry-After)'"

echo "faults: $pass passed, $fail failed"
[ $fail -eq 0 ]
