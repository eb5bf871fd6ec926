-- A demo user's sign-in through the server function, as the sign-in form sends it.
wrk.method = "POST"
wrk.body = "email=recruiter%40acme.example&password=acme-recruiter-password"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Sec-Fetch-Site"] = "same-origin"
dofile(os.getenv("ARE_BENCH_DIR") .. "/report.lua")
