-- Reads of another site's thread during the import benchmark: each connection waits BENCH_PACE_MS between requests,
-- so the load is a steady trickle of readers, not a flood that takes the cores from the import it is meant to watch.
-- Prints one machine-readable line, as bench/get.lua does.

local pace = tonumber(os.getenv("BENCH_PACE_MS") or "10")

function delay()
   return pace
end

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local errors = summary.errors
   io.write(string.format("BENCH requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f non2xx=%d socket_errors=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000,
      errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
