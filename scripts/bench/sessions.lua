-- Shared by the proctoring benchmarks: each wrk thread knows its number, and every
-- thread reads the started sessions' secrets from ARE_BENCH_INVITES (made by
-- `are generate-invites`; the first line lists the questions). `session(n)` is the n-th
-- request's session of this thread: each thread owns every `stride`-th one.
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
end

tokens = {}
local id, stride

function init(args)
  id = tonumber(wrk.thread:get("id")) or 0
  stride = tonumber(os.getenv("ARE_BENCH_THREADS")) or 1
  local first = true
  for line in io.lines(os.getenv("ARE_BENCH_INVITES")) do
    if first then
      first = false
    elseif #line > 0 then
      table.insert(tokens, line)
    end
  end
end

-- The session of request `n`: its secret, its number among all, and how many times
-- this thread has come round to it before.
function session(n)
  local mine = math.floor(#tokens / stride)
  local slot = (n - 1) % mine
  local number = slot * stride + id + 1
  return tokens[number], number, math.floor((n - 1) / mine)
end
