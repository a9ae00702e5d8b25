#!/usr/bin/env bash
# tests/faults.sh: the database goes away and comes back, then the pool goes
# away.  Meanwhile the service answers 503/502 as JSON with Retry-After, and
# it recovers without restarting a worker.  Needs BASE_URL, DATABASE_URL,
# POOL_PIDFILE and the commands PG_STOP, PG_START and POOL_STOP.  Speaks
# TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${PG_STOP:?}" "${PG_START:?}" "${POOL_STOP:?}" "${POOL_PIDFILE:?}"

# The database stops: every endpoint says 503 and when to retry.  (Reads
# the response cache holds may still be served from it, within its TTL:
# these ask for products no one asked for before.)
req GET /healthz
expect "healthz before" 200 '{"status":"ok"}'
before=$(workers)
note "faults: PostgreSQL stopped"
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
note "faults: PostgreSQL started again"
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
# Each worker of the pool (X-Worker-Pid) answers a read that reaches the
# database: each one reconnected by itself.
every_worker_serves "every worker reconnected by itself" 1600000010
[ -n "$before" ] && [ "$(workers)" = "$before" ] && ok "no worker was restarted" || bad "workers changed: $before -> $(workers)"

# The pool stops: NGINX's own 502, as JSON.
note "faults: the pool stopped"
$POOL_STOP
req GET "/reviews?product_id=1600000100"
expect_error "pool gone: NGINX answers 502 as JSON" 502 "retry"
[ "$(header Retry-After)" = 1 ] && ok "502 carries Retry-After" || bad "502 Retry-After '$(header Retry-After)'"

done_testing
