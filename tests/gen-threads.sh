#!/usr/bin/env bash
# tests/gen-threads.sh: reviews-gen's promise, identical bytes whatever the
# number of threads: the same scale and seed at --threads 1, 3 and 8 give
# the same four files (sha256), and another seed gives other bytes.  Run
# by make check (GEN: the built generator); speaks TAP.
set -uo pipefail
GEN=${GEN:-src/gen/reviews-gen}
SCALE=${GEN_TEST_SCALE:-0.02}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
[ -x "$GEN" ] || { echo "Bail out! no generator at $GEN"; exit 1; }
FILES="reviews.csv reviews_photos.csv characteristics.csv characteristic_reviews.csv"

sums() {	# sums DIR: one "sha256 file" line per file
	(cd "$1" && sha256sum $FILES)
}
for t in 1 3 8; do
	if "$GEN" --scale "$SCALE" --seed 7 --threads "$t" --out "$TMP/t$t" >"$TMP/t$t.log" 2>&1; then
		ok "scale $SCALE seed 7 at --threads $t: written"
	else
		bad "--threads $t failed: $(tail -3 "$TMP/t$t.log")"
	fi
done
# Work is cut into chunks of 4,096 products (src/gen/chunk.h): the threads
# only matter over several chunks.
rows=$(cat "$TMP/t1/reviews.csv" 2>/dev/null | wc -l)
maxp=$(tail -n +2 "$TMP/t1/reviews.csv" 2>/dev/null | cut -d, -f2 | sort -n | tail -1)
[ "$rows" -gt 1000 ] && [ "${maxp:-0}" -gt $((3 * 4096)) ] &&
	ok "the files span several chunks ($rows lines of reviews.csv, products up to $maxp)" ||
	bad "reviews.csv has $rows lines, products up to ${maxp:-none}: fewer than 4 chunks"
for t in 3 8; do
	if [ "$(sums "$TMP/t$t" 2>&1)" = "$(sums "$TMP/t1" 2>&1)" ]; then
		ok "--threads $t: the same sha256 for each file as --threads 1"
	else
		bad "--threads $t differs from --threads 1:"$'\n'"$(diff <(sums "$TMP/t1") <(sums "$TMP/t$t") | sed 's/^/# /')"
	fi
done
"$GEN" --scale "$SCALE" --seed 8 --threads 3 --out "$TMP/s8" >/dev/null 2>&1
[ "$(sums "$TMP/s8" 2>&1)" != "$(sums "$TMP/t1" 2>&1)" ] && ok "another seed gives other bytes" ||
	bad "seed 8 wrote the same files as seed 7"
echo "1..$n"
[ "$failed" = 0 ]
