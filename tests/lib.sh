# tests/lib.sh: what the HTTP suites share.  Needs BASE_URL and
# DATABASE_URL; keeps pass/fail counts for the suite's closing line.
BASE=${BASE_URL:?BASE_URL is required}
DB=${DATABASE_URL:?DATABASE_URL is required}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
pass=0 fail=0

ok() { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }
sql() { psql -X -q -tA -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }

# req METHOD PATH [curl args...]: sets STATUS, BODY and HEADERS (file).
req() {
	local m=$1 p=$2
	shift 2
	: >"$TMP/body"	# curl leaves the file as it was when no body comes
	STATUS=$(curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' \
		-X "$m" "$@" "$BASE$p")
	BODY=$(cat "$TMP/body")
}
header() { grep -i "^$1:" "$TMP/headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

# expect NAME STATUS [BODY]: status, and the exact body when given.
expect() {
	local name=$1 st=$2
	if [ "$STATUS" != "$st" ]; then
		bad "$name: status $STATUS, want $st; body $BODY"
	elif [ $# -ge 3 ] && [ "$BODY" != "$3" ]; then
		bad "$name: body $BODY"$'\n'"      want $3"
	else
		ok "$name"
	fi
}

# expect_error NAME STATUS FIELD: a JSON error whose message names FIELD,
# served as JSON.
expect_error() {
	local name=$1 st=$2 field=$3 msg
	msg=$(jq -er '.error' <<<"$BODY" 2>/dev/null)
	if [ "$STATUS" != "$st" ]; then
		bad "$name: status $STATUS, want $st; body $BODY"
	elif [ -z "$msg" ] || [[ "$msg" != *"$field"* ]]; then
		bad "$name: error does not name $field: $BODY"
	elif [[ "$(header Content-Type)" != application/json* ]]; then
		bad "$name: Content-Type $(header Content-Type)"
	else
		ok "$name"
	fi
}

# expect_jq NAME FILTER WANT: jq FILTER of the last body prints WANT.
expect_jq() {
	local got
	got=$(jq -c "$2" <<<"$BODY" 2>&1)
	if [ "$got" = "$3" ]; then ok "$1"; else bad "$1: $2 = $got, want $3"; fi
}

post() {	# post BODY [curl args]: POST /reviews as JSON
	local b=$1
	shift
	req POST /reviews -H 'Content-Type: application/json' --data-binary "$b" "$@"
}

# A snapshot of every table and aggregate: writes that must write nothing
# leave it equal.
snapshot() {
	sql "SELECT (SELECT count(*) FROM reviews), (SELECT count(*) FROM reviews_photos),
	    (SELECT count(*) FROM characteristic_reviews),
	    (SELECT coalesce(sum(helpfulness), 0) FROM reviews),
	    (SELECT count(*) FROM reviews WHERE reported),
	    (SELECT coalesce(sum(rating_1 + 2 * rating_2 + 3 * rating_3 + 4 * rating_4 + 5 * rating_5 + 7 * recommend_true + 11 * recommend_false), 0) FROM product_meta),
	    (SELECT coalesce(sum(rating_sum * 13 + rating_count), 0) FROM characteristics)"
}

