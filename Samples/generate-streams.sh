#!/usr/bin/env bash
# Makes two-stream camera recordings (main + sub) from the 1080p sample, the way an IP camera does:
# the sub-stream is the main picture downscaled to 640x360 before encoding, at 512 kbit/s.
#   Usage: Samples/generate-streams.sh SAMPLES [OUTDIR]   (default OUTDIR: SAMPLES/streams)
# SAMPLES is a folder made by Samples/generate.sh. Deterministic (one encoder thread), not committed.
# Output:
#   main/CAM1_20240710_083000.mp4      the 1080p sample itself (creation_time 08:30:00Z)
#   sub/CAM1_20240710_083000.mp4       its sub-stream, same start
#   sub_late/CAM1_20240710_083000.mkv  a sub-stream whose first frame is 0.7 s after the main one's
#                                      (Matroska keeps the sub-second creation_time)
#   ward/CAMnn/{main,sub}/...          12 cameras of 8 s main+sub pairs, each cut from a different
#                                      part of the sample (distinct content per camera)
#   streams.json                       what each file is, with the main file's truth offsets
set -euo pipefail
SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
SAMPLES="${1:?usage: generate-streams.sh SAMPLES [OUTDIR]}"
OUT="${2:-$SAMPLES/streams}"
SRC="$SAMPLES/street_1080p_h264.mp4"
[[ -f "$SRC" ]] || { echo "generate-streams.sh: $SRC not found (run Samples/generate.sh first)" >&2; exit 1; }
HASH="$( (sha256sum "$SELF" 2>/dev/null || shasum -a 256 "$SELF") | cut -d' ' -f1)"
done_already() { [[ -f "$OUT/.stamp" && "$(cat "$OUT/.stamp")" == "$HASH" ]]; }
done_already && exit 0
mkdir -p "$OUT"
if command -v flock >/dev/null; then exec 9>"$OUT/.lock"; flock 9; done_already && exit 0; fi
TMP="$(mktemp -d "$OUT/.tmp.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
FF=(ffmpeg -hide_banner -loglevel error -nostdin -y)
# A camera's sub-stream encoder: area downscale, then constrained 512 kbit/s, 2 s GOP, no B-frames.
SUB=(-vf scale=640:360:flags=area -c:v libx264 -preset veryfast -threads 1 -pix_fmt yuv420p -g 50 -bf 0
     -b:v 512k -maxrate 512k -bufsize 1024k -an)

mkdir -p "$TMP/main" "$TMP/sub" "$TMP/sub_late"
cp "$SRC" "$TMP/main/CAM1_20240710_083000.mp4"
"${FF[@]}" -i "$SRC" "${SUB[@]}" -metadata creation_time=2024-07-10T08:30:00.000000Z -movflags +faststart \
  "$TMP/sub/CAM1_20240710_083000.mp4"
# Input seek then re-encode: the first frame shown is the one at 0.72 s (25 fps), stamped 0.700 s.
"${FF[@]}" -ss 0.7 -i "$SRC" "${SUB[@]}" -metadata creation_time=2024-07-10T08:30:00.700000Z \
  "$TMP/sub_late/CAM1_20240710_083000.mkv"

for i in $(seq 0 11); do
  cam=$(printf 'CAM%02d' $((i + 1))); offset=$((i * 4))
  mkdir -p "$TMP/ward/$cam/main" "$TMP/ward/$cam/sub"
  secs=$(printf '%02d' $offset)
  # Offsets are multiples of the 2 s GOP, so the stream copy starts on a keyframe.
  "${FF[@]}" -ss "$offset" -i "$SRC" -t 8 -c copy -an -metadata creation_time="2024-07-10T08:30:${secs}.000000Z" \
    -movflags +faststart "$TMP/ward/$cam/main/${cam}_20240710_0830${secs}.mp4"
  "${FF[@]}" -i "$TMP/ward/$cam/main/${cam}_20240710_0830${secs}.mp4" "${SUB[@]}" \
    -metadata creation_time="2024-07-10T08:30:${secs}.000000Z" -movflags +faststart \
    "$TMP/ward/$cam/sub/${cam}_20240710_0830${secs}.mp4"
done
cat >"$TMP/streams.json" <<'JSON'
{
  "main": "main/CAM1_20240710_083000.mp4",
  "sub": "sub/CAM1_20240710_083000.mp4",
  "sub_late": "sub_late/CAM1_20240710_083000.mkv",
  "sub_late_offset_s": 0.7,
  "start": "2024-07-10T08:30:00Z",
  "truth_of": "street_1080p_h264.mp4",
  "ward_cameras": 12,
  "ward_clip_s": 8
}
JSON
rm -rf "$OUT/main" "$OUT/sub" "$OUT/sub_late" "$OUT/ward"
mv "$TMP"/* "$OUT/"
echo "$HASH" >"$OUT/.stamp"
