-- Proctoring batches from many candidates at once: each request carries 20 events of one
-- started session (secrets from ARE_BENCH_INVITES), from a page load of its own per
-- session and wrk thread, with event ids that only grow, so every event is new.
dofile(os.getenv("ARE_BENCH_DIR") .. "/sessions.lua")

local n = 0
local kinds = { "window_blur", "window_focus", "copy", "paste", "tab_hidden", "tab_visible", "context_menu" }

wrk.method = "POST"
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Sec-Fetch-Site"] = "same-origin"

-- ARE_BENCH_EVENTS_DELAY_MS paces each connection (a pause before every batch), so that
-- the events arrive at a chosen rate rather than as fast as the machine takes them.
local pause = tonumber(os.getenv("ARE_BENCH_EVENTS_DELAY_MS") or "0")
if pause > 0 then
  delay = function() return pause end
end

request = function()
  n = n + 1
  local token, number, round = session(n)
  local instance = string.format("00000000-0000-4000-8000-%012x", number)
  local now = os.time() * 1000
  local events = {}
  for j = 0, 19 do
    local kind = kinds[(round * 20 + j) % #kinds + 1]
    local extra = ""
    if kind == "paste" or kind == "copy" then extra = ',"details":{"length":' .. (j * 7) .. '}' end
    if kind == "tab_visible" or kind == "window_focus" then extra = ',"duration_ms":' .. (j * 1000) end
    events[#events + 1] = '{"id":' .. (round * 20 + j) .. ',"kind":"' .. kind .. '","at_ms":' .. now .. extra .. '}'
  end
  local body = '{"token":"' .. token .. '","batch":{"instance":"' .. instance .. '","sent_ms":' .. now ..
    ',"events":[' .. table.concat(events, ",") .. ']}}'
  return wrk.format(nil, "/api/test/events", nil, body)
end

dofile(os.getenv("ARE_BENCH_DIR") .. "/report.lua")
