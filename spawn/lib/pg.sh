# spawn/lib/pg.sh: the private PostgreSQL cluster and psql on the service's
# database (sourced by spawn/lib.sh).

# The database hosts: "db" (the primary first made) and, in the namespace
# topology, standbys db2, db3...  PG_HOST is the primary now (db, until a
# standby is promoted: spawn/lib/standby.sh); each host has its own data
# directory and socket directory.
pg_dir() { if [ "$1" = db ]; then echo "$STACK_DIR/pg"; else echo "$STACK_DIR/pg-$1"; fi; }
pg_sock() { if [ "$1" = db ]; then echo "$RUN_DIR"; else echo "$RUN_DIR/$1"; fi; }
pg_log() { if [ "$1" = db ]; then echo "$LOG_DIR/postgres.log"; else echo "$LOG_DIR/postgres-$1.log"; fi; }

# pg_on HOST CMD...: run a PostgreSQL server command as the cluster's
# owner, on database host HOST in the namespace topology.
pg_on() {
	local h=$1; shift
	if [ -n "$PG_NETNS" ]; then
		(cd / && ip netns exec "$(netns_of "$h")" runuser -u "$PG_USER" -- "$@")
	elif [ "$(id -u)" = 0 ]; then
		(cd / && runuser -u "$PG_USER" -- "$@")
	else
		"$@"
	fi
}
pg_as() { pg_on "$PG_HOST" "$@"; }

# pg_start: start the cluster; on the database host it also listens on the
# host's address (the app hosts connect over TCP; pg_hba.conf lets the
# service's role in from that subnet only).
#
# shared_buffers (PG_SHARED_BUFFERS; by default a quarter of the machine's
# memory, at least 128MB and at most 4GB) holds the full data set's hot
# part: at 512MB the list statement ran about 1.5 times slower at scale 1.0
# (README, "Where the time goes"); 4GB on a 2 GB machine would not start.
# It is set at start, so clusters made before the change get it too.
pg_shared_buffers() {
	local mb
	if [ -n "${PG_SHARED_BUFFERS:-}" ]; then echo "$PG_SHARED_BUFFERS"; return; fi
	mb=$(awk '/^MemTotal:/ {print int($2 / 1024 / 4)}' /proc/meminfo 2>/dev/null)
	[ -n "$mb" ] || mb=128
	[ "$mb" -lt 128 ] && mb=128
	[ "$mb" -gt 4096 ] && mb=4096
	echo "${mb}MB"
}
pg_start() { pg_start_on "$PG_HOST"; }

# pg_start_on HOST: start that host's server.  In the namespace topology
# it also listens on the host's address, over TLS only (spawn/lib/tls.sh),
# and keeps WAL for standbys (wal_level replica, senders, slots); a
# standby sends hot_standby_feedback, so the primary's vacuum keeps the
# row versions its running reads see: no read is cancelled by a recovery
# conflict, at the price of the primary keeping dead rows as long as a
# standby read runs (our reads take milliseconds).
pg_start_on() {
	local h=$1 opts
	opts="-c shared_buffers=$(pg_shared_buffers) -c unix_socket_directories=$(pg_sock "$h")"
	if [ -n "$PG_NETNS" ]; then
		opts+=" -c listen_addresses=$(netns_ip "$h") -c wal_level=replica"
		opts+=" -c max_wal_senders=10 -c max_replication_slots=10 -c hot_standby_feedback=on"
		opts+=" $(tls_pg_opts "$h")"
	fi
	mkdir -p "$(pg_sock "$h")"
	[ "$(id -u)" != 0 ] || chown "$PG_USER" "$(pg_sock "$h")"
	pg_on "$h" "$PG_BIN/pg_ctl" -D "$(pg_dir "$h")" -l "$(pg_log "$h")" -w -t 60 \
		-o "$opts" start >/dev/null
}

# pg_running_on HOST / pg_stop_on HOST [MODE]: a host's server.
pg_running_on() {
	[ -f "$(pg_dir "$1")/postmaster.pid" ] &&
		pg_on "$1" "$PG_BIN/pg_ctl" -D "$(pg_dir "$1")" status >/dev/null 2>&1
}
pg_stop_on() {
	pg_running_on "$1" || return 0
	pg_on "$1" "$PG_BIN/pg_ctl" -D "$(pg_dir "$1")" -m "${2:-fast}" -w stop >/dev/null
}

# pg_su SQL: one statement as the superuser on the primary, by its socket.
pg_su() {
	psql -X -q -tA -v ON_ERROR_STOP=1 -d "host=$(pg_sock "$PG_HOST") port=$STACK_PGPORT user=postgres dbname=postgres" -c "$1"
}

# pg_psql ARGS...: psql on the service's database, stopping at the first
# error; warnings and errors only (no NOTICE of an IF NOT EXISTS).
pg_psql() {
	if [ -n "$DB_URL" ]; then
		PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d "$DB_URL" "$@"
	else
		PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 "$@"
	fi
}

pg_running() { pg_running_on "$PG_HOST"; }

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
		pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 \
			--locale=C.UTF-8 >"$LOG_DIR/initdb.log" 2>&1 ||
			die "initdb failed: see $LOG_DIR/initdb.log"
		cat >>"$PG_DATA/postgresql.conf" <<-CONF
		# reviews stack
		port = $STACK_PGPORT
		listen_addresses = '127.0.0.1'
		unix_socket_directories = '$(pg_sock "$PG_HOST")'
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
	# The app hosts and the standbys (spawn/lib/netns.sh) come in over
	# TLS with a certificate of the stack's CA (spawn/lib/tls.sh) naming
	# their role; nothing else from the network.
	if ! grep -q '^hostssl reviews reviews samenet cert' "$PG_DATA/pg_hba.conf"; then
		pg_as sed -i '/^host reviews reviews samenet trust/d' "$PG_DATA/pg_hba.conf"
		printf '%s\n' 'hostssl reviews reviews samenet cert	# workers, listeners (spawn/lib/netns.sh)' \
			'hostssl replication replicator samenet cert	# standbys (spawn/lib/standby.sh)' |
			pg_as tee -a "$PG_DATA/pg_hba.conf" >/dev/null
		pg_running && pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" reload >/dev/null
	fi
	# A port set anew (STACK_PGPORT) while the stack was down.
	if ! grep -q "^port = $STACK_PGPORT\$" "$PG_DATA/postgresql.conf"; then
		pg_running && die "PostgreSQL of $STACK_DIR runs on another port than STACK_PGPORT=$STACK_PGPORT"
		pg_as sed -i "s/^port = .*/port = $STACK_PGPORT/" "$PG_DATA/postgresql.conf"
	fi
	[ -n "$PG_NETNS" ] || pg_running || pg_forget_standbys
	if ! pg_running; then
		pg_start || die "PostgreSQL did not start: see $(pg_log "$PG_HOST")"
		say "postgres: started on port $STACK_PGPORT, shared_buffers $(pg_shared_buffers) ($([ -n "${PG_SHARED_BUFFERS:-}" ] && echo 'PG_SHARED_BUFFERS' || echo "a quarter of this machine's $(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo) MB, 128MB..4GB; PG_SHARED_BUFFERS sets it"))"
	else
		say "postgres: running on port $STACK_PGPORT"
	fi
	# A standby answers roles and databases as its primary has them.
	[ "$(pg_su "SELECT pg_is_in_recovery()")" = f ] || return 0
	[ "$(pg_su "SELECT count(*) FROM pg_roles WHERE rolname = 'reviews'")" = 1 ] ||
		pg_su "CREATE ROLE reviews LOGIN" >/dev/null
	# The listener reads the standbys' lag in pg_stat_replication.
	[ "$(pg_su "SELECT pg_has_role('reviews', 'pg_monitor', 'member')")" = t ] ||
		pg_su "GRANT pg_monitor TO reviews" >/dev/null
	[ "$(pg_su "SELECT count(*) FROM pg_roles WHERE rolname = 'replicator'")" = 1 ] ||
		pg_su "CREATE ROLE replicator REPLICATION LOGIN" >/dev/null
	[ "$(pg_su "SELECT count(*) FROM pg_database WHERE datname = 'reviews'")" = 1 ] ||
		pg_su "CREATE DATABASE reviews OWNER reviews" >/dev/null
}

# pg_forget_standbys: before the primary starts on one host (wal_level
# minimal), its replication slots go (with them it would not start, and
# they would keep WAL forever), and the standbys' copies with them.
pg_forget_standbys() {
	local d
	[ -d "$PG_DATA/pg_replslot" ] && [ -n "$(ls -A "$PG_DATA/pg_replslot")" ] || return 0
	say "postgres: dropping the replication slots of the namespace topology's standbys"
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$(pg_log "$PG_HOST")" -w -t 60 \
		-o "-c wal_level=replica -c max_wal_senders=10 -c unix_socket_directories=$(pg_sock "$PG_HOST")" start >/dev/null ||
		die "PostgreSQL did not start: see $(pg_log "$PG_HOST")"
	pg_su "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots" >/dev/null
	pg_down
	for d in "$STACK_DIR"/pg "$STACK_DIR"/pg-db*; do
		[ -d "$d" ] && [ "$d" != "$PG_DATA" ] && rm -rf "$d"
	done
	return 0
}

# pg_crash_restart: stop the cluster as a crash would (immediate: no
# checkpoint, recovery from WAL at start), and start it again.
pg_crash_restart() {
	pg_stop_on "$PG_HOST" immediate
	pg_start
}

pg_down() { pg_stop_on "$PG_HOST" fast; }
