-- wrk hook for bench/dashboard_load.py: after the run, one machine-readable line with the request count,
-- the latency percentiles (wrk measures them in microseconds: latency:percentile(95) is the p95) and the
-- errors by kind. Non-2xx/3xx answers count as status errors.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "SHIHYO_RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p95_us=%d p99_us=%d max_us=%d "
      .. "connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
