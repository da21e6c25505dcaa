-- wrk script for benchmarks/web_latency.py: each request picks one address of a page kind from a
-- file (one path a line), so the load spreads over many stories, articles or queries rather than
-- one cached URL. An optional second argument paces each connection: a random pause (exponential,
-- with that mean in ms) before each request, which holds the offered rate near a target instead
-- of as fast as the server answers. done() prints one line that web_latency.py reads.

local paths = {}
local pause = 0
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  pause = tonumber(args[2] or "0")
  math.randomseed(os.time() * 1000 + (seed or 0))
end

function delay()
  if pause <= 0 then return 0 end
  return math.floor(-pause * math.log(1 - math.random()))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  local e = summary.errors
  local errors = e.connect + e.read + e.write + e.timeout + e.status
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50=%.3f p95=%.3f p99=%.3f errors=%d\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
