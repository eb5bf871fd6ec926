-- Applications on the careers page: the multipart form with the résumé in
-- ARE_BENCH_RESUME (a 200 KB PDF), a new applicant (email) per request, each from its own
-- client address as the one proxy in front of ARE reports it (ARE_TRUST_PROXY), so the
-- per-address limit (10 an hour) does not refuse the benchmark.
local file = io.open(os.getenv("ARE_BENCH_RESUME"), "rb")
local resume = file:read("*a")
file:close()
local boundary = "are-bench-7MA4YWxkTrZu0gW"
local n = 0
local prefix = "0"

-- Each thread's own prefix (the address of a table of its Lua state), so two threads
-- never send the same applicant: the same address twice at once is refused by design.
init = function(args)
  prefix = (tostring({}):match("0x(%x+)") or tostring(math.random(1, 1000000))) .. "-" .. os.time()
end

local function part(name, value)
  return "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"" .. name .. "\"\r\n\r\n" .. value .. "\r\n"
end

request = function()
  n = n + 1
  local id = prefix .. "-" .. n
  local body = part("full_name", "Bench Applicant " .. id)
    .. part("email", "applicant-" .. id .. "@bench.example")
    .. part("phone", "+49 30 1234567")
    .. part("cover_letter", "I would like to work with you.")
    .. part("website", "")
    .. part("consent", "yes")
    .. "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"resume\"; filename=\"cv.pdf\"\r\n"
    .. "Content-Type: application/pdf\r\n\r\n" .. resume .. "\r\n"
    .. "--" .. boundary .. "--\r\n"
  local headers = {
    ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
    ["Sec-Fetch-Site"] = "same-origin",
    ["X-Forwarded-For"] = string.format("10.%d.%d.%d", #prefix % 250, math.floor(n / 250) % 250, n % 250 + 1),
  }
  return wrk.format("POST", nil, headers, body)
end

-- Only a redirect to the confirmation counts: a refusal redirects back with __err.
response = function(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  if status ~= 303 or not string.find(location, "/applied?", 1, true) then
    refused = (refused or 0) + 1
    if (refused or 0) <= 3 then io.stderr:write("refused: " .. status .. " " .. location .. "\n") end
  end
end

dofile(os.getenv("ARE_BENCH_DIR") .. "/report.lua")
