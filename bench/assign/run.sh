#!/usr/bin/env bash
# End-to-end /assign over HTTP on loopback: 1,000 drivers × 50,000 packages, max_per_driver 50,
# without and with volume limits, each on a fresh SQLite file. Prints Markdown table rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
PORT=${PORT:-5311}

dotnet publish src/Couriers.Api -c Release -o bench/.out/api -v quiet --nologo
dotnet build bench/Couriers.Bench.Assign -c Release -v quiet --nologo

echo "| case | /assign wall time (client) | engine time | assigned | upper bound | gap |"
echo "|---|---|---|---|---|---|"
for volume in none volume; do
    work=$(mktemp -d)
    ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning Storage__Sqlite__Path="$work/bench.db" \
        dotnet bench/.out/api/Couriers.Api.dll --urls "http://127.0.0.1:$PORT" >"$work/server.log" 2>&1 &
    server=$!
    until curl -sf "http://127.0.0.1:$PORT/health/ready" >/dev/null; do
        kill -0 $server 2>/dev/null || { cat "$work/server.log"; exit 1; }
        sleep 0.2
    done
    dotnet bench/Couriers.Bench.Assign/bin/Release/net10.0/Couriers.Bench.Assign.dll "http://127.0.0.1:$PORT" 1000 50000 50 "$volume" | grep '^|'
    kill $server; wait $server 2>/dev/null || true
    rm -rf "$work"
done
