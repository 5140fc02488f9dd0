#!/usr/bin/env bash
# Sources benchmark (issue 37): 1,000,000 order lines pulled from a shop's own PostgreSQL through a
# mapping query (docs/sources.md), against `psql \copy (<the mapping query>) TO stdout` of the same
# query on the same source (the extraction alone), and against pushing the same rows over HTTP as CSV
# (the load alone).
#
#   bench/sources.sh [--rows N] [--runs N] [--batch-rows N] [--xmx 256m] [--capture-seconds 300] [--no-capture]
#
# Starts two throwaway embedded PostgreSQL servers (ShopFlow's database, and the shop's with a schema
# that is not ShopFlow's), and one ingestion-service with the sources file; transform is not started.
# Between runs the loaded rows, their ledger batches and the cursor are removed, so every run loads.
# Prints rows/s of each method (median of the runs), the ratios, and ingestion's peak heap and RSS.
# Then, unless --no-capture, the change data capture part (bench/capture.sh): latency from a commit in
# the source to staging and to a published version at a steady 100 changes a second, and RSS.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROWS=1000000
RUNS=3
BATCH_ROWS=5000
XMX=256m
CAPTURE_SECONDS=300
CAPTURE=true
while [ $# -gt 0 ]; do
  case $1 in
    --capture-seconds) CAPTURE_SECONDS=$2; shift 2 ;;
    --no-capture) CAPTURE=false; shift ;;
    --rows) ROWS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --batch-rows) BATCH_ROWS=$2; shift 2 ;;
    --xmx) XMX=$2; shift 2 ;;
    *) echo "usage: bench/sources.sh [--rows N] [--runs N] [--batch-rows N] [--xmx 256m] [--capture-seconds 300] [--no-capture]" >&2; exit 2 ;;
  esac
done
WORK=${BENCH_DIR:-$ROOT/bench/target/sources}
PORT=${BENCH_PORT:-18192}
DB_PORT=${BENCH_DB_PORT:-25492}
SHOP_PORT=${BENCH_SHOP_PORT:-25493}
mkdir -p "$WORK"
command -v psql >/dev/null || { echo "psql is needed: apt-get install -y postgresql-client" >&2; exit 1; }
if [ ! -f "$ROOT/ingestion-service/target/quarkus-app/quarkus-run.jar" ] || [ ! -f "$ROOT/local-platform/target/local-platform.jar" ]; then
  (cd "$ROOT" && ./mvnw -q -B -DskipTests install)
fi
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

start_db "$DB_PORT" "$WORK/shopflow-db"
start_db "$SHOP_PORT" "$WORK/shop-db"
export PGUSER=postgres PGPASSWORD=postgres PGDATABASE=postgres PGHOST=localhost
SHOPFLOW=(psql -X -q -v ON_ERROR_STOP=1 -p "$DB_PORT")
SHOP=(psql -X -q -v ON_ERROR_STOP=1 -p "$SHOP_PORT")

# --- the shop's database: purchases of 3 lines, 0.5 % of lines with quantity 0 (quarantined)
echo "Filling the shop's database with $ROWS order lines ..."
"${SHOP[@]}" <<SQL
CREATE SCHEMA shop;
CREATE TABLE shop.purchase_line (purchase_no bigint, line_no int, sku text, qty int, price numeric(10,2),
  discount numeric(10,2), modified timestamp NOT NULL, PRIMARY KEY (purchase_no, line_no));
INSERT INTO shop.purchase_line
SELECT i / 3, i % 3 + 1, 'SKU-' || lpad(((i * 7919) % 2000)::text, 4, '0'),
       CASE WHEN i % 200 = 199 THEN 0 ELSE 1 + (i * 31) % 4 END,
       1 + ((i * 104729) % 30000) / 100.0, CASE WHEN i % 10 = 0 THEN 0.50 ELSE 0 END,
       timestamp '2025-01-01' + (i / 3) * interval '1 second'
FROM generate_series(0::bigint, $ROWS - 1) i;
CREATE INDEX ON shop.purchase_line (modified);
CREATE ROLE shop_reader LOGIN PASSWORD 'reader';
GRANT USAGE ON SCHEMA shop TO shop_reader;
GRANT SELECT ON shop.purchase_line TO shop_reader;
ANALYZE shop.purchase_line;
SQL
MAPPING="SELECT 'O-' || purchase_no AS order_id, line_no AS line_number, sku AS product_id, qty AS quantity, price AS unit_price, discount, modified FROM shop.purchase_line"
printf 'reader' >"$WORK/shop-password"
cat >"$WORK/sources.yaml" <<YAML
sources:
  - name: bench
    url: jdbc:postgresql://localhost:$SHOP_PORT/postgres
    user: shop_reader
    password_file: $WORK/shop-password
    batch_rows: $BATCH_ROWS
    entities:
      order_items:
        cursor: modified
        query: $MAPPING
YAML

# --- ingestion-service, heap capped, with the sources file
SHOPFLOW_DB_URL=$(cat "$WORK/shopflow-db.url") SHOPFLOW_DB_USER=postgres SHOPFLOW_DB_PASSWORD=postgres QUARKUS_HTTP_PORT=$PORT \
SHOPFLOW_TRANSFORM_URL=http://localhost:1 SHOPFLOW_SOURCES_FILE=$WORK/sources.yaml \
SHOPFLOW_API_USER=shopflow SHOPFLOW_API_PASSWORD=shopflow-dev \
  java -Xmx"$XMX" ${BENCH_JAVA_OPTS:-} -jar "$ROOT/ingestion-service/target/quarkus-app/quarkus-run.jar" >"$WORK/ingestion.log" 2>&1 &
INGEST_PID=$!
PIDS+=($INGEST_PID)
java -jar "$ROOT/local-platform/target/local-platform.jar" wait-ready --timeout 120 "http://localhost:$PORT" >/dev/null
sample_heap "$INGEST_PID" "$PORT" "$WORK/heap.samples"

rate() { awk -v a="$1" -v b="$2" -v n="$ROWS" 'BEGIN { printf "%.0f\n", n / (b - a) }'; }
reset() { # every run loads: no staging rows, no ledger batches, no cursor
  "${SHOPFLOW[@]}" -c "TRUNCATE staging.order_items, quarantine.rejected_row, raw.batch_body; DELETE FROM pipeline.batch;
    DELETE FROM pipeline.source_cursor; CHECKPOINT;"
}

run_copy() {
  local t0 t1
  t0=$(now)
  "${SHOP[@]}" -c "\\copy ($MAPPING) TO stdout" >/dev/null
  t1=$(now)
  echo "  psql \\copy (mapping) TO stdout: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s" >&2
  rate "$t0" "$t1"
}

run_source() {
  local t0 t1 id status
  reset
  t0=$(now)
  id=$(curl -s -f -u shopflow:shopflow-dev -X POST "http://localhost:$PORT/api/v1/sources/bench/runs?full=true" | sed 's/.*"run_id":\([0-9]*\).*/\1/')
  status=running
  while [ "$status" = running ]; do
    sleep 0.2
    status=$(curl -s "http://localhost:$PORT/api/v1/source-runs/$id" | sed 's/.*"status":"\([a-z]*\)".*/\1/')
  done
  t1=$(now)
  [ "$status" = succeeded ] || { echo "source run $id: $(curl -s "http://localhost:$PORT/api/v1/source-runs/$id")" >&2; exit 1; }
  echo "  source run $id: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s  $(curl -s "http://localhost:$PORT/api/v1/source-runs/$id" | grep -o '"order_items":{[^}]*}')" >&2
  rate "$t0" "$t1"
}

run_push() {
  local t0 t1 out
  reset
  t0=$(now)
  out=$(curl -s -f -u shopflow:shopflow-dev -H "Content-Type: text/csv" -H "Idempotency-Key: bench-push-$RANDOM-$(date +%s%N)" \
    --data-binary "@$WORK/order_items.csv" "http://localhost:$PORT/api/v1/batches/order_items")
  t1=$(now)
  echo "  push CSV over HTTP: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s  $out" >&2
  rate "$t0" "$t1"
}

# the same rows as a CSV file, for the push (exported once, not timed)
"${SHOP[@]}" -c "\\copy (SELECT order_id, line_number, product_id, quantity, unit_price, discount FROM ($MAPPING) m) TO '$WORK/order_items.csv' WITH (FORMAT csv, HEADER true)"

: >"$WORK/copy.rps"; : >"$WORK/source.rps"; : >"$WORK/push.rps"
for r in $(seq 1 "$RUNS"); do
  echo "Run $r of $RUNS"
  run_copy >>"$WORK/copy.rps"
  run_source >>"$WORK/source.rps"
  run_push >>"$WORK/push.rps"
done
COPY_RPS=$(median <"$WORK/copy.rps")
SOURCE_RPS=$(median <"$WORK/source.rps")
PUSH_RPS=$(median <"$WORK/push.rps")
PEAK_HEAP=$(sort -g "$WORK/heap.samples" | tail -1)
PEAK_RSS=$(awk '/VmHWM/ { print $2 }' "/proc/$INGEST_PID/status")

echo
echo "Sources benchmark: $ROWS order lines from a PostgreSQL source, median of $RUNS runs, $(nproc) cores, ingestion -Xmx$XMX, batch_rows $BATCH_ROWS"
printf '%-52s %12s %14s\n' "method" "rows/s" "vs \\copy out"
printf '%-52s %12s %14s\n' "psql \\copy (mapping) TO stdout (extraction alone)" "$COPY_RPS" "1.00"
printf '%-52s %12s %14s\n' "source run: extract, validate, stage, ledger, raw" "$SOURCE_RPS" "$(awk -v a="$SOURCE_RPS" -v b="$COPY_RPS" 'BEGIN { printf "%.2f", a / b }')"
printf '%-52s %12s %14s\n' "push the same rows as CSV over HTTP (load alone)" "$PUSH_RPS" "$(awk -v a="$PUSH_RPS" -v b="$COPY_RPS" 'BEGIN { printf "%.2f", a / b }')"
echo "source run vs push: $(awk -v a="$SOURCE_RPS" -v b="$PUSH_RPS" 'BEGIN { printf "%.2f", a / b }') x"
echo "ingestion-service peak heap used: $((PEAK_HEAP / 1024 / 1024)) MiB (limit $XMX); peak RSS: $((PEAK_RSS / 1024)) MiB"
echo "Goal (issue 37): the source run >= 0.5 x \\copy of the mapping query."

if [ "$CAPTURE" = true ]; then
  cleanup
  PIDS=()
  echo
  "$ROOT/bench/capture.sh" --seconds "$CAPTURE_SECONDS" --xmx "$XMX"
fi
