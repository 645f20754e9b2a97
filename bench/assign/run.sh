#!/usr/bin/env bash
# End-to-end /assign over HTTP on loopback: 1,000 drivers × 50,000 packages, max_per_driver 50,
# without and with volume limits, each on a fresh store (STORE=sqlite or STORE=dynamodb).
# BASELINE=<commit> runs that commit's service too, alternating with this one case by case, ROUNDS times
# (default 1; 3 with a baseline), so before and after are measured side by side. Prints Markdown table rows.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/service.sh
PORT=${PORT:-5311}
ROUNDS=${ROUNDS:-$([ -n "${BASELINE:-}" ] && echo 3 || echo 1)}

publish_service
if [ -n "${BASELINE:-}" ]; then publish_baseline "$BASELINE"; fi
dotnet build bench/Couriers.Bench.Assign -c Release -v quiet --nologo

echo "| code | store | case | /assign wall time (client) | engine time | assigned | upper bound | gap | load |"
echo "|---|---|---|---|---|---|---|---|---|"
for round in $(seq "$ROUNDS"); do
    for volume in ${CASES:-none volume}; do
        for code in ${BASELINE:+baseline} current; do
            start_service "$PORT" "bench/.out/$([ "$code" = baseline ] && echo baseline || echo api)"
            row=$(dotnet bench/Couriers.Bench.Assign/bin/Release/net10.0/Couriers.Bench.Assign.dll "http://127.0.0.1:$PORT" 1000 50000 50 "$volume" | grep '^|')
            echo "| $([ "$code" = baseline ] && echo "$BASELINE" || echo "this") | $STORE $row $(load_average) |"
            stop_service
        done
    done
done
