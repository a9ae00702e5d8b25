-- tests/load/common.lua: what the wrk profiles share (reviews.lua, meta.lua,
-- mixed.lua load it first).  wrk runs one Lua state per thread plus one for
-- setup() and done(): per-thread counters live in each thread's globals and
-- done() collects them through the thread objects setup() kept.
--
-- Environment (spawn/bench sets it from the database before the run):
--   PRODUCT_MAX   highest product id (default 5000)
--   PRODUCT_MIN   lowest product id drawn (default: the last 10% of the
--                 range, floor(0.9 * PRODUCT_MAX) + 1)
--   REVIEW_MIN, REVIEW_MAX   review ids for helpful/report (mixed.lua)
--   BENCH_SEED    base of the per-thread RNG seeds (default 1)
--   DIST          set by a profile before it loads this file: "zipf" draws
--                 product ids by popularity, Zipf with s = 1 over every
--                 product (rank r is product r); else uniform over
--                 PRODUCT_MIN..PRODUCT_MAX
--   BENCH_LABEL   a name for the machine-readable line (default: profile)
--
-- done() prints one line the harness parses:
--   BENCH label=L requests=N duration_s=D rps=R s2xx=N non2xx=N s429=N
--   s4xx=N s5xx=N sock_connect=N sock_read=N sock_write=N sock_timeout=N
--   sock_errors=N p50_ms=X p90_ms=X p99_ms=X max_ms=X

local function env_int(name, default)
	local v = tonumber(os.getenv(name) or "")
	if v == nil then return default end
	return math.floor(v)
end

PRODUCT_MAX = env_int("PRODUCT_MAX", 5000)
PRODUCT_MIN = env_int("PRODUCT_MIN", math.floor(PRODUCT_MAX * 0.9) + 1)
if PRODUCT_MIN < 1 then PRODUCT_MIN = 1 end
if PRODUCT_MIN > PRODUCT_MAX then PRODUCT_MIN = PRODUCT_MAX end
REVIEW_MAX = env_int("REVIEW_MAX", 1)
REVIEW_MIN = env_int("REVIEW_MIN", 1)
if REVIEW_MIN > REVIEW_MAX then REVIEW_MIN = REVIEW_MAX end
BENCH_SEED = env_int("BENCH_SEED", 1)
BENCH_LABEL = os.getenv("BENCH_LABEL") or PROFILE or "wrk"

SORTS = { "newest", "helpful", "relevant" }

-- Zipf (s = 1) by the inverse of H(k) ~ ln k + gamma: rank 1 about
-- 1/H(N) of the draws (7% of them for a million products).
local GAMMA = 0.5772156649
local H_N = math.log(PRODUCT_MAX) + GAMMA + 1 / (2 * PRODUCT_MAX)

function random_product()
	if DIST == "zipf" then
		local k = math.floor(math.exp(math.random() * H_N - GAMMA) + 0.5)
		if k < 1 then k = 1 elseif k > PRODUCT_MAX then k = PRODUCT_MAX end
		return k
	end
	return math.random(PRODUCT_MIN, PRODUCT_MAX)
end

function random_review()
	return math.random(REVIEW_MIN, REVIEW_MAX)
end

-- GET /reviews: a product of the hot range, any sort, count 5.
function reviews_path()
	return string.format("/reviews?product_id=%d&sort=%s&count=5",
		random_product(), SORTS[math.random(1, #SORTS)])
end

-- GET /reviews with Part 2's filters: any of the five sorts, a rating
-- filter half the time, has_photos a third of the time each way.
SORTS_ALL = { "newest", "helpful", "relevant", "rating_desc", "rating_asc" }
RATING_SETS = { "5", "4,5", "1,2", "3" }
function filtered_path()
	local q = string.format("/reviews?product_id=%d&sort=%s&count=5",
		random_product(), SORTS_ALL[math.random(1, #SORTS_ALL)])
	if math.random(1, 2) == 1 then
		q = q .. "&rating=" .. RATING_SETS[math.random(1, #RATING_SETS)]
	end
	local photos = math.random(1, 3)
	if photos == 1 then q = q .. "&has_photos=true"
	elseif photos == 2 then q = q .. "&has_photos=false" end
	return q
end

-- GET /reviews/meta for a category page: 20 distinct products at once,
-- with stats.
BATCH = 20
function batch_path()
	local seen, ids = {}, {}
	while #ids < BATCH do
		local p = random_product()
		if not seen[p] then seen[p] = true; ids[#ids + 1] = p end
	end
	return "/reviews/meta?stats=true&product_ids=" .. table.concat(ids, ",")
end

-- GET /reviews/meta: the same products.
function meta_path()
	return string.format("/reviews/meta?product_id=%d", random_product())
end

-- Main state: number the threads and keep them for done().
local threads = {}

function setup(thread)
	thread:set("thread_id", #threads + 1)
	table.insert(threads, thread)
end

-- Thread state: a reproducible RNG per thread, zeroed counters.
function init(args)
	math.randomseed(BENCH_SEED * 7919 + (thread_id or 0))
	-- LuaJIT's first draws after seeding are poorly mixed: discard a few.
	for _ = 1, 8 do math.random() end
	s2xx, s429, s4xx, s5xx, sother = 0, 0, 0, 0, 0
	if profile_init then profile_init(args) end
end

function response(status, headers, body)
	if status >= 200 and status < 300 then
		s2xx = s2xx + 1
	elseif status == 429 then
		s429 = s429 + 1
	elseif status >= 400 and status < 500 then
		s4xx = s4xx + 1
	elseif status >= 500 then
		s5xx = s5xx + 1
	else
		sother = sother + 1
	end
end

function done(summary, latency, requests)
	local c = { s2xx = 0, s429 = 0, s4xx = 0, s5xx = 0, sother = 0 }
	for _, t in ipairs(threads) do
		for k in pairs(c) do c[k] = c[k] + (tonumber(t:get(k)) or 0) end
	end
	local e = summary.errors
	local secs = summary.duration / 1e6
	local rps = secs > 0 and summary.requests / secs or 0
	local function ms(us) return (us or 0) / 1000 end
	io.write(string.format(
		"BENCH label=%s requests=%d duration_s=%.2f rps=%.1f s2xx=%d non2xx=%d " ..
		"s429=%d s4xx=%d s5xx=%d sock_connect=%d sock_read=%d sock_write=%d " ..
		"sock_timeout=%d sock_errors=%d p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
		BENCH_LABEL, summary.requests, secs, rps, c.s2xx,
		c.s429 + c.s4xx + c.s5xx + c.sother, c.s429, c.s4xx, c.s5xx,
		e.connect, e.read, e.write, e.timeout,
		e.connect + e.read + e.write + e.timeout,
		ms(latency:percentile(50)), ms(latency:percentile(90)),
		ms(latency:percentile(99)), ms(latency.max)))
end
