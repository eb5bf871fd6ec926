-- The sign-in page: server-rendered, no database work.
wrk.headers["Accept"] = "text/html"
dofile(os.getenv("ARE_BENCH_DIR") .. "/report.lua")
