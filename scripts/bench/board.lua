-- Pipeline boards as recruiters open them: a signed-in GET of each requisition's board in
-- turn (requisition ids one a line in ARE_BENCH_BOARDS, the session cookie in
-- ARE_BENCH_COOKIE; both from soak.sh).
wrk.headers["Accept"] = "text/html"
wrk.headers["Cookie"] = os.getenv("ARE_BENCH_COOKIE")
local boards = {}
for line in io.lines(os.getenv("ARE_BENCH_BOARDS")) do
  if #line > 0 then table.insert(boards, line) end
end
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, "/requisitions/" .. boards[n % #boards + 1] .. "/pipeline")
end
dofile(os.getenv("ARE_BENCH_DIR") .. "/report.lua")
