#!/usr/bin/env bash
# Transform benchmark (issues 5 and 18): the full build of warehouse and marts from 1,000,000 staged
# order lines over 365 days, beside two plain SQL baselines in the same database and run: a dbt-style
# full refresh (bench/baseline-full-refresh.sql: every table the build produces, each a CREATE TABLE
# ... AS SELECT, no versioning, bookkeeping or audit; checked to hold the same rows and sums as the
# published version, bench/baseline-check.sql) and the first, narrower one (one fact table and one
# daily mart); then incremental runs that each add one new day (with status changes of earlier orders
# and new customer and product versions) to the 365-day warehouse.
#
#   bench/transform.sh [--lines 1000000] [--runs 3]
#
# Starts ShopFlow with ./shopflow (own state dir, ports 19180-19184, database 25462), loads CSV
# through ingestion, and reads each run's step timings (the audit is reported apart: it is quality's
# work, measured by bench/audit.sh). Needs psql (for the baseline).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LINES=1000000
RUNS=3
while [ $# -gt 0 ]; do
  case $1 in
    --lines) LINES=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) echo "usage: bench/transform.sh [--lines N] [--runs N]" >&2; exit 2 ;;
  esac
done
command -v psql >/dev/null || { echo "psql is needed for the baseline (apt-get install postgresql-client)" >&2; exit 1; }
WORK=${BENCH_DIR:-$ROOT/bench/target/transform}
mkdir -p "$WORK"
export SHOPFLOW_STATE_DIR=$WORK/state SHOPFLOW_PORT_BASE=19180 SHOPFLOW_DB_PORT=25462
export SHOPFLOW_TRANSFORM_SWEEP_EVERY=1h
INGESTION=http://localhost:19182
TRANSFORM=http://localhost:19183
ANALYTICS=http://localhost:19180
AUTH=shopflow:shopflow-dev
export PGPASSWORD=postgres PGOPTIONS="-c client_min_messages=warning"
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -h localhost -p 25462 -U postgres -d postgres)

[ -n "${BENCH_KEEP:-}" ] || trap '"$ROOT/shopflow" down >/dev/null 2>&1 || true' EXIT
"$ROOT/shopflow" down >/dev/null 2>&1 || true
rm -rf "$WORK/state"
"$ROOT/shopflow" up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log"; exit 1; }

load() { # dir key-prefix
  for entity in customers products orders order_items payments; do
    curl -sf -u "$AUTH" -H "Content-Type: text/csv" -H "Idempotency-Key: $2-$entity" \
      --data-binary "@$1/$entity.csv" "$INGESTION/api/v1/batches/$entity" >/dev/null
  done
}
step_field() { # run-json step field
  echo "$1" | grep -o "{[^}]*\"step\":\"$2\"[^}]*}" | grep -o "\"$3\":[0-9]*" | grep -o '[0-9]*$' || echo 0; }
run() { # body -> prints "build-ms audit-ms run-json" after the run ends
  local id j
  id=$(curl -sf -u "$AUTH" -H 'Content-Type: application/json' -d "$1" "$TRANSFORM/api/v1/transform-runs" \
    | grep -o '"run_id":[0-9]*' | grep -o '[0-9]*$')
  for _ in $(seq 1 2400); do
    j=$(curl -sf "$TRANSFORM/api/v1/transform-runs/$id"); echo "$j" | grep -q '"status":"running"' || break; sleep 0.25
  done
  echo "$j" | grep -q '"status":"succeeded"' || { echo "run $id: $j" >&2; exit 1; }
  local build=0
  for s in scope scope_full dimensions facts marts; do build=$((build + $(step_field "$j" $s duration_ms))); done
  echo "$build $(step_field "$j" audit duration_ms) $j"
}
last_run() {
  curl -sf "$ANALYTICS/api/v1/pipeline/status" | grep -o '"last_transform_run":{"run_id":[0-9]*' | grep -o '[0-9]*$' || echo 0; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
wait_loaded() { # until the nudged runs are over
  for _ in $(seq 1 1200); do
    s=$(curl -sf "$ANALYTICS/api/v1/pipeline/status" || true)
    if echo "$s" | grep -q '"pending_batches":0' && ! echo "$s" | grep -q '"status":"running"'; then return; fi
    sleep 1
  done
  echo "pipeline did not settle" >&2; exit 1
}

# transform-service's heap, sampled every second from its Micrometer metrics (the JVM runs with
# ./shopflow's -Xmx512m unless SHOPFLOW_JAVA_OPTS says otherwise); the peak is printed at the end
( while sleep 1; do
    curl -sf "$TRANSFORM/q/metrics" 2>/dev/null | awk '/^jvm_memory_used_bytes\{.*area="heap"/ { s += $NF } END { if (s > 0) printf "%d\n", s }'
  done >"$WORK/heap.samples" ) &
SAMPLER=$!
trap 'kill $SAMPLER 2>/dev/null || true; [ -n "${BENCH_KEEP:-}" ] || "$ROOT/shopflow" down >/dev/null 2>&1 || true' EXIT

echo "Generating and loading $LINES order lines over 365 days ..."
mkdir -p "$WORK/year"
awk -v mode=year -v lines="$LINES" -v dir="$WORK/year" -f "$ROOT/bench/warehouse-data.awk"
load "$WORK/year" bench-year
wait_loaded

: >"$WORK/full.ms"; : >"$WORK/baseline.ms"; : >"$WORK/refresh.ms"; : >"$WORK/incremental.ms"
for r in $(seq 1 "$RUNS"); do
  read -r build audit json < <(run '{"rebuild":{}}')
  echo "$build" >>"$WORK/full.ms"
  echo "  full build $r: ${build} ms (scope $(step_field "$json" scope_full duration_ms), dimensions $(step_field "$json" dimensions duration_ms), facts $(step_field "$json" facts duration_ms), marts $(step_field "$json" marts duration_ms)); audit ${audit} ms"
  start=$(date +%s%N)
  "${PSQL[@]}" <<'SQL'
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
CREATE TABLE bench.fact (order_id text, line_number int, order_date date, category text, quantity int, revenue numeric(16,2),
                         is_qualifying boolean);
INSERT INTO bench.fact
SELECT i.order_id, i.line_number, (o.order_ts AT TIME ZONE 'UTC')::date, p.category, i.quantity,
       i.quantity * i.unit_price - i.discount, o.status IN ('paid', 'shipped', 'delivered')
FROM staging.order_items i JOIN staging.orders o USING (order_id) JOIN staging.products p USING (product_id);
CREATE TABLE bench.daily AS
SELECT order_date, sum(revenue) AS revenue, count(DISTINCT order_id) AS orders, sum(quantity) AS units
FROM bench.fact WHERE is_qualifying GROUP BY order_date;
SQL
  echo $(( ($(date +%s%N) - start) / 1000000 )) >>"$WORK/baseline.ms"
  echo "  one-fact baseline $r: $(tail -1 "$WORK/baseline.ms") ms"
  start=$(date +%s%N)
  "${PSQL[@]}" -f "$ROOT/bench/baseline-full-refresh.sql"
  echo $(( ($(date +%s%N) - start) / 1000000 )) >>"$WORK/refresh.ms"
  echo "  dbt-style full refresh baseline $r: $(tail -1 "$WORK/refresh.ms") ms"
done
VERSION=$("${PSQL[@]}" -tAc "SELECT max(version) FROM pipeline.published_version")
echo "The baseline against the published version $VERSION (rows and sums per table):"
"${PSQL[@]}" -v version="$VERSION" -f "$ROOT/bench/baseline-check.sql" | tee "$WORK/baseline-check.txt"
if grep -q '| f$' "$WORK/baseline-check.txt"; then echo "the baseline and the build differ" >&2; exit 1; fi

# A full build writes only the mart rows that differ (marts_full.sql); the runs above rebuilt unchanged
# data. A re-model changes every row: make every current mart row differ, then rebuild once.
"${PSQL[@]}" <<'SQL'
UPDATE marts.mart_daily_sales SET revenue = revenue + 0.01 WHERE version_to = 9223372036854775807;
UPDATE marts.mart_daily_category_sales SET revenue = revenue + 0.01 WHERE version_to = 9223372036854775807;
UPDATE marts.mart_daily_channel_sales SET revenue = revenue + 0.01 WHERE version_to = 9223372036854775807;
UPDATE marts.mart_product_daily SET revenue = revenue + 0.01 WHERE version_to = 9223372036854775807;
UPDATE marts.mart_customer_daily SET revenue = revenue + 0.01 WHERE version_to = 9223372036854775807;
UPDATE marts.mart_payment_daily SET amount = amount + 0.01 WHERE version_to = 9223372036854775807;
UPDATE marts.mart_customer SET ltv = ltv + 0.01 WHERE version_to = 9223372036854775807;
UPDATE marts.mart_cohort SET customers = customers + 1 WHERE version_to = 9223372036854775807;
UPDATE marts.mart_product SET name = name || '.' WHERE version_to = 9223372036854775807;
VACUUM ANALYZE marts.mart_daily_sales, marts.mart_daily_category_sales, marts.mart_daily_channel_sales,
  marts.mart_product_daily, marts.mart_customer_daily, marts.mart_payment_daily, marts.mart_customer,
  marts.mart_cohort, marts.mart_product;
SQL
read -r REMODEL audit json < <(run '{"rebuild":{}}')
echo "  full build, every mart row changed: ${REMODEL} ms (scope $(step_field "$json" scope_full duration_ms), dimensions $(step_field "$json" dimensions duration_ms), facts $(step_field "$json" facts duration_ms), marts $(step_field "$json" marts duration_ms)); audit ${audit} ms"

for r in $(seq 1 "$RUNS"); do
  day=$((364 + r))
  mkdir -p "$WORK/day$day"
  awk -v mode=day -v day="$day" -v lines="$LINES" -v dir="$WORK/day$day" -f "$ROOT/bench/warehouse-data.awk"
  # ingestion nudges transform after each load: the runs that follow (one, or a few chained ones when
  # batches arrive during a run) are the incremental cost of the day; their build times are summed
  before=$(last_run)
  load "$WORK/day$day" "bench-day$day"
  wait_loaded
  build=0; scoped=0; parts=""
  for id in $(seq $((before + 1)) "$(last_run)"); do
    json=$(curl -sf "$TRANSFORM/api/v1/transform-runs/$id")
    echo "$json" | grep -q '"status":"succeeded"' || { echo "run $id: $json" >&2; exit 1; }
    b=0
    for s in scope dimensions facts marts; do b=$((b + $(step_field "$json" $s duration_ms))); done
    build=$((build + b)); scoped=$((scoped + $(step_field "$json" scope rows)))
    parts="$parts run $id: ${b} ms (scope $(step_field "$json" scope duration_ms), dimensions $(step_field "$json" dimensions duration_ms), facts $(step_field "$json" facts duration_ms), marts $(step_field "$json" marts duration_ms));"
  done
  echo "$build" >>"$WORK/incremental.ms"
  echo "  incremental day $day: ${build} ms, $scoped orders in scope;$parts"
done

FULL=$(median <"$WORK/full.ms"); BASE=$(median <"$WORK/baseline.ms"); INC=$(median <"$WORK/incremental.ms")
REFRESH=$(median <"$WORK/refresh.ms")
FACTS=$("${PSQL[@]}" -tAc "SELECT count(*) FROM warehouse.fact_order_line")
echo
echo "Transform benchmark: $FACTS fact rows over 365+ days, median of $RUNS runs, $(nproc) cores"
printf '%-62s %10s %10s %10s\n' "what" "seconds" "x refresh" "x one-fact"
row() { printf '%-62s %10.2f %10.2f %10.2f\n' "$1" "$(awk -v v="$2" 'BEGIN { print v / 1000 }')" \
  "$(awk -v a="$2" -v b="$REFRESH" 'BEGIN { print a / b }')" "$(awk -v a="$2" -v b="$BASE" 'BEGIN { print a / b }')"; }
row "dbt-style full refresh baseline (every table, CTAS)" "$REFRESH"
row "one-fact baseline (INSERT ... SELECT fact, GROUP BY daily)" "$BASE"
row "full build (dimensions, facts, 9 marts; versioned)" "$FULL"
row "full build, every mart row changed (a re-model; one run)" "$REMODEL"
printf '%-62s %10.2f %10s\n' "incremental run: one new day" "$(awk -v v="$INC" 'BEGIN { print v / 1000 }')" \
  "$(awk -v a="$INC" -v b="$FULL" 'BEGIN { printf "%.3f x full", a / b }')"
echo "targets: full build <= 1.5x the dbt-style baseline; incremental <= 0.05 of the full build"
echo "transform-service heap peak: $(sort -n "$WORK/heap.samples" | tail -1 | awk '{ printf "%.0f MiB", $1 / 1048576 }') (sampled each second; JVM options: ${SHOPFLOW_JAVA_OPTS:--Xmx512m -XX:+UseSerialGC})"
echo "database size: $("${PSQL[@]}" -tAc "SELECT pg_size_pretty(pg_database_size('postgres'))"); staging $("${PSQL[@]}" -tAc "SELECT pg_size_pretty(sum(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'staging' AND c.relkind = 'r'"); state directory $(du -sh "$WORK/state" | cut -f1)"
