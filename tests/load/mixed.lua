-- wrk profile "mixed": what a store front sends, by request count:
--   45% GET /reviews, 45% GET /reviews/meta  (reads: 90%, as reviews.lua
--       and meta.lua, products from the last 10% of the id range)
--    5% PUT /reviews/{id}/helpful
--    4% POST /reviews (a valid review of a hot product, JSON)
--    1% PUT /reviews/{id}/report
-- Review ids for helpful/report are drawn from [REVIEW_MIN, REVIEW_MAX]
-- (spawn/bench passes 1 and the highest id in the database).  Writes pass
-- NGINX's per-address write limit (WRITE_RATE): beyond it they are 429s,
-- counted in s429.
--   PRODUCT_MAX=5000 REVIEW_MAX=28000 wrk -t2 -c64 -d10s -s tests/load/mixed.lua http://127.0.0.1:3000
-- Settings and the closing BENCH line: common.lua.  k6 twin: mixed.js.
PROFILE = "mixed"
local dir = (debug.getinfo(1, "S").source:match("^@(.*/)") or "./")
dofile((os.getenv("BENCH_LOAD_DIR") and os.getenv("BENCH_LOAD_DIR") .. "/" or dir) .. "common.lua")

local WORDS = { "comfortable", "fits", "well", "and", "the", "color", "is",
	"true", "to", "the", "pictures", "washes", "nicely", "would", "buy",
	"again", "runs", "a", "little", "small", "great", "value", "for",
	"money", "soft", "fabric", "sturdy", "stitching", "arrived", "quickly" }

local JSON_HEADERS = { ["Content-Type"] = "application/json" }
local posted = 0

-- A valid POST /reviews body (API.md): body of 50..1000 characters, an
-- email of the right shape, now and then a photo.
local function post_body()
	posted = posted + 1
	local words, len, target = {}, 0, math.random(60, 400)
	while len < target do
		local w = WORDS[math.random(1, #WORDS)]
		words[#words + 1] = w
		len = len + #w + 1
	end
	local body = table.concat(words, " ")
	if #body > 1000 then body = body:sub(1, 1000) end
	local photos = "[]"
	if math.random() < 0.3 then
		photos = string.format('["https://images.example/bench-%d-%d.jpg"]',
			thread_id or 0, posted)
	end
	return string.format('{"product_id":%d,"rating":%d,"summary":"%s",' ..
		'"body":"%s.","recommend":%s,"name":"bench%d","email":' ..
		'"bench%d@example.com","photos":%s}',
		random_product(), math.random(1, 5),
		WORDS[math.random(1, #WORDS)] .. " " .. WORDS[math.random(1, #WORDS)],
		body, math.random() < 0.7 and "true" or "false",
		thread_id or 0, posted, photos)
end

function request()
	local r = math.random(1, 100)
	if r <= 45 then
		return wrk.format("GET", reviews_path())
	elseif r <= 90 then
		return wrk.format("GET", meta_path())
	elseif r <= 95 then
		return wrk.format("PUT", string.format("/reviews/%d/helpful", random_review()))
	elseif r <= 99 then
		return wrk.format("POST", "/reviews", JSON_HEADERS, post_body())
	else
		return wrk.format("PUT", string.format("/reviews/%d/report", random_review()))
	end
end
