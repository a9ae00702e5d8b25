# tests/e2e/fixtures.sh: what every e2e suite (tests/e2e/*.sh) starts
# from, sourced after tests/lib.sh: products in a range the sample data
# never uses, made anew each time a suite starts (so each suite runs alone,
# in any order), with dates and helpfulness chosen so each sort order and
# tie-break is visible.  Any failed statement bails the suite out.
#
#   P  the sort fixture: A1..A5 (A4 reported), photos on A2, characteristics
#      C1 (Fit) and C2 (Length) rated by all five
#   Q  paging: 12 reviews tied on date and helpfulness
#   R  a product with a characteristic (C3) and no reviews
#   W  writes: characteristics WC1 (Size) and WC2 (Width), no reviews;
#      good() posts a valid review of it
P=1900000001	# the sort fixture
Q=1900000002	# paging: 12 reviews tied on date and helpfulness
R=1900000003	# a product with characteristics and no reviews
W=1900000004	# writes
GOOD_PRODUCT=$W
setup_sql "DELETE FROM characteristic_reviews WHERE review_id IN (SELECT id FROM reviews WHERE product_id >= 1900000000);
     DELETE FROM review_reports WHERE review_id IN (SELECT id FROM reviews WHERE product_id >= 1900000000);
     DELETE FROM reviews_photos WHERE review_id IN (SELECT id FROM reviews WHERE product_id >= 1900000000);
     DELETE FROM reviews WHERE product_id >= 1900000000;
     DELETE FROM characteristics WHERE product_id >= 1900000000;
     DELETE FROM product_meta WHERE product_id >= 1900000000;" >/dev/null
D=1555200000000			# 2019-04-14T00:00:00.000Z
DAY=86400000
ids=$(setup_sql "
INSERT INTO reviews (product_id, rating, date_ms, summary, body, recommend, reported,
    reviewer_name, reviewer_email, response, helpfulness) VALUES
 ($P, 5, $D, 'Old but loved', 'Body one', true, false, 'ann', 'ann@example.com', NULL, 3),
 ($P, 3, $((D + 50 * DAY)), 'Newest', 'Body two \"quoted\" and é', false, false, 'bob', 'bob@example.com', 'Thanks, Bob!', 0),
 ($P, 4, $((D + 50 * DAY)), 'Newest tie', 'Body three', true, false, 'cy', 'cy@example.com', NULL, 0),
 ($P, 1, $((D + 60 * DAY)), 'Reported', 'Body four', false, true, 'dee', 'dee@example.com', NULL, 9),
 ($P, 2, $((D + 10 * DAY)), 'Helpful', 'Body five', true, false, 'eve', 'eve@example.com', NULL, 3)
RETURNING id" | tr '\n' ' ')
read -r A1 A2 A3 A4 A5 <<<"$ids"
[[ "$A5" =~ ^[0-9]+$ ]] || bail_out "fixture setup: no review ids ($ids)"
setup_sql "INSERT INTO reviews_photos (review_id, url) VALUES ($A2, 'https://img.example/b.jpg'), ($A2, 'https://img.example/a.jpg');
     INSERT INTO characteristics (product_id, name) VALUES ($P, 'Fit'), ($P, 'Length'), ($R, 'Quality');" >/dev/null
read -r C1 C2 <<<"$(setup_sql "SELECT id FROM characteristics WHERE product_id = $P ORDER BY id" | tr '\n' ' ')"
C3=$(setup_sql "SELECT id FROM characteristics WHERE product_id = $R")
setup_sql "INSERT INTO characteristic_reviews (characteristic_id, review_id, value) VALUES
     ($C1, $A1, 5), ($C1, $A2, 2), ($C1, $A3, 4), ($C1, $A4, 1), ($C1, $A5, 4),
     ($C2, $A1, 3), ($C2, $A2, 3), ($C2, $A3, 3), ($C2, $A4, 1), ($C2, $A5, 2);" >/dev/null
for i in $(seq 1 12); do
	echo "($Q, 4, $D, 'tie $i', 'same day, same votes', true, false, 'q$i', 'q$i@example.com', NULL, 1)"
done | paste -sd, | sed 's/^/INSERT INTO reviews (product_id, rating, date_ms, summary, body, recommend, reported, reviewer_name, reviewer_email, response, helpfulness) VALUES /' >"$TMP/q.sql"
setup_sql_file "$TMP/q.sql"
setup_sql "INSERT INTO characteristics (product_id, name) VALUES ($W, 'Size'), ($W, 'Width')" >/dev/null
read -r WC1 WC2 <<<"$(setup_sql "SELECT id FROM characteristics WHERE product_id = $W ORDER BY id" | tr '\n' ' ')"
setup_sql_file "$(dirname "${BASH_SOURCE[0]}")/../../db/aggregates.sql"
# Fixtures written behind the API's back: every app server drops its cache.
setup_sql "NOTIFY reviews_cache, '*'" >/dev/null
sleep 0.1
PHOTO_B=$(setup_sql "SELECT id FROM reviews_photos WHERE url = 'https://img.example/b.jpg' AND review_id = $A2")
PHOTO_A=$((PHOTO_B + 1))
[[ "$PHOTO_B" =~ ^[0-9]+$ ]] && [[ "$C3" =~ ^[0-9]+$ ]] && [[ "$WC2" =~ ^[0-9]+$ ]] ||
	bail_out "fixture setup: missing ids (photo $PHOTO_B, C3 $C3, WC2 $WC2)"

review_json() {	# the exact JSON of one fixture review
	case $1 in
	1) echo "{\"review_id\":$A1,\"rating\":5,\"summary\":\"Old but loved\",\"recommend\":true,\"response\":null,\"body\":\"Body one\",\"date\":\"2019-04-14T00:00:00.000Z\",\"reviewer_name\":\"ann\",\"helpfulness\":3,\"photos\":[]}" ;;
	2) echo "{\"review_id\":$A2,\"rating\":3,\"summary\":\"Newest\",\"recommend\":false,\"response\":\"Thanks, Bob!\",\"body\":\"Body two \\\"quoted\\\" and é\",\"date\":\"2019-06-03T00:00:00.000Z\",\"reviewer_name\":\"bob\",\"helpfulness\":0,\"photos\":[{\"id\":$PHOTO_B,\"url\":\"https://img.example/b.jpg\"},{\"id\":$PHOTO_A,\"url\":\"https://img.example/a.jpg\"}]}" ;;
	3) echo "{\"review_id\":$A3,\"rating\":4,\"summary\":\"Newest tie\",\"recommend\":true,\"response\":null,\"body\":\"Body three\",\"date\":\"2019-06-03T00:00:00.000Z\",\"reviewer_name\":\"cy\",\"helpfulness\":0,\"photos\":[]}" ;;
	5) echo "{\"review_id\":$A5,\"rating\":2,\"summary\":\"Helpful\",\"recommend\":true,\"response\":null,\"body\":\"Body five\",\"date\":\"2019-04-24T00:00:00.000Z\",\"reviewer_name\":\"eve\",\"helpfulness\":3,\"photos\":[]}" ;;
	esac
}
page_json() {	# page_json PAGE COUNT REVIEW...
	local page=$1 count=$2 out="" r
	shift 2
	for r in "$@"; do out+="${out:+,}$(review_json "$r")"; done
	echo "{\"product\":\"$P\",\"page\":$page,\"count\":$count,\"results\":[$out]}"
}

# e2e_header NAME WHAT: the suite's opening lines.
e2e_header() { note "e2e/$1: $2"; }
