#!/usr/bin/env bash
# Garbage collection while the page-of-50 lookups run alone, beside 8 clients reserving and releasing, and
# beside 8 clients reading couriers (the control of `make bench-ceiling`), ROUNDS times (default 2), on 100,000
# couriers. The service runs with its Prometheus endpoint on (OpenTelemetry__Prometheus=true) and each case is
# framed by two scrapes of the runtime's own metrics: collections per generation, time paused, bytes allocated.
# The metrics cost the service a little, so compare the cases with one another, not with `make bench-ceiling`.
# Prints a Markdown table. DURATION=15s per case by default.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/service.sh
DURATION=${DURATION:-15s}
PORT=${PORT:-5314}
if ! command -v wrk >/dev/null; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; fi

publish_service
export CAPACITIES=integers COURIER_PREFIX=c COURIERS=100000 OpenTelemetry__Prometheus=true
trap stop_service EXIT

# "gen0 gen1 gen2 paused_seconds allocated_bytes", from one scrape.
runtime_counts() {
    curl -sf -H "X-Api-Key: $COURIERS_API_KEY" "http://127.0.0.1:$PORT/metrics" | awk '
        /^dotnet_gc_collections_total/ { match($0, /gen[0-2]/); g[substr($0, RSTART, RLENGTH)] = $NF }
        /^dotnet_gc_pause_time_seconds_total/ { p = $NF }
        /^dotnet_gc_heap_total_allocated_bytes_total/ { a = $NF }
        END { print g["gen0"], g["gen1"], g["gen2"], p, a }'
}

# One case of ROUND: the lookups for DURATION, beside SCRIPT's 8 clients if one is given; prints the table row.
run_case() {
    local round=$1 label=$2 script=${3:-} others="" before after lookups side=""
    before=$(runtime_counts)
    if [ -n "$script" ]; then
        wrk -t2 -c8 -d"$DURATION" -s "bench/lookup/$script" "http://127.0.0.1:$PORT" >"$work/alongside.txt" &
        others=$!
    fi
    lookups=$(wrk -t2 -c32 -d"$DURATION" --latency -s bench/lookup/page.lua "http://127.0.0.1:$PORT")
    if [ -n "$others" ]; then
        wait "$others"
        refuse_unexpected "$(cat "$work/alongside.txt")"
        side=$(awk '/requests in/{print $1}' "$work/alongside.txt")
    fi
    refuse_unexpected "$lookups"
    after=$(runtime_counts)
    python3 - "$label" "$round" "$before" "$after" "$lookups" "${side:-0}" <<'PY'
import re, sys
label, round_, before, after, out, side = sys.argv[1:]
b, a = [float(x) for x in before.split()], [float(x) for x in after.split()]
gen0, gen1, gen2, paused, allocated = (a[i] - b[i] for i in range(5))
rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
seconds = float(re.search(r"requests in ([\d.]+)s", out).group(1))
requests = int(re.search(r"(\d+) requests in", out).group(1)) + int(side)
collections = gen0 + gen1 + gen2
mean = f"{paused * 1000 / collections:.2f} ms" if collections else "-"
print(f"| {label} | {round_} | {float(rate):,.0f} req/s, p99 {p99} | {int(side) / seconds:,.0f}/s | {gen0:.0f} / {gen1:.0f} / {gen2:.0f} |"
      f" {paused * 1000:.0f} ms | {mean} | {allocated / seconds / 1e6:.0f} MB/s, {allocated / requests / 1024:.1f} KiB per request |")
PY
}

start_service "$PORT"
python3 bench/lookup/load_couriers.py 127.0.0.1 "$PORT" 100000 >&2
wrk -t2 -c32 -d5s -s bench/lookup/page.lua "http://127.0.0.1:$PORT" >/dev/null
echo "| case | round | lookups | requests alongside | collections gen0 / gen1 / gen2 | paused | per collection | allocated |"
echo "|---|---|---|---|---|---|---|---|"
for round in $(seq "${ROUNDS:-2}"); do
    run_case "$round" "lookups alone"
    run_case "$round" "beside 8 clients reserving and releasing" reserve_release.lua
    run_case "$round" "beside 8 clients reading couriers" read_courier.lua
done
