# tests/lib.sh: what the HTTP suites share.  Needs BASE_URL and
# DATABASE_URL.  Every suite speaks TAP (the Test Anything Protocol, as
# automake's tap-driver.sh and prove read it): ok and bad print one
# "ok N - ..." or "not ok N - ..." line per check, note prints a "# ..."
# line, and done_testing closes with the plan "1..N" and the suite's exit
# status.  A suite that stops before done_testing (a failed fixture, an
# unset variable) ends with "Bail out!": it never passes by stopping early.
BASE=${BASE_URL:?BASE_URL is required}
DB=${DATABASE_URL:?DATABASE_URL is required}
TMP=$(mktemp -d)
pass=0 fail=0 tap_done=0
tap_exit() {
	local rc=$?
	rm -rf "$TMP"
	if [ "$tap_done" = 0 ]; then
		echo "Bail out! ${0##*/} stopped after $((pass + fail)) checks, before its end (exit $rc)"
		exit 1
	fi
}
trap tap_exit EXIT

# tap_line STATUS MESSAGE: the first line of MESSAGE on the TAP line ('#'
# escaped: it would start a directive), the others as diagnostics.
tap_line() {
	local first=${2%%$'\n'*} rest
	echo "$1 $((pass + fail)) - ${first//#/\\#}"
	if [ "$first" != "$2" ]; then
		rest=${2#*$'\n'}
		printf '%s\n' "$rest" | sed 's/^/#   /'
	fi
}
ok() { pass=$((pass + 1)); tap_line ok "$*"; }
bad() { fail=$((fail + 1)); tap_line "not ok" "$*"; }
# note TEXT: what the suite is doing now (a TAP diagnostic line; tests/run
# shows these while the suite runs).
note() { echo "# $*"; }
# done_testing: the plan line; the exit status says whether all passed.
done_testing() {
	echo "1..$((pass + fail))"
	note "${0##*/}: $pass passed, $fail failed"
	tap_done=1
	[ "$fail" -eq 0 ]
}
# bail_out REASON: stop the suite now, as TAP says (the harness counts it
# as a failure, whatever ran before).
# From inside $(...) too: the line goes to the suite's own output (fd 3)
# and the suite itself stops (USR1).
exec 3>&1
trap 'tap_done=1; exit 1' USR1
bail_out() {
	echo "Bail out! $*" >&3
	tap_done=1
	[ "$BASHPID" = $$ ] || kill -USR1 $$
	exit 1
}

sql() { psql -X -q -tA -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }
# setup_sql SQL / setup_sql_file FILE: fixture statements; the first error
# bails the suite out (its checks would only fail in confusing ways).
# setup_sql prints what sql would (RETURNING ids, say).
setup_sql() {
	local out
	out=$(PGOPTIONS='-c client_min_messages=warning' psql -X -q -tA -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>&1) ||
		bail_out "fixture setup failed: ${out//$'\n'/ } (SQL: ${1:0:200})"
	[ -z "$out" ] || printf '%s\n' "$out"
}
setup_sql_file() {
	local out
	out=$(PGOPTIONS='-c client_min_messages=warning' psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$1" 2>&1) ||
		bail_out "fixture setup failed: ${out//$'\n'/ } (file $1)"
}

now_ms() { date +%s%3N; }

# The pool's workers (the children of its multiwatch, POOL_PIDFILE), never
# another stack's: sorted pids on one line, and how many.
workers() { pgrep -P "$(cat "$POOL_PIDFILE")" | sort -n | tr '\n' ' '; }
nworkers() { pgrep -P "$(cat "$POOL_PIDFILE")" | wc -l; }

# Exchanges for the openapi suite.  With EXCHANGE_DIR set (tests/run sets
# it when the openapi suite is to check what the service answered), req
# keeps every exchange there: curl writes the answer's headers and body
# straight into the directory (a copy would cost a fork per request, which
# is seconds over a suite), and one line of EXCHANGE_DIR/index.tsv says what
# was asked: suite, the check it fed, method, status, file stem, URL as
# sent.  Without it, each exchange overwrites the last in TMP.
EXCHANGE_SUITE=${0##*/}
EXCHANGE_SUITE=${EXCHANGE_SUITE%.sh}
case $0 in */e2e/*) EXCHANGE_SUITE=e2e-$EXCHANGE_SUITE ;; esac
exchange_n=0
XF=$TMP/exchange	# the last exchange's files: $XF.headers, $XF.body

# exchange_next: XF for the next exchange.  Named by the shell's pid too: a
# req in a command substitution counts from the same exchange_n.
exchange_next() {
	[ -n "${EXCHANGE_DIR:-}" ] || return 0
	exchange_n=$((exchange_n + 1))
	XF=$EXCHANGE_DIR/$EXCHANGE_SUITE.$BASHPID.$exchange_n
}

# exchange_keep METHOD URL [curl args...]: the exchange's index line, and
# what curl sent besides the URL: its -H lines and its body.
exchange_keep() {
	local m=$1 url=$2 h=
	shift 2
	while [ $# -gt 0 ]; do
		case $1 in
		-H | --header) h+="${2-}"$'\n'; shift ;;
		--data-binary | --data | -d)
			case ${2-} in
			@*) cp -- "${2#@}" "$XF.reqbody" ;;
			*) printf '%s' "${2-}" >"$XF.reqbody" ;;
			esac
			shift ;;
		--data-raw) printf '%s' "${2-}" >"$XF.reqbody"; shift ;;
		esac
		shift
	done
	printf '%s' "$h" >"$XF.reqheaders"
	printf '%s\t%d\t%s\t%s\t%s\t%s\n' "$EXCHANGE_SUITE" $((pass + fail + 1)) "$m" "$STATUS" \
		"${XF##*/}" "$url" >>"$EXCHANGE_DIR/index.tsv"
}

# req METHOD PATH [curl args...]: sets STATUS and BODY; header reads the
# answer's headers.
req() {
	local m=$1 p=$2 out
	shift 2
	exchange_next
	# curl leaves the files as they were when nothing comes
	: >"$XF.body"
	: >"$XF.headers"
	out=$(curl -s -o "$XF.body" -D "$XF.headers" -w '%{http_code} %{url_effective}' \
		-X "$m" "$@" "$BASE$p")
	STATUS=${out%% *}
	[ -z "${EXCHANGE_DIR:-}" ] || exchange_keep "$m" "${out#* }" "$@"
	BODY=$(cat "$XF.body")
}
header() { grep -i "^$1:" "$XF.headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

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

# good [JQ-EDIT]: a valid POST /reviews body for product GOOD_PRODUCT
# (default 1), edited by jq.
BODY50="This body has exactly enough characters to pass: 50"
good() {
	jq -cn --arg b "$BODY50" --argjson w "${GOOD_PRODUCT:-1}" "{product_id: \$w, rating: 4, summary: \"Nice\",
	    body: \$b, recommend: true, name: \"zed\", email: \"zed@example.com\",
	    photos: [\"https://img.example/w1.jpg\", \"http://img.example/w2.jpg\"]} | ${1:-.}"
}

# every_worker_serves NAME BASE_PRODUCT: reads of products no one asked for
# before (so each reaches the database), 16 at a time, until every worker
# of the pool has answered one with 200 (its X-Worker-Pid), up to 30
# rounds.  ok when each worker did and no read failed; names the workers
# never heard from otherwise.
every_worker_serves() {
	local name=$1 base=$2 round i want seen=" " missing codes=0 p
	want=$(workers)
	for round in $(seq 1 30); do
		for i in $(seq 1 16); do
			printf 'url = "%s/reviews?product_id=%d"\noutput = "/dev/null"\n' \
				"$BASE" $((base + round * 16 + i))
		done >"$TMP/ews.cfg"
		curl -s --parallel --parallel-max 16 -K "$TMP/ews.cfg" \
			-w '%{http_code} %header{x-worker-pid}\n' >"$TMP/ews.out" 2>/dev/null
		while read -r code p; do
			if [ "$code" != 200 ]; then
				codes=$((codes + 1))
			elif [[ "$seen" != *" $p "* ]]; then
				seen+="$p "
			fi
		done <"$TMP/ews.out"
		missing=
		for p in $want; do [[ "$seen" == *" $p "* ]] || missing+="$p "; done
		[ -z "$missing" ] && break
	done
	if [ -n "$want" ] && [ -z "$missing" ] && [ "$codes" = 0 ]; then
		ok "$name: every worker answered 200 itself (X-Worker-Pid ${want% })"
	else
		bad "$name: workers $want; never answered: ${missing:-none}; $codes reads not 200"
	fi
}

# verify_aggregates NAME: db/verify.sql finds every aggregate exact.
verify_aggregates() {
	local drift
	drift=$(psql -X -q -tA -d "$DB" -f "$(dirname "${BASH_SOURCE[0]}")/../db/verify.sql")
	[ -z "$drift" ] && ok "$1" || bad "aggregates drifted: $drift"
}

# A snapshot of every table and aggregate: writes that must write nothing
# leave it equal.  The admin audit log's size comes last (a read that is
# logged, an export, changes only that).
snapshot() {
	sql "SELECT r.n, (SELECT count(*) FROM reviews_photos),
	    (SELECT count(*) FROM characteristic_reviews), r.votes, r.reported,
	    (SELECT coalesce(sum(rating_1 + 2 * rating_2 + 3 * rating_3 + 4 * rating_4 + 5 * rating_5 + 7 * recommend_true + 11 * recommend_false + 17 * with_photos), 0) FROM product_meta),
	    (SELECT coalesce(sum(rating_sum * 13 + rating_count), 0) FROM characteristics),
	    r.removed, (SELECT count(*) FROM review_reports),
	    (SELECT count(*) FROM review_reports WHERE closed_at IS NULL),
	    (SELECT count(*) FROM idempotency_keys), (SELECT count(*) FROM admin_audit)
	    FROM (SELECT count(*) AS n, coalesce(sum(helpfulness), 0) AS votes,
	    count(*) FILTER (WHERE reported) AS reported,
	    count(*) FILTER (WHERE removed) AS removed FROM reviews) r"
}
