#!/usr/bin/env bash
# Analytics benchmark (issue 7): a mix of KPI requests against a warehouse of 1,000,000 order lines
# over 365 days, driven by wrk (Debian package) from the same machine: 2 threads, 32 connections,
# 30 s; once with repeated requests (a dashboard refreshed by many users: cache hits) and once with
# a distinct random date range in every request (cache misses).
#
#   bench/analytics.sh [--duration 30s]
#
# Builds the warehouse with bench/transform.sh (--runs 1, platform kept: ports 19180-19184), unless
# BENCH_REUSE=1 says it is already up, then shuts the platform down.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DURATION=30s
while [ $# -gt 0 ]; do
  case $1 in
    --duration) DURATION=$2; shift 2 ;;
    *) echo "usage: bench/analytics.sh [--duration 30s]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
ANALYTICS=http://localhost:19180
export SHOPFLOW_STATE_DIR=$ROOT/bench/target/transform/state SHOPFLOW_PORT_BASE=19180 SHOPFLOW_DB_PORT=25462
if [ -z "${BENCH_REUSE:-}" ]; then
  BENCH_KEEP=1 "$ROOT/bench/transform.sh" --runs 1
fi
[ -n "${BENCH_KEEP:-}" ] || trap '"$ROOT/shopflow" down >/dev/null 2>&1 || true' EXIT
curl -sf "$ANALYTICS/api/v1/kpis/summary?from=2025-01-01&to=2025-12-31" >/dev/null || { echo "no published warehouse on $ANALYTICS" >&2; exit 1; }

run() { # name script -> "rps p50 p99 errors"
  wrk -t2 -c32 -d"$DURATION" --latency -s "$ROOT/bench/wrk/$2" "$ANALYTICS" >"$ROOT/bench/target/wrk-$1.txt"
  awk '
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
    /Non-2xx or 3xx responses/ { non2xx = $NF }
    END { printf "%s %s %s %s\n", rps, p50, p99, (non2xx == "" ? 0 : non2xx) }' "$ROOT/bench/target/wrk-$1.txt"
}
# warm the JIT (every endpoint's code path) and the cache first: the figures are the steady state. A
# restarted analytics-api answers the new-question mix at about a third of its steady rate, with p99
# in the hundreds of milliseconds, for its first 20-40 s (docs/analytics.md#benchmark)
wrk -t2 -c32 -d"${WARMUP:-30s}" -s "$ROOT/bench/wrk/new-questions.lua" "$ANALYTICS" >/dev/null
wrk -t2 -c32 -d5s -s "$ROOT/bench/wrk/repeated.lua" "$ANALYTICS" >/dev/null
read -r rps1 p501 p991 e1 < <(run repeated repeated.lua)
read -r rps2 p502 p992 e2 < <(run distinct distinct.lua)
read -r rps3 p503 p993 e3 < <(run new-questions new-questions.lua)
# per endpoint: the same mix held to one kind, 10 s each
PER_ENDPOINT=()
for kind in summary revenue revenue-category revenue-by-category revenue-by-channel top-products geography \
    payment-methods weekday cohorts customer-ltv customer rfm-segments; do
  PER_ENDPOINT+=("$kind $(ENDPOINT=$kind wrk -t2 -c32 -d"${ENDPOINT_DURATION:-10s}" --latency -s "$ROOT/bench/wrk/new-questions.lua" \
    "$ANALYTICS" | awk '/Requests\/sec/ { rps = $2 } /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
      /Non-2xx or 3xx responses/ { e = $NF } END { printf "%s %s %s %s", rps, p50, p99, (e == "" ? 0 : e) }')")
done
echo
echo "Analytics benchmark: wrk 2 threads, 32 connections, $DURATION each, $(nproc) cores (wrk on the same machine)"
printf '%-44s %10s %9s %9s %10s\n' "mix" "req/s" "p50" "p99" "non-2xx"
printf '%-44s %10s %9s %9s %10s\n' "repeated requests (cache hits)" "$rps1" "$p501" "$p991" "$e1"
printf '%-44s %10s %9s %9s %10s\n' "a distinct range in each (cache misses)" "$rps2" "$p502" "$p992" "$e2"
printf '%-44s %10s %9s %9s %10s\n' "new questions, every endpoint (issue 17 mix)" "$rps3" "$p503" "$p993" "$e3"
for line in "${PER_ENDPOINT[@]}"; do
  read -r kind r a b c <<<"$line"
  printf '  %-42s %10s %9s %9s %10s\n' "$kind alone" "$r" "$a" "$b" "$c"
done
ANALYTICS_PID=$(cat "$SHOPFLOW_STATE_DIR/run/analytics-api.pid" 2>/dev/null || true)
if [ -n "$ANALYTICS_PID" ]; then
  echo "analytics-api JVM: $(tr '\0' ' ' </proc/$ANALYTICS_PID/cmdline | grep -o -- '-X[^ ]*' | tr '\n' ' ')"
  echo "analytics-api RSS after the runs: $(( $(awk '/VmRSS/ {print $2}' /proc/$ANALYTICS_PID/status) / 1024 )) MiB (peak $(( $(awk '/VmHWM/ {print $2}' /proc/$ANALYTICS_PID/status) / 1024 )) MiB)"
  grep -h "Prepared version" "$SHOPFLOW_STATE_DIR/logs/analytics-api.log" 2>/dev/null | tail -1 | sed 's/^.*Prepared/last preparation: Prepared/' || true
fi
echo "targets: repeated >= 2000 req/s with p99 <= 20 ms; new questions >= 1000 req/s with p99 <= 50 ms"
echo "(non-2xx in the distinct mix: 404s of random customer ids without a qualifying order)"
