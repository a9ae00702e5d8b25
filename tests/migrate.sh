#!/usr/bin/env bash
# tests/migrate.sh: schema migrations (db/migrations/, spawn/lib/data.sh).
# The test database was made new, so every migration is recorded as
# applied; then it is taken back to the shape before 0001 (no with_photos,
# no rating indexes, no record) and brought forward by the path `spawn/stack
# up` takes: verify is exact (with_photos backfilled), 0001 recorded, the
# indexes back, a second run changes nothing, and 0001 run by hand repairs
# a with_photos that drifted.  The same for 0002 (moderation: reviews
# reported before it become removed).  Then migrations of the
# suite's own (MIGRATIONS_DIR) apply in order, and one that fails leaves
# nothing behind, not even its record.  Needs BASE_URL (tests/lib.sh),
# DATABASE_URL and MIGRATE (a command that runs data_schema on this
# database, as tests/stackctl does).  Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
: "${MIGRATE:?}"
MIG=$(cd "$(dirname "$0")/../db/migrations" && pwd)

recorded() { sql "SELECT string_agg(name, ' ' ORDER BY name) FROM schema_migrations"; }
files() { for f in "${1:-$MIG}"/[0-9][0-9][0-9][0-9]-*.sql; do basename "$f" .sql; done | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'; }
has_column() { sql "SELECT count(*) FROM pg_attribute WHERE attrelid = 'product_meta'::regclass AND attname = '$1' AND NOT attisdropped"; }
index_count() { sql "SELECT count(*) FROM pg_indexes WHERE indexname IN ('reviews_rating_desc', 'reviews_rating_asc')"; }

# A new database: made from schema.sql, every migration recorded.
[ -n "$(files)" ] && [ "$(recorded)" = "$(files)" ] &&
	ok "a new database has every migration recorded as applied ($(files))" ||
	bad "recorded: '$(recorded)'; files: '$(files)'"

# The shape before 0001, with photos to count: the backfill has work to do.
photographed=$(sql "SELECT count(DISTINCT r.id) FROM reviews r JOIN reviews_photos p ON p.review_id = r.id WHERE NOT r.reported")
[ "$photographed" -gt 0 ] && ok "the data set has $photographed non-reported reviews with photos" ||
	bad "no non-reported review has a photo: the backfill would prove nothing"
setup_sql "ALTER TABLE product_meta DROP COLUMN with_photos;
	DROP INDEX reviews_rating_desc, reviews_rating_asc;
	DELETE FROM schema_migrations WHERE name = '0001-with-photos'"
note "migrate: the database taken back to the shape before 0001; migrating"
t0=$(now_ms)
$MIGRATE >"$TMP/migrate.out" 2>&1 && rc=0 || rc=$?
ms=$(( $(now_ms) - t0 ))
sed 's/^/# /' "$TMP/migrate.out"
[ "$rc" = 0 ] && grep -q 'migration 0001-with-photos: applied' "$TMP/migrate.out" &&
	ok "0001 applied in $ms ms, indexes included ($(sql "SELECT count(*) FROM reviews") reviews, $(sql "SELECT count(*) FROM product_meta") products)" ||
	bad "migrate exit $rc: $(cat "$TMP/migrate.out")"
[ "$(sql "SELECT format_type(atttypid, atttypmod) || ' ' || attnotnull || ' ' || pg_get_expr(d.adbin, d.adrelid)
    FROM pg_attribute a JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    WHERE a.attrelid = 'product_meta'::regclass AND a.attname = 'with_photos'")" = "bigint true 0" ] &&
	[ "$(sql "SELECT count(*) FROM pg_constraint WHERE conrelid = 'product_meta'::regclass AND pg_get_constraintdef(oid) = 'CHECK ((with_photos >= 0))'")" = 1 ] &&
	ok "with_photos is back: bigint NOT NULL DEFAULT 0 CHECK (with_photos >= 0)" ||
	bad "with_photos: $(sql "\\d product_meta")"
[ "$(sql "SELECT sum(with_photos) FROM product_meta")" = "$photographed" ] &&
	ok "backfilled: with_photos sums to the $photographed reviews with photos" ||
	bad "with_photos sums to $(sql "SELECT sum(with_photos) FROM product_meta"), want $photographed"
verify_aggregates "verify: every aggregate exact after the migration"
[ "$(sql "SELECT count(*) FROM schema_migrations WHERE name = '0001-with-photos' AND applied_at > now() - interval '5 minutes'")" = 1 ] &&
	ok "0001 recorded with its time" || bad "schema_migrations: $(sql "SELECT * FROM schema_migrations")"
[ "$(index_count)" = 2 ] && ok "the rating indexes are built again" || bad "rating indexes: $(index_count)"

# Again: nothing to apply, nothing changes.
at=$(sql "SELECT applied_at FROM schema_migrations WHERE name = '0001-with-photos'")
$MIGRATE >"$TMP/again.out" 2>&1 && rc=0 || rc=$?
[ "$rc" = 0 ] && grep -q 'migrations: all [0-9]* applied already' "$TMP/again.out" &&
	[ "$(sql "SELECT applied_at FROM schema_migrations WHERE name = '0001-with-photos'")" = "$at" ] &&
	ok "a second run applies nothing and keeps the record" || bad "second run (exit $rc): $(cat "$TMP/again.out")"
# The file itself is idempotent: run once more by hand, nothing moves.
before=$(sql "SELECT md5(string_agg(m::text, '|' ORDER BY product_id)) FROM product_meta m")
out=$(PGOPTIONS='-c client_min_messages=warning' psql -X -q -1 -v ON_ERROR_STOP=1 -d "$DB" -f "$MIG/0001-with-photos.sql" 2>&1) &&
	[ "$(sql "SELECT md5(string_agg(m::text, '|' ORDER BY product_id)) FROM product_meta m")" = "$before" ] &&
	ok "0001 run again on its own result: no error, product_meta unchanged" || bad "0001 again: $out"

# Run by hand, 0001 repairs with_photos: a product counted too high, one
# counted though it has no photographed review.
setup_sql "UPDATE product_meta SET with_photos = with_photos + 3 WHERE product_id = (SELECT min(product_id) FROM product_meta WHERE with_photos > 0);
	UPDATE product_meta SET with_photos = 2 WHERE product_id = (SELECT min(product_id) FROM product_meta WHERE with_photos = 0)"
[ -n "$(psql -X -q -tA -d "$DB" -f "$(dirname "$0")/../db/verify.sql")" ] || bad "the drift made for the repair did not show in verify"
out=$(PGOPTIONS='-c client_min_messages=warning' psql -X -q -1 -v ON_ERROR_STOP=1 -d "$DB" -f "$MIG/0001-with-photos.sql" 2>&1) ||
	bad "0001 as a repair: $out"
verify_aggregates "0001 run by hand repairs with_photos counted too high and counted where no photo is"

# 0002, moderation: the shape before it (no removed column, no reports, no
# audit log, none of its indexes, no record), with reviews hidden by
# reports before moderation existed: they come out removed, an old report
# decided, and nothing public moves.
hidden=$(sql "SELECT count(*) FROM reviews WHERE reported")
[ "$hidden" -gt 0 ] && ok "the data set has $hidden reported reviews for 0002 to decide" ||
	bad "no reported review: 0002's backfill would prove nothing"
lists_before=$(sql "SELECT md5(string_agg(id::text, ',' ORDER BY id)) FROM reviews WHERE NOT reported")
setup_sql "DROP TABLE review_reports, admin_audit;
	DROP INDEX reviews_email, reviews_open;
	ALTER TABLE reviews DROP COLUMN removed;
	DELETE FROM schema_migrations WHERE name = '0002-moderation'"
note "migrate: the database taken back to the shape before 0002; migrating"
t0=$(now_ms)
$MIGRATE >"$TMP/migrate2.out" 2>&1 && rc=0 || rc=$?
ms=$(( $(now_ms) - t0 ))
sed 's/^/# /' "$TMP/migrate2.out"
[ "$rc" = 0 ] && grep -q 'migration 0002-moderation: applied' "$TMP/migrate2.out" &&
	ok "0002 applied in $ms ms" || bad "migrate exit $rc: $(cat "$TMP/migrate2.out")"
[ "$(sql "SELECT count(*) FROM reviews WHERE reported AND removed")" = "$hidden" ] &&
	[ "$(sql "SELECT count(*) FROM reviews WHERE removed AND NOT reported")" = 0 ] &&
	ok "every review reported before moderation is removed ($hidden), no other" ||
	bad "after 0002: $(sql "SELECT reported, removed, count(*) FROM reviews GROUP BY 1, 2")"
[ "$(sql "SELECT count(*) FROM pg_constraint WHERE conname IN ('reviews_removed_hidden', 'review_reports_review_fkey')")" = 2 ] &&
	[ "$(sql "SELECT count(*) FROM pg_indexes WHERE indexname IN ('reviews_email', 'reviews_open', 'review_reports_review')")" = 3 ] &&
	[ "$(sql "SELECT count(*) FROM pg_tables WHERE tablename IN ('review_reports', 'admin_audit')")" = 2 ] &&
	ok "0002's tables, constraints and indexes are there" ||
	bad "0002's objects: $(sql "SELECT string_agg(indexname, ' ') FROM pg_indexes WHERE tablename IN ('reviews', 'review_reports')")"
if psql -X -q -d "$DB" -c "UPDATE reviews SET removed = true WHERE id = (SELECT min(id) FROM reviews WHERE NOT reported)" >/dev/null 2>&1; then
	bad "a published review could be marked removed: the CHECK is missing"
else
	ok "the CHECK refuses a removed review that is not hidden"
fi
[ "$(sql "SELECT md5(string_agg(id::text, ',' ORDER BY id)) FROM reviews WHERE NOT reported")" = "$lists_before" ] &&
	ok "0002 changes no public review" || bad "0002 changed what is public"
verify_aggregates "verify: every aggregate exact after 0002"
$MIGRATE >"$TMP/again2.out" 2>&1 && grep -q 'migrations: all [0-9]* applied already' "$TMP/again2.out" &&
	ok "after 0002 a second run applies nothing" || bad "second run after 0002: $(cat "$TMP/again2.out")"
out=$(PGOPTIONS='-c client_min_messages=warning' psql -X -q -1 -v ON_ERROR_STOP=1 -d "$DB" -f "$MIG/0002-moderation.sql" 2>&1) &&
	ok "0002 run again by hand on its own result: no error" || bad "0002 again: $out"

# Migrations of this suite's own: applied in the order of their numbers
# (0010 is written first), each once; one that fails is rolled back with
# its record.
D=$TMP/migrations
mkdir -p "$D"
cp "$MIG"/*.sql "$D/"
cat >"$D/9010-probe-fill.sql" <<'SQL'
INSERT INTO migrate_probe (step) VALUES ('9010');
SQL
sleep 1
cat >"$D/9002-probe-create.sql" <<'SQL'
CREATE TABLE IF NOT EXISTS migrate_probe (n serial, step text);
INSERT INTO migrate_probe (step) VALUES ('9002');
SQL
MIGRATIONS_DIR=$D $MIGRATE >"$TMP/probe.out" 2>&1 && rc=0 || rc=$?
[ "$rc" = 0 ] && [ "$(sql "SELECT string_agg(step, ' ' ORDER BY n) FROM migrate_probe" 2>&1)" = "9002 9010" ] &&
	ok "new migrations apply in the order of their numbers, each once" ||
	bad "probe migrations (exit $rc): $(cat "$TMP/probe.out"); rows: $(sql "SELECT string_agg(step, ' ' ORDER BY n) FROM migrate_probe" 2>&1)"
cat >"$D/9020-fails.sql" <<'SQL'
ALTER TABLE product_meta ADD COLUMN migrate_scratch integer;
INSERT INTO migrate_probe (step) VALUES ('9020');
SELECT 1 / 0;
SQL
MIGRATIONS_DIR=$D $MIGRATE >"$TMP/fail.out" 2>&1 && rc=0 || rc=$?
[ "$rc" != 0 ] && grep -q 'migration 9020-fails failed' "$TMP/fail.out" &&
	ok "a failing migration stops the run and says which" || bad "failing migration (exit $rc): $(cat "$TMP/fail.out")"
[ "$(has_column migrate_scratch)" = 0 ] &&
	[ "$(sql "SELECT count(*) FROM migrate_probe WHERE step = '9020'")" = 0 ] &&
	[ "$(sql "SELECT count(*) FROM schema_migrations WHERE name = '9020-fails'")" = 0 ] &&
	ok "... and leaves nothing: no column, no row, no record" ||
	bad "after the failed migration: column $(has_column migrate_scratch), record $(sql "SELECT count(*) FROM schema_migrations WHERE name = '9020-fails'")"
[ "$(recorded)" = "$(files "$D" | sed 's/ 9020-fails//')" ] &&
	ok "recorded: exactly the migrations that ran ($(recorded))" || bad "recorded: $(recorded)"
setup_sql "DROP TABLE migrate_probe; DELETE FROM schema_migrations WHERE name LIKE '90__-%'"

done_testing
