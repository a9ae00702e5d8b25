# spawn/hosts.sh: the app hosts of a stack and their worker pools (sourced
# by spawn/lib.sh).
#
# A stack has one app host "local" (its pool on a Unix socket beside
# NGINX) or app hosts app1..appN (network namespaces, pools on TCP; see
# spawn/netns.sh).  $RUN_DIR/hosts/HOST records a host's pool as
# "SLOT WORKERS".  Each host has two pool addresses, slots a and b: to
# change a worker count the new pool starts in the free slot, NGINX moves
# to it by a graceful reload, and only then the old pool stops.

APP_PORT=${APP_PORT:-9000}	# slot a; slot b listens on APP_PORT + 1

# stack_hosts: the hosts this stack runs, in order (none before `up`).
stack_hosts() {
	[ -d "$RUN_DIR/hosts" ] && ls "$RUN_DIR/hosts" | sort -V
}

# servers_count: how many app hosts in namespaces (0: the local host).
servers_count() {
	stack_hosts | grep -c '^app' || true
}

# host_slot HOST / host_workers HOST: from the host's record.
host_slot() { cut -d' ' -f1 "$RUN_DIR/hosts/$1"; }
host_workers() { cut -d' ' -f2 "$RUN_DIR/hosts/$1"; }

# host_addr HOST SLOT: where that pool listens, as NGINX's server names it.
host_addr() {
	local port=$APP_PORT sock=$RUN_DIR/reviews.sock
	[ "$2" = b ] && port=$((APP_PORT + 1)) sock=$RUN_DIR/reviews-b.sock
	if [ "$1" = local ]; then
		echo "unix:$sock"
	else
		echo "$(host_ip "$1"):$port"
	fi
}

# pool_pidfile HOST SLOT.  The local host's first slot keeps the name the
# suites and spawn/bench know.
pool_pidfile() {
	if [ "$1" = local ] && [ "$2" = a ]; then
		echo "$RUN_DIR/pool.pid"
	else
		echo "$RUN_DIR/pool-$1-$2.pid"
	fi
}

pool_running() {	# pool_running HOST SLOT
	"$ROOT/spawn/pool" status --pidfile "$(pool_pidfile "$1" "$2")" >/dev/null 2>&1
}

# pool_start HOST SLOT N: start that pool and record it as the host's.
# Workers run a copy of the binary in STACK_DIR: reachable by $RUN_AS, and
# a rebuild never changes the program under a running pool.  Each host has
# its own response cache in /dev/shm, as separate machines would; both
# slots of a host share it.
pool_start() {
	local host=$1 slot=$2 n=$3 addr cache db=$DB_URL ns=
	addr=$(host_addr "$host" "$slot")
	cache=/dev/shm/reviews-$(printf '%s' "$RUN_DIR" | md5sum | cut -c1-8)-$host.cache
	mkdir -p "$RUN_DIR/hosts" "$LOG_DIR" "$STACK_DIR/bin"
	if [ -z "$(pool_pids)" ]; then
		install -m 0755 "$BUILD_DIR/src/api/reviews-fcgi" "$BIN"
		install -m 0755 "$BUILD_DIR/src/listen/reviews-listen" "$LISTEN_BIN"
	fi
	if ! pool_running "$host" a && ! pool_running "$host" b; then
		rm -f "$cache"	# a host's first pool starts with an empty cache
	fi
	if [ -n "$RUN_AS" ] && ! runuser -u "$RUN_AS" -- test -x "$BIN"; then
		die "$BIN is not reachable by user $RUN_AS: set STACK_DIR to a directory every user can traverse"
	fi
	if [ "$host" != local ]; then
		ns=$(netns_of "$host")
		db="host=$DB_IP port=$STACK_PGPORT dbname=reviews user=reviews"
	fi
	local where=(--socket "${addr#unix:}")
	[ "$host" = local ] || where=(--listen "$addr")
	${ns:+ip netns exec "$ns"} env DATABASE_URL="$db" REVIEWS_CACHE="$cache" \
		REVIEWS_CACHE_MB="${CACHE_MB:-256}" REVIEWS_CACHE_TTL_MS="${CACHE_TTL_MS:-300000}" \
		"$ROOT/spawn/pool" start --pidfile "$(pool_pidfile "$host" "$slot")" \
		--bin "$BIN" "${where[@]}" --workers "$n" \
		${RUN_AS:+--user "$RUN_AS"} --log "$LOG_DIR/workers-$host.log" \
		${WORKER_WRAPPER:+--wrapper "$WORKER_WRAPPER"} --listener "$LISTEN_BIN"
	echo "$slot $n" >"$RUN_DIR/hosts/$host"
}

pool_stop() {	# pool_stop HOST SLOT
	"$ROOT/spawn/pool" stop --pidfile "$(pool_pidfile "$1" "$2")"
}

# pool_up [HOSTS...]: every host's recorded pool, started if it is down; a
# stack without hosts gets the local one with WORKERS workers.
pool_up() {
	local h
	[ -n "$(stack_hosts)" ] || { mkdir -p "$RUN_DIR/hosts"; echo "a $WORKERS" >"$RUN_DIR/hosts/local"; }
	for h in ${*:-$(stack_hosts)}; do
		pool_running "$h" "$(host_slot "$h")" ||
			pool_start "$h" "$(host_slot "$h")" "$(host_workers "$h")"
	done
}

# pool_down [HOSTS...]: stop every pool of those hosts (default: all).
pool_down() {
	local h s
	for h in ${*:-$(stack_hosts)}; do
		for s in a b; do pool_stop "$h" "$s"; done
	done
}

# pool_pids: multiwatch pids of every running pool of the stack.
pool_pids() {
	local h s f
	for h in $(stack_hosts); do
		for s in a b; do
			f=$(pool_pidfile "$h" "$s")
			[ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
		done
	done
	return 0
}

# pool_scale HOST N: change a host's worker count without a failed request.
# The new pool starts in the free slot; NGINX is re-rendered (keepalive
# sized from the new smallest pool) and reloaded; once the old NGINX
# workers have finished their requests and closed their kept-alive
# connections, the old pool stops.
pool_scale() {
	local host=$1 n=$2 old new
	[ -f "$RUN_DIR/hosts/$host" ] || die "no host $host (hosts: $(stack_hosts | tr '\n' ' '))"
	case $n in ''|*[!0-9]*|0) die "worker count must be a positive integer" ;; esac
	old=$(host_slot "$host")
	new=a; [ "$old" = a ] && new=b
	pool_stop "$host" "$new"	# a leftover of an interrupted scale
	pool_start "$host" "$new" "$n"
	nginx_render
	nginx_up
	nginx_settle
	pool_stop "$host" "$old"
	say "$host: $n workers ($(host_addr "$host" "$new"))"
}

# nginx_servers: the upstream's server lines, one per host's current pool.
# A server that fails is skipped for fail_timeout, then tried again: a host
# that comes back rejoins by itself.  The single local pool is listed twice
# and never marked failed: NGINX passes a failed read on only to another
# server line (a worker SIGKILLed mid-request would otherwise cost that
# read), and a 503 while the database is away must not take the only pool
# out ("no live upstreams").
nginx_servers() {
	local h a
	for h in $(stack_hosts); do
		a=$(host_addr "$h" "$(host_slot "$h")")
		if [ "$h" = local ]; then
			printf '\tserver %s max_fails=0;\n' "$a" "$a"
		else
			printf '\tserver %s max_fails=1 fail_timeout=%s;\n' "$a" "${FAIL_TIMEOUT:-2s}"
		fi
	done
}

# smallest_pool: the fewest workers any host has (keepalive sizing).
smallest_pool() {
	local h m=
	for h in $(stack_hosts); do
		[ -z "$m" ] || [ "$(host_workers "$h")" -lt "$m" ] && m=$(host_workers "$h")
	done
	echo "${m:-$WORKERS}"
}
