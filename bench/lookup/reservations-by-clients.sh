#!/usr/bin/env bash
# Reservations at 8, 16, 32 and 64 clients (CLIENTS to change), two 6 s runs each (DURATION), on a fresh store
# with COURIERS couriers (default 20,000): each run after the disk's fsync rate measured in the same folder,
# with the service's CPU time per reservation read from /proc, and the part of it spent on the group-commit writer
# thread (one thread: its time per reservation caps the store's rate). Prints Markdown table rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/service.sh
export CAPACITIES=integers COURIER_PREFIX=c COURIERS=${COURIERS:-20000}
publish_service
start_service 5393
trap stop_service EXIT
python3 bench/lookup/load_couriers.py 127.0.0.1 5393 "$COURIERS" >&2

service_cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
# The writer thread is named sqlite-group-commit; the kernel keeps its first 15 characters.
writer_cpu_ticks() { awk '{print $14 + $15}' "$(dirname "$(grep -l '^sqlite-group-co' /proc/$server/task/*/comm)")/stat"; }
echo "| clients | round | reservations/s | mean latency | disk fsyncs/s | ratio | service CPU per reservation | of it on the writer thread | load |"
echo "|---|---|---|---|---|---|---|---|---|"
for clients in ${CLIENTS:-8 16 32 64}; do
    for round in 1 2; do
        fsyncs=$(python3 bench/lookup/fsync_rate.py "$work" 2)
        before=$(service_cpu_ticks) writer_before=$(writer_cpu_ticks)
        out=$(wrk -t2 -c"$clients" -d"${DURATION:-6s}" -s bench/lookup/reserve.lua http://127.0.0.1:5393)
        after=$(service_cpu_ticks) writer_after=$(writer_cpu_ticks)
        refuse_unexpected "$out"
        rate=$(awk '/Requests\/sec/{print $2}' <<<"$out")
        count=$(awk '/requests in/{print $1}' <<<"$out")
        ticks=$(getconf CLK_TCK)
        echo "| $clients | $round | $rate | $(awk '/Latency/{print $2}' <<<"$out") | $fsyncs |" \
             "$(python3 -c "print(f'{$rate / $fsyncs:.2f}')") |" \
             "$(python3 -c "print(f'{($after - $before) * 1e6 / $ticks / $count:.0f} µs')") |" \
             "$(python3 -c "print(f'{($writer_after - $writer_before) * 1e6 / $ticks / $count:.0f} µs')") | $(load_average) |"
    done
done
