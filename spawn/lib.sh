# spawn/lib.sh: the pieces of the local stack, sourced by spawn/stack and
# the other spawn/ scripts.  It holds only stack_init (where everything
# lives), say and die, and sources one file per concern from spawn/lib/,
# each with its own function prefix:
#
#   lib/pkg.sh    pkg_    Debian packages and the build
#   lib/pg.sh     pg_     the private PostgreSQL cluster, psql
#   lib/data.sh   data_   the schema and the data set (load, sample)
#   lib/nginx.sh  nginx_  the rendered NGINX configs and our NGINX
#   lib/host.sh   host_   the app hosts of a stack and their records
#   lib/pool.sh   pool_   each host's worker pools (spawn/pool)
#   lib/netns.sh  netns_  app hosts and the database hosts as namespaces
#   lib/tls.sh    tls_    the test CA and certificates between hosts
#   lib/standby.sh standby_ the database hosts' streaming standbys
#
# Every function works from the variables stack_init sets; nothing here
# touches a process it did not start (pids come from our own pid files).

# say / die: one line on stderr, prefixed with SAY_AS (the script's name
# for itself: "stack" unless the script sets it).
say() { printf '%s\n' "${SAY_AS:-stack}: $*" >&2; }
die() { printf '%s\n' "${SAY_AS:-stack}: $*" >&2; exit 1; }

# stack_init: where everything lives.  STACK_DIR holds the private cluster,
# sockets, pid files, logs and rendered configs; the build is shared.
stack_init() {
	ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
	STACK_DIR=${STACK_DIR:-$(stack_home)/.stack}
	BUILD_DIR=${BUILD_DIR:-$ROOT/.build}
	RUN_DIR=$STACK_DIR/run
	LOG_DIR=$STACK_DIR/log
	TLS_DIR=$STACK_DIR/tls
	# The primary's host: db, or the standby promoted last (standby.sh).
	PG_HOST=db
	[ -f "$STACK_DIR/primary" ] && PG_HOST=$(cat "$STACK_DIR/primary")
	PG_DATA=$(pg_dir "$PG_HOST")
	CONF_DIR=$STACK_DIR/nginx
	stack_load_settings
	PORT=${PORT:-3000}
	STACK_PGPORT=${STACK_PGPORT:-5499}
	HTTPS_PORT=${HTTPS_PORT:-$((PORT + 443))}	# the namespace topology's
	NCPU=$(nproc)
	WORKERS=${WORKERS:-$((NCPU * 8))}
	NGINX_WORKERS=${NGINX_WORKERS:-$NCPU}
	SAMPLE_SCALE=${SAMPLE_SCALE:-0.005}
	PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
	BIN=$STACK_DIR/bin/reviews-fcgi	# a copy of the build's, see pool_start
	LISTEN_BIN=$STACK_DIR/bin/reviews-listen
	GEN=$BUILD_DIR/src/gen/reviews-gen
	# The admin API's token hashes (spawn/stack admin-token); the workers
	# answer /admin only while it holds a token.  Set it empty for no
	# admin API at all (every /admin path a 404).
	ADMIN_TOKENS_FILE=${ADMIN_TOKENS_FILE-$STACK_DIR/admin-tokens}
	# The database: DATABASE_URL or the libpq environment if the user set
	# either, else the private cluster.
	if [ -n "${DATABASE_URL:-}" ] || [ -n "${PGHOST:-}${PGDATABASE:-}${PGSERVICE:-}" ]; then
		DB_PRIVATE=0
		DB_URL=${DATABASE_URL:-}
	else
		DB_PRIVATE=1
		DB_URL="host=$(pg_sock "$PG_HOST") port=$STACK_PGPORT dbname=reviews user=reviews"
	fi
	if [ "$(id -u)" = 0 ]; then
		RUN_AS=nobody	# NGINX workers and FastCGI workers
		PG_USER=postgres
	else
		RUN_AS=
		PG_USER=$(id -un)
	fi
	netns_init
	# With app hosts in namespaces, PostgreSQL runs on the database hosts.
	if [ "$DB_PRIVATE" = 1 ] && [ "${SERVERS:-$(host_servers)}" -gt 0 ]; then
		PG_NETNS=$(netns_of "$PG_HOST")
		DB_IP=$(netns_ip "$PG_HOST")
	else
		PG_NETNS=
	fi
}

# The settings a stack is started with, remembered in STACK_DIR/settings
# (one "NAME<tab>VALUE" a line) by `up`: every later command of that
# stack uses them, whatever its environment says.  While anything of the
# stack runs, a different value in the environment is refused (saying what
# runs); when nothing runs, the environment's value is the next `up`'s.
STACK_SETTINGS="PORT HTTPS_PORT STACK_PGPORT WORKERS NGINX_WORKERS SAMPLE_SCALE CORS_ORIGINS
	WRITE_RATE WRITE_BURST CACHE_TTL_MS CACHE_MB PG_SHARED_BUFFERS ACCESS_LOG
	FAIL_TIMEOUT STANDBY_READS DATABASE_URL"

# stack_running: whether any process of the stack is alive (by its pid files).
stack_running() {
	local f
	for f in "$RUN_DIR/nginx.pid" "$RUN_DIR"/pool*.pid "$RUN_DIR"/pool*.pid.supervisor; do
		[ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && return 0
	done
	for f in "$STACK_DIR"/pg/postmaster.pid "$STACK_DIR"/pg-db*/postmaster.pid; do
		[ -f "$f" ] && kill -0 "$(head -1 "$f")" 2>/dev/null && return 0
	done
	return 1
}

stack_load_settings() {
	local f=$STACK_DIR/settings name val conflicts= runs=
	[ -f "$f" ] || return 0
	while IFS=$'\t' read -r name val; do
		case " $(echo $STACK_SETTINGS) " in *" $name "*) ;; *) continue ;; esac
		[ -n "$val" ] && runs+=" $name=$val"
		if [ -n "${!name+x}" ] && [ "${!name}" != "$val" ]; then
			conflicts+=" $name=${!name}"
		else
			export "$name=$val"
		fi
	done <"$f"
	[ -n "$conflicts" ] && stack_running || return 0
	# A token touches no setting of the running stack.
	[ "${STACK_CMD:-}" != admin-token ] || return 0
	if [ "${STACK_CMD:-}" = down ]; then
		say "stopping the stack that runs with$runs (ignoring$conflicts)"
		while IFS=$'\t' read -r name val; do export "$name=$val"; done <"$f"
		return 0
	fi
	die "the stack in $STACK_DIR runs with$runs; you set$conflicts: run 'spawn/stack down' first, or leave those unset"
}

# stack_save_settings: remember this stack's settings (at `up`).
stack_save_settings() {
	local name
	mkdir -p "$STACK_DIR"
	(umask 077; for name in $STACK_SETTINGS; do printf '%s\t%s\n' "$name" "${!name:-}"; done >"$STACK_DIR/settings")
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

for _lib in pkg pg data nginx host pool netns tls standby; do
	. "$(dirname "${BASH_SOURCE[0]}")/lib/$_lib.sh"
done
unset _lib
