#!/usr/bin/env bash
# The web console in a real browser: headless Chromium (Debian's chromium + chromium-driver,
# Selenium from PyPI) against a live `wardwatch serve` over a real catalog of the sample footage.
#   Usage: Scripts/console-test.sh [SCREENSHOT_DIR]   (after a build and Samples/generate.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
wardwatch="${WARDWATCH_BIN:-$PWD/.build/debug/wardwatch}"
samples="${WARDWATCH_SAMPLES:-$PWD/.build/samples}"
[[ -x "$wardwatch" ]] || { echo "console-test.sh: build wardwatch first ($wardwatch)" >&2; exit 1; }
[[ -f "$samples/street_1080p_h264.mp4" ]] || { echo "console-test.sh: no samples in $samples (Samples/generate.sh)" >&2; exit 1; }
command -v chromedriver >/dev/null && command -v chromium >/dev/null || Scripts/install-deps.sh
python3 -c 'import selenium' 2>/dev/null || python3 -m pip install --quiet selenium

work="$(mktemp -d /tmp/wardwatch-console.XXXXXX)"
server=""
cleanup() { [[ -n "$server" ]] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
catalog="$work/catalog.sqlite"
config=Config/wardwatch.yaml
ww() { "$wardwatch" "$@" --config "$config" --catalog "$catalog"; }
ww index --camera CAM01 "$samples/street_1080p_h264.mp4" >/dev/null
ww index --camera CAM07 "$samples/CAM07_20240710_153000.mp4" >/dev/null
ww index --camera CAM08 "$samples/street_vfr.mp4" >/dev/null
ww index --camera CAM04 "$samples/street_720p_hevc.mp4" >/dev/null
ww import incidents Samples/incidents.csv >/dev/null
ww import tips Samples/tips.csv >/dev/null
"$wardwatch" keys generate --config "$config" --key-file "$work/signing.key" >/dev/null
export WW_ADMIN="$(ww users add chief --role admin 2>/dev/null)"
export WW_VIEWER="$(ww users add volunteer --role viewer 2>/dev/null)"
# The binary itself goes in the background (not the `ww` function, whose subshell would be what `kill` stops).
"$wardwatch" serve --config "$config" --catalog "$catalog" --port 0 --key-file "$work/signing.key" \
    --export-dir "$work/exports" > "$work/serve.out" 2> "$work/serve.err" &
server=$!
for _ in $(seq 100); do grep -q listening "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
export WW_URL="$(sed -n 's/^listening on //p' "$work/serve.out")"
[[ -n "$WW_URL" ]] || { echo "console-test.sh: the server did not start:" >&2; cat "$work/serve.err" >&2; exit 1; }
export WW_BIN="$wardwatch" WW_WORK="$work" WW_SHOTS="${1:-$work/shots}"
python3 Tests/Browser/console_test.py
