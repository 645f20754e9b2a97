#!/usr/bin/env bash
# Reservations on this code and on BASELINE=<commit> side by side: both services run at once, each on a
# fresh store with 100,000 couriers, and 5 s runs alternate between them, ROUNDS times (default 3) at 8
# and at 16 clients, each pair after the disk's fsync rate measured in the same folder (it moves from
# minute to minute on a shared disk). Prints Markdown table rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/service.sh
: "${BASELINE:?set BASELINE to the commit to compare with}"
export CAPACITIES=integers COURIER_PREFIX=c
publish_service
publish_baseline "$BASELINE"

start_service 5391 bench/.out/baseline
baseline_server=$server baseline_work=$work
trap 'kill $baseline_server; rm -rf "$baseline_work"; stop_service' EXIT
python3 bench/lookup/load_couriers.py 127.0.0.1 5391 100000 >&2
start_service 5392
python3 bench/lookup/load_couriers.py 127.0.0.1 5392 100000 >&2

rate() {
    local out; out=$(wrk -t2 -c"$1" -d5s -s bench/lookup/reserve.lua "http://127.0.0.1:$2")
    refuse_unexpected "$out" || { echo refused; return; }
    awk '/Requests\/sec/{print $2}' <<<"$out"
}
echo "| clients | round | $BASELINE reservations/s | this code reservations/s | disk fsyncs/s |"
echo "|---|---|---|---|---|"
for clients in 8 16; do
    for round in $(seq "${ROUNDS:-3}"); do
        fsyncs=$(python3 bench/lookup/fsync_rate.py "$work" 2)
        echo "| $clients | $round | $(rate "$clients" 5391) | $(rate "$clients" 5392) | $fsyncs |"
    done
done
