#!/usr/bin/env bash
# Loads 100,000 couriers through the API, then measures lookups (limit 50) and reservations with wrk
# on loopback, on a fresh store (STORE=sqlite, the default, or STORE=dynamodb on DynamoDB Local).
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/service.sh

COURIERS=${COURIERS:-100000}
DURATION=${DURATION:-20s}
PORT=${PORT:-5310}

if ! command -v wrk >/dev/null; then
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

publish_service
start_service "$PORT"
trap stop_service EXIT
echo "store: $STORE"

echo "## Load"
python3 bench/lookup/load_couriers.py 127.0.0.1 "$PORT" "$COURIERS"

for connections in 1 8 32; do
    echo "## Lookup, limit 50, $connections connection(s), $DURATION"
    wrk -t"$(( connections < 2 ? 1 : 2 ))" -c"$connections" -d"$DURATION" --latency -s bench/lookup/lookup.lua "http://127.0.0.1:$PORT"
done

echo "## Reservations, 8 connections, $DURATION"
wrk -t2 -c8 -d"$DURATION" --latency -s bench/lookup/reserve.lua "http://127.0.0.1:$PORT"
