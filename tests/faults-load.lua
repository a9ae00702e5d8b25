-- tests/faults-load.lua: the wrk load of tests/faults-load.sh.  Reads that
-- always reach the database: GET /reviews and /reviews/meta, in turn, of a
-- product id no request asked for before (so the response cache never
-- answers one), and a closing line with the counts and the wall-clock
-- times (ms since the epoch, comparable with `date +%s%3N`) of the last
-- failure and the last success:
--
--   FAULTLOAD requests=N s2xx=N s503=N sother=N sock_errors=N
--     first_bad_ms=T last_bad_ms=T last_ok_ms=T statuses=CODE:N,...
--
-- (one line; a time is 0 when there was none; statuses counts every
-- answer that was not 2xx, by status).  Environment: FAULT_BASE,
-- the first product id (each thread counts up from its own offset);
-- FAULT_CLOSE=1, a new connection for every request (Connection: close).
local ffi = require("ffi")
ffi.cdef [[
struct faults_tv { long tv_sec; long tv_usec; };
int gettimeofday(struct faults_tv *tv, void *tz);
]]
local tv = ffi.new("struct faults_tv")

local function now_ms()
	ffi.C.gettimeofday(tv, nil)
	return tonumber(tv.tv_sec) * 1000 + math.floor(tonumber(tv.tv_usec) / 1000)
end

local BASE = tonumber(os.getenv("FAULT_BASE") or "") or 1700000000
local HEADERS = {}
if os.getenv("FAULT_CLOSE") == "1" then HEADERS["Connection"] = "close" end
local threads = {}

function setup(thread)
	thread:set("thread_id", #threads)
	table.insert(threads, thread)
end

function init(args)
	n = 0
	s2xx, s503, sother = 0, 0, 0
	first_bad, last_bad, last_ok = 0, 0, 0
	codes, statuses = {}, ""
end

function request()
	n = n + 1
	local id = BASE + thread_id * 1000000 + math.floor(n / 2)
	if n % 2 == 0 then
		return wrk.format("GET", "/reviews/meta?product_id=" .. id, HEADERS)
	end
	return wrk.format("GET", "/reviews?product_id=" .. id .. "&count=5&sort=newest",
		HEADERS)
end

function response(status, headers, body)
	local t = now_ms()
	if status >= 200 and status < 300 then
		s2xx = s2xx + 1
		last_ok = t
		return
	end
	-- A 503 must say when to retry; one that does not counts as other.
	if status == 503 and headers["Retry-After"] == "1" then
		s503 = s503 + 1
	else
		sother = sother + 1
	end
	if first_bad == 0 then first_bad = t end
	last_bad = t
	codes[status] = (codes[status] or 0) + 1
	local parts = {}
	for code, k in pairs(codes) do table.insert(parts, code .. ":" .. k) end
	statuses = table.concat(parts, ",")
end

function done(summary, latency, requests)
	local c = { s2xx = 0, s503 = 0, sother = 0, last_bad = 0, last_ok = 0 }
	local first, codes = 0, {}
	for _, t in ipairs(threads) do
		for code, k in string.gmatch(t:get("statuses") or "", "(%d+):(%d+)") do
			codes[code] = (codes[code] or 0) + tonumber(k)
		end
		for _, k in ipairs({ "s2xx", "s503", "sother" }) do
			c[k] = c[k] + (tonumber(t:get(k)) or 0)
		end
		c.last_bad = math.max(c.last_bad, tonumber(t:get("last_bad")) or 0)
		c.last_ok = math.max(c.last_ok, tonumber(t:get("last_ok")) or 0)
		local f = tonumber(t:get("first_bad")) or 0
		if f > 0 and (first == 0 or f < first) then first = f end
	end
	local parts = {}
	for code, k in pairs(codes) do table.insert(parts, code .. ":" .. k) end
	table.sort(parts)
	local e = summary.errors
	io.write(string.format("FAULTLOAD requests=%d s2xx=%d s503=%d sother=%d " ..
		"sock_errors=%d first_bad_ms=%d last_bad_ms=%d last_ok_ms=%d statuses=%s\n",
		summary.requests, c.s2xx, c.s503, c.sother,
		e.connect + e.read + e.write + e.timeout, first, c.last_bad, c.last_ok,
		table.concat(parts, ",")))
end
