-- The soak's wrapper around one benchmark script (ARE_SOAK_SCRIPT, in ARE_BENCH_DIR):
-- that script makes the requests; this one paces them and reports for soak.sh.
--   ARE_SOAK_DELAY_MS  a connection's pause before each request (wrk is closed-loop, so
--                      connections times the pause sets the rate; the latency wrk
--                      records starts when the request is sent, after the pause)
--   ARE_SOAK_QUANTILES a file for the latency at fixed percentiles, from which soak.sh
--                      merges the minutes into one p99
-- Its RESULT line counts 4xx and 5xx answers apart, and socket errors and timeouts apart.
local dir = os.getenv("ARE_BENCH_DIR")
dofile(dir .. "/" .. os.getenv("ARE_SOAK_SCRIPT"))

local pause = tonumber(os.getenv("ARE_SOAK_DELAY_MS") or "0")
if pause > 0 then
  delay = function() return pause end
end

local threads = {}
local their_setup = setup
function setup(thread)
  table.insert(threads, thread)
  if their_setup then their_setup(thread) end
end

-- Per wrk thread (each thread has its own Lua state; done() reads them through thread:get).
status_4xx, status_5xx = 0, 0
function response(status, headers, body)
  if status >= 500 then
    status_5xx = status_5xx + 1
  elseif status >= 400 then
    status_4xx = status_4xx + 1
  end
end

local grid = { 0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 91, 92, 93, 94, 95, 96, 97, 98, 98.5,
  99, 99.1, 99.2, 99.3, 99.4, 99.5, 99.6, 99.7, 99.8, 99.9, 99.95, 99.99, 100 }

function done(summary, latency, requests)
  local s4, s5 = 0, 0
  for _, thread in ipairs(threads) do
    s4 = s4 + (tonumber(thread:get("status_4xx")) or 0)
    s5 = s5 + (tonumber(thread:get("status_5xx")) or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f max_ms=%.1f non2xx3xx=%d s4xx=%d s5xx=%d socket_errors=%d timeouts=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    e.status, s4, s5, e.connect + e.read + e.write, e.timeout))
  local out = os.getenv("ARE_SOAK_QUANTILES")
  if out and summary.requests > 0 and latency.max > 0 then
    local f = io.open(out, "w")
    f:write(string.format("requests %d\n", summary.requests))
    for _, p in ipairs(grid) do
      local us
      if p == 0 then us = latency.min elseif p == 100 then us = latency.max else us = latency:percentile(p) end
      f:write(string.format("%s %.3f\n", p, us / 1000))
    end
    f:close()
  end
end
