-- wrk profile "meta_batch": GET /reviews/meta?stats=true&product_ids= with
-- 20 distinct products of the last 10% of the id range: a category page.
--   PRODUCT_MAX=1000011 wrk -t2 -c64 -d10s -s tests/load/meta_batch.lua http://127.0.0.1:3000
-- Settings and the closing BENCH line: common.lua.  k6 twin: meta_batch.js.
PROFILE = "meta_batch"
local dir = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./")
dofile((os.getenv("BENCH_LOAD_DIR") and os.getenv("BENCH_LOAD_DIR") .. "/" or dir) .. "common.lua")

function request()
	return wrk.format("GET", batch_path())
end
