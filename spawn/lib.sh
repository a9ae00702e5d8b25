# spawn/lib.sh: the pieces of the local stack, sourced by spawn/stack.
# Every function works from the variables stack_init sets; nothing here
# touches a process it did not start (pids come from our own pid files).

say() { printf '%s\n' "stack: $*" >&2; }
die() { printf '%s\n' "stack: $*" >&2; exit 1; }

# Debian packages the stack needs to build, run and test.
STACK_PACKAGES="build-essential autoconf automake pkg-config libfcgi-dev
	spawn-fcgi multiwatch libpq-dev libcjson-dev check nginx postgresql-15
	postgresql-client-15 curl jq valgrind procps clang libclang-rt-14-dev
	iproute2 wrk"

# stack_init: where everything lives.  STACK_DIR holds the private cluster,
# sockets, pid files, logs and rendered configs; the build is shared.
stack_init() {
	ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	STACK_DIR=${STACK_DIR:-$(stack_home)/.stack}
	BUILD_DIR=${BUILD_DIR:-$ROOT/.build}
	RUN_DIR=$STACK_DIR/run
	LOG_DIR=$STACK_DIR/log
	PG_DATA=$STACK_DIR/pg
	CONF_DIR=$STACK_DIR/nginx
	PORT=${PORT:-3000}
	STACK_PGPORT=${STACK_PGPORT:-5499}
	NCPU=$(nproc)
	WORKERS=${WORKERS:-$((NCPU * 8))}
	NGINX_WORKERS=${NGINX_WORKERS:-$NCPU}
	SAMPLE_SCALE=${SAMPLE_SCALE:-0.005}
	PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
	BIN=$STACK_DIR/bin/reviews-fcgi	# a copy of the build's, see pool_start
	LISTEN_BIN=$STACK_DIR/bin/reviews-listen
	GEN=$BUILD_DIR/src/gen/reviews-gen
	# The database: DATABASE_URL or the libpq environment if the user set
	# either, else the private cluster.
	if [ -n "${DATABASE_URL:-}" ] || [ -n "${PGHOST:-}${PGDATABASE:-}${PGSERVICE:-}" ]; then
		DB_PRIVATE=0
		DB_URL=${DATABASE_URL:-}
	else
		DB_PRIVATE=1
		DB_URL="host=$RUN_DIR port=$STACK_PGPORT dbname=reviews user=reviews"
	fi
	if [ "$(id -u)" = 0 ]; then
		RUN_AS=nobody	# NGINX workers and FastCGI workers
		PG_USER=postgres
	else
		RUN_AS=
		PG_USER=$(id -un)
	fi
	net_init
	# With app hosts in namespaces, PostgreSQL runs on the database host.
	if [ "$DB_PRIVATE" = 1 ] && [ "${SERVERS:-$(servers_count)}" -gt 0 ]; then
		PG_NETNS=$(netns_of db)
	else
		PG_NETNS=
	fi
}

# stack_home: where state directories go.  The project directory, unless
# the service users (postgres, nobody) cannot reach it, as under /root (any
# user stands for them: "others" need search permission on each parent): then
# a directory of its own under /var/tmp, named after the project's path.
stack_home() {
	local root
	root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	if [ "$(id -u)" != 0 ] || runuser -u nobody -- test -x "$root" 2>/dev/null; then
		echo "$root"
	else
		echo "/var/tmp/reviews-$(printf '%s' "$root" | md5sum | cut -c1-8)"
	fi
}

# need_packages: install what is missing (as root), else say the exact line.
need_packages() {
	local missing=() p
	for p in $STACK_PACKAGES; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	# Any NGINX flavour will do.
	if [[ " ${missing[*]} " == *" nginx "* ]] && command -v nginx >/dev/null; then
		missing=("${missing[@]/nginx/}")
	fi
	missing=($(printf '%s\n' "${missing[@]}" | grep -v '^$' || true))
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" != 0 ]; then
		die "missing packages; run as root: apt-get install -y ${missing[*]}"
	fi
	say "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	# Debian's nginx and postgresql packages start system services where
	# systemd runs; the stack runs its own and never depends on those.
	apt-get install -y -qq "${missing[@]}" >/dev/null
}

# build: configure once, then make (quick when nothing changed).
build() {
	if [ ! -x "$ROOT/configure" ] || [ "$ROOT/configure.ac" -nt "$ROOT/configure" ] ||
	   [ "$ROOT/Makefile.am" -nt "$ROOT/Makefile.in" ]; then
		say "autoreconf"
		(cd "$ROOT" && autoreconf -fi >/dev/null 2>&1) || die "autoreconf failed"
	fi
	mkdir -p "$BUILD_DIR"
	if [ ! -f "$BUILD_DIR/Makefile" ] || [ "$ROOT/configure" -nt "$BUILD_DIR/Makefile" ]; then
		say "configure"
		(cd "$BUILD_DIR" && "$ROOT/configure" --enable-werror ${CONFIGURE_FLAGS:-} >configure.out 2>&1) ||
			die "configure failed: see $BUILD_DIR/configure.out"
	fi
	make -C "$BUILD_DIR" -j"$NCPU" >"$BUILD_DIR/make.out" 2>&1 ||
		{ tail -30 "$BUILD_DIR/make.out" >&2; die "build failed: see $BUILD_DIR/make.out"; }
}

# as_pg CMD...: run a PostgreSQL server command as the cluster's owner, on
# the database host when there is one.
as_pg() {
	if [ -n "$PG_NETNS" ]; then
		(cd / && ip netns exec "$PG_NETNS" runuser -u "$PG_USER" -- "$@")
	elif [ "$(id -u)" = 0 ]; then
		(cd / && runuser -u "$PG_USER" -- "$@")
	else
		"$@"
	fi
}

# pg_start: start the cluster; on the database host it also listens on the
# host's address (the app hosts connect over TCP; pg_hba.conf lets the
# service's role in from that subnet only).
#
# shared_buffers (PG_SHARED_BUFFERS, 4GB) holds the full data set's hot
# part: at 512MB the list statement ran about 1.5 times slower at scale 1.0
# (README, "Where the time goes").  It is set at start, so clusters made
# before the change get it too.
pg_start() {
	local opts="-c shared_buffers=${PG_SHARED_BUFFERS:-4GB}"
	[ -n "$PG_NETNS" ] && opts+=" -c listen_addresses=$DB_IP"
	as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOG_DIR/postgres.log" -w -t 60 \
		-o "$opts" start >/dev/null
}

# psql_db ARGS...: psql on the service's database, stopping at the first error.
psql_db() {
	if [ -n "$DB_URL" ]; then
		psql -X -q -v ON_ERROR_STOP=1 -d "$DB_URL" "$@"
	else
		psql -X -q -v ON_ERROR_STOP=1 "$@"
	fi
}

pg_running() {
	[ -f "$PG_DATA/postmaster.pid" ] && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
}

# pg_up: create (first time) and start the private cluster.
pg_up() {
	mkdir -p "$RUN_DIR" "$LOG_DIR"
	if [ "$(id -u)" = 0 ]; then
		chown "$PG_USER" "$STACK_DIR" "$RUN_DIR" "$LOG_DIR"
		runuser -u "$PG_USER" -- test -w "$STACK_DIR" ||
			die "$STACK_DIR is not reachable by user $PG_USER: put the project (or STACK_DIR) under a directory every user can traverse"
	fi
	if [ ! -f "$PG_DATA/PG_VERSION" ]; then
		say "initdb $PG_DATA"
		as_pg "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 \
			--locale=C.UTF-8 >"$LOG_DIR/initdb.log" 2>&1 ||
			die "initdb failed: see $LOG_DIR/initdb.log"
		cat >>"$PG_DATA/postgresql.conf" <<-CONF
		# reviews stack
		port = $STACK_PGPORT
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$RUN_DIR'
		max_connections = 300
		work_mem = 16MB
		maintenance_work_mem = 1GB
		max_wal_size = 8GB
		checkpoint_timeout = 15min
		# No replicas of this private cluster: minimal WAL lets a bulk
		# load that truncates and copies in one transaction skip WAL.
		wal_level = minimal
		max_wal_senders = 0
		max_parallel_maintenance_workers = 2
		logging_collector = off
		CONF
	fi
	if ! grep -q '^host reviews reviews samenet' "$PG_DATA/pg_hba.conf"; then
		echo 'host reviews reviews samenet trust	# the app hosts (spawn/netns.sh)' |
			as_pg tee -a "$PG_DATA/pg_hba.conf" >/dev/null
	fi
	if ! pg_running; then
		pg_start || die "PostgreSQL did not start: see $LOG_DIR/postgres.log"
	fi
	local su="host=$RUN_DIR port=$STACK_PGPORT user=postgres"
	psql -X -q -d "$su dbname=postgres" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'reviews'" | grep -q 1 ||
		psql -X -q -d "$su dbname=postgres" -c "CREATE ROLE reviews LOGIN"
	psql -X -q -d "$su dbname=postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = 'reviews'" | grep -q 1 ||
		psql -X -q -d "$su dbname=postgres" -c "CREATE DATABASE reviews OWNER reviews"
}

# pg_crash_restart: stop the cluster as a crash would (immediate: no
# checkpoint, recovery from WAL at start), and start it again.
pg_crash_restart() {
	as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null
	pg_start
}

pg_down() {
	pg_running || return 0
	as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
}

# schema: tables, keys and indexes (safe to repeat).
schema() {
	psql_db -f "$ROOT/db/schema.sql" >/dev/null
	if [ "$(psql_db -tAc "SELECT count(*) FROM pg_constraint WHERE conname = 'reviews_pkey'")" = 0 ]; then
		psql_db -f "$ROOT/db/constraints.sql" >/dev/null
	fi
	psql_db -f "$ROOT/db/indexes.sql" >/dev/null
}

# load_data DIR: replace the data set with the four CSV files of DIR
# (reviews-load: every row checked, rejects reported in $REJECTS, by default
# DIR/rejects.tsv).  Running pools are restarted: their response caches held
# answers from the old data set.
load_data() {
	local dir=$1
	DATABASE_URL=$DB_URL "$BUILD_DIR/src/load/reviews-load" --sql-dir "$ROOT/db" \
		--rejects "${REJECTS:-$dir/rejects.tsv}" "$dir" || die "load failed"
	if [ -n "$(pool_pids)" ]; then
		pool_down
		pool_up
	fi
}

# sample: a small generated data set, loaded when the database is empty.
sample() {
	local n
	n=$(psql_db -tAc "SELECT count(*) FROM (SELECT 1 FROM reviews LIMIT 1) x")
	[ "$n" = 0 ] || return 0
	local dir=$STACK_DIR/sample
	"$GEN" --scale "$SAMPLE_SCALE" --seed 1 --out "$dir" 2>"$LOG_DIR/gen.log" ||
		die "generator failed: see $LOG_DIR/gen.log"
	load_data "$dir" 2>"$LOG_DIR/load.log"
}

# keepalive_for WORKERS: idle upstream connections per NGINX worker.
# DESIGN.md's trap: all NGINX workers' idle connections together must pin
# fewer workers than the pool has, or new connections hang.  Measured here
# (README, "Performance"): a second trap below that bound.  A cached
# connection is always reused before a queued new one is accepted, so with
# a big cache the queued requests starve (p99 1.6 s at keepalive 4 x 2 for
# 16 workers).  One cached connection per 8 workers per NGINX worker keeps
# most of keepalive's gain and the tail short.
keepalive_for() {
	local k=$(($1 / (8 * NGINX_WORKERS)))
	[ "$k" -lt 1 ] && [ "$1" -gt "$NGINX_WORKERS" ] && k=1
	echo "$k"
}

# nginx_render: the stack's NGINX configs in CONF_DIR, with an upstream of
# its hosts' current pools.
nginx_render() {
	local tmpl=upstream-local.conf.in
	mkdir -p "$CONF_DIR" "$RUN_DIR" "$LOG_DIR"
	[ "$(servers_count)" -gt 0 ] && tmpl=upstream-lb.conf.in
	SERVER_LINES=$(nginx_servers) MIN_POOL=$(smallest_pool) nginx_write "$tmpl"
}

# nginx_write UPSTREAM_TEMPLATE: render every file of nginx/ into OUT_DIR
# (default CONF_DIR, where NGINX reads them) for NGINX_WORKERS workers in
# front of SERVER_LINES (upstream server lines), the smallest of which has
# MIN_POOL workers.  A real load balancer is rendered by the same function
# (spawn/lb).
nginx_write() {
	local tmpl=$1 out=${OUT_DIR:-$CONF_DIR} ka cors o f
	mkdir -p "$out"
	ka=$(keepalive_for "$MIN_POOL")
	if [ "$ka" -ge 1 ]; then
		R_KEEPALIVE_LINE="keepalive $ka;"
	else
		R_KEEPALIVE_LINE="# pool too small for kept-alive connections"
	fi
	if [ "${CORS_ORIGINS:-*}" = "*" ]; then
		cors='		default "*";'
	else
		cors='		default "";'
		for o in $CORS_ORIGINS; do
			cors+=$'\n'"		\"$o\" \$http_origin;"
		done
	fi
	R_NGINX_USER=
	[ -n "$RUN_AS" ] && R_NGINX_USER="user $RUN_AS $(id -gn "$RUN_AS");"
	R_ACCESS_LOG="access_log off;"
	[ -n "${ACCESS_LOG:-}" ] && R_ACCESS_LOG="access_log $ACCESS_LOG upstream buffer=4k flush=100ms;"
	# METRICS_ALLOW: addresses or CIDRs that may read /metrics.
	local m metrics=
	for m in ${METRICS_ALLOW:-127.0.0.1 ::1}; do
		metrics+=$'\t\t'"$m"$'\t1;\n'
	done
	export R_METRICS_ALLOW=${metrics%$'\n'}
	export R_KEEPALIVE_LINE R_NGINX_USER R_ACCESS_LOG R_CORS_MAP=$cors \
		R_NGINX_WORKERS=$NGINX_WORKERS R_RUN_DIR=$RUN_DIR R_LOG_DIR=$LOG_DIR \
		R_CONF_DIR=$CONF_DIR R_LISTEN=${LISTEN:-127.0.0.1:$PORT} R_SERVERS=$SERVER_LINES \
		R_WRITE_RATE=${WRITE_RATE:-20r/s} R_WRITE_BURST=${WRITE_BURST:-40}
	for f in nginx.conf server.conf; do
		render "$ROOT/nginx/$f.in" >"$out/$f"
	done
	render "$ROOT/nginx/$tmpl" >"$out/upstream.conf"
	for f in fastcgi.conf errors.conf error-pages.conf headers.conf; do
		render "$ROOT/nginx/$f" >"$out/$f"
	done
}

# render FILE: fill each @NAME@ placeholder with $R_NAME; one that has no
# value is an error, never left in a config.
render() {
	perl -pe 's/\@([A-Z_]+)\@/exists $ENV{"R_$1"} ? $ENV{"R_$1"} : die "$ARGV: no value for \@$1\@\n"/ge' "$1"
}

nginx_pid() {
	local pid
	[ -f "$RUN_DIR/nginx.pid" ] || return 1
	pid=$(cat "$RUN_DIR/nginx.pid")
	kill -0 "$pid" 2>/dev/null || return 1
	echo "$pid"
}

# nginx_up: start our NGINX (its own -c and -p), or reload it.
nginx_up() {
	nginx -t -q -p "$STACK_DIR" -c "$CONF_DIR/nginx.conf" 2>"$LOG_DIR/nginx-test.log" ||
		{ cat "$LOG_DIR/nginx-test.log" >&2; die "NGINX config does not load"; }
	if nginx_pid >/dev/null; then
		nginx -p "$STACK_DIR" -c "$CONF_DIR/nginx.conf" -s reload
		# Old workers hand over their listening sockets within moments.
		sleep 0.5
	else
		nginx -p "$STACK_DIR" -c "$CONF_DIR/nginx.conf" ||
			die "NGINX did not start: see $LOG_DIR/nginx-error.log"
	fi
}

# nginx_settle: after a reload, wait (up to 30 s) until the old workers have
# finished their requests and exited; their kept-alive upstream connections
# close with them.
nginx_settle() {
	local pid i
	pid=$(nginx_pid) || return 0
	for i in $(seq 1 300); do
		pgrep -P "$pid" -f 'shutting down' >/dev/null || return 0
		sleep 0.1
	done
	say "old NGINX workers still finishing requests after 30 s"
}

nginx_down() {
	local pid i
	pid=$(nginx_pid) || return 0
	kill -QUIT "$pid"
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -TERM "$pid" 2>/dev/null || true
}

# wait_healthy SECONDS: until /healthz answers 200 through NGINX.
wait_healthy() {
	local i
	for i in $(seq 1 $(($1 * 10))); do
		curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

. "$(dirname "${BASH_SOURCE[0]}")/netns.sh"
. "$(dirname "${BASH_SOURCE[0]}")/hosts.sh"
