-- Autosaves from many candidates at once: each request saves one answer of one of the
-- started sessions (secrets from ARE_BENCH_INVITES, made by `are generate-invites`).
-- Each wrk thread owns every n-th session and raises its own sequence number, so every
-- save is newer than the last one of its answer and really writes; ARE_BENCH_SEQ_BASE
-- (0 by default) is added to every sequence number, so that a later run's saves write too.
local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local tokens, questions = {}, {}
local id, stride
local n = 0
local seq_base = tonumber(os.getenv("ARE_BENCH_SEQ_BASE") or "0")
local essay = string.rep("An index trades write speed and space for faster reads. ", 6)
local answers = {
  single_choice = function(i) return '{"choices":[' .. (i % 4 + 1) .. ']}' end,
  multiple_choice = function(i) return '{"choices":[1,' .. (i % 3 + 2) .. ']}' end,
  true_false = function(i) return '{"boolean":' .. tostring(i % 2 == 0) .. '}' end,
  numeric = function(i) return '{"number":"' .. (40 + i % 5) .. '"}' end,
  short_text = function(i) return '{"text":"A B-tree ' .. i .. '"}' end,
  long_text = function(i) return '{"text":"' .. essay .. i .. '"}' end,
  code = function(i) return '{"text":"fn main() {\\n    println!(\\"' .. i .. '\\");\\n}\\n"}' end,
}

function init(args)
  id = tonumber(wrk.thread:get("id")) or 0
  stride = tonumber(os.getenv("ARE_BENCH_THREADS")) or 2
  local first = true
  for line in io.lines(os.getenv("ARE_BENCH_INVITES")) do
    if first then
      for q, kind in line:gmatch("(%x+%-%x+%-%x+%-%x+%-%x+):([%w_]+)") do
        table.insert(questions, { id = q, kind = kind })
      end
      first = false
    elseif #line > 0 then
      table.insert(tokens, line)
    end
  end
end

wrk.method = "POST"
wrk.headers["Accept"] = "application/json"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Sec-Fetch-Site"] = "same-origin"

request = function()
  n = n + 1
  local mine = math.floor(#tokens / stride)
  local token = tokens[((n - 1) % mine) * stride + id + 1]
  local question = questions[(math.floor((n - 1) / mine) % #questions) + 1]
  local body = '{"token":"' .. token .. '","save":{"question_id":"' .. question.id ..
    '","response":' .. answers[question.kind](n) .. ',"seq":' .. (seq_base + n) ..
    ',"flagged":false,"time_spent_ms":' .. (n * 7 % 90000) .. '}}'
  return wrk.format(nil, "/api/test/save", nil, body)
end

dofile(os.getenv("ARE_BENCH_DIR") .. "/report.lua")
