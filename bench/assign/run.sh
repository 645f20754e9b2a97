#!/usr/bin/env bash
# End-to-end /assign over HTTP on loopback: 1,000 drivers × 50,000 packages, max_per_driver 50,
# without and with volume limits, each on a fresh store (STORE=sqlite or STORE=dynamodb).
# Prints Markdown table rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/service.sh
PORT=${PORT:-5311}

publish_service
dotnet build bench/Couriers.Bench.Assign -c Release -v quiet --nologo

echo "| store | case | /assign wall time (client) | engine time | assigned | upper bound | gap |"
echo "|---|---|---|---|---|---|---|"
for volume in ${CASES:-none volume}; do
    start_service "$PORT"
    row=$(dotnet bench/Couriers.Bench.Assign/bin/Release/net10.0/Couriers.Bench.Assign.dll "http://127.0.0.1:$PORT" 1000 50000 50 "$volume" | grep '^|')
    echo "| $STORE $row"
    stop_service
done
