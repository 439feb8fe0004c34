-- wrk script for bench/run.sh (driven by ecrm-bench): one request shape per run, from
-- the environment. "{n}" in the body becomes a per-request unique token (sign-ups need
-- unique emails). done() prints one line the bench binary parses.
local method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY")
local headers = {}
headers["Origin"] = os.getenv("WRK_ORIGIN")
headers["Content-Type"] = "application/json"
local cookie = os.getenv("WRK_COOKIE")
if cookie and cookie ~= "" then
  headers["Cookie"] = cookie
end

local threads = {}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

local prefix = "t"
local counter = 0
function init(args)
  math.randomseed(os.time() + (tid or 0) * 7919)
  prefix = string.format("t%d-%d", tid or 0, math.random(1, 1000000000))
end

function request()
  counter = counter + 1
  local b = body
  if b and b ~= "" then
    b = b:gsub("{n}", prefix .. "-" .. counter)
  else
    b = nil
  end
  return wrk.format(method, nil, headers, b)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {\"requests\":%d,\"duration_us\":%d,\"errors\":%d,\"non2xx\":%d,\"p50_us\":%d,\"p99_us\":%d,\"mean_us\":%d}\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99), latency.mean))
end
