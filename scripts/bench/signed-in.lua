-- A signed-in recruiter's GET of the URL given to wrk (the session cookie comes from
-- bench-recruiting.sh).
wrk.headers["Accept"] = "text/html"
wrk.headers["Cookie"] = os.getenv("ARE_BENCH_COOKIE")
dofile(os.getenv("ARE_BENCH_DIR") .. "/report.lua")
