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
dotnet publish bench/lookup/Ceiling -c Release -o bench/.out/ceiling -v quiet --nologo
start_service 5393
ceiling_pid=
trap 'kill $ceiling_pid 2>/dev/null; stop_service' EXIT
python3 bench/lookup/load_couriers.py 127.0.0.1 5393 "$COURIERS" >&2
curl -sf -X POST -H "X-Api-Key: $COURIERS_API_KEY" -H "Content-Type: application/json" -d '{"reference": "ceiling-body", "volume": 0.001}' \
    http://127.0.0.1:5393/couriers/c0/reservations >"$work/reservation.json"
BODY_FILE="$work/reservation.json" dotnet bench/.out/ceiling/Ceiling.dll --urls http://127.0.0.1:5394 >/dev/null 2>&1 &
ceiling_pid=$!
until curl -sf -o /dev/null -X POST -d '{}' http://127.0.0.1:5394/couriers/c0/reservations; do sleep 0.2; done

# Requests per second of reserve.lua at CLIENTS against PORT, with the environment given (VOLUME, EXPECT).
rate_of() {
    local clients=$1 port=$2 out; shift 2
    out=$(env "$@" wrk -t2 -c"$clients" -d"${DURATION:-6s}" -s bench/lookup/reserve.lua "http://127.0.0.1:$port")
    refuse_unexpected "$out"
    awk '/Requests\/sec/{print $2}' <<<"$out"
}

service_cpu_ticks() { awk '{print $14 + $15}' "/proc/$server/stat"; }
# The writer thread is named sqlite-group-commit; the kernel keeps its first 15 characters.
writer_cpu_ticks() { awk '{print $14 + $15}' "$(dirname "$(grep -l '^sqlite-group-co' /proc/$server/task/*/comm)")/stat"; }
echo "| clients | round | reservations/s | mean latency | disk fsyncs/s | ratio | refused before the store/s | Kestrel, same bytes/s | service CPU per reservation | of it on the writer thread | load |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
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
        refused=$(rate_of "$clients" 5393 VOLUME=-1 EXPECT=400)
        bare=$(rate_of "$clients" 5394 EXPECT=201)
        echo "| $clients | $round | $rate | $(awk '/Latency/{print $2}' <<<"$out") | $fsyncs |" \
             "$(python3 -c "print(f'{$rate / $fsyncs:.2f}')") | $refused | $bare |" \
             "$(python3 -c "print(f'{($after - $before) * 1e6 / $ticks / $count:.0f} µs')") |" \
             "$(python3 -c "print(f'{($writer_after - $writer_before) * 1e6 / $ticks / $count:.0f} µs')") | $(load_average) |"
    done
done
