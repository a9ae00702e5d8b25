# spawn/lib/pool.sh: each app host's worker pools, started and stopped by
# spawn/pool (sourced by spawn/lib.sh; the hosts: spawn/lib/host.sh).

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

# pool_cache_mb: room for cached answers by default, an eighth of the
# machine's memory, 64 MB to 2 GB (4 KiB an answer: 2 GB holds 524,288,
# the full data set's hot range of README's benchmark).  /dev/shm only
# spends what is filled.
pool_cache_mb() {
	awk '/^MemTotal:/ { m = int($2 / 1024 / 8); if (m > 2048) m = 2048;
		if (m < 64) m = 64; print m }' /proc/meminfo
}

# pool_cache HOST: the host's shared memory (cache and metrics) in /dev/shm.
pool_cache() {
	echo "/dev/shm/reviews-$(printf '%s' "$RUN_DIR" | md5sum | cut -c1-8)-$1.cache"
}

# pool_start HOST SLOT N: start that pool and record it as the host's.
# Workers run a copy of the binary in STACK_DIR: reachable by $RUN_AS, and
# a rebuild never changes the program under a running pool.  Each host has
# its own response cache in /dev/shm, as separate machines would; both
# slots of a host share it.
pool_start() {
	local host=$1 slot=$2 n=$3 addr cache db=$DB_URL ns=
	addr=$(host_addr "$host" "$slot")
	cache=$(pool_cache "$host")
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
	local urls read=
	if [ "$host" != local ]; then
		ns=$(netns_of "$host")
		urls=$(standby_urls "$host")
		db=${urls%%$'\t'*} read=${urls#*$'\t'}
		# STANDBY_READS=0: standbys stream, but reads stay on the primary
		# (the one-database figure of spawn/bench-servers).
		[ "${STANDBY_READS:-1}" != 0 ] || read=
	fi
	pool_check_connections "$host" "$slot" "$n"
	local where=(--socket "${addr#unix:}")
	[ "$host" = local ] || where=(--listen "$addr")
	${ns:+ip netns exec "$ns"} env DATABASE_URL="$db" DATABASE_READ_URL="$read" REVIEWS_CACHE="$cache" \
		ADMIN_TOKENS_FILE="$ADMIN_TOKENS_FILE" \
		REVIEWS_CACHE_MB="${CACHE_MB:-$(pool_cache_mb)}" REVIEWS_CACHE_TTL_MS="${CACHE_TTL_MS:-300000}" \
		"$ROOT/spawn/pool" start --pidfile "$(pool_pidfile "$host" "$slot")" \
		--bin "$BIN" "${where[@]}" --workers "$n" \
		${RUN_AS:+--user "$RUN_AS"} --log "$LOG_DIR/workers-$host.log" \
		${WORKER_WRAPPER:+--wrapper "$WORKER_WRAPPER"} --listener "$LISTEN_BIN"
	echo "$slot $n" >"$RUN_DIR/hosts/$host"
}

# pool_check_connections HOST SLOT N: refuse to start a pool whose
# connections, with those of every other pool running, would exceed what
# the database allows.  Each worker holds one connection to the primary
# (and one to a standby when there are standbys: a standby takes the
# primary's max_connections or more, so the same count fits it); each
# pool's listener one to the primary; superuser_reserved_connections and
# PG_SPARE_CONNECTIONS (5: psql, pgbench, the stack's own steps) stay free.
pool_check_connections() {
	local host=$1 slot=$2 n=$3 h s used=0 max reserved spare=${PG_SPARE_CONNECTIONS:-5}
	for h in $(host_list); do
		for s in a b; do
			[ "$h" = "$host" ] && [ "$s" = "$slot" ] && continue
			pool_running "$h" "$s" || continue
			if [ "$s" = "$(host_slot "$h")" ]; then
				used=$((used + $(host_workers "$h") + 1))
			else	# a pool being replaced by scale: its count is not recorded
				used=$((used + $(pgrep -P "$(cat "$(pool_pidfile "$h" "$s")")" | wc -l) + 1))
			fi
		done
	done
	max=$(pg_psql -tA -c "SELECT current_setting('max_connections')::int || ' ' || current_setting('superuser_reserved_connections')::int" 2>/dev/null) || return 0
	reserved=${max#* } max=${max% *}
	if [ $((used + n + 1 + spare)) -gt $((max - reserved)) ]; then
		die "$host's pool of $n workers would need $((n + 1)) connections to PostgreSQL beside the $used the other pools hold: $((used + n + 1)) + $spare spare > max_connections $max - $reserved reserved. Give fewer workers (WORKERS, 'spawn/stack scale HOST N'), or raise max_connections (in $PG_DATA/postgresql.conf, and on every standby at least as much) and restart PostgreSQL"
	fi
}

pool_stop() {	# pool_stop HOST SLOT
	"$ROOT/spawn/pool" stop --pidfile "$(pool_pidfile "$1" "$2")"
}

# pool_up [HOSTS...]: every host's recorded pool, started if it is down; a
# stack without hosts gets the local one with WORKERS workers.
pool_up() {
	local h
	[ -n "$(host_list)" ] || { mkdir -p "$RUN_DIR/hosts"; echo "a $WORKERS" >"$RUN_DIR/hosts/local"; }
	for h in ${*:-$(host_list)}; do
		pool_running "$h" "$(host_slot "$h")" ||
			pool_start "$h" "$(host_slot "$h")" "$(host_workers "$h")"
	done
}

# pool_down [HOSTS...]: stop every pool of those hosts (default: all).
pool_down() {
	local h s
	for h in ${*:-$(host_list)}; do
		for s in a b; do pool_stop "$h" "$s"; done
		# Its shared memory is RAM: give it back (the next pool starts
		# with an empty cache anyway).
		rm -f "$(pool_cache "$h")"
	done
}

# pool_pids: multiwatch pids of every running pool of the stack.
pool_pids() {
	local h s f
	for h in $(host_list); do
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
	[ -f "$RUN_DIR/hosts/$host" ] || die "no host $host (hosts: $(host_list | tr '\n' ' '))"
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
