#!/usr/bin/env bash
# Load test of the HTTP API on loopback, against a synthetic catalog of 10 million events.
#
#   Scripts/bench-http.sh [CATALOG] [SECONDS]
#
# 1. Five query shapes at 100 requests/s each (4 connections of 25/s), all at the same time: 500
#    requests/s in all, with `hey`. Each shape prints its own latency distribution.
# 2. A saturation run with `wrk`: random streets, wards, days and cameras on 4 connections, to show
#    the headroom above 500 requests/s.
# Every request is authenticated and audited, as in production. CATALOG defaults to
# /tmp/bench10m.sqlite and is generated (about 2 minutes, 1.9 GB) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
CATALOG=${1:-/tmp/bench10m.sqlite}
SECONDS_EACH=${2:-20}
if ! command -v hey >/dev/null || ! command -v wrk >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q hey wrk >/dev/null
fi
swift build -c release --product wardwatch --scratch-path .build-release >/dev/null
swift build -c release --product wardwatch-bench --scratch-path .build-release >/dev/null
BIN=$PWD/.build-release/release/wardwatch
[ -f "$CATALOG" ] || "$BIN-bench" search --catalog "$CATALOG" --generate --queries 10 >/dev/null
TOKEN=$("$BIN" users add "load-$(date +%s)" --role viewer --catalog "$CATALOG" 2>/dev/null | grep -o 'ww_[A-Za-z0-9_-]*')
WORK=$(mktemp -d)
"$BIN" serve --catalog "$CATALOG" --port 0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
SERVER=$!
trap 'kill $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$WORK"' EXIT
for _ in $(seq 100); do grep -q listening "$WORK/serve.out" 2>/dev/null && break; sleep 0.1; done
BASE=$(grep -o 'http://[0-9.:]*' "$WORK/serve.out")
AUTH="Authorization: Bearer $TOKEN"
echo "server: $BASE, catalog: $CATALOG; $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

declare -A SHAPES=(
    ["street + 24 h"]="/api/v1/events?street=hang%20bong&from=2024-06-10%2000:00&to=2024-06-11%2000:00"
    ["ward + 7 days"]="/api/v1/events?ward=phuong%2012&from=2024-03-01&to=2024-03-08"
    ["500 m radius + 2 h"]="/api/v1/events?near=21.0285,105.8542&radius=500&from=2024-09-01T08:00:00Z&to=2024-09-01T10:00:00Z"
    ["camera + 1 h"]="/api/v1/events?camera=SYN042&from=2024-05-05T01:00:00Z&to=2024-05-05T02:00:00Z"
    ["event by id"]="/api/v1/events/4242424"
)
for shape in "${!SHAPES[@]}"; do
    hey -z "${SECONDS_EACH}s" -c 4 -q 25 -H "$AUTH" "$BASE${SHAPES[$shape]}" >"$WORK/$shape.txt" &
done
wait $(jobs -p | grep -v "^$SERVER$") 2>/dev/null || true
printf "%-20s %8s %9s %9s %9s %9s  %s\n" SHAPE "REQ/S" "p50" "p90" "p99" "SLOWEST" "STATUS"
for shape in "street + 24 h" "ward + 7 days" "500 m radius + 2 h" "camera + 1 h" "event by id"; do
    f="$WORK/$shape.txt"
    ms() { awk -v p="$1" '$1==p"%" && $2=="in" {printf "%.2f ms", $3*1000}' "$f"; }
    printf "%-20s %8s %9s %9s %9s %9s  %s\n" "$shape" "$(awk '/Requests\/sec/ {printf "%.1f", $2}' "$f")" \
        "$(ms 50)" "$(ms 90)" "$(ms 99)" "$(awk '/Slowest/ {printf "%.2f ms", $2*1000}' "$f")" \
        "$(awk '/Status code distribution/ {s=1; next} s && /\[/ {printf "%s%s", sep, $0; sep=","}' "$f" | tr -s ' ')"
done

cat >"$WORK/random.lua" <<'LUA'
-- Random footage searches: a street + day, a ward + week, or a camera + hour, anywhere in 2024.
local streets = {"nguyen%20trai", "le%20loi", "tran%20phu", "hang%20bong", "hang%20gai", "ba%20trieu", "dinh%20le"}
math.randomseed(7)
request = function()
  local day = math.random(0, 350)
  local t = os.time({year = 2024, month = 1, day = 1, hour = 0}) + day * 86400
  local from = os.date("!%Y-%m-%dT%H:%M:%SZ", t)
  local kind = math.random(3)
  local path
  if kind == 1 then
    path = "/api/v1/events?street=" .. streets[math.random(#streets)] .. "&from=" .. from .. "&to=" .. os.date("!%Y-%m-%dT%H:%M:%SZ", t + 86400)
  elseif kind == 2 then
    path = "/api/v1/events?ward=phuong%20" .. math.random(1, 25) .. "&from=" .. from .. "&to=" .. os.date("!%Y-%m-%dT%H:%M:%SZ", t + 7 * 86400)
  else
    local h = t + math.random(0, 23) * 3600
    path = string.format("/api/v1/events?camera=SYN%03d&from=%s&to=%s", math.random(0, 499), os.date("!%Y-%m-%dT%H:%M:%SZ", h), os.date("!%Y-%m-%dT%H:%M:%SZ", h + 3600))
  end
  return wrk.format("GET", path)
end
LUA
echo
echo "saturation: random street/ward/camera searches, wrk -t2 -c4 -d${SECONDS_EACH}s"
wrk -t2 -c4 -d"${SECONDS_EACH}s" --latency -H "$AUTH" -s "$WORK/random.lua" "$BASE" | sed -n '/Latency Distribution/,/Requests\/sec/p'
