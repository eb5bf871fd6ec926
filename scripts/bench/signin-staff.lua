-- Sign-ins of Bench Co's four staff in turn (`are generate`), through the server
-- function as the sign-in form sends it. Each one is a new session.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
local people = { "admin", "recruiter", "manager", "interviewer" }
local n = 0
request = function()
  n = n + 1
  local body = "email=" .. people[n % #people + 1] .. "%40bench.example&password=bench-password"
  return wrk.format(nil, "/api/auth/sign_in", nil, body)
end
dofile(os.getenv("ARE_BENCH_DIR") .. "/report.lua")
