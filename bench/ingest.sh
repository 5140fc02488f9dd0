#!/usr/bin/env bash
# Ingestion benchmark (issue 3): 1,000,000 order_items rows over HTTP as NDJSON and as CSV, against
# PostgreSQL's own `psql \copy` of the same rows into an equivalent keyed table, same database, same run.
#
#   bench/ingest.sh [--rows N] [--runs N] [--xmx 256m]
#
# Starts a throwaway embedded PostgreSQL (or uses SHOPFLOW_DB_URL/USER/PASSWORD plus PGHOST/PGPORT/
# PGUSER/PGPASSWORD/PGDATABASE for psql) and one ingestion-service with -Xmx256m; transform is not
# started, so nothing competes for the CPU (its nudges fail and are logged, as they may). Prints
# rows/s of each method (median of the runs), the ratio to \copy, and the ingestion JVM's peak heap and RSS.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROWS=1000000
RUNS=3
XMX=256m
while [ $# -gt 0 ]; do
  case $1 in
    --rows) ROWS=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --xmx) XMX=$2; shift 2 ;;
    *) echo "usage: bench/ingest.sh [--rows N] [--runs N] [--xmx 256m]" >&2; exit 2 ;;
  esac
done

WORK=${BENCH_DIR:-$ROOT/bench/target/ingest}
PORT=${BENCH_PORT:-18182}
DB_PORT=${BENCH_DB_PORT:-25442}
mkdir -p "$WORK"
export SHOPFLOW_API_USER=shopflow SHOPFLOW_API_PASSWORD=shopflow-dev

command -v psql >/dev/null || { echo "psql is needed: apt-get install -y postgresql-client" >&2; exit 1; }
if [ ! -f "$ROOT/ingestion-service/target/quarkus-app/quarkus-run.jar" ] || [ ! -f "$ROOT/local-platform/target/local-platform.jar" ]; then
  (cd "$ROOT" && ./mvnw -q -B -DskipTests install)
fi

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

# --- the rows: order_items, 3 lines per order, 0.5 % invalid (quantity 0) so quarantine is exercised
NDJSON=$WORK/order_items.ndjson
CSV=$WORK/order_items.csv
if [ ! -f "$NDJSON" ] || [ "$(wc -l <"$NDJSON")" -ne "$ROWS" ]; then
  echo "Generating $ROWS rows ..."
  awk -v n="$ROWS" 'BEGIN {
    srand(7);
    print "order_id,line_number,product_id,quantity,unit_price,discount" > "'"$CSV"'";
    for (i = 0; i < n; i++) {
      o = sprintf("bo-%08d", int(i / 3)); l = i % 3 + 1; p = sprintf("p-%04d", int(rand() * 2000));
      q = (i % 200 == 199) ? 0 : 1 + int(rand() * 4); u = sprintf("%.2f", 1 + rand() * 300);
      d = (i % 10 == 0) ? sprintf("%.2f", u * 0.1) : "0";
      printf "{\"order_id\":\"%s\",\"line_number\":%d,\"product_id\":\"%s\",\"quantity\":%d,\"unit_price\":%s,\"discount\":%s}\n", o, l, p, q, u, d;
      printf "%s,%d,%s,%d,%s,%s\n", o, l, p, q, u, d >> "'"$CSV"'";
    } }' >"$NDJSON"
fi
echo "Body sizes: NDJSON $(du -m "$NDJSON" | cut -f1) MB, CSV $(du -m "$CSV" | cut -f1) MB"

# --- database
if [ -n "${SHOPFLOW_DB_URL:-}" ]; then
  DB_URL=$SHOPFLOW_DB_URL; DB_USER=${SHOPFLOW_DB_USER:-shopflow}; DB_PASSWORD=${SHOPFLOW_DB_PASSWORD:-shopflow}
else
  start_db "$DB_PORT" "$WORK/pgdata"
  DB_URL=$(cat "$WORK/pgdata.url"); DB_USER=postgres; DB_PASSWORD=postgres
  export PGHOST=localhost PGPORT=$DB_PORT PGUSER=postgres PGPASSWORD=postgres PGDATABASE=postgres
fi
PSQL=(psql -X -q -v ON_ERROR_STOP=1)

# --- ingestion-service, heap capped
SHOPFLOW_DB_URL=$DB_URL SHOPFLOW_DB_USER=$DB_USER SHOPFLOW_DB_PASSWORD=$DB_PASSWORD QUARKUS_HTTP_PORT=$PORT \
SHOPFLOW_TRANSFORM_URL=http://localhost:1 \
  java -Xmx"$XMX" ${BENCH_JAVA_OPTS:-} -jar "$ROOT/ingestion-service/target/quarkus-app/quarkus-run.jar" >"$WORK/ingestion.log" 2>&1 &
INGEST_PID=$!
PIDS+=($INGEST_PID)
java -jar "$ROOT/local-platform/target/local-platform.jar" wait-ready --timeout 120 "http://localhost:$PORT" >/dev/null

# peak heap, sampled from the service's own Prometheus endpoint while the loads run
sample_heap "$INGEST_PID" "$PORT" "$WORK/heap.samples"

"${PSQL[@]}" -c "CREATE SCHEMA IF NOT EXISTS bench; DROP TABLE IF EXISTS bench.order_items_copy;
  CREATE TABLE bench.order_items_copy (order_id text NOT NULL, line_number integer NOT NULL, product_id text NOT NULL,
    quantity integer NOT NULL, unit_price numeric(14,2) NOT NULL, discount numeric(14,2) NOT NULL,
    PRIMARY KEY (order_id, line_number));"


run_ingest() { # format file content-type
  local t0 t1 out
  "${PSQL[@]}" -c "TRUNCATE staging.order_items; CHECKPOINT;"
  t0=$(now)
  out=$(curl -s -f -u shopflow:shopflow-dev -H "Content-Type: $3" -H "Idempotency-Key: bench-$1-$RANDOM-$(date +%s%N)" \
    --data-binary "@$2" "http://localhost:$PORT/api/v1/batches/order_items")
  t1=$(now)
  echo "$out" | grep -q "\"received\":$ROWS" || { echo "unexpected report: $out" >&2; exit 1; }
  echo "  $1: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s  $out" >&2
  awk -v a="$t0" -v b="$t1" -v n="$ROWS" 'BEGIN { printf "%.0f\n", n / (b - a) }'
}

run_copy() {
  local t0 t1
  "${PSQL[@]}" -c "TRUNCATE bench.order_items_copy; CHECKPOINT;"
  t0=$(now)
  "${PSQL[@]}" -c "\\copy bench.order_items_copy FROM '$CSV' WITH (FORMAT csv, HEADER true)"
  t1=$(now)
  echo "  psql \\copy: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s" >&2
  awk -v a="$t0" -v b="$t1" -v n="$ROWS" 'BEGIN { printf "%.0f\n", n / (b - a) }'
}

: >"$WORK/ndjson.rps"; : >"$WORK/csv.rps"; : >"$WORK/copy.rps"
for r in $(seq 1 "$RUNS"); do
  echo "Run $r of $RUNS"
  run_copy >>"$WORK/copy.rps"
  run_ingest ndjson "$NDJSON" application/x-ndjson >>"$WORK/ndjson.rps"
  run_ingest csv "$CSV" text/csv >>"$WORK/csv.rps"
done

COPY_RPS=$(median <"$WORK/copy.rps")
NDJSON_RPS=$(median <"$WORK/ndjson.rps")
CSV_RPS=$(median <"$WORK/csv.rps")
PEAK_HEAP=$(sort -g "$WORK/heap.samples" | tail -1)
PEAK_RSS=$(awk '/VmHWM/ { print $2 }' "/proc/$INGEST_PID/status")
kill -0 "$INGEST_PID" || { echo "ingestion-service died; see $WORK/ingestion.log" >&2; exit 1; }

echo
echo "Ingestion benchmark: $ROWS order_items rows, median of $RUNS runs, $(nproc) cores, ingestion -Xmx$XMX"
printf '%-34s %12s %10s\n' "method" "rows/s" "vs \\copy"
printf '%-34s %12s %10s\n' "psql \\copy into keyed table (CSV)" "$COPY_RPS" "1.00"
printf '%-34s %12s %10s\n' "ingestion NDJSON over HTTP" "$NDJSON_RPS" "$(awk -v a="$NDJSON_RPS" -v b="$COPY_RPS" 'BEGIN { printf "%.2f", a / b }')"
printf '%-34s %12s %10s\n' "ingestion CSV over HTTP" "$CSV_RPS" "$(awk -v a="$CSV_RPS" -v b="$COPY_RPS" 'BEGIN { printf "%.2f", a / b }')"
printf '%-34s %12s %10s\n' "pandas to_sql (issue 3 figure)" "34000" "$(awk -v b="$COPY_RPS" 'BEGIN { printf "%.2f", 34000 / b }')"
echo "ingestion-service peak heap used: $((PEAK_HEAP / 1024 / 1024)) MiB (limit $XMX); peak RSS: $((PEAK_RSS / 1024)) MiB"
echo "Target: ingestion >= 0.50 x \\copy with every row validated, quarantined or staged, raw copy and ledger included."
