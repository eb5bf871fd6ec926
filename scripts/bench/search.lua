-- Candidate searches as a recruiter types them: parts of names and emails, some with a
-- tag filter, through the list's server function (50 results a page).
wrk.method = "POST"
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
wrk.headers["Cookie"] = os.getenv("ARE_BENCH_COOKIE")
local terms = { "garcia", "ines", "kowal", "tanaka.8", "priya", "okafor", "zoe.c", "lena",
  "mateo.l", "haddad", "99@", "ivanova", "sven", "nguyen", "omar.w", "rosa" }
local tags = { "", "", "&tags=senior", "&tags=-junior" }
local n = 0
request = function()
  n = n + 1
  local body = "text=" .. terms[n % #terms + 1] .. tags[n % #tags + 1]
  return wrk.format(nil, "/api/candidates/list", nil, body)
end
dofile(os.getenv("ARE_BENCH_DIR") .. "/report.lua")
