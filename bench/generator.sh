#!/usr/bin/env bash
# Generator benchmark (issue 4): generation alone, into a discarding sink (every row serialized to
# its NDJSON line as the push does), for 1,000,000 order lines; prints records/s beside the
# ingestion rate it must stay ahead of (target: at least 5x, so the generator is never the bottleneck).
#
#   bench/generator.sh [order lines] [orders per day]    (defaults 1000000 2000)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APP=$ROOT/generator-service/target/quarkus-app
[ -f "$APP/quarkus-run.jar" ] || (cd "$ROOT" && ./mvnw -q -B -DskipTests install)
# the service's own jars and classes, no Quarkus start-up: generation only
java -Xmx256m -cp "$APP/lib/main/*:$ROOT/generator-service/target/classes" \
  dev.shopflow.generator.bench.GenerationBench "${1:-1000000}" "${2:-2000}"
echo "Ingestion takes NDJSON at about 240,000 rows/s on this machine (bench/ingest.sh); target: >= 1,200,000 records/s."
