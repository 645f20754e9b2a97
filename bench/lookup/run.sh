#!/usr/bin/env bash
# Loads 100,000 couriers through the API, then measures lookups (limit 50) and reservations with wrk
# on loopback. Prints the figures in the Markdown used by docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

COURIERS=${COURIERS:-100000}
DURATION=${DURATION:-20s}
PORT=${PORT:-5310}

if ! command -v wrk >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

dotnet publish src/Couriers.Api -c Release -o bench/.out/api -v quiet --nologo
work=$(mktemp -d)
ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Storage__Sqlite__Path="$work/bench.db" \
    dotnet bench/.out/api/Couriers.Api.dll --urls "http://127.0.0.1:$PORT" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null; do
    kill -0 $server 2>/dev/null || { cat "$work/server.log"; exit 1; }
    sleep 0.2
done

echo "## Load"
python3 bench/lookup/load_couriers.py 127.0.0.1 "$PORT" "$COURIERS"

for connections in 1 8 32; do
    echo "## Lookup, limit 50, $connections connection(s), $DURATION"
    wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"$DURATION" --latency -s bench/lookup/lookup.lua "http://127.0.0.1:$PORT"
done

echo "## Reservations, 8 connections, $DURATION"
wrk -t2 -c8 -d"$DURATION" --latency -s bench/lookup/reserve.lua "http://127.0.0.1:$PORT"
