# spawn/lib/standby.sh: streaming standbys of the primary (sourced by
# spawn/lib.sh).  In the namespace topology (`spawn/stack up --servers N
# --standbys S`) database hosts db2..dbS+1 are hot standbys, each made by
# pg_basebackup from the primary and streaming from it through a
# replication slot of its own name (the primary keeps the WAL a stopped
# standby still needs), as the role replicator with its certificate.
# $RUN_DIR/standbys holds S.  The primary is PG_HOST: db until a standby
# is promoted (standby_promote), which $STACK_DIR/primary then records;
# the old primary comes back as a standby, copied anew, at the next `up`.

standby_count() { cat "$RUN_DIR/standbys" 2>/dev/null || echo 0; }

# standby_db_hosts: every database host of the topology, primary included.
standby_db_hosts() {
	echo db
	seq -f 'db%g' 2 $(($(standby_count) + 1))
}

# standby_hosts: the database hosts that are standbys now.
standby_hosts() { standby_db_hosts | grep -vx "$PG_HOST" || true; }

# standby_primary_conninfo: how a standby reaches the primary.
standby_primary_conninfo() {
	echo "host=$(tls_name "$PG_HOST") hostaddr=$(netns_ip "$PG_HOST") port=$STACK_PGPORT user=replicator $(tls_conninfo replicator)"
}

# standby_make HOST: a new copy of the primary on HOST, with its slot.
standby_make() {
	local h=$1 dir
	dir=$(pg_dir "$h")
	pg_stop_on "$h" immediate
	rm -rf "$dir"
	say "$h: pg_basebackup from $PG_HOST (replication slot $h)"
	[ "$(pg_su "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$h'")" = 1 ] &&
		pg_su "SELECT pg_drop_replication_slot('$h')" >/dev/null
	pg_su "SELECT pg_create_physical_replication_slot('$h', true)" >/dev/null
	mkdir -p "$dir"
	[ "$(id -u)" != 0 ] || chown "$PG_USER" "$dir"
	chmod 0700 "$dir"
	pg_on "$h" "$PG_BIN/pg_basebackup" -d "$(standby_primary_conninfo)" -D "$dir" \
		-X stream -S "$h" -c fast >"$LOG_DIR/basebackup-$h.log" 2>&1 ||
		die "pg_basebackup for $h failed: see $LOG_DIR/basebackup-$h.log"
	standby_point "$h"
}

# standby_point HOST: HOST streams from the primary PG_HOST (its
# settings; a running server takes them at a reload).
standby_point() {
	local h=$1 dir
	dir=$(pg_dir "$h")
	pg_on "$h" touch "$dir/standby.signal"
	pg_on "$h" sed -i '/^primary_conninfo\|^primary_slot_name/d' "$dir/postgresql.auto.conf"
	printf "primary_conninfo = '%s application_name=%s'\nprimary_slot_name = '%s'\n" \
		"$(standby_primary_conninfo)" "$h" "$h" |
		pg_on "$h" tee -a "$dir/postgresql.auto.conf" >/dev/null
	if pg_running_on "$h"; then
		pg_on "$h" "$PG_BIN/pg_ctl" -D "$dir" reload >/dev/null
	fi
}

# standby_streaming HOST: whether the primary streams to HOST now.
standby_streaming() {
	[ "$(pg_su "SELECT count(*) FROM pg_stat_replication WHERE application_name = '$1' AND state = 'streaming'" 2>/dev/null)" = 1 ]
}

# standby_up: every standby copied (when new, or its slot is gone),
# started and streaming; slots of hosts no longer standbys dropped.
standby_up() {
	local h i want
	want=$(standby_hosts | tr '\n' ' ')
	for h in $(pg_su "SELECT slot_name FROM pg_replication_slots WHERE slot_type = 'physical'"); do
		[[ " $want " == *" $h "* ]] && continue
		say "postgres: dropping replication slot $h (no such standby now)"
		pg_su "SELECT pg_drop_replication_slot('$h')" >/dev/null
	done
	for h in $want; do
		if [ ! -f "$(pg_dir "$h")/standby.signal" ] ||
		   [ "$(pg_su "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$h'")" != 1 ]; then
			standby_make "$h"
		fi
		if ! pg_running_on "$h"; then
			pg_start_on "$h" || die "standby $h did not start: see $(pg_log "$h")"
		fi
		for i in $(seq 1 300); do standby_streaming "$h" && break; sleep 0.1; done
		standby_streaming "$h" || die "standby $h does not stream from $PG_HOST: see $(pg_log "$h")"
		say "standby $h: streaming from $PG_HOST ($(netns_ip "$h"):$STACK_PGPORT)"
	done
}

# standby_down: stop every standby (fast).
standby_down() {
	local h
	for h in $(standby_hosts); do pg_stop_on "$h" fast; done
}

# standby_promote HOST: HOST becomes the primary.  The old primary is
# stopped first if it still runs (two primaries would take writes apart);
# the other standbys stream from HOST (a slot each on it); the workers and
# listeners find HOST by themselves (their connection strings name every
# database host with target_session_attrs=read-write).
standby_promote() {
	local h=$1 old=$PG_HOST o i
	[[ " $(standby_hosts | tr '\n' ' ') " == *" $h "* ]] ||
		die "$h is not a standby (standbys: $(standby_hosts | tr '\n' ' '))"
	pg_running_on "$h" || die "standby $h is not running"
	if pg_running_on "$old"; then
		say "stopping the primary $old first"
		pg_stop_on "$old" fast
	fi
	pg_on "$h" "$PG_BIN/pg_ctl" -D "$(pg_dir "$h")" -w -t 60 promote >/dev/null ||
		die "promoting $h failed: see $(pg_log "$h")"
	echo "$h" >"$STACK_DIR/primary"
	PG_HOST=$h PG_DATA=$(pg_dir "$h") PG_NETNS=$(netns_of "$h") DB_IP=$(netns_ip "$h")
	DB_URL="host=$(pg_sock "$h") port=$STACK_PGPORT dbname=reviews user=reviews"
	for i in $(seq 1 100); do [ "$(pg_su "SELECT pg_is_in_recovery()")" = f ] && break; sleep 0.1; done
	for o in $(standby_hosts); do
		[ "$o" = "$old" ] && continue
		pg_su "SELECT pg_create_physical_replication_slot('$o', true)" >/dev/null
		standby_point "$o"
	done
	say "$h: primary now (the old primary $old is stopped; 'spawn/stack up' copies it anew as a standby)"
}

# standby_urls APP_HOST: the workers' connection strings, "WRITE<tab>READ":
# every database host for writes, the primary first (libpq takes the one
# that accepts writes), the standbys for reads, each app host starting at
# a different one (READ is empty without standbys).
standby_urls() {
	local rd=() h i common
	for h in $(standby_hosts); do rd+=("$h"); done
	common="port=$STACK_PGPORT dbname=reviews user=reviews $(tls_conninfo reviews)"
	printf '%s target_session_attrs=read-write\t' "$(standby_hosts_conninfo "$PG_HOST" "${rd[@]}") $common"
	if [ ${#rd[@]} -gt 0 ]; then
		i=$(( (${1#app} - 1) % ${#rd[@]} ))
		rd=("${rd[@]:$i}" "${rd[@]:0:$i}")
		printf '%s target_session_attrs=prefer-standby' "$(standby_hosts_conninfo "${rd[@]}") $common"
	fi
	echo
}

# standby_hosts_conninfo HOST...: "host=NAME,... hostaddr=IP,..."
standby_hosts_conninfo() {
	local h names= addrs=
	for h in "$@"; do names+=",$(tls_name "$h")" addrs+=",$(netns_ip "$h")"; done
	echo "host=${names#,} hostaddr=${addrs#,}"
}
