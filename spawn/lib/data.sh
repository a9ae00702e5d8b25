# spawn/lib/data.sh: the service's schema and data set (sourced by
# spawn/lib.sh).

# data_schema: tables, keys and indexes (safe to repeat).
data_schema() {
	pg_psql -f "$ROOT/db/schema.sql" >/dev/null
	if [ "$(pg_psql -tAc "SELECT count(*) FROM pg_constraint WHERE conname = 'reviews_pkey'")" = 0 ]; then
		pg_psql -f "$ROOT/db/constraints.sql" >/dev/null
	fi
	pg_psql -f "$ROOT/db/indexes.sql" >/dev/null
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
