#!/usr/bin/env bash
# The Dispatcher's path against the framework's ceiling, side by side in one run (make bench-ceiling):
#  1. lookups: wrk -t2 -c32 against the service, then against a bare Kestrel app (bench/lookup/Ceiling)
#     answering the very same bytes from memory, for 10,000 and 100,000 couriers (whole liters 1-100),
#     capacity_required=95&limit=1000 and a page of 50;
#  2. the page-of-50 lookup (random capacity_required) alone, while 8 clients reserve and release, and while 8
#     clients read couriers (the control: what any 8 busy clients take from the lookups on two cores);
#  3. reservations with 8 and 16 clients beside the disk's fsync rate measured in the same folder.
# Prints Markdown tables. DURATION=15s per case by default.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/service.sh
DURATION=${DURATION:-15s}
PORT=${PORT:-5312}
CEILING_PORT=${CEILING_PORT:-5313}
if ! command -v wrk >/dev/null; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; fi

publish_service
dotnet publish bench/lookup/Ceiling -c Release -o bench/.out/ceiling -v quiet --nologo
export CAPACITIES=integers COURIER_PREFIX=c
trap stop_service EXIT

# "R rps | p50 | p99" from one wrk run; no figure from a run that got answers its script did not expect.
measure() {
    local out; out=$(wrk "$@" --latency)
    refuse_unexpected "$out" || return 1
    awk '/Requests\/sec/{r=$2} /^ +50%/{m=$2} /^ +99%/{p=$2} END{printf "%s|%s|%s", r, m, p}' <<<"$out"
}
cell() { IFS='|' read -r r m p <<<"$1"; printf "%s req/s, p50 %s, p99 %s" "$r" "$m" "$p"; }

echo "| case | the service | Kestrel, same bytes | ratio |"
echo "|---|---|---|---|"
for n in 10000 100000; do
    start_service "$PORT"
    python3 bench/lookup/load_couriers.py 127.0.0.1 "$PORT" "$n" >&2
    for query in "capacity_required=95&limit=1000" "capacity_required=50&limit=50"; do
        url="http://127.0.0.1:$PORT/couriers/lookup?$query"
        curl -sf -H "X-Api-Key: $COURIERS_API_KEY" "$url" >"$work/body.json"
        count=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['meta']['count'])" "$work/body.json")
        service=$(measure -t2 -c32 -d"$DURATION" -H "X-Api-Key: $COURIERS_API_KEY" "$url")
        BODY_FILE="$work/body.json" dotnet bench/.out/ceiling/Ceiling.dll --urls "http://127.0.0.1:$CEILING_PORT" >/dev/null 2>&1 &
        ceiling_pid=$!
        until curl -sf -o /dev/null "http://127.0.0.1:$CEILING_PORT/couriers/lookup"; do sleep 0.2; done
        ceiling=$(measure -t2 -c32 -d"$DURATION" "http://127.0.0.1:$CEILING_PORT/couriers/lookup")
        kill $ceiling_pid; wait $ceiling_pid 2>/dev/null || true
        ratio=$(python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "${service%%|*}" "${ceiling%%|*}")
        echo "| $n couriers, \`$query\` ($count answered, $(stat -c %s "$work/body.json") B) | $(cell "$service") | $(cell "$ceiling") | $ratio |"
    done
    [ "$n" = 100000 ] || stop_service
done

echo
echo "| 100,000 couriers, page of 50, 32 connections | lookups | requests alongside |"
echo "|---|---|---|"
alone=$(measure -t2 -c32 -d"$DURATION" -s bench/lookup/page.lua "http://127.0.0.1:$PORT")
echo "| lookups alone | $(cell "$alone") | |"
# The page-of-50 lookups while 8 more clients send SCRIPT's requests as fast as they can; prints the row and
# leaves the lookups' figures in $beside.
alongside() {
    local script=$1 label=$2 kind=$3
    wrk -t2 -c8 -d"$DURATION" -s "bench/lookup/$script" "http://127.0.0.1:$PORT" >"$work/alongside.txt" &
    local others=$!
    beside=$(measure -t2 -c32 -d"$DURATION" -s bench/lookup/page.lua "http://127.0.0.1:$PORT")
    wait $others
    refuse_unexpected "$(cat "$work/alongside.txt")" || exit 1
    echo "| lookups while 8 clients $label | $(cell "$beside") | $(awk '/Requests\/sec/{print $2}' "$work/alongside.txt") $kind/s |"
}
p99_ratio() {
    python3 -c "import sys
def ms(t): return float(t[:-2]) if t.endswith('ms') else float(t[:-2]) / 1000 if t.endswith('us') else float(t[:-1]) * 1000
a, m = sys.argv[1].split('|')[2], sys.argv[2].split('|')[2]
print(f'| {sys.argv[3]} | {ms(m) / ms(a):.2f} | |')" "$alone" "$1" "$2"
}
alongside reserve_release.lua "reserve and release" writes
mixed=$beside
# The control: as many clients reading couriers (GET /couriers/{id}) take their share of the two cores too.
alongside read_courier.lua "read couriers (the control)" reads
control=$beside
p99_ratio "$mixed" "p99 with writes / p99 alone"
p99_ratio "$control" "p99 with reads / p99 alone"

echo
echo "| reservations (1 mL each, unique references) | reservations/s | p50 | p99 | disk fsyncs/s (same folder, same run) | ratio |"
echo "|---|---|---|---|---|---|"
for connections in 8 16; do
    fsyncs=$(python3 bench/lookup/fsync_rate.py "$work" 3)
    result=$(measure -t2 -c"$connections" -d"$DURATION" -s bench/lookup/reserve.lua "http://127.0.0.1:$PORT")
    IFS='|' read -r r m p <<<"$result"
    echo "| $connections clients | $r | $m | $p | $fsyncs | $(python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.2f}')" "$r" "$fsyncs") |"
done
