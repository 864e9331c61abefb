#!/usr/bin/env bash
# The demo catalog moved to PostgreSQL: builds the demo's SQLite catalog (the samples indexed, the sample incidents
# and tips imported and linked), copies it with `wardwatch catalog copy`, then runs the same searches and listings
# on both catalogs and compares their JSON. Passes when every answer is identical.
#
#   eval "$(Scripts/postgres-cluster.sh start)"
#   Scripts/catalog-copy-check.sh [path/to/wardwatch]
#
# Needs the samples ($WARDWATCH_SAMPLES, made by Samples/generate.sh) and psql. Exit status 0 when all agree.
set -euo pipefail
cd "$(dirname "$0")/.."
WW=${1:-.build/debug/wardwatch}
SAMPLES=${WARDWATCH_SAMPLES:-.build/samples}
: "${WARDWATCH_TEST_POSTGRES:?start a cluster first: eval \"\$(Scripts/postgres-cluster.sh start)\"}"
WORK=$(mktemp -d /tmp/ww-copycheck.XXXXXX)
DB="wwcopy_$$"
ADMIN_URL=$WARDWATCH_TEST_POSTGRES
URL="${ADMIN_URL%/*}/$DB"
trap 'rm -rf "$WORK"; psql "$ADMIN_URL" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
log() { printf 'catalog-copy: %s\n' "$*" >&2; }
CONFIG=Config/wardwatch.yaml
SQLITE="$WORK/wardwatch.sqlite"

log "building the demo catalog (as Scripts/demo.sh does)"
for pair in CAM01:street_1080p_h264.mp4 CAM04:street_720p_hevc.mp4 CAM08:street_vfr.mp4 CAM10:static_noisy_720p.mp4 \
            CAM05:street_mjpeg.avi CAM07:CAM07_20240710_153000.mp4; do
    "$WW" index --config "$CONFIG" --catalog "$SQLITE" --camera "${pair%%:*}" "$SAMPLES/${pair#*:}" >/dev/null
done
for kind in incidents tips; do
    for file in Samples/$kind.csv Samples/$kind.json; do "$WW" import "$kind" --config "$CONFIG" --catalog "$SQLITE" "$file" >/dev/null; done
done

log "copying it to PostgreSQL"
psql "$ADMIN_URL" -qc "CREATE DATABASE $DB" >/dev/null
"$WW" catalog copy --from "$SQLITE" --to "$URL" >&2

# The same questions to both catalogs, as JSON. Stills are compared by name: each catalog keeps them in its own folder.
failed=0 asked=0
same() {
    asked=$((asked + 1))
    "$WW" "$@" --config "$CONFIG" --catalog "$SQLITE" --format json > "$WORK/sqlite.json"
    "$WW" "$@" --config "$CONFIG" --catalog "$URL" --format json > "$WORK/postgres.json"
    if size=$(python3 - "$WORK/sqlite.json" "$WORK/postgres.json" <<'PY'
import json, os, sys
def normal(value):
    if isinstance(value, dict):
        return {k: (os.path.basename(v) if k == "still" and isinstance(v, str) else normal(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [normal(v) for v in value]
    return value
a, b = (normal(json.load(open(path))) for path in sys.argv[1:3])
size = len(a) if isinstance(a, list) else len(a.get("events", a.get("links", [])))
print(size)
sys.exit(0 if a == b else 1)
PY
    ); then log "same ($size results): wardwatch $*"
    else
        log "DIFFERENT: wardwatch $*"
        diff <(python3 -m json.tool "$WORK/sqlite.json") <(python3 -m json.tool "$WORK/postgres.json") | head -20 >&2 || true
        failed=1
    fi
}
same events
same events --camera CAM01 --from "2024-07-10 15:30:20"
same search --street "hang trong"
same search --street "hang" --limit 3
same search --ward "phuong hang trong" --min-duration 2
same search --near 21.0285,105.8512 --radius 300 --sort distance
same search --bbox 21.0,105.8,21.1,105.9 --min-duration 1
same search --camera CAM05 --camera CAM07
same search --from "2024-07-10 15:30" --to "2024-07-10 15:31"
same incidents
same tips
same incident show INC-2024-0710-002
"$WW" audit verify --catalog "$URL" >&2
if ((failed)); then log "FAILED: the catalogs answer differently"; exit 1; fi
log "ok: $asked searches and listings identical on the demo catalog and its PostgreSQL copy"
