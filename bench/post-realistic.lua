-- Realistic comment posting for bench/run: text of 10 to 150 words from a vocabulary of some thousands, a little
-- Markdown (emphasis, a list now and then), links in one comment of five, 600 names, one hot page taking a fifth of
-- the posts and 2,000 quiet pages the rest, and 30% replies to comments this worker posted earlier on the same page.
-- Drawn from a fixed seed per worker, like bench/BusyDay's comments of the day. Only 201 Created counts.
--
-- Env: BENCH_HOT is the hot page (default http://localhost:8080/bench/articles/hot); BENCH_QUIET the prefix of the quiet
-- pages (default http://localhost:8080/bench/quiet/); BENCH_SEED varies the draw between runs; BENCH_POST_PACE_MS, when
-- set, is each connection's pause between posts (a steady trickle of writers beside other work, not a flood).

local hot = os.getenv("BENCH_HOT") or "http://localhost:8080/bench/articles/hot"
local quiet = os.getenv("BENCH_QUIET") or "http://localhost:8080/bench/quiet/"
local seed = tonumber(os.getenv("BENCH_SEED") or "1")
local threads = {}
local pace = tonumber(os.getenv("BENCH_POST_PACE_MS") or "")
if pace then
   function delay()
      return pace
   end
end

function setup(thread)
   table.insert(threads, thread)
   thread:set("tid", #threads)
end

local syllables = {}
for s in string.gmatch("ba be bi bo bu da de di do du fa fe fi fo fu ga ge gi go gu ka ke ki ko ku la le li lo lu ma me mi mo mu " ..
   "na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta te ti to tu va ve vi vo vu", "%S+") do
   table.insert(syllables, s)
end
local common = {}
for s in string.gmatch("the a of and to in is that it for was on with as but not this have", "%S+") do
   table.insert(common, s)
end

local function word()
   if math.random(3) == 1 then
      return common[math.random(#common)]
   end
   local w = syllables[math.random(50)] .. syllables[math.random(50)]
   if math.random(2) == 1 then
      w = w .. syllables[math.random(50)]
   end
   return w
end

local function body()
   local parts = {}
   local n = 9 + math.random(141)
   for i = 1, n do
      local w = word()
      if i > 2 and math.random(25) == 1 then
         w = "*" .. w .. "*"
      end
      if i > 1 and math.random(12) == 1 then
         parts[#parts] = parts[#parts] .. "."
      end
      table.insert(parts, w)
   end
   local text = table.concat(parts, " ") .. "."
   if math.random(12) == 1 then
      text = text .. "\\n\\n- " .. word() .. " " .. word() .. "\\n- " .. word() .. " " .. word()
   end
   if math.random(5) == 1 then
      text = text .. string.format(" See [this page](https://site%d.example/page/%d).", math.random(300), math.random(1000))
   end
   return text
end

function init(args)
   math.randomseed(seed * 1000 + tid)
   created = 0
   other = 0
   statuses = {}
   replies = 0
   earlier = {} -- page -> ids this worker posted there
   -- The page of each post in flight, by the post's first word: a tag of its own (worker and count), because answers
   -- on different connections come back in any order, and the first words of two posts are sometimes the same.
   sent = 0
   pending = {}
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/json"
end

function request()
   local page
   if math.random(5) == 1 then
      page = hot
   else
      page = quiet .. math.random(0, 1999)
   end
   local parent = ""
   local ids = earlier[page]
   if ids and #ids > 0 and math.random(10) <= 3 then
      parent = string.format('"parentId":%s,', ids[math.random(#ids)])
      replies = replies + 1
   end
   sent = sent + 1
   local first = string.format("t%dn%d", tid, sent)
   local text = first .. " " .. body()
   pending[first] = page
   local name = "Reader " .. math.random(0, 599)
   local json = string.format('{"url":"%s",%s"body":"%s","author":{"name":"%s"}}', page, parent, text, name)
   return wrk.format(nil, nil, nil, json)
end

function response(status, headers, response_body)
   if status == 201 then
      created = created + 1
      local id = string.match(response_body, '^{"id":(%d+)')
      local first = string.match(response_body, '"html":"<p>(t%d+n%d+) ')
      local page = first and pending[first]
      if first then
         pending[first] = nil
      end
      if page and id then
         earlier[page] = earlier[page] or {}
         local ids = earlier[page]
         if #ids < 50 then
            table.insert(ids, id)
         else
            ids[math.random(50)] = id
         end
      end
   else
      other = other + 1
      statuses[status] = (statuses[status] or 0) + 1
      if statuses[status] == 1 then
         io.stderr:write(string.format("first %d answer of this worker: %s\n", status, string.sub(response_body, 1, 300)))
      end
   end
end

function done(summary, latency, requests)
   local total_created, total_other, total_replies = 0, 0, 0
   local by_status = {}
   for _, thread in ipairs(threads) do
      total_created = total_created + thread:get("created")
      total_other = total_other + thread:get("other")
      total_replies = total_replies + thread:get("replies")
      for status, n in pairs(thread:get("statuses")) do
         by_status[status] = (by_status[status] or 0) + n
      end
   end
   -- Which answers the posts that were not created got (a reply to a comment held meanwhile is a 400, say).
   local others = {}
   for status, n in pairs(by_status) do
      table.insert(others, status .. ":" .. n)
   end
   table.sort(others)
   local seconds = summary.duration / 1e6
   io.write(string.format("BENCH created=%d other=%d replies=%d seconds=%.3f created_per_s=%.1f p50_ms=%.2f p99_ms=%.2f other_statuses=%s\n",
      total_created, total_other, total_replies, seconds, total_created / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, #others > 0 and table.concat(others, ",") or "none"))
end
