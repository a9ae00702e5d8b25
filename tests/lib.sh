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
# and the bulk_ functions below keep every exchange there: curl writes the
# answer's headers and body straight into the directory (a copy would cost
# a fork per request, which is seconds over a suite), and one line of
# EXCHANGE_DIR/index.tsv says what was asked: suite, the check it fed (the
# next one at the time), method, status, file stem, URL as sent.  Without
# it, each exchange overwrites the last in TMP.
EXCHANGE_SUITE=${0##*/}
EXCHANGE_SUITE=${EXCHANGE_SUITE%.sh}
case $0 in */e2e/*) EXCHANGE_SUITE=e2e-$EXCHANGE_SUITE ;; esac
exchange_n=0 exchange_pid= exchange_id=
XF=$TMP/exchange	# the last exchange's files: $XF.headers, $XF.body

# exchange_stem: the next exchange's file name, without its extension, in
# XS.  A req in a command substitution or a background process counts
# from the same exchange_n as its parent, so the name says which process
# made it: its pid and, since a pid comes again once pid_max (often 32768)
# wraps, when that process first recorded.
exchange_stem() {
	[ "$exchange_pid" = "$BASHPID" ] || exchange_pid=$BASHPID exchange_id=$BASHPID.${EPOCHREALTIME/[.,]/}
	exchange_n=$((exchange_n + 1))
	XS=$EXCHANGE_SUITE.$exchange_id.$exchange_n
}

# exchange_next: XF for the next exchange (without EXCHANGE_DIR, one per
# process: processes running at once must not share one file either).
exchange_next() {
	if [ -z "${EXCHANGE_DIR:-}" ]; then
		XF=$TMP/exchange.$BASHPID
		return 0
	fi
	exchange_stem
	XF=$EXCHANGE_DIR/$XS
}

# exchange_request STEM [curl args...]: what curl sent besides the method
# and URL, beside the answer: STEM.reqheaders (its -H lines) and
# STEM.reqbody (its body, when it had one).
exchange_request() {
	local stem=$1 h=
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		-H | --header) h+="${2-}"$'\n'; shift ;;
		--data-binary | --data | -d)
			case ${2-} in
			@*) cp -- "${2#@}" "$stem.reqbody" ;;
			*) printf '%s' "${2-}" >"$stem.reqbody" ;;
			esac
			shift ;;
		--data-raw) printf '%s' "${2-}" >"$stem.reqbody"; shift ;;
		esac
		shift
	done
	printf '%s' "$h" >"$stem.reqheaders"
}

# exchange_line METHOD STATUS STEM URL: the exchange's index.tsv line (on
# stdout: the caller appends it, or many at once).  Appends of one short
# line each are atomic (O_APPEND), so processes may record at once.
exchange_line() {
	printf '%s\t%d\t%s\t%s\t%s\t%s\n' "$EXCHANGE_SUITE" $((pass + fail + 1)) "$1" "$2" "${3##*/}" "$4"
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
	if [ -n "${EXCHANGE_DIR:-}" ]; then
		exchange_request "$XF" "$@"
		exchange_line "$m" "$STATUS" "$XF" "${out#* }" >>"$EXCHANGE_DIR/index.tsv"
	fi
	# As $(cat ...) would, trailing newlines dropped, without its fork (a
	# body is text: it never holds the NUL that would end the read).
	IFS= read -r -d '' BODY <"$XF.body"
	while [ "${BODY: -1}" = $'\n' ]; do BODY=${BODY%$'\n'}; done
}
header() { grep -i "^$1:" "$XF.headers" | head -1 | cut -d' ' -f2- | tr -d '\r'; }

# Bulk requests: many transfers for one curl, from a -K config (a curl
# each costs a fork, most of a suite's time when there are thousands),
# each exchange kept as req keeps its own.
#
#   bulk_new                              a new batch (its files' stem XB)
#   bulk_add CFG NAME METHOD PATH [ARGS]  one transfer, appended to config CFG
#   bulk_run CFG [OPTIONS]                curl -K CFG, and the index lines
#   bulk_got NAME                         CODE, CTYPE, GOT: NAME's status,
#                                         Content-Type and body
#   bulk_header NAME FIELD                HDR: FIELD's value in NAME's answer
#
# NAME (letters, digits, '.', '_', '-') is unique in its batch: the
# answer's files are $XB.NAME.body and $XB.NAME.headers.  ARGS are req's
# kind: -H, --data-binary, --max-time, --path-as-is.  OPTIONS apply to
# the whole run (--parallel, --parallel-max N): every transfer is an
# operation of its own ("next"), since curl takes output, dump-header and
# write-out per operation, not per URL, and so does any option given on
# the command line.  Each transfer's write-out line, in CFG.out, is
# "NAME|STATUS|CURL_EXIT|METHOD|CONTENT_TYPE|URL"; bulk_load CFG.out
# reads the results of a run made by another process (in the background,
# say: it recorded its own exchanges), and BULK_CODE, BULK_EXIT and
# BULK_CTYPE hold them by name.  No process but the one curl per run (and,
# kept, a cp for a request body sent from a file).
declare -A BULK_CODE=() BULK_EXIT=() BULK_CTYPE=()
XB=$TMP/bulk
bulk_new() {
	exchange_stem
	XB=${EXCHANGE_DIR:-$TMP}/$XS
	BULK_CODE=() BULK_EXIT=() BULK_CTYPE=()
}
# bulk_q STRING: STRING as a quoted value of a curl config, in Q (curl's
# config reader undoes \\, \", \n, \r and \t).
bulk_q() {
	case $1 in
	*[\\\"$'\n\r\t']*)
		Q=${1//\\/\\\\}
		Q=${Q//\"/\\\"}
		Q=${Q//$'\n'/\\n}
		Q=${Q//$'\r'/\\r}
		Q=${Q//$'\t'/\\t} ;;
	*) Q=$1 ;;	# most strings: one match, not five replacements
	esac
}
bulk_add() {
	local cfg=$1 name=$2 m=$3 c= stem=$XB.$2
	shift 3
	[ -s "$cfg" ] && c=$'next\n'	# a "next" at the end would be one more, empty, transfer
	bulk_q "$BASE$1"
	c+="url = \"$Q\""$'\n'
	shift
	case $m in
	GET) ;;
	HEAD) c+=$'head\n' ;;
	*) c+="request = \"$m\""$'\n' ;;
	esac
	bulk_q "$stem"
	c+="output = \"$Q.body\""$'\n'"dump-header = \"$Q.headers\""$'\n'
	c+="write-out = \"$name|%{http_code}|%{exitcode}|%{method}|%{content_type}|%{url_effective}\\n\""$'\n'
	[ -z "${EXCHANGE_DIR:-}" ] || exchange_request "$stem" "$@"
	while [ $# -gt 0 ]; do
		case $1 in
		-H | --header) bulk_q "$2"; c+="header = \"$Q\""$'\n'; shift ;;
		--data-binary) bulk_q "$2"; c+="data-binary = \"$Q\""$'\n'; shift ;;
		--max-time) c+="max-time = $2"$'\n'; shift ;;
		--path-as-is) c+=$'path-as-is\n' ;;
		*) bail_out "bulk_add: no config line for curl's $1" ;;
		esac
		shift
	done
	printf '%s' "$c" >>"$cfg"
}
bulk_run() {
	local cfg=$1 rc
	shift
	# Its stderr is a progress meter when parallel, even with -s.
	curl -s "$@" -K "$cfg" >"$cfg.out" 2>/dev/null
	rc=$?
	bulk_read "$cfg.out" "${EXCHANGE_DIR:+keep}"
	return $rc
}
bulk_load() { local f; for f in "$@"; do bulk_read "$f" ""; done; }
bulk_read() {	# bulk_read OUT KEEP: OUT's results; their index lines too when KEEP
	local name code ex m ct url
	while IFS='|' read -r name code ex m ct url; do
		BULK_CODE[$name]=$code BULK_EXIT[$name]=$ex BULK_CTYPE[$name]=$ct
		[ -z "$2" ] || exchange_line "$m" "$code" "$XB.$name" "$url" >>"$EXCHANGE_DIR/index.tsv"
	done <"$1"
}
bulk_got() {
	CODE=${BULK_CODE[$1]:-none} CTYPE=${BULK_CTYPE[$1]-} GOT=
	[ -f "$XB.$1.body" ] && IFS= read -r -d '' GOT <"$XB.$1.body"
	return 0
}
bulk_header() {
	local line k=${2,,}: found=
	HDR=
	[ -f "$XB.$1.headers" ] || return 0
	while IFS= read -r line; do
		line=${line%$'\r'}
		case ${line,,} in
		http/*) HDR= found= ;;	# after a 100 Continue, the answer's own block
		"$k"*) [ -n "$found" ] || { HDR=${line:${#k}}; HDR=${HDR# }; found=1; } ;;
		esac
	done <"$XB.$1.headers"
}

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

# metric NAME: the host's counter NAME, summed over its workers (a req of
# GET /metrics: call it in $(...), or it replaces STATUS and BODY).
metric() {
	req GET /metrics
	awk -v n="$1" '$1 == n {print $2}' <<<"$BODY"
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
		bulk_new
		: >"$TMP/ews.cfg"
		for i in $(seq 1 16); do
			bulk_add "$TMP/ews.cfg" "r$i" GET "/reviews?product_id=$((base + round * 16 + i))"
		done
		bulk_run "$TMP/ews.cfg" --parallel --parallel-max 16
		for i in $(seq 1 16); do
			bulk_header "r$i" X-Worker-Pid
			p=$HDR
			if [ "${BULK_CODE[r$i]:-none}" != 200 ]; then
				codes=$((codes + 1))
			elif [[ "$seen" != *" $p "* ]]; then
				seen+="$p "
			fi
		done
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
# leave it equal.  Moderation too: statuses, responses, reports (all and
# closed) and idempotency keys; the admin audit log's size comes last (a
# read that is logged, an export, changes only that).
snapshot() {
	sql "SELECT (SELECT count(*) FROM reviews), (SELECT count(*) FROM reviews_photos),
	    (SELECT count(*) FROM characteristic_reviews),
	    (SELECT coalesce(sum(helpfulness), 0) FROM reviews),
	    (SELECT count(*) FROM reviews WHERE reported),
	    (SELECT count(*) FROM reviews WHERE removed),
	    (SELECT md5(coalesce(string_agg(id || ':' || response, ',' ORDER BY id), '')) FROM reviews WHERE response IS NOT NULL),
	    (SELECT count(*) || '/' || count(closed_at) FROM review_reports),
	    (SELECT coalesce(sum(rating_1 + 2 * rating_2 + 3 * rating_3 + 4 * rating_4 + 5 * rating_5 + 7 * recommend_true + 11 * recommend_false + 17 * with_photos), 0) FROM product_meta),
	    (SELECT coalesce(sum(rating_sum * 13 + rating_count), 0) FROM characteristics),
	    (SELECT count(*) FROM idempotency_keys),
	    (SELECT count(*) FROM admin_audit)"
}
