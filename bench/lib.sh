#!/usr/bin/env bash
# What the benchmark scripts share; sourced, not run. Expects ROOT (the repository) and PIDS (an array
# of the background processes the script kills on exit).

now() { date +%s.%N; }
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# start_db PORT DIR [FLAGS...]: a throwaway embedded PostgreSQL (local-platform's db command) on PORT with
# its data in DIR (FLAGS go to the command, e.g. --logical true); its JDBC URL lands in DIR.url once it is
# ready, its log in DIR.log.
start_db() {
  rm -rf "$2" "$2.url"
  java -Xmx128m -jar "$ROOT/local-platform/target/local-platform.jar" db --port "$1" --data "$2" "${@:3}" \
    --ready-file "$2.url" >"$2.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do [ -f "$2.url" ] && break; sleep 0.5; done
  [ -f "$2.url" ] || { echo "PostgreSQL did not start; see $2.log" >&2; exit 1; }
}

# sample_heap PID PORT FILE: the service's used heap, from its own Prometheus endpoint, every 0.25 s
# into FILE while PID lives (the peak is `sort -g FILE | tail -1`).
sample_heap() {
  : >"$3"
  ( while kill -0 "$1" 2>/dev/null; do
      curl -s "http://localhost:$2/q/metrics" | awk '/^jvm_memory_used_bytes[{]area="heap"/ { s += $NF } END { if (s) printf "%d\n", s }' >>"$3" || true
      sleep 0.25
    done ) &
  PIDS+=($!)
}
