#!/usr/bin/env bash
# tests/ui.sh: the moderation page (/moderation/, nginx/ui/) in a real
# headless browser: Debian's Chromium driven by playwright-core
# (tests/ui/moderation.mjs), against the test stack through NGINX.
#
#   1. an admin token from spawn/stack admin-token; four reviews posted
#      and reported through the public API (A twice: spam and other; B
#      offensive; C fake; D privacy), so none is public
#   2. the page's headers (its CSP above all), then a wrong token: an
#      error, no queue, and a snapshot by SQL shows nothing changed
#   3. signed in: the queue with counts and reasons, markup in a review
#      shown as text; A restored; B answered and restored; C removed and
#      found among the decided ones; signed out (token gone, after a reload
#      too); signed in again, the token replaced behind the page's back:
#      restoring D is refused and signs out
#   4. the policy at work in the page (innerHTML, inline script and style,
#      a fetch to another origin: all refused)
#   5. through the public API (curl through NGINX): the list shows A and B
#      with B's response, not C nor D; meta counts A and B; the database
#      and the audit log hold exactly those four decisions, nothing for D
#
# In every browser phase every request went to the page's own origin, the
# token only as an Authorization header of /admin/ requests, and the
# console showed no error or CSP violation beyond the provoked 401s.
#
# Needs BASE_URL, DATABASE_URL and STACK_DIR (the stack whose token file
# the workers read), node and npm, and /usr/bin/chromium (or CHROMIUM).
# playwright-core is pinned by tests/ui/package-lock.json and installed
# here into tests/ui/node_modules (git-ignored) by npm ci; it downloads no
# browser.  Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
UI=$HERE/ui
export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

for tool in node npm psql; do
	command -v "$tool" >/dev/null || bail_out "no $tool (spawn/lib/pkg.sh installs it: run spawn/stack test as root)"
done
[ -x "$CHROMIUM" ] || bail_out "no $CHROMIUM: run as root apt-get install -y --no-install-recommends chromium"

# npm ci into node_modules unless the lock it was made from is the lock
# here (as tests/openapi/run does); install scripts are not run: the
# browser is Debian's, nothing is downloaded for it.
ui_install() {
	local stamp=$UI/node_modules/.installed-from out t0
	cmp -s "$UI/package-lock.json" "$stamp" 2>/dev/null && return 0
	note "ui: npm ci in tests/ui"
	t0=$(date +%s)
	out=$(cd "$UI" && npm ci --ignore-scripts --no-audit --no-fund 2>&1) ||
		bail_out "npm ci in tests/ui failed: $(printf '%s\n' "$out" | tail -5 | tr '\n' ' ')"
	cp "$UI/package-lock.json" "$stamp"
	note "ui: $(printf '%s\n' "$out" | grep -E '^added ' | tail -1) ($(($(date +%s) - t0)) s)"
}
ui_install

# ui_phase PHASE: the browser driver's checks, numbered into this stream;
# its notes relayed.  A driver that did not run to its end is one failure
# more, with the end of what it said.
ui_phase() {
	local line rc
	(cd "$UI" && node moderation.mjs "$1") >"$TMP/ui-$1.out" 2>"$TMP/ui-$1.err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok - "*) ok "${line#ok - }" ;;
		"not ok - "*) bad "${line#not ok - }" ;;
		"#"*) echo "$line" ;;
		esac
	done <"$TMP/ui-$1.out"
	[ "$rc" = 0 ] || bad "browser phase $1 stopped (exit $rc): $(tail -8 "$TMP/ui-$1.err")"
}

# A token of our own.  spawn/stack reads the stack's settings: it must not
# see the suite's DATABASE_URL (a setting the stack was started without).
admin_token() { env -u DATABASE_URL "$ROOT/spawn/stack" admin-token ui-suite 2>/dev/null; }
UI_TOKEN=$(admin_token)
[[ "$UI_TOKEN" =~ ^[A-Za-z0-9_-]{20,}$ ]] || bail_out "spawn/stack admin-token gave no token"
export UI_TOKEN UI_REVOKE="env -u DATABASE_URL '$ROOT/spawn/stack' admin-token ui-suite >/dev/null 2>&1"
# Workers read the token file again when it changes: wait for this one.
for i in $(seq 1 50); do
	req GET "/admin/reports?status=open&count=1" -H "Authorization: Bearer $UI_TOKEN"
	[ "$STATUS" = 200 ] && break
	sleep 0.1
done
expect "the new token is accepted by the admin API" 200
# The page's own CSP is the page's alone: the API keeps the one that
# allows nothing, admin answers included.
API_CSP="default-src 'none'; frame-ancestors 'none'"
[ "$(header Content-Security-Policy)" = "$API_CSP" ] && ok "the admin API keeps the API's CSP" ||
	bad "the admin API's CSP: $(header Content-Security-Policy)"
req GET "/reviews?product_id=1"
[ "$(header Content-Security-Policy)" = "$API_CSP" ] && [ "$(header X-Frame-Options)" = DENY ] &&
	[ -n "$(header Access-Control-Allow-Origin)" ] && ok "a public read keeps the API's CSP and CORS headers" ||
	bad "a public read's headers: $(tr -d '\r' <"$XF.headers" | tr '\n' '|')"

# NGINX's own answers around the page, by plain curl: they are no
# answers of the API, and the openapi suite holds req's exchanges to it.
got=$(curl -s -o /dev/null -w '%{http_code} %header{location}' "$BASE/moderation")
[ "$got" = "301 /moderation/" ] && ok "/moderation: 301 to /moderation/" || bad "/moderation: $got"
got=$(curl -s -w ' %{http_code} %{content_type}' -X POST --data-binary x "$BASE/moderation/")
[ "$got" = '{"error":"method not allowed"} 405 application/json; charset=utf-8' ] &&
	ok "POST to the page: NGINX's JSON 405" || bad "POST to the page: $got"
got=$(curl -s -w ' %{http_code}' "$BASE/moderation/nothing.js")
[ "$got" = '{"error":"not found"} 404' ] && ok "a file the page has not: NGINX's JSON 404" || bad "/moderation/nothing.js: $got"

# The fixture product, in a range no other suite uses; anything left from
# an earlier run goes first.
U=1850000001
setup_sql "DELETE FROM review_reports WHERE review_id IN (SELECT id FROM reviews WHERE product_id = $U);
     DELETE FROM reviews_photos WHERE review_id IN (SELECT id FROM reviews WHERE product_id = $U);
     DELETE FROM characteristic_reviews WHERE review_id IN (SELECT id FROM reviews WHERE product_id = $U);
     DELETE FROM reviews WHERE product_id = $U;
     DELETE FROM product_meta WHERE product_id = $U;
     NOTIFY reviews_cache, '$U';" >/dev/null
review() {	# review JQ-EDIT: post a review of U, print its id
	local b
	b=$(jq -cn --argjson u "$U" "{product_id: \$u, rating: 3, recommend: true, photos: []} | $1")
	post "$b"
	[ "$STATUS" = 201 ] || bail_out "posting a fixture review: $STATUS $BODY"
	jq -r .review_id <<<"$BODY"
}
UI_A=$(review '. + {rating: 5, summary: "Great shades, wrongly flagged", name: "ann_ui", email: "ann.ui@example.com",
	body: "Comfortable, light and they survived a week at the beach.", photos: ["https://img.example/ui-a1.jpg"]}')
UI_B=$(review '. + {rating: 2, recommend: false, summary: "<img src=x onerror=alert(1)> & \"quoted\"",
	name: "bob_ui", email: "bob.ui@example.com",
	body: "<script>alert(2)</script> The left hinge broke on day two, <b>sadly</b>."}')
UI_C=$(review '. + {rating: 1, summary: "Buy from my shop instead", name: "spam_ui", email: "spam.ui@example.com",
	body: "Cheap shades at my own shop, link in my profile, best prices anywhere."}')
UI_D=$(review '. + {rating: 4, summary: "My neighbour wears them", name: "dee_ui", email: "dee.ui@example.com",
	body: "My neighbour at 12 Example Road wears these every day and they look fine."}')
export UI_A UI_B UI_C UI_D
note "ui: reviews A=$UI_A B=$UI_B C=$UI_C D=$UI_D of product $U"
report() {	# report ID REASON: PUT /reviews/ID/report with that reason
	req PUT "/reviews/$1/report" -H 'Content-Type: application/json' --data-binary "{\"reason\":\"$2\"}"
	[ "$STATUS" = 204 ] || bail_out "reporting review $1 ($2): $STATUS $BODY"
}
report "$UI_A" spam
report "$UI_A" other
report "$UI_B" offensive
report "$UI_C" fake
req PUT "/reviews/$UI_D/report" -H 'Content-Type: application/json' \
	--data-binary '{"reason":"privacy","note":"gives a home address"}'
[ "$STATUS" = 204 ] || bail_out "reporting review $UI_D: $STATUS $BODY"
req GET "/reviews?product_id=$U"
expect_jq "reported, none of the four is public" '.results' '[]'

# What a refused token must leave as it was: every table and aggregate,
# the four reviews' states and responses, the reports and the audit log.
mod_snapshot() {
	snapshot
	sql "SELECT string_agg(id || ':' || reported || removed || coalesce(response, '-'), ',' ORDER BY id)
	     FROM reviews WHERE product_id = $U"
	sql "SELECT count(*), count(closed_at) FROM review_reports"
	sql "SELECT count(*) FROM admin_audit"
}
before=$(mod_snapshot)

export UI_SHOTS=${UI_SHOTS:-${STACK_DIR:+$STACK_DIR/log/ui}}
ui_phase wrong
[ "$(mod_snapshot)" = "$before" ] && ok "a wrong token changed nothing (SQL snapshot)" ||
	bad "a wrong token changed something"$'\n'"before: $before"$'\n'"after: $(mod_snapshot)"

export UI_RESPONSE="Thank you, Bob: we sent a new pair — hinges fixed since May. <i>Sorry!</i>"
audit_before=$(sql "SELECT coalesce(max(id), 0) FROM admin_audit")
ui_phase moderate
ui_phase policy

# The outcome as the public and the database see it.
req GET "/reviews?product_id=$U&sort=newest"
expect_jq "the public list shows A (restored) and B (restored, answered), newest first" \
	'[.results[] | [.review_id, .response]]' "$(jq -cn --argjson a "$UI_A" --argjson b "$UI_B" \
	--arg r "$UI_RESPONSE" '[[$b, $r], [$a, null]]')"
expect_jq "A's photo is public again" '[.results[] | select(.review_id == '"$UI_A"') | .photos[].url]' \
	'["https://img.example/ui-a1.jpg"]'
req GET "/reviews/meta?product_id=$U&stats=true"
expect_jq "meta counts A and B again (5 and 2 stars, one recommends)" '[.ratings, .recommended, .stats.reviews]' \
	'[{"1":"0","2":"1","3":"0","4":"0","5":"1"},{"false":"1","true":"1"},"2"]'
got=$(sql "SELECT string_agg(id || ' ' || reported || ' ' || removed || ' ' || (response IS NOT NULL), ', ' ORDER BY id)
     FROM reviews WHERE product_id = $U")
want="$UI_A false false false, $UI_B false false true, $UI_C true true false, $UI_D true false false"
[ "$got" = "$want" ] && ok "database: A and B published (B answered), C removed, D still waiting" ||
	bad "database: $got"$'\n'"want $want"
got=$(sql "SELECT count(*) FROM review_reports WHERE review_id = $UI_D AND closed_at IS NULL")
[ "$got" = 1 ] && ok "D's report is still open after the refused restore" || bad "D's open reports: $got"
got=$(sql "SELECT string_agg(token || ' ' || action || ' ' || target, ', ' ORDER BY id)
     FROM admin_audit WHERE id > $audit_before")
want="ui-suite restore review $UI_A, ui-suite response review $UI_B, ui-suite restore review $UI_B, ui-suite remove review $UI_C"
[ "$got" = "$want" ] && ok "audit log: exactly the four changes, by the page's token, none for D" ||
	bad "audit log: $got"$'\n'"want $want"
verify_aggregates "verify: every aggregate matches the raw rows"
done_testing
