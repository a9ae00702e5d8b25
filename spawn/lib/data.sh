# spawn/lib/data.sh: the service's schema and data set (sourced by
# spawn/lib.sh).
#
# Schema migrations.  db/schema.sql, constraints.sql and indexes.sql are
# the current shape, what a new database is made from.  A database made
# before a change reaches the new shape through db/migrations/: files
# named NNNN-what.sql, applied in the order of their numbers, each once,
# each in one transaction together with its row in schema_migrations (so a
# migration that fails leaves nothing, not even its record, and runs again
# next time).  Rules for a migration file:
#  - plain SQL that runs inside a transaction (no BEGIN/COMMIT of its own,
#    no CREATE INDEX CONCURRENTLY, no VACUUM);
#  - idempotent (IF NOT EXISTS, IF EXISTS, backfills that compute the same
#    thing again): a file may meet a database it has already changed, when
#    a run was cut off between two files or a database was made by hand;
#  - it does the whole change for an old database, data included
#    (schema.sql never changes a table that exists);
#  - and the same change goes into schema.sql, constraints.sql or
#    indexes.sql, so that a new database has it too.
# A new database is made from those files and has every migration recorded
# as applied in the same transaction, without running any: the files hold
# every change already, and an old migration may name what a later one
# removed (a column it backfilled), so running them on today's shape could
# fail.  Which is "new": no reviews table before schema.sql ran.

# data_migration_files: the migration files in the order they apply.
data_migration_files() {
	local f
	for f in "${MIGRATIONS_DIR:-$ROOT/db/migrations}"/[0-9][0-9][0-9][0-9]-*.sql; do
		[ -f "$f" ] && echo "$f"
	done | LC_ALL=C sort
}

# data_migration_name FILE: the name recorded for it (0001-with-photos);
# names travel into SQL as literals, so only digits, letters and dashes.
data_migration_name() {
	local name
	name=$(basename "$1" .sql)
	[[ "$name" =~ ^[0-9]{4}-[a-z0-9][a-z0-9-]*$ ]] ||
		die "migration $1: name it NNNN-lowercase-words.sql"
	echo "$name"
}

# data_migrate: apply every migration not recorded yet, in order, and say
# how long each took.  One runner at a time (an advisory lock); one that
# waited skips what the other applied.  Dies at the first that fails: it
# is rolled back and not recorded.
data_migrate() {
	local f name applied n=0 t0 total=0
	applied=" $(pg_psql -tAc "SELECT name FROM schema_migrations" | tr '\n' ' ') "
	for f in $(data_migration_files); do
		total=$((total + 1))
		name=$(data_migration_name "$f")
		[[ "$applied" == *" $name "* ]] && continue
		say "migration $name: applying"
		t0=$(date +%s%N)
		pg_psql -1 -f - >/dev/null <<-SQL || die "migration $name failed: rolled back, not recorded"
		SELECT pg_advisory_xact_lock(hashtext('schema_migrations'));
		SELECT NOT EXISTS (SELECT 1 FROM schema_migrations
		    WHERE name = '$name') AS todo \gset
		\if :todo
		\i '$f'
		INSERT INTO schema_migrations (name) VALUES ('$name');
		\endif
		SQL
		say "migration $name: applied in $(data_secs "$t0") s"
		n=$((n + 1))
	done
	[ "$n" -gt 0 ] || say "migrations: all $total applied already"
}

# data_migrate_list: every migration file, applied (when) or pending (all
# of them in a database made before schema_migrations).
data_migrate_list() {
	local f name at= known
	known=$(pg_psql -tAc "SELECT to_regclass('schema_migrations') IS NOT NULL")
	for f in $(data_migration_files); do
		name=$(data_migration_name "$f")
		[ "$known" = f ] ||
			at=$(pg_psql -tAc "SELECT applied_at FROM schema_migrations WHERE name = '$name'")
		printf '%-40s %s\n' "$name" "${at:-pending}"
	done
}

# data_secs T0: seconds since T0 (date +%s%N), one decimal.
data_secs() {
	awk -v ns=$(($(date +%s%N) - $1)) 'BEGIN { printf "%.1f", ns / 1e9 }'
}

# data_schema: tables, keys, indexes and migrations (safe to repeat).  A
# new database gets the current shape, every migration recorded, in one
# transaction; an existing one its new tables, then its pending
# migrations, then whatever key or index it lacks (built on the rows it
# has: writes to that table wait meanwhile).
data_schema() {
	local f names= n=0 before t0
	if [ "$(pg_psql -tAc "SELECT to_regclass('reviews') IS NULL")" = t ]; then
		for f in $(data_migration_files); do
			names+="${names:+, }('$(data_migration_name "$f")')"
			n=$((n + 1))
		done
		pg_psql -1 -f "$ROOT/db/schema.sql" -f "$ROOT/db/constraints.sql" \
			-f "$ROOT/db/indexes.sql" ${names:+-c "INSERT INTO schema_migrations (name) VALUES $names ON CONFLICT DO NOTHING"} \
			>/dev/null
		say "schema: created, its $n migration(s) recorded as applied"
		return 0
	fi
	pg_psql -f "$ROOT/db/schema.sql" >/dev/null
	data_migrate
	if [ "$(pg_psql -tAc "SELECT count(*) FROM pg_constraint WHERE conname = 'reviews_pkey'")" = 0 ]; then
		pg_psql -f "$ROOT/db/constraints.sql" >/dev/null
	fi
	before=$(pg_psql -tAc "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'")
	t0=$(date +%s%N)
	pg_psql -f "$ROOT/db/indexes.sql" >/dev/null
	n=$(pg_psql -tAc "SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'")
	[ "$n" = "$before" ] || say "indexes: $((n - before)) built in $(data_secs "$t0") s"
	say "schema: in place"
}

# data_load DIR: replace the data set with the four CSV files of DIR
# (reviews-load: every row checked, rejects reported in $REJECTS, by default
# DIR/rejects.tsv).  Running pools are restarted: their response caches held
# answers from the old data set.
data_load() {
	local dir=$1
	DATABASE_URL=$DB_URL "$BUILD_DIR/src/load/reviews-load" --sql-dir "$ROOT/db" \
		--rejects "${REJECTS:-$dir/rejects.tsv}" "$dir" || die "load failed"
	if [ -n "$(pool_pids)" ]; then
		pool_down
		pool_up
	fi
}

# data_sample: a small generated data set, loaded when the database is empty.
data_sample() {
	local n
	n=$(pg_psql -tAc "SELECT count(*) FROM (SELECT 1 FROM reviews LIMIT 1) x")
	if [ "$n" != 0 ]; then
		say "data: $(pg_psql -tAc "SELECT count(*) FROM reviews") reviews in the database, kept"
		return 0
	fi
	local dir=$STACK_DIR/sample
	say "data: generating and loading the sample data set (scale $SAMPLE_SCALE)"
	"$GEN" --scale "$SAMPLE_SCALE" --seed 1 --out "$dir" 2>"$LOG_DIR/gen.log" ||
		die "generator failed: see $LOG_DIR/gen.log"
	data_load "$dir" 2>"$LOG_DIR/load.log"
}
