-- Prints one machine-readable line of wrk's results, with the percentiles we report.
function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%d errors=%d rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f\n",
    summary.requests, errors, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end
