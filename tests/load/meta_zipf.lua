-- wrk profile "meta_zipf": GET /reviews/meta for products drawn by popularity (Zipf,
-- s = 1, over every product: the realistic case).
--   PRODUCT_MAX=1000011 wrk -t2 -c64 -d10s -s tests/load/meta_zipf.lua http://127.0.0.1:3000
-- Settings and the closing BENCH line: common.lua.  k6 twin: meta_zipf.js.
PROFILE = "meta_zipf"
DIST = "zipf"
local dir = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./")
dofile((os.getenv("BENCH_LOAD_DIR") and os.getenv("BENCH_LOAD_DIR") .. "/" or dir) .. "common.lua")

function request()
	return wrk.format("GET", meta_path())
end
