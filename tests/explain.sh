#!/usr/bin/env bash
# tests/explain.sh: every statement the worker prepares uses an index, not
# a sequential scan of a table of the data set (API.md Part 2: "Every new
# read uses an index at full scale").  The statements come from
# src/api/sql.c's table itself (sql-dump --explain), so one added later is
# checked without a word here; each is PREPAREd and EXPLAINed under the
# worker's own session settings, so what is judged is the generic plan its
# executions use.  Writes too: EXPLAIN without ANALYZE runs nothing.  One
# ok / not ok per statement, with the offending plan lines and the plan.
#
# The verdict is the planner's, on this database's statistics: at the
# test scale (0.002) a small table could make a sequential scan the cheaper
# plan where full scale would not; `spawn/stack explain` runs the same
# check on any database, the full-scale one included.  EXPLAIN_ANALYZE=1
# runs ANALYZE on the tables first (tests/run does: statistics as of the
# rows the suites before it wrote, as autovacuum would keep them).
#
# Needs BASE_URL (tests/lib.sh), DATABASE_URL and SQL_DUMP (the build's
# src/api/sql-dump).  Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${SQL_DUMP:?}"
# The data set's tables.  idempotency_keys holds a day of keys at most and
# is empty at full scale until posts arrive: its plans are not judged.
TABLES="reviews reviews_photos characteristics characteristic_reviews product_meta"

[ "${EXPLAIN_ANALYZE:-0}" = 1 ] && setup_sql "ANALYZE ${TABLES// /, }"
note "explain: $(sql "SELECT count(*) FROM reviews") reviews, $(sql "SELECT count(*) FROM reviews_photos") photos, $(sql "SELECT count(*) FROM characteristic_reviews") ratings in $(sql "SELECT current_database()")"
"$SQL_DUMP" --explain >"$TMP/explain.sql" || bail_out "$SQL_DUMP --explain failed"
# Statement errors are "error" lines of the output; psql fails only when it
# cannot run the script at all.
psql -X -q -tA -d "$DB" -f "$TMP/explain.sql" >"$TMP/plans" 2>"$TMP/psql.err" ||
	bail_out "psql could not run the script: $(head -3 "$TMP/psql.err")"

scan_re="Seq Scan on ($(tr ' ' '|' <<<"$TABLES"))( |$)"
names=$(sed -n 's/^statement //p' "$TMP/plans")
for name in $names; do
	plan=$(awk -v want="statement $name" '
		$0 == want { on = 1; next }
		/^statement / || /^end [0-9]+$/ { on = 0 }
		on' "$TMP/plans")
	err=$(grep '^error' <<<"$plan")
	scans=$(grep -E "$scan_re" <<<"$plan")
	if [ -n "$err" ]; then
		bad "$name: ${err#error }"
	elif [ -z "$plan" ]; then
		bad "$name: no plan"
	elif [ -n "$scans" ]; then
		bad "$name: sequential scan"$'\n'"$scans"$'\n'"the plan:"$'\n'"$plan"
	else
		used=$(grep -oE '(Scan using|Bitmap Index Scan on) [a-z_0-9]+' <<<"$plan" | sed 's/.* //' | sort -u | tr '\n' ' ')
		ok "$name: no sequential scan${used:+ (indexes: ${used% })}"
	fi
done
# Every statement of the table had its turn (the script says how many).
want=$(sed -n 's/^end \([0-9]*\)$/\1/p' "$TMP/plans")
got=$(wc -w <<<"$names")
[ -n "$want" ] && [ "$got" = "$want" ] && [ "$got" -gt 0 ] &&
	ok "all $want statements of src/api/sql.c explained" ||
	bad "explained $got statements; the table holds ${want:-? (the script did not end)}"

done_testing
