#!/usr/bin/env bash
# Audit benchmark (issue 6): the default quality audit over a warehouse of 1,000,000 order lines,
# beside transform's full build of the same warehouse, in the same run.
#
#   bench/audit.sh [--lines 1000000] [--runs 3]
#
# Starts ShopFlow with ./shopflow (own state dir and ports 19080-19084, database 25452), loads
# customers, products, orders and order lines (3 per order, 365 days) as CSV through ingestion,
# then triggers full builds ({"rebuild":{}}) and reads each run's steps: scope + dimensions + facts + marts
# (the build) and audit (quality's warehouse and marts checks over HTTP).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LINES=1000000
RUNS=3
while [ $# -gt 0 ]; do
  case $1 in
    --lines) LINES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "usage: bench/audit.sh [--lines N] [--runs N]" >&2; exit 2 ;;
  esac
done
WORK=${BENCH_DIR:-$ROOT/bench/target/audit}
mkdir -p "$WORK"
export SHOPFLOW_STATE_DIR=$WORK/state SHOPFLOW_PORT_BASE=19080 SHOPFLOW_DB_PORT=25452
export SHOPFLOW_TRANSFORM_SWEEP_EVERY=1h
INGESTION=http://localhost:19082
TRANSFORM=http://localhost:19083
ANALYTICS=http://localhost:19080
AUTH=shopflow:shopflow-dev

# BENCH_KEEP=1 leaves the platform up afterwards (to look at the database: port 25452)
[ -n "${BENCH_KEEP:-}" ] || trap '"$ROOT/shopflow" down >/dev/null 2>&1 || true' EXIT
"$ROOT/shopflow" down >/dev/null 2>&1 || true
rm -rf "$WORK/state"
"$ROOT/shopflow" up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; exit 1; }

echo "Generating $LINES order lines over 365 days ..."
awk -v mode=year -v lines="$LINES" -v dir="$WORK" -f "$ROOT/bench/warehouse-data.awk"

for entity in customers products orders order_items payments; do
  curl -sf -u "$AUTH" -H "Content-Type: text/csv" -H "Idempotency-Key: bench-audit-$entity" \
    --data-binary "@$WORK/$entity.csv" "$INGESTION/api/v1/batches/$entity" >/dev/null
  echo "  loaded $entity"
done

run_json() { curl -sf "$TRANSFORM/api/v1/transform-runs/$1"; }
wait_idle() { # until no run is running and no batch waits
  for _ in $(seq 1 600); do
    s=$(curl -sf "$ANALYTICS/api/v1/pipeline/status" || true)
    if echo "$s" | grep -q '"pending_batches":0' && ! echo "$s" | grep -q '"status":"running"'; then return; fi
    sleep 1
  done
  echo "pipeline did not settle" >&2; exit 1
}
step_field() { # run-json step field: the value of field $3 in the step named $2
  echo "$1" | grep -o "{[^}]*\"step\":\"$2\"[^}]*}" | grep -o "\"$3\":[0-9]*" | grep -o '[0-9]*$' || echo 0; }
step_ms() { step_field "$1" "$2" duration_ms; }

wait_idle
: >"$WORK/build.ms"; : >"$WORK/audit.ms"
for r in $(seq 1 "$RUNS"); do
  id=$(curl -sf -u "$AUTH" -H 'Content-Type: application/json' -d '{"rebuild":{}}' "$TRANSFORM/api/v1/transform-runs" \
    | grep -o '"run_id":[0-9]*' | grep -o '[0-9]*$')
  for _ in $(seq 1 1200); do
    j=$(run_json "$id"); echo "$j" | grep -q '"status":"running"' || break; sleep 0.5
  done
  echo "$j" | grep -q '"status":"succeeded"' || { echo "run $id: $j" >&2; exit 1; }
  scope=$(step_ms "$j" scope_full); dims=$(step_ms "$j" dimensions); facts=$(step_ms "$j" facts); marts=$(step_ms "$j" marts); audit=$(step_ms "$j" audit)
  echo "  run $id: scope ${scope} ms, dimensions ${dims} ms, facts ${facts} ms, marts ${marts} ms, audit ${audit} ms"
  echo $((scope + dims + facts + marts)) >>"$WORK/build.ms"; echo "$audit" >>"$WORK/audit.ms"
done
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
BUILD=$(median <"$WORK/build.ms"); AUDIT=$(median <"$WORK/audit.ms")
FACTS=$(step_field "$j" facts rows)

echo
echo "Audit benchmark: $FACTS fact rows, median of $RUNS runs, $(nproc) cores"
printf '%-44s %10s\n' "step" "seconds"
printf '%-44s %10.2f\n' "transform full build (dimensions, facts, marts)" "$(awk -v v="$BUILD" 'BEGIN { print v / 1000 }')"
printf '%-44s %10.2f\n' "quality audit (warehouse + marts, defaults)" "$(awk -v v="$AUDIT" 'BEGIN { print v / 1000 }')"
echo "audit / build = $(awk -v a="$AUDIT" -v b="$BUILD" 'BEGIN { printf "%.2f", a / b }') (target <= 0.33)"
