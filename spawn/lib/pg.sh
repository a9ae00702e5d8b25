# spawn/lib/pg.sh: the private PostgreSQL cluster and psql on the service's
# database (sourced by spawn/lib.sh).

# pg_as CMD...: run a PostgreSQL server command as the cluster's owner, on
# the database host when there is one.
pg_as() {
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
pg_start() {
	local opts="-c shared_buffers=$(pg_shared_buffers)"
	[ -n "$PG_NETNS" ] && opts+=" -c listen_addresses=$DB_IP"
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$LOG_DIR/postgres.log" -w -t 60 \
		-o "$opts" start >/dev/null
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

pg_running() {
	[ -f "$PG_DATA/postmaster.pid" ] && pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1
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
		pg_as "$PG_BIN/initdb" -D "$PG_DATA" -U postgres -A trust -E UTF8 \
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
		echo 'host reviews reviews samenet trust	# the app hosts (spawn/lib/netns.sh)' |
			pg_as tee -a "$PG_DATA/pg_hba.conf" >/dev/null
	fi
	# A port set anew (STACK_PGPORT) while the stack was down.
	if ! grep -q "^port = $STACK_PGPORT\$" "$PG_DATA/postgresql.conf"; then
		pg_running && die "PostgreSQL of $STACK_DIR runs on another port than STACK_PGPORT=$STACK_PGPORT"
		pg_as sed -i "s/^port = .*/port = $STACK_PGPORT/" "$PG_DATA/postgresql.conf"
	fi
	if ! pg_running; then
		pg_start || die "PostgreSQL did not start: see $LOG_DIR/postgres.log"
		say "postgres: started on port $STACK_PGPORT, shared_buffers $(pg_shared_buffers) ($([ -n "${PG_SHARED_BUFFERS:-}" ] && echo 'PG_SHARED_BUFFERS' || echo "a quarter of this machine's $(awk '/^MemTotal:/ {print int($2 / 1024)}' /proc/meminfo) MB, 128MB..4GB; PG_SHARED_BUFFERS sets it"))"
	else
		say "postgres: running on port $STACK_PGPORT"
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
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w stop >/dev/null
	pg_start
}

pg_down() {
	pg_running || return 0
	pg_as "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null
}
