-- Webcam snapshots: 50 KB JPEG bodies (a JPEG's signature, then filler), one started
-- session per request in turn, each with a new event id.
dofile(os.getenv("ARE_BENCH_DIR") .. "/sessions.lua")

local n = 0
local body = "\255\216\255\224" .. string.rep("x", 50 * 1024 - 6) .. "\255\217"

request = function()
  n = n + 1
  local token, number = session(n)
  local now = tostring(os.time() * 1000)
  local headers = {
    ["Content-Type"] = "image/jpeg",
    ["Sec-Fetch-Site"] = "same-origin",
    ["x-test-token"] = token,
    ["x-instance"] = string.format("00000000-0000-4000-9000-%012x", number),
    ["x-event-id"] = tostring(1000000 + n),
    ["x-taken-ms"] = now,
    ["x-sent-ms"] = now,
  }
  return wrk.format("POST", "/api/test/snapshot", headers, body)
end

dofile(os.getenv("ARE_BENCH_DIR") .. "/report.lua")
