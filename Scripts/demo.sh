#!/usr/bin/env bash
# The main job on the embedded default: builds WardWatch (release), generates the sample
# recordings, indexes them into a SQLite catalog under out/, and lists the motion events.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Samples/generate.sh .build/samples
swift build -c release --product wardwatch
wardwatch=.build/release/wardwatch
mkdir -p out
catalog=out/wardwatch.sqlite
samples=.build/samples
"$wardwatch" probe "$samples"/*.mp4 "$samples"/*.avi
echo
"$wardwatch" index --config Config/wardwatch.yaml --catalog "$catalog" --camera CAM01 "$samples/street_1080p_h264.mp4"
"$wardwatch" index --config Config/wardwatch.yaml --catalog "$catalog" --camera CAM04 "$samples/street_720p_hevc.mp4"
"$wardwatch" index --config Config/wardwatch.yaml --catalog "$catalog" --camera CAM08 "$samples/street_vfr.mp4"
"$wardwatch" index --config Config/wardwatch.yaml --catalog "$catalog" --camera CAM10 "$samples/static_noisy_720p.mp4"
"$wardwatch" index --config Config/wardwatch.yaml --catalog "$catalog" --camera CAM05 "$samples/street_mjpeg.avi"
"$wardwatch" index --config Config/wardwatch.yaml --catalog "$catalog" --camera CAM07 "$samples/CAM07_20240710_153000.mp4"
echo
"$wardwatch" events --config Config/wardwatch.yaml --catalog "$catalog"
echo
# Places come from the camera registry in Config/wardwatch.yaml (ward Hàng Trống, Hanoi).
"$wardwatch" search --config Config/wardwatch.yaml --catalog "$catalog" --street "hang trong" --limit 5
echo
# Incident reports and citizen tips about the samples, linked to their events by place and time.
for kind in incidents tips; do
  for file in Samples/$kind.csv Samples/$kind.json; do
    "$wardwatch" import "$kind" --config Config/wardwatch.yaml --catalog "$catalog" "$file"
  done
done
echo
"$wardwatch" incident show INC-2024-0710-002 --config Config/wardwatch.yaml --catalog "$catalog"
echo
echo "Catalog: $catalog (stills in out/wardwatch.stills/). Try:"
echo "  $wardwatch events --catalog $catalog --camera CAM01 --from '2024-07-10 15:30:20' --format json"
echo "  $wardwatch search --config Config/wardwatch.yaml --catalog $catalog --near 21.0285,105.8512 --radius 300 --format geojson"
echo "  $wardwatch status --config Config/wardwatch.yaml --catalog $catalog"
echo "  $wardwatch incidents --config Config/wardwatch.yaml --catalog $catalog --text 'giat'"
echo "  $wardwatch users add me --role investigator --catalog $catalog   # prints a token, then:"
echo "  $wardwatch serve --config Config/wardwatch.yaml --catalog $catalog   # open http://127.0.0.1:8080/"
