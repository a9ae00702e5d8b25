-- tests/load/check.lua PROFILE N: load the wrk profile PROFILE.lua as wrk
-- would (a stub of wrk's globals, setup() then init() of one thread) and
-- print the first N requests its request() makes, one a line:
--   METHOD <tab> PATH <tab> CONTENT-TYPE <tab> BODY
-- for tests/load/check.mjs to hold beside the k6 twin.  Run by luajit,
-- wrk's own Lua.
local profile, n = arg[1], tonumber(arg[2] or "1000")
local dir = (arg[0]:match("^(.*/)") or "./")

wrk = {
	scheme = "http", host = "127.0.0.1", port = 3000, method = "GET",
	path = "/", headers = {}, body = nil,
	format = function(method, path, headers, body)
		return { method = method or wrk.method, path = path or wrk.path,
			headers = headers or {}, body = body }
	end,
	lookup = function() return {} end,
	connect = function() return true end,
}

dofile(dir .. profile .. ".lua")
assert(type(request) == "function", profile .. ".lua defines no request()")

-- wrk's main state numbers the thread (setup), the thread's own state
-- then runs init; one Lua state serves both here.
local vars = {}
local thread = {
	set = function(self, k, v) vars[k] = v; _G[k] = v end,
	get = function(self, k) return vars[k] end,
}
if setup then setup(thread) end
if init then init({}) end

for _ = 1, n do
	local r = request()
	assert(type(r) == "table", "request() must return wrk.format(...)")
	local ct = ""
	for k, v in pairs(r.headers) do
		if k:lower() == "content-type" then ct = v end
	end
	assert(not (r.body or ""):find("[\t\n]"), "a body with a tab or newline")
	io.write(r.method, "\t", r.path, "\t", ct, "\t", r.body or "", "\n")
end
