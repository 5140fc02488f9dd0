#!/usr/bin/env bash
# Soak and load test (issue 16): for 10 minutes, 8 producers push coherent batches of all five
# entities (10 % replays under the same Idempotency-Key, 1 % hostile bodies, 1 % of rounds with rows
# at every bound, 2 % invalid rows), analytics is asked 100 KPI questions per second, transform runs
# on its own (sweep and nudges). Then it waits for everything to be published and prints batches and
# rows sent vs the ledger, staging keys vs an independent count of the accepted rows, quarantine rows,
# the answers by status (5xx must be 0), analytics p99 under load and every service's RSS at start
# and end. Exit code 0 only when nothing was lost, nothing counted twice and no 5xx was seen.
#
#   bench/soak.sh [--seconds 600] [--producers 8] [--analytics-rate 100]
#
# Runs its own platform (./shopflow up on ports 19280-19284, PostgreSQL on 25472, state under
# bench/target/soak) seeded with a 7-day demo so analytics has a published version from the start.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ARGS=(--seconds 600 --producers 8 --analytics-rate 100)
while [ $# -gt 0 ]; do
  case $1 in
    --seconds|--producers|--analytics-rate) ARGS+=("$1" "$2"); shift 2 ;;
    *) echo "usage: bench/soak.sh [--seconds 600] [--producers 8] [--analytics-rate 100]" >&2; exit 2 ;;
  esac
done
export SHOPFLOW_STATE_DIR=$ROOT/bench/target/soak/state SHOPFLOW_PORT_BASE=19280 SHOPFLOW_DB_PORT=25472
rm -rf "$SHOPFLOW_STATE_DIR"
trap '"$ROOT/shopflow" down >/dev/null 2>&1 || true' EXIT
"$ROOT/shopflow" up
"$ROOT/shopflow" demo --days 7
java -Xmx512m -jar "$ROOT/local-platform/target/local-platform.jar" soak "${ARGS[@]}" \
  --ingestion http://localhost:19282 --analytics http://localhost:19280 --transform http://localhost:19283 \
  --pids "$SHOPFLOW_STATE_DIR/run" --jdbc "$(cat "$SHOPFLOW_STATE_DIR/run/db.url")" | tee "$ROOT/bench/target/soak/report.txt"
