-- Sustained comment posting for bench/run. Every request carries a body no other request has (thread number and
-- counter), so the duplicate check never folds two posts into one; only 201 Created counts as an acknowledged write.
-- The bodies differ only in their numbers, so once the same words have gone to other pages (earlier runs) the
-- near-copy check holds them as a spam run: acknowledged, stored, not public. "published" counts those that are.
--
-- Env: BENCH_URL is the page the comments go to (default http://localhost:8080/bench/write).

local page = os.getenv("BENCH_URL") or "http://localhost:8080/bench/write"
local threads = {}

function setup(thread)
   table.insert(threads, thread)
   thread:set("tid", #threads)
end

function init(args)
   counter = 0
   created = 0
   published = 0
   other = 0
   statuses = {}
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   counter = counter + 1
   local body = string.format(
      '{"url":"%s","body":"Load test comment %d from worker %d. It says something a reader might answer.","author":{"name":"bench %d"}}',
      page, counter, tid, tid)
   return wrk.format(nil, nil, nil, body)
end

function response(status, headers, body)
   if status == 201 then
      created = created + 1
      if string.find(body, '"status":"published"', 1, true) then
         published = published + 1
      end
   else
      other = other + 1
      statuses[status] = (statuses[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local total_created, total_published, total_other = 0, 0, 0
   for _, thread in ipairs(threads) do
      total_created = total_created + thread:get("created")
      total_published = total_published + thread:get("published")
      total_other = total_other + thread:get("other")
   end
   local seconds = summary.duration / 1e6
   io.write(string.format("BENCH created=%d published=%d other=%d seconds=%.3f created_per_s=%.1f p50_ms=%.2f p99_ms=%.2f\n",
      total_created, total_published, total_other, seconds, total_created / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
