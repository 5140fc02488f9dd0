#!/usr/bin/env bash
# Change data capture benchmark (issue 37; bench/sources.sh runs it after the extraction part): a
# shop's PostgreSQL followed by its replication slot while it commits a steady RATE changes a second
# for SECONDS, with the whole platform running (./shopflow up: ingestion with the capture, transform
# publishing at each nudge, quality auditing). Prints the latency from a commit in the source to
# staging (the batch that loaded it) and to a published version (the version that first included it),
# p50 and p95 over the inserted orders (each inserted order is one probe: committed once, never
# updated, so its first load is its only one), and ingestion-service's RSS while it captures.
#
#   bench/capture.sh [--rate 100] [--seconds 300] [--xmx 256m]
#
# Changes are transactions: 40 % insert a new order with a line (the probes), 40 % change a seeded
# order's status, 20 % change a seeded line's price.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RATE=100
SECONDS_RUN=300
XMX=256m
while [ $# -gt 0 ]; do
  case $1 in
    --rate) RATE=$2; shift 2 ;;
    --seconds) SECONDS_RUN=$2; shift 2 ;;
    --xmx) XMX=$2; shift 2 ;;
    *) echo "usage: bench/capture.sh [--rate 100] [--seconds 300] [--xmx 256m]" >&2; exit 2 ;;
  esac
done
WORK=${BENCH_DIR:-$ROOT/bench/target/capture}
SHOP_PORT=${BENCH_SHOP_PORT:-25494}
export SHOPFLOW_STATE_DIR=$WORK/state SHOPFLOW_PORT_BASE=${BENCH_PORT_BASE:-19380} SHOPFLOW_DB_PORT=${BENCH_DB_PORT:-25495}
mkdir -p "$WORK"
rm -rf "$SHOPFLOW_STATE_DIR"
command -v psql >/dev/null || { echo "psql is needed: apt-get install -y postgresql-client" >&2; exit 1; }
if [ ! -f "$ROOT/ingestion-service/target/quarkus-app/quarkus-run.jar" ] || [ ! -f "$ROOT/local-platform/target/local-platform.jar" ]; then
  (cd "$ROOT" && ./mvnw -q -B -DskipTests install)
fi
PIDS=()
cleanup() {
  "$ROOT/shopflow" down >/dev/null 2>&1 || true
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

# --- the shop's database, logical decoding on
start_db "$SHOP_PORT" "$WORK/shop-db" --logical true
SHOP=(psql -X -q -v ON_ERROR_STOP=1 -h localhost -U postgres -d postgres -p "$SHOP_PORT")
export PGPASSWORD=postgres
"${SHOP[@]}" <<'SQL'
CREATE SCHEMA shop;
CREATE SCHEMA bench;
CREATE TABLE shop.person (person_id int PRIMARY KEY, email text, name text, country char(2), created timestamptz, modified timestamptz NOT NULL);
CREATE TABLE shop.item (sku text PRIMARY KEY, title text, category text, price numeric(10,2), cost numeric(10,2), modified timestamptz NOT NULL);
CREATE TABLE shop.purchase (purchase_no bigint PRIMARY KEY, person_id int, placed timestamptz, shipped timestamptz,
  channel text, modified timestamptz NOT NULL);
CREATE TABLE shop.purchase_line (purchase_no bigint, line_no int, sku text, qty int, price numeric(10,2),
  modified timestamptz NOT NULL, PRIMARY KEY (purchase_no, line_no));
CREATE TABLE bench.probe (purchase_no bigint PRIMARY KEY, committed_at timestamptz NOT NULL);
INSERT INTO shop.person SELECT i, 'p' || i || '@example.com', 'Person ' || i, 'DE', now() - interval '30 days', now() - interval '30 days'
  FROM generate_series(1, 200) i;
INSERT INTO shop.item SELECT 'SKU-' || i, 'Item ' || i, (ARRAY['toys', 'books', 'garden', 'kitchen'])[1 + i % 4], 5 + i, 2 + i / 2.0,
  now() - interval '30 days' FROM generate_series(1, 50) i;
INSERT INTO shop.purchase SELECT i, 1 + i % 200, now() - interval '1 day' * (i % 20), NULL, 'web', now() - interval '1 day' * (i % 20)
  FROM generate_series(1, 1000) i;
INSERT INTO shop.purchase_line SELECT i, 1, 'SKU-' || (1 + i % 50), 1 + i % 3, 5 + (1 + i % 50), now() - interval '1 day' * (i % 20)
  FROM generate_series(1, 1000) i;
CREATE ROLE shop_capture LOGIN REPLICATION PASSWORD 'capture';
GRANT USAGE ON SCHEMA shop TO shop_capture;
GRANT SELECT ON ALL TABLES IN SCHEMA shop TO shop_capture;
CREATE PUBLICATION shopflow_bench FOR TABLE shop.person, shop.item, shop.purchase, shop.purchase_line;

-- the shop's application: RATE transactions a second for SECONDS, each committed on its own
CREATE PROCEDURE bench.drive(rate int, seconds int) LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz := clock_timestamp();
  n bigint := 0;
  next_no bigint := 1000000;
  tick bigint := 0;
  i int;
BEGIN
  WHILE clock_timestamp() < t0 + make_interval(secs => seconds) LOOP
    FOR i IN 1 .. greatest(rate / 10, 1) LOOP
      n := n + 1;
      IF n % 5 < 2 THEN
        next_no := next_no + 1;
        INSERT INTO shop.purchase VALUES (next_no, 1 + n % 200, clock_timestamp(), NULL, 'web', clock_timestamp());
        INSERT INTO shop.purchase_line VALUES (next_no, 1, 'SKU-' || (1 + n % 50), 1 + n % 3, 9.99, clock_timestamp());
        INSERT INTO bench.probe VALUES (next_no, clock_timestamp());
      ELSIF n % 5 < 4 THEN
        UPDATE shop.purchase SET shipped = clock_timestamp(), modified = clock_timestamp() WHERE purchase_no = 1 + (n * 7919) % 1000;
      ELSE
        UPDATE shop.purchase_line SET price = price + 0.01, modified = clock_timestamp() WHERE purchase_no = 1 + (n * 104729) % 1000;
      END IF;
      COMMIT;
    END LOOP;
    tick := tick + 1;
    PERFORM pg_sleep(greatest(0, extract(epoch FROM (t0 + tick * interval '100 milliseconds' - clock_timestamp()))));
  END LOOP;
END $$;
SQL
printf 'capture' >"$WORK/capture-password"
cat >"$WORK/sources.yaml" <<YAML
sources:
  - name: bench
    url: jdbc:postgresql://localhost:$SHOP_PORT/postgres
    user: shop_capture
    password_file: $WORK/capture-password
    capture: {publication: shopflow_bench, create_publication: false, interval: 1s}
    entities:
      customers:
        cursor: updated_at
        follows: [{table: shop.person, column: person_id, match: src_id}]
        query: SELECT 'C-' || person_id AS customer_id, person_id AS src_id, email, name AS first_name, 'X' AS last_name, country, created AS signup_at, modified AS updated_at FROM shop.person
      products:
        cursor: updated_at
        follows: [{table: shop.item, column: sku, match: product_id}]
        query: SELECT sku AS product_id, title AS name, category, price AS unit_price, cost AS unit_cost, modified AS updated_at FROM shop.item
      orders:
        cursor: updated_at
        follows: [{table: shop.purchase, column: purchase_no, match: src_no}]
        query: SELECT 'O-' || purchase_no AS order_id, purchase_no AS src_no, 'C-' || person_id AS customer_id, placed AS order_ts, CASE WHEN shipped IS NULL THEN 'paid' ELSE 'shipped' END AS status, channel, modified AS updated_at FROM shop.purchase
      order_items:
        cursor: modified
        follows: [{table: shop.purchase_line, column: purchase_no, match: src_no}]
        query: SELECT 'O-' || purchase_no AS order_id, purchase_no AS src_no, line_no AS line_number, sku AS product_id, qty AS quantity, price AS unit_price, 0 AS discount, modified FROM shop.purchase_line
YAML

# --- the platform, ingestion following the shop
export SHOPFLOW_SOURCES_FILE=$WORK/sources.yaml SHOPFLOW_JAVA_OPTS="-Xmx$XMX -XX:+UseSerialGC"
"$ROOT/shopflow" up >"$WORK/up.log" 2>&1 || { cat "$WORK/up.log" >&2; exit 1; }
INGEST_PORT=$((SHOPFLOW_PORT_BASE + 2))
INGEST_PID=$(cat "$SHOPFLOW_STATE_DIR/run/ingestion-service.pid")
DB_URL=$(cat "$SHOPFLOW_STATE_DIR/run/db.url")
DB_PORT=$(echo "$DB_URL" | sed 's#.*localhost:\([0-9]*\)/.*#\1#')
SHOPFLOW=(psql -X -q -v ON_ERROR_STOP=1 -h localhost -U postgres -d postgres -p "$DB_PORT")
echo "Waiting for the capture's full read and streaming ..."
for _ in $(seq 1 240); do
  curl -s "http://localhost:$INGEST_PORT/api/v1/sources" | grep -q '"state":"streaming"' && break
  sleep 0.5
done
curl -s "http://localhost:$INGEST_PORT/api/v1/sources" | grep -q '"state":"streaming"' \
  || { echo "the capture is not streaming: $(curl -s "http://localhost:$INGEST_PORT/api/v1/sources")" >&2; exit 1; }

# --- the steady load, RSS sampled each second
: >"$WORK/rss.samples"
( while kill -0 "$INGEST_PID" 2>/dev/null; do awk '/VmRSS/ { print $2 }' "/proc/$INGEST_PID/status" >>"$WORK/rss.samples"; sleep 1; done ) &
PIDS+=($!)
echo "Committing $RATE changes a second for $SECONDS_RUN s ..."
T0=$(now)
"${SHOP[@]}" -c "CALL bench.drive($RATE, $SECONDS_RUN)"
T1=$(now)
COMMITTED=$("${SHOP[@]}" -At -c "SELECT count(*) FROM bench.probe")
echo "Waiting for the last changes to be published ..."
"${SHOP[@]}" -c "\\copy bench.probe TO '$WORK/probe.csv' WITH (FORMAT csv)"
"${SHOPFLOW[@]}" -c "CREATE TABLE IF NOT EXISTS public.bench_probe (purchase_no bigint, committed_at timestamptz); TRUNCATE public.bench_probe;" \
  -c "\\copy public.bench_probe FROM '$WORK/probe.csv' WITH (FORMAT csv)"
for _ in $(seq 1 120); do
  left=$("${SHOPFLOW[@]}" -At -c "SELECT count(*) FROM public.bench_probe p LEFT JOIN staging.orders o ON o.order_id = 'O-' || p.purchase_no
    LEFT JOIN pipeline.batch b ON b.batch_seq = o.batch_seq WHERE b.published_version IS NULL")
  [ "$left" = 0 ] && break
  sleep 1
done
RSS_MAX=$(sort -n "$WORK/rss.samples" | tail -1)
RSS_MEDIAN=$(median <"$WORK/rss.samples")

echo
echo "Change data capture: $COMMITTED inserted orders (probes) among about $((RATE * SECONDS_RUN)) changes in $(awk -v a="$T0" -v b="$T1" 'BEGIN { printf "%.0f", b - a }') s, $(nproc) cores, ingestion -Xmx$XMX, capture interval 1s"
"${SHOPFLOW[@]}" -c "
SELECT 'to staging' AS latency,
       count(*) AS probes,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM b.loaded_at - p.committed_at))::numeric, 2) AS p50_s,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM b.loaded_at - p.committed_at))::numeric, 2) AS p95_s,
       round(max(extract(epoch FROM b.loaded_at - p.committed_at))::numeric, 2) AS max_s,
       '<= 10' AS goal_p95_s
FROM public.bench_probe p JOIN staging.orders o ON o.order_id = 'O-' || p.purchase_no JOIN pipeline.batch b ON b.batch_seq = o.batch_seq
UNION ALL
SELECT 'to a published version', count(v.published_at),
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM v.published_at - p.committed_at))::numeric, 2),
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY extract(epoch FROM v.published_at - p.committed_at))::numeric, 2),
       round(max(extract(epoch FROM v.published_at - p.committed_at))::numeric, 2),
       '<= 30'
FROM public.bench_probe p JOIN staging.orders o ON o.order_id = 'O-' || p.purchase_no JOIN pipeline.batch b ON b.batch_seq = o.batch_seq
JOIN pipeline.published_version v ON v.version = b.published_version;"
echo "Probes not in staging: $("${SHOPFLOW[@]}" -At -c "SELECT count(*) FROM public.bench_probe p WHERE NOT EXISTS (SELECT 1 FROM staging.orders o WHERE o.order_id = 'O-' || p.purchase_no)")"
echo "ingestion-service RSS while capturing: median $((RSS_MEDIAN / 1024)) MiB, max $((RSS_MAX / 1024)) MiB (-Xmx$XMX)"
echo "Published versions during the run: $("${SHOPFLOW[@]}" -At -c "SELECT count(*) FROM pipeline.published_version")"
