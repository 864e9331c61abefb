#!/usr/bin/env bash
# Three indexer daemons on one PostgreSQL catalog, one of them killed with SIGKILL twice, against one daemon on a
# SQLite catalog over the same files. Passes when every file is indexed exactly once, the events are equal, the
# alert lines are unique and complete, and the shared audit chain verifies.
#
#   eval "$(Scripts/postgres-cluster.sh start)"
#   Scripts/multinode-check.sh [path/to/wardwatch] [files-per-camera]
#
# Needs the ffmpeg CLI (for the short generated recordings) and psql. Exit status 0 when every check passes.
set -euo pipefail
cd "$(dirname "$0")/.."
WW=${1:-.build/debug/wardwatch}
PER_CAMERA=${2:-12}
: "${WARDWATCH_TEST_POSTGRES:?start a cluster first: eval \"\$(Scripts/postgres-cluster.sh start)\"}"
WORK=$(mktemp -d /tmp/ww-multinode.XXXXXX)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
log() { printf 'multinode: %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

# A fresh database on the test server.
DB="wwmulti_$$"
ADMIN_URL=$WARDWATCH_TEST_POSTGRES
psql "$ADMIN_URL" -qc "CREATE DATABASE $DB" >/dev/null
URL="${ADMIN_URL%/*}/$DB"
trap 'cleanup; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT

# Short recordings: 3 cameras, a white square crossing a grey picture in every other file.
log "generating $((3 * PER_CAMERA)) recordings"
shade=64
for camera in CAM01 CAM02 CAM03; do
    mkdir -p "$WORK/cameras/$camera"
    for ((i = 0; i < PER_CAMERA; i++)); do
        stamp=$(date -u -d "@$((1720623600 + i * 4))" +%Y%m%d_%H%M%S)
        file="$WORK/cameras/$camera/${camera}_${stamp}.mp4"
        if ((i % 2 == 0)); then
            overlay="[0][1]overlay=x='if(gte(t,1),(t-1)*90,-100)':y=$((60 + i * 5))"
        else
            overlay="[0][1]overlay=x=-100:y=0"
        fi
        # Every file has its own background shade, so no two have the same content (fingerprint).
        shade=$((shade + 1)); background=$(printf '0x%02x%02x%02x' $shade $shade $shade)
        ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i "color=c=$background:s=320x240:r=10:d=4" \
            -f lavfi -i "color=c=white:s=40x40:r=10:d=4" -filter_complex "$overlay" -c:v libx264 -g 10 -pix_fmt yuv420p "$file"
        touch -d "2 minutes ago" "$file"
    done
done
TOTAL=$((3 * PER_CAMERA))

config() { # $1 = catalog, $2 = alert log
    cat <<EOF
catalog: $1
time_zone: UTC
indexing: {file_name_pattern: "%Y%m%d_%H%M%S"}
detection: {min_motion: 0.3, min_event: 0.5, merge_gap: 2, exclude: []}
daemon: {workers: 1, poll_interval: 0.5, settle_time: 0, max_attempts: 3}
postgres: {lease: 3, stills: $WORK/stills}
alerts:
  - {name: all-motion, log: $2, kinds: [motion]}
cameras:
EOF
    for camera in CAM01 CAM02 CAM03; do
        echo "  - {id: $camera, name: $camera, ward: Phường Hàng Trống, street: phố $camera, folder: $WORK/cameras/$camera}"
    done
}

wait_indexed() { # $1 = config; waits until every file is indexed
    local deadline=$((SECONDS + 600))
    while ((SECONDS < deadline)); do
        local indexed
        indexed=$("$WW" status --config "$1" --format json | python3 -c 'import json,sys; print(sum(r["indexed"] for r in json.load(sys.stdin)))')
        [[ "$indexed" == "$TOTAL" ]] && return 0
        sleep 1
    done
    fail "not every file was indexed within 10 minutes"
}

# The reference: one daemon, SQLite.
config "$WORK/single.sqlite" "$WORK/single-alerts.jsonl" > "$WORK/single.yaml"
log "single node on SQLite"
phase=$SECONDS
"$WW" run --config "$WORK/single.yaml" 2> "$WORK/single.log" & PIDS+=($!)
wait_indexed "$WORK/single.yaml"
kill -TERM "${PIDS[-1]}"; wait "${PIDS[-1]}" || true
log "single node: $TOTAL files in $((SECONDS - phase)) s"

# Three nodes on PostgreSQL; node 1 is killed with SIGKILL twice while it holds files, and restarted.
config "$URL" "$WORK/shared-alerts.jsonl" > "$WORK/shared.yaml"
start_node() { "$WW" run --config "$WORK/shared.yaml" 2>> "$WORK/node$1.log" & PIDS+=($!); echo $! > "$WORK/node$1.pid"; }
log "three nodes on PostgreSQL"
phase=$SECONDS
for n in 1 2 3; do start_node $n; done
for round in 1 2; do
    # Wait until node 1 holds a file, then kill it without warning.
    pid=$(cat "$WORK/node1.pid")
    for _ in $(seq 1 200); do
        held=$(psql "$URL" -tAc "SELECT count(*) FROM source_file WHERE state = 'indexing' AND claimed_by LIKE '%-$pid'" 2>/dev/null || echo 0)
        [[ "$held" -gt 0 ]] && break
        sleep 0.05
    done
    log "round $round: SIGKILL node 1 (pid $pid) holding $held file(s)"
    kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
    sleep 1
    start_node 1
done
wait_indexed "$WORK/shared.yaml"
log "three nodes (one killed twice, 2 x 1 s restart pause, 3 s leases): $TOTAL files in $((SECONDS - phase)) s"
"$WW" status --config "$WORK/shared.yaml" | tail -8 >&2
for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
PIDS=()

# Checks.
recordings=$(psql "$URL" -tAc "SELECT count(*) FROM recording")
[[ "$recordings" == "$TOTAL" ]] || fail "$recordings recordings for $TOTAL files"
files=$(psql "$URL" -tAc "SELECT count(*) FROM source_file WHERE state = 'indexed'")
[[ "$files" == "$TOTAL" ]] || fail "$files files indexed, expected $TOTAL"
# Ids differ with the order of commits; everything else must match: camera, file, times, scores, box, still name.
events_of() { "$WW" events --config "$1" --format csv | cut -d, -f2,4- | sed -e "s#,$WORK/[a-z.]*stills/#,stills/#"; }
events_of "$WORK/single.yaml" | sort > "$WORK/single-events.csv"
events_of "$WORK/shared.yaml" | sort > "$WORK/shared-events.csv"
diff -u "$WORK/single-events.csv" "$WORK/shared-events.csv" >&2 || fail "events differ from the single-node run"
nevents=$(($(wc -l < "$WORK/single-events.csv") - 1))
((nevents > 0)) || fail "no events at all"
sort "$WORK/single-alerts.jsonl" > "$WORK/a1"; sort "$WORK/shared-alerts.jsonl" > "$WORK/a2"
[[ $(sort -u "$WORK/a2" | wc -l) == $(wc -l < "$WORK/a2") ]] || fail "duplicate alert lines"
[[ $(wc -l < "$WORK/a2") == $(wc -l < "$WORK/a1") ]] || fail "$(wc -l < "$WORK/a2") alert lines, single node wrote $(wc -l < "$WORK/a1")"
"$WW" search --config "$WORK/shared.yaml" --street "phố" --format json > /dev/null
"$WW" audit verify --config "$WORK/shared.yaml" >&2 || fail "audit verify"
log "ok: $TOTAL files indexed once across 3 nodes (node 1 killed twice), $nevents events equal to one SQLite node, $(wc -l < "$WORK/a2") alert lines unique and complete, audit chain verifies"
