#!/usr/bin/env bash
# tests/e2e/meta.sh: GET /reviews/meta: string counts, 16-digit means, reported
# reviews not counted, paths as sent, bad product ids.
# Needs BASE_URL and DATABASE_URL; starts from tests/e2e/fixtures.sh.
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header meta "GET /reviews/meta: counts, means, paths, bad ids"

# Fit: 5,2,4,4 (A4 reported) = 15/4; Length: 3,3,3,2 = 11/4.
META_P="{\"product_id\":\"$P\",\"ratings\":{\"1\":\"0\",\"2\":\"1\",\"3\":\"1\",\"4\":\"1\",\"5\":\"1\"},\"recommended\":{\"false\":\"1\",\"true\":\"3\"},\"characteristics\":{\"Fit\":{\"id\":$C1,\"value\":\"3.7500000000000000\"},\"Length\":{\"id\":$C2,\"value\":\"2.7500000000000000\"}}}"
req GET "/reviews/meta?product_id=$P"
expect "meta: string counts, 16-digit means, reported not counted" 200 "$META_P"
req GET "/reviews/meta/?product_id=$P"
expect "meta with trailing slash" 200 "$META_P"
req GET "/api/reviews/meta?product_id=$P&cachebust=7"
expect "meta under /api, unknown parameter ignored" 200 "$META_P"
# Percent-encoded letters are the letters themselves (RFC 3986): the
# worker decodes each segment of the path as sent (README, "Paths").
req GET "/reviews/%6Deta?product_id=$P"
expect "meta as /reviews/%6Deta" 200 "$META_P"
req GET "/api/%72eviews/meta/?product_id=$P"
expect "meta as /api/%72eviews/meta/" 200 "$META_P"
req GET "/reviews/meta%2F?product_id=$P"
expect_error "an encoded slash is not a separator: /reviews/meta%2F is no route" 404 "not found"
req GET "/reviews/meta?product_id=$R"
expect "meta: characteristic without ratings has value null" 200 "{\"product_id\":\"$R\",\"ratings\":{\"1\":\"0\",\"2\":\"0\",\"3\":\"0\",\"4\":\"0\",\"5\":\"0\"},\"recommended\":{\"false\":\"0\",\"true\":\"0\"},\"characteristics\":{\"Quality\":{\"id\":$C3,\"value\":null}}}"
req GET "/reviews/meta?product_id=1999999999"
expect "meta of an unknown product: zeros, no characteristics" 200 '{"product_id":"1999999999","ratings":{"1":"0","2":"0","3":"0","4":"0","5":"0"},"recommended":{"false":"0","true":"0"},"characteristics":{}}'
for qs in "" "product_id=x" "product_id=0" "product_id=1&product_id=1" "product_id=2147483648"; do
	req GET "/reviews/meta?$qs"
	expect_error "meta rejects ?$qs" 400 product_id
done


done_testing
