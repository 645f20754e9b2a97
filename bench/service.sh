# Sourced by the benchmark scripts: start_service PORT [DIR] starts the published API (DIR, default
# bench/.out/api) on a fresh store (STORE=sqlite, the default, or STORE=dynamodb on a fresh DynamoDB Local)
# and waits until it is ready; stop_service stops both. publish_baseline COMMIT publishes that commit's
# API to bench/.out/baseline, for a before-and-after run side by side. The service runs as Production, so it needs a key: a fresh admin key per
# run is exported as COURIERS_API_KEY for the load generators, and rate limiting is off. PERF_MAPS=1 makes the
# service write /tmp/perf-PID.map so that `perf report` names its JIT-compiled methods.
STORE=${STORE:-sqlite}
COURIERS_API_KEY="cc_bench-$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
export COURIERS_API_KEY

publish_service() {
    dotnet publish src/Couriers.Api -c Release -o bench/.out/api -v quiet --nologo
    if [ "$STORE" = dynamodb ]; then (cd emulators && npm ci --no-audit --no-fund --silent); fi
}

publish_baseline() {
    rm -rf bench/.out/baseline-src && mkdir -p bench/.out/baseline-src
    git archive "$1" | tar -x -C bench/.out/baseline-src
    dotnet publish bench/.out/baseline-src/src/Couriers.Api -c Release -o bench/.out/baseline -v quiet --nologo
}

# Stops the benchmark when a wrk script counted answers it did not expect (a 409, a 503, a replayed reference).
refuse_unexpected() {
    if grep -q "unexpected answers" <<<"$1"; then grep "unexpected answers" <<<"$1" >&2; return 1; fi
}

# "load 1.23": the 1-minute load average, printed beside each figure (on 2 cores it moves tails a lot).
load_average() { echo "load $(cut -d' ' -f1 /proc/loadavg)"; }

start_service() {
    local port=$1 dir=${2:-bench/.out/api}
    work=$(mktemp -d)
    local hash; hash=$(printf '%s' "$COURIERS_API_KEY" | sha256sum | cut -d' ' -f1)
    local keys=(Auth__Keys__0__Client=bench Auth__Keys__0__Sha256="$hash" Auth__Keys__0__Roles__0=admin
                Limits__RateLimit__PermitsPerSecond=0 Limits__MaxPageSize=1000)
    local settings=(Storage__Sqlite__Path="$work/bench.db")
    if [ "$STORE" = dynamodb ]; then
        coproc EMULATOR { cd emulators && exec node dynamodb-local.js; }
        local line; read -r line <&"${EMULATOR[0]}"
        settings=(Storage__Provider=DynamoDb Storage__DynamoDb__Region=us-east-1 Storage__DynamoDb__CreateTables=true
                  Storage__DynamoDb__ServiceUrl="http://127.0.0.1:${line#listening }")
    fi
    env ${PERF_MAPS:+DOTNET_PerfMapEnabled=1 DOTNET_PerfMapJitDumpPath=/tmp DOTNET_EnableWriteXorExecute=0} ASPNETCORE_ENVIRONMENT=Production Logging__LogLevel__Default=Warning "${keys[@]}" "${settings[@]}" \
        dotnet "$dir/Couriers.Api.dll" --urls "http://127.0.0.1:$port" >"$work/server.log" 2>&1 &
    server=$!
    until curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null; do
        kill -0 $server 2>/dev/null || { cat "$work/server.log"; return 1; }
        sleep 0.2
    done
}

stop_service() {
    kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
    if [ -n "${EMULATOR_PID:-}" ]; then kill "$EMULATOR_PID" 2>/dev/null; wait "$EMULATOR_PID" 2>/dev/null || true; fi
    rm -rf "$work"
}
