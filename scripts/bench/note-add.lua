-- Notes as recruiters write them, through the notes' server function (`AddNote`, a form
-- post with the session cookie of ARE_BENCH_COOKIE): each request a new note on the next
-- application of ARE_BENCH_APPLICATIONS (ids one a line); one in twenty mentions the
-- admin, who is then notified.
wrk.method = "POST"
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.headers["Cookie"] = os.getenv("ARE_BENCH_COOKIE")
local applications = {}
for line in io.lines(os.getenv("ARE_BENCH_APPLICATIONS")) do
  if #line > 0 then table.insert(applications, line) end
end
-- Already form-encoded.
local bodies = {
  "Phone+screen+went+well%3A+clear+on+trade-offs%2C+a+bit+quiet.",
  "Asked+about+**notice+period**%3A+four+weeks.",
  "Strong+portfolio.+Move+to+the+technical+interview%3F",
  "Salary+expectations+above+the+band%3B+worth+a+conversation.",
  "References+checked%2C+both+positive.",
}
local n = 0
request = function()
  n = n + 1
  local body = "application_id=" .. applications[n % #applications + 1] .. "&body=" .. bodies[n % #bodies + 1]
  if n % 20 == 0 then body = body .. "+%40admin+please+have+a+look." end
  return wrk.format(nil, "/api/notes/add", nil, body)
end
dofile(os.getenv("ARE_BENCH_DIR") .. "/report.lua")
