-- Webcam snapshots: 50 KB JPEG bodies (a JPEG's signature, then filler), one started
-- session per request in turn, each with a new event id.
local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local tokens = {}
local id, stride
local n = 0
local body = "\255\216\255\224" .. string.rep("x", 50 * 1024 - 6) .. "\255\217"

function init(args)
  id = tonumber(wrk.thread:get("id")) or 0
  stride = tonumber(os.getenv("ARE_BENCH_THREADS")) or 2
  local first = true
  for line in io.lines(os.getenv("ARE_BENCH_INVITES")) do
    if first then
      first = false
    elseif #line > 0 then
      table.insert(tokens, line)
    end
  end
end

request = function()
  n = n + 1
  local mine = math.floor(#tokens / stride)
  local slot = (n - 1) % mine
  local now = tostring(os.time() * 1000)
  local headers = {
    ["Content-Type"] = "image/jpeg",
    ["Sec-Fetch-Site"] = "same-origin",
    ["x-test-token"] = tokens[slot * stride + id + 1],
    ["x-instance"] = string.format("00000000-0000-4000-9000-%012x", slot * stride + id + 1),
    ["x-event-id"] = tostring(1000000 + n),
    ["x-taken-ms"] = now,
    ["x-sent-ms"] = now,
  }
  return wrk.format("POST", "/api/test/snapshot", headers, body)
end

dofile(os.getenv("ARE_BENCH_DIR") .. "/report.lua")
