#!/usr/bin/env bash
# tests/e2e/conditional.sh: Conditional GET (API.md Part 2): a strong ETag from
# the body's bytes, 304 with no body for a matching If-None-Match answered
# from the cache (/metrics counts it), and a new ETag after a write.
# Needs BASE_URL and DATABASE_URL; starts from tests/e2e/fixtures.sh.
# Speaks TAP (tests/lib.sh).
set -uo pipefail
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/fixtures.sh"
e2e_header conditional "ETag, If-None-Match, 304 from the cache (/metrics)"

# with no body for a matching If-None-Match, answered from the cache.
for path in "/reviews?product_id=$P&sort=newest" "/reviews/meta?product_id=$P"; do
	req GET "$path"
	tag=$(header ETag) body=$BODY
	[[ "$tag" =~ ^\"[0-9a-f]{16}\"$ ]] && ok "ETag on $path: $tag" || bad "ETag on $path: '$tag'"
	req GET "$path"
	[ "$(header ETag)" = "$tag" ] && [ "$BODY" = "$body" ] && ok "the same body, the same ETag" ||
		bad "ETag changed: $(header ETag) for the same body"
	hits=$(metric reviews_cache_hits_total) misses=$(metric reviews_cache_misses_total)
	req GET "$path" -H "If-None-Match: $tag"
	if [ "$STATUS" = 304 ] && [ -z "$BODY" ] && [ "$(header ETag)" = "$tag" ] &&
	   [ "$(header Cache-Control)" = no-cache ]; then
		ok "If-None-Match $tag: 304, no body, the ETag, no-cache"
	else
		bad "If-None-Match: $STATUS, ETag '$(header ETag)', body '$BODY'"
	fi
	[ "$(metric reviews_cache_hits_total)" = $((hits + 1)) ] && [ "$(metric reviews_cache_misses_total)" = "$misses" ] &&
		ok "that 304 came from the cache, without a database round trip" ||
		bad "304: hits $hits -> $(metric reviews_cache_hits_total), misses $misses -> $(metric reviews_cache_misses_total)"
	for inm in "W/$tag" "*" "\"0000000000000000\", $tag" "  $tag  "; do
		req GET "$path" -H "If-None-Match: $inm"
		expect "If-None-Match: $inm is a 304" 304 ""
	done
	for inm in '"0000000000000000"' "${tag%?}" 'garbage'; do
		req GET "$path" -H "If-None-Match: $inm"
		expect "If-None-Match: $inm is the 200" 200 "$body"
	done
done
req GET "/reviews?product_id=$P&sort=newest"
tag=$(header ETag)
req PUT "/reviews/$A2/helpful"
req GET "/reviews?product_id=$P&sort=newest" -H "If-None-Match: $tag"
[ "$STATUS" = 200 ] && [ "$(header ETag)" != "$tag" ] && ok "after a write the old ETag gets the new 200" ||
	bad "after a write: $STATUS, ETag $(header ETag) (was $tag)"
# Undone behind the API's back: such a write must say so to the caches.
sql "UPDATE reviews SET helpfulness = helpfulness - 1 WHERE id = $A2; NOTIFY reviews_cache, '$P'" >/dev/null
sleep 0.1

verify_aggregates "verify: every aggregate matches the raw rows"
done_testing
