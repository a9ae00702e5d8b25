-- wrk profile "filtered": GET /reviews with Part 2's filters and sorts
-- (rating, has_photos, rating_desc/rating_asc) for products of the last
-- 10% of the id range, count 5.
--   PRODUCT_MAX=1000011 wrk -t2 -c64 -d10s -s tests/load/filtered.lua http://127.0.0.1:3000
-- Settings and the closing BENCH line: common.lua.  k6 twin: filtered.js.
PROFILE = "filtered"
local dir = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./")
dofile((os.getenv("BENCH_LOAD_DIR") and os.getenv("BENCH_LOAD_DIR") .. "/" or dir) .. "common.lua")

function request()
	return wrk.format("GET", filtered_path())
end
