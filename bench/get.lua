-- Thread reads for bench/run: prints one machine-readable line (wrk's own output stays as it is for people).
-- A response that is not 200 shows up in wrk's "Non-2xx or 3xx responses" line; bench/run fails the run on it.

function done(summary, latency, requests)
   local seconds = summary.duration / 1e6
   local errors = summary.errors
   io.write(string.format("BENCH requests=%d seconds=%.3f rps=%.1f p50_ms=%.3f p99_ms=%.3f bytes=%d non2xx=%d socket_errors=%d\n",
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.bytes,
      errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
