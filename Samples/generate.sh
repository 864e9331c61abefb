#!/usr/bin/env bash
# Generates synthetic fixed-camera recordings with known ground truth (WardWatch tests + demo).
#   Usage: Samples/generate.sh [OUTDIR]      (default: <repo>/.build/samples)
# Needs bash >= 4.3 and the ffmpeg CLI (libx264, libx265, drawtext). The output is deterministic
# (fixed noise seeds) and is not committed. OUTDIR/truth.json is written from the same object
# tables that drive the overlay filters, so its motion intervals are exact by construction.
set -euo pipefail

SELF="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/$(basename "${BASH_SOURCE[0]}")"
OUT="${1:-$(dirname "$(dirname "$SELF")")/.build/samples}"
HASH="$( (sha256sum "$SELF" 2>/dev/null || shasum -a 256 "$SELF") | cut -d' ' -f1)"
done_already() { [[ -f "$OUT/.stamp" && "$(cat "$OUT/.stamp")" == "$HASH" ]]; }
done_already && exit 0
command -v ffmpeg >/dev/null || { echo "generate.sh: ffmpeg not found" >&2; exit 1; }

mkdir -p "$OUT"
if command -v flock >/dev/null; then        # concurrent callers (parallel tests): one generates
  exec 9>"$OUT/.lock"; flock 9; done_already && exit 0
fi
rm -f "$OUT/.stamp"
TMP="$(mktemp -d "$OUT/.tmp.XXXXXX")"     # same filesystem as OUT, so the final mv is atomic
BGPID="" FGPID=""                          # running renders (background / waited for)
cleanup() { set +e; kill $BGPID $FGPID 2>/dev/null; wait; rm -rf "$TMP"; }
trap cleanup EXIT; trap 'exit 130' INT; trap 'exit 143' TERM   # EXIT trap runs on signals too
run() { local rc=0; "$@" & FGPID=$!; wait "$FGPID" || rc=$?; FGPID=""; return $rc; }  # interruptible
FF=(ffmpeg -hide_banner -loglevel error -nostdin -y)
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
if [[ -f "$FONT" ]]; then FONTOPT="fontfile=$FONT"; else FONTOPT="font=Sans"; fi
log() { printf 'generate.sh: %s\n' "$*" >&2; }
publish() { mv -f "$TMP/$1" "$OUT/$1"; log "wrote $1 (t+${SECONDS}s)"; }   # temp name -> final

# ---- Ground truth: moving objects per file, "kind start end ybottom [scale [sway:A:F:X]]" ---------
# ybottom = where the object's bottom edge sits, as a fraction of the frame height. Objects
# alternate direction (even index: left->right, odd: right->left) and move linearly from just
# off-frame at `start` to just off-frame at `end`; outside [start,end] they are not drawn at all.
# `scale` multiplies the sprite's size (default 1). A `sway:A:F:X` entry is clutter, not motion: it
# is drawn all the time, centred at X (fraction of the width) and swinging A px (at 720p) at F Hz,
# and it is left out of the truth. Sway entries go last, so they don't change the others' parity.
OBJ_street_1080p_h264=("person 4.0 10.0 0.575" "bike 14.0 15.5 0.87" "car 22.0 30.0 0.73"
                       "person 38.0 41.0 0.575" "person2 50.0 56.0 0.97" "car 51.0 55.5 0.73")
OBJ_static_noisy_720p=()
OBJ_street_720p_hevc=("car 3.0 8.0 0.73" "bike 15.0 16.5 0.87" "person 22.0 27.0 0.575")
OBJ_street_mjpeg=("person 2.0 6.0 0.575" "car 11.0 14.0 0.73")
OBJ_street_vfr=("person 5.0 9.0 0.575" "car 24.0 28.0 0.73" "person2 33.0 36.0 0.97")
OBJ_CAM07_20240710_153000=("person 3.0 6.0 0.575")
# Detector v2 samples. A small (57x54 px at 1080p) slow walker crossing in 15 s, a smaller and
# slower one, and a normal person; truth "quiet" stretches must give no event at all.
OBJ_slow_walker_1080p=("small 3.0 18.0 0.56" "small 24.0 44.0 0.80 0.8" "person 49.0 55.0 0.575")
# Swaying foliage (two trees, three layers, different amplitudes and rates); people pass through.
OBJ_foliage_720p=("person 14.0 21.0 0.575" "person2 30.0 36.0 0.62"
                  "leaves 0 0 0.60 1.0 sway:9:0.6:0.45" "leaves 0 0 0.52 0.7 sway:14:0.35:0.52"
                  "leaves 0 0 0.62 0.9 sway:6:1.1:0.80")
OBJ_rain_720p=("person 12.0 18.0 0.575" "bike 28.0 29.8 0.87")
OBJ_night_noise_360p=("person 10.0 20.0 0.575" "car 34.0 39.0 0.73" "person2 52.0 60.0 0.97" "bike 74.0 77.0 0.87")
OBJ_ir_switch_720p=("person 6.0 12.0 0.575" "car 44.0 49.0 0.73" "person 54.0 60.0 0.575")
# Objects crossing both ways along three lanes (far sidewalk, road, near sidewalk): region + direction.
OBJ_crossings_720p=("person 2.0 8.0 0.575" "person 11.0 17.0 0.575" "car 20.0 24.0 0.73" "car 27.0 31.0 0.73"
                    "person2 34.0 40.0 0.97")

# ---- Sprites: boxes "x:y:w:h:colour" on a transparent canvas, at 1080p scale -------------------
sprite() {  # name WxH box...
  local name=$1 f="color=black@0:s=$2,format=yuva444p" box; shift 2
  for box in "$@"; do f+=",drawbox=$box:t=fill:replace=1"; done   # (rgba+replace crashes in 5.1)
  "${FF[@]}" -f lavfi -i "$f,noise=c0s=14:c1s=4:c2s=4:all_seed=11" -frames:v 1 "$TMP/$name.png"
}
#                        head              hair/cap         torso            legs                                shoes
sprite person  70x180  22:0:26:30:0xc99a7a 22:0:26:8:0x3a2a1e 8:30:54:78:0xb8442e 12:108:20:64:0x2e3f66 38:108:20:64:0x2e3f66 10:172:24:8:0x1c1c1c 36:172:24:8:0x1c1c1c
sprite person2 70x180  22:0:26:30:0x8d6448 20:0:30:10:0x1e1e1e 8:30:54:82:0x2f8a84 12:112:20:60:0x55504a 38:112:20:60:0x55504a 10:172:24:8:0x202020 36:172:24:8:0x202020
#                        wheels, hubs, frame, rider (torso, arm, head, leg)
sprite bike    150x110 0:70:40:40:0x1a1a1a 110:70:40:40:0x1a1a1a 14:84:12:12:0x9a9a9a 124:84:12:12:0x9a9a9a 20:78:110:8:0x2d6fb0 \
                       58:18:34:58:0xe08a2a 92:30:30:10:0xe08a2a 62:0:26:20:0xc99a7a 62:70:18:24:0x303040
#                        cabin, body, windows, trim, wheels, hubs, headlight (front = right), tail light
sprite car     360x160 70:0:210:56:0x3f5f8f 0:46:360:80:0x3f5f8f 86:8:86:40:0x263240 182:8:84:40:0x263240 0:92:360:6:0x2a3a55 \
                       44:104:72:56:0x151515 244:104:72:56:0x151515 66:122:28:20:0x8c8c8c 266:122:28:20:0x8c8c8c \
                       338:60:22:16:0xf0e0a0 0:60:14:16:0xa02020

#                        body, head, legs (a small, far-away figure: 57x54 px at 1080p)
sprite small   57x54   0:14:57:26:0x8a4a2a 18:0:22:16:0xd0a080 4:40:16:14:0x202028 37:40:16:14:0x202028
# Leaves: an elliptical crown with a texture at the scale of leaf clusters (sways as clutter).
"${FF[@]}" -f lavfi -i "color=black@0:s=300x260,format=yuva444p,geq=lum='70+45*sin(X/6.5)*sin(Y/8.3)+25*sin((X+2*Y)/4.1)'\
:cb=110:cr=118:a='255*lte(pow((X-W/2)/(W/2),2)+pow((Y-H/2)/(H/2),2),1)',noise=c0s=20:all_seed=12" -frames:v 1 "$TMP/leaves.png"

# ---- Static street background, built once per resolution ---------------------------------------
background() {  # W H out.png
  local fac="floor(X*6/W)" win="lt(mod(X,W/32),W/58)*lt(mod(Y,H/15),H/30)*gt(Y,H*0.05)"
  local tint="mod($fac*7,5)" lit="eq(mod(floor(X*32/W)*7+floor(Y*15/H)*3,11),0)" k
  local f="color=black:s=$1x$2,format=gbrp"
  # Facades (six tinted buildings) with a grid of windows, a few of them lit.
  f+=",geq=r='if($win,if($lit,200,45),118+14*$tint)':g='if($win,if($lit,180,50),104+9*$tint)'"
  f+=":b='if($win,if($lit,120,62),92+4*$tint)',format=yuv444p"
  local boxes=(0:0:iw:ih*0.07:0x9fb4c8 iw/6:0:iw/6:ih*0.17:0x9fb4c8 iw*4/6:0:iw/6:ih*0.12:0x9fb4c8 # sky
    0:ih*0.47:iw:ih*0.03:0x5a4f46                                  # ground floor
    0:ih*0.50:iw:ih*0.08:0x9a968e 0:ih*0.58:iw:ih*0.008:0x6f6a64   # far sidewalk, kerb
    0:ih*0.588:iw:ih*0.31:0x4a4a4e 0:ih*0.898:iw:ih*0.102:0x8e8a83 # road, near sidewalk
    iw*0.83:ih*0.22:iw*0.007:ih*0.36:0x2b2b2b iw*0.80:ih*0.21:iw*0.04:ih*0.012:0x2b2b2b) # lamp post
  for k in 0 1 2 3 4 5 6 7 8 9; do boxes+=("iw*0.$k+iw*0.02:ih*0.737:iw*0.06:ih*0.01:0xd8d8c8"); done
  for k in "${boxes[@]}"; do f+=",drawbox=$k:t=fill"; done
  f+=",noise=alls=12:allf=u:all_seed=7,gblur=sigma=0.7,noise=alls=6:allf=u:all_seed=8"  # texture
  "${FF[@]}" -f lavfi -i "$f" -frames:v 1 "$3"
}

# ---- Render one recording ----------------------------------------------------------------------
# Globals in: W H FPS DUR EPOCH (OSD clock at t=0, Unix s) NOISE SEED, optional PRE (filters right
# after the background, e.g. frame selection) and LIGHT (exposure filters, before the sensor
# noise). $1 = object table, $2 = output file name, rest = encoder/muxer options. With BG=1 the
# ffmpeg process runs in the background (pid in BGPID); the caller waits and publishes.
render() {
  local -n objs="$1"; local out="$2"; shift 2
  local bg="$TMP/bg_${W}x${H}.png"; [[ -f "$bg" ]] || background "$W" "$H" "$bg"
  # Stills are decoded once and repeated by the loop filter (re-decoding a 1080p PNG per frame
  # with `-loop 1` costs more than the encode); settb+setpts give exact CFR timestamps.
  local rep="loop=loop=-1:size=1,settb=1/$FPS,setpts=N"
  local inputs=(-framerate "$FPS" -i "$bg") g="[0:v]format=yuv420p,$rep,trim=duration=$DUR${PRE:+,$PRE}[v0]"
  local i kind a b yb sc sway x flip enable amp freq xc
  for i in "${!objs[@]}"; do
    read -r kind a b yb sc sway <<<"${objs[$i]}"
    inputs+=(-framerate "$FPS" -i "$TMP/$kind.png")
    enable=":enable='between(t,$a,$b)'"
    if [[ -n ${sway:-} ]]; then IFS=: read -r _ amp freq xc <<<"$sway"; flip="" enable=""
      x="W*$xc-w/2+$amp*H/720*sin(2*PI*$freq*t)"
    elif (( i % 2 == 0 )); then x="-w+(W+w)*(t-$a)/($b-$a)" flip=""       # x=-w at a, x=W at b
    else x="W-(W+w)*(t-$a)/($b-$a)" flip=",hflip"; fi
    g+=";[$((i+1)):v]format=yuva420p,scale=w=iw*$H/1080*${sc:-1}:h=-1$flip,$rep[s$i]"
    g+=";[v$i][s$i]overlay=x='$x':y='H*$yb-h'$enable:shortest=1[v$((i+1))]"
  done
  local last="v${#objs[@]}"
  if [[ -n ${RAIN:-} ]]; then    # rain: random streaks every frame (half resolution, scaled up), lightened in
    inputs+=(-f lavfi -i "color=black:s=$((W/2))x$((H/2)):r=$FPS,format=gray,geq=lum='255*gt(random(1),$RAIN)'\
,avgblur=sizeX=1:sizeY=$((H/90)),lutyuv=y='min(255,val*5)',scale=$W:$H,format=yuv420p")
    g+=";[$last][$((${#objs[@]}+1)):v]blend=c0_mode=lighten:c0_opacity=0.7:c1_opacity=0:c2_opacity=0:shortest=1[rain]"
    last=rain
  fi
  g+=";[$last]${LIGHT:+$LIGHT,}noise=alls=$NOISE:allf=t+u:all_seed=$SEED"   # sensor noise
  g+=",drawtext=$FONTOPT:text='%{pts\\:gmtime\\:$EPOCH}':x=w*0.02:y=h*0.03:fontsize=h/28"
  g+=":fontcolor=white:box=1:boxcolor=black@0.55:boxborderw=6[out]"                # OSD clock
  # One thread for the filters and the encoder: x264's threaded rate control (and sliced filters)
  # give a different file on every run, so a sample's compression artefacts would change from one
  # CI run to the next. One thread gives the same bytes every time, on the same FFmpeg.
  local cmd=("${FF[@]}" -filter_complex_threads 1 "${inputs[@]}" -filter_complex "$g" -map '[out]' -t "$DUR" \
    -threads 1 "$@" "$TMP/$out")
  if [[ -n ${BG:-} ]]; then "${cmd[@]}" & BGPID=$!; else run "${cmd[@]}"; publish "$out"; fi
}
TRUTH=()
record() {  # file codec start-json table [extra-json]; size/fps/duration from the render globals
  local -n o="$4"; local s i kind a b yb sc sway objs="" sep="" motion
  motion="$(for s in "${o[@]}"; do [[ $s == *sway:* ]] || echo "$s"; done | sort -k2,2n | awk '    # merged union
    { if (n && $2 <= e) { if ($3 > e) e = $3 } else { if (n) r = r "[" s "," e "],"; s = $2; e = $3; n = 1 } }
    END { if (n) r = r "[" s "," e "]"; printf "[%s]", r }')"
  for i in "${!o[@]}"; do read -r kind a b yb sc sway <<<"${o[$i]}"; [[ -z ${sway:-} ]] || continue
    objs+="$sep{\"kind\":\"$kind\",\"t\":[$a,$b],\"y\":$yb,\"dir\":\"$( ((i % 2)) && echo rtl || echo ltr)\"}"; sep=","
  done
  TRUTH+=("\"$1\": {\"video\":true,\"width\":$W,\"height\":$H,\"fps\":${TRUTH_FPS:-$FPS},\"duration_s\":$DUR,\
\"codec\":\"$2\",\"start\":$3,${5:+$5,}
    \"motion\":$motion,
    \"objects\":[$objs]}")
}
X264=(-c:v libx264 -preset veryfast -pix_fmt yuv420p -g 50 -crf 26)
PRE="" LIGHT=""

W=1920 H=1080 FPS=25 DUR=60 EPOCH=1720600200 NOISE=5 SEED=101        # 2024-07-10T08:30:00Z
# The big 1080p encode runs in the background while the others render (2 cores: ~40% faster).
BG=1 render OBJ_street_1080p_h264 street_1080p_h264.mp4 "${X264[@]}" -movflags +faststart \
  -metadata creation_time=2024-07-10T08:30:00.000000Z -metadata location=+21.0285+105.8542/
record street_1080p_h264.mp4 h264 '"2024-07-10T08:30:00Z"' OBJ_street_1080p_h264 \
  '"vfr":false,"location":"+21.0285+105.8542/"'

# Dusk: brightness drifts down by 0.15 over the minute; auto-exposure step at t=30 s, held.
W=1280 H=720 FPS=25 DUR=60 EPOCH=1720637400 NOISE=14 SEED=102        # 2024-07-10T18:50:00Z
LIGHT="eq=eval=frame:brightness='-0.15*t/60+0.10*gte(t,30)':contrast='1+0.2*gte(t,30)'"
render OBJ_static_noisy_720p static_noisy_720p.mp4 "${X264[@]}" -movflags +faststart \
  -metadata creation_time=2024-07-10T18:50:00.000000Z
record static_noisy_720p.mp4 h264 '"2024-07-10T18:50:00Z"' OBJ_static_noisy_720p \
  '"vfr":false,"exposure_step_s":30.0'
LIGHT=""

W=1280 H=720 FPS=25 DUR=30 EPOCH=1720688400 NOISE=6 SEED=103         # 2024-07-11T09:00:00Z
render OBJ_street_720p_hevc street_720p_hevc.mp4 -c:v libx265 -preset ultrafast -crf 28 \
  -pix_fmt yuv420p -tag:v hvc1 -x265-params log-level=error:pools=1:frame-threads=1 -movflags +faststart \
  -metadata creation_time=2024-07-11T09:00:00.000000Z
record street_720p_hevc.mp4 hevc '"2024-07-11T09:00:00Z"' OBJ_street_720p_hevc '"vfr":false'

W=640 H=480 FPS=15 DUR=20 EPOCH=1720612800 NOISE=6 SEED=104          # OSD 2024-07-10 12:00:00
render OBJ_street_mjpeg street_mjpeg.avi -c:v mjpeg -q:v 4 -pix_fmt yuvj420p -map_metadata -1
record street_mjpeg.avi mjpeg null OBJ_street_mjpeg '"vfr":false'

# VFR: 50 fps source; keep every 2nd frame before t=20 s (25 fps), every 5th after (10 fps).
# `-r 10` only sets the nominal rate used for the last frame's duration (so the file lasts 40.0 s,
# not 39.92); with -fps_mode vfr and a 1/50 encoder time base no frame is dropped or duplicated.
# -bf 0: with B-frames the dts-based mp4 stream duration would come out 0.12 s short of 40.
W=1280 H=720 FPS=50 DUR=40 EPOCH=1720616400 NOISE=6 SEED=105         # 2024-07-10T13:00:00Z
PRE="select='if(lt(t,20),not(mod(n,2)),not(mod(n,5)))'"
render OBJ_street_vfr street_vfr.mp4 "${X264[@]}" -bf 0 -fps_mode vfr -r 10 -enc_time_base 1/50 \
  -movflags +faststart -metadata creation_time=2024-07-10T13:00:00.000000Z
TRUTH_FPS=null record street_vfr.mp4 h264 '"2024-07-10T13:00:00Z"' OBJ_street_vfr \
  '"vfr":true,"fps_segments":[[0.0,20.0,25],[20.0,40.0,10]]'
PRE=""

# No creation_time anywhere (container or stream): the start must come from the file name.
W=640 H=360 FPS=25 DUR=10 EPOCH=1720625400 NOISE=6 SEED=106          # OSD 2024-07-10 15:30:00
render OBJ_CAM07_20240710_153000 CAM07_20240710_153000.mp4 "${X264[@]}" -map_metadata -1 \
  -fflags +bitexact -movflags +faststart
record CAM07_20240710_153000.mp4 h264 null OBJ_CAM07_20240710_153000 \
  '"vfr":false,"name_start":"2024-07-10T15:30:00"'

# ---- Detector v2 samples: hard cases with truth, and "quiet" stretches that must give no event ----
X264B=(-c:v libx264 -preset veryfast -pix_fmt yuv420p -g 50)
W=1920 H=1080 FPS=25 DUR=58 EPOCH=1720620000 NOISE=5 SEED=107         # 2024-07-10T14:00:00Z
render OBJ_slow_walker_1080p slow_walker_1080p.mp4 "${X264[@]}" -movflags +faststart \
  -metadata creation_time=2024-07-10T14:00:00.000000Z
record slow_walker_1080p.mp4 h264 '"2024-07-10T14:00:00Z"' OBJ_slow_walker_1080p '"vfr":false,"quiet":[[19.5,22.5],[45.5,47.5]]'

W=1280 H=720 FPS=25 DUR=45 EPOCH=1720623600 NOISE=6 SEED=108         # 2024-07-10T15:00:00Z
render OBJ_foliage_720p foliage_720p.mp4 "${X264[@]}" -movflags +faststart \
  -metadata creation_time=2024-07-10T15:00:00.000000Z
record foliage_720p.mp4 h264 '"2024-07-10T15:00:00Z"' OBJ_foliage_720p '"vfr":false,"quiet":[[0,13],[22,29],[37,45]]'

# Rain: fresh random streaks every frame over the whole picture, a little darker.
W=1280 H=720 FPS=25 DUR=40 EPOCH=1720627200 NOISE=7 SEED=109 RAIN=0.9985   # 2024-07-10T16:00:00Z
LIGHT="eq=brightness=-0.06"
render OBJ_rain_720p rain_720p.mp4 "${X264[@]}" -movflags +faststart -metadata creation_time=2024-07-10T16:00:00.000000Z
record rain_720p.mp4 h264 '"2024-07-10T16:00:00Z"' OBJ_rain_720p '"vfr":false,"quiet":[[0,11],[19,27],[31,40]]'
RAIN="" LIGHT=""

# A night sub-stream: 640x360, dark and low-contrast, heavy sensor noise, 512 kbit/s.
W=640 H=360 FPS=25 DUR=90 EPOCH=1720645200 NOISE=30 SEED=110         # 2024-07-10T21:00:00Z
LIGHT="eq=brightness=-0.25:contrast=0.7"
render OBJ_night_noise_360p night_noise_360p.mp4 "${X264B[@]}" -b:v 512k -maxrate 512k -bufsize 1024k \
  -movflags +faststart -metadata creation_time=2024-07-10T21:00:00.000000Z
record night_noise_360p.mp4 h264 '"2024-07-10T21:00:00Z"' OBJ_night_noise_360p \
  '"vfr":false,"bitrate_kbps":512,"quiet":[[0,9],[21,33],[40,51],[61,73],[78,90]]'
LIGHT=""

# Dusk, then the camera switches to IR at t=30 s: colour gone, exposure jumps, the illuminator
# lights the centre more than the corners, and auto-exposure hunts for 4 s.
W=1280 H=720 FPS=25 DUR=66 EPOCH=1720640400 NOISE=10 SEED=111        # 2024-07-10T19:40:00Z
LIGHT="eq=eval=frame:brightness='-0.2*t/66+gte(t,30)*(0.15+0.06*sin(2*PI*0.8*t)*lt(t,34))'"
LIGHT+=":contrast='1+0.25*gte(t,30)',hue=s='if(gte(t,30),0,1)',vignette=angle=PI/5:enable='gte(t,30)'"
render OBJ_ir_switch_720p ir_switch_720p.mp4 "${X264[@]}" -movflags +faststart \
  -metadata creation_time=2024-07-10T19:40:00.000000Z
record ir_switch_720p.mp4 h264 '"2024-07-10T19:40:00Z"' OBJ_ir_switch_720p '"vfr":false,"ir_switch_s":30.0,"quiet":[[13,43]]'
LIGHT=""

W=1280 H=720 FPS=25 DUR=44 EPOCH=1720630800 NOISE=6 SEED=112         # 2024-07-10T17:00:00Z
render OBJ_crossings_720p crossings_720p.mp4 "${X264[@]}" -movflags +faststart \
  -metadata creation_time=2024-07-10T17:00:00.000000Z
record crossings_720p.mp4 h264 '"2024-07-10T17:00:00Z"' OBJ_crossings_720p '"vfr":false,"quiet":[[9,10],[41,44]]'

"${FF[@]}" -f lavfi -i "sine=frequency=440:sample_rate=48000:duration=5" -c:a aac -b:a 96k "$TMP/no_video.m4a"
publish no_video.m4a
TRUTH+=('"no_video.m4a": {"video":false,"duration_s":5,"start":null,"motion":[]}')

wait "$BGPID"; BGPID=""; publish street_1080p_h264.mp4

{ printf '{\n'; for i in "${!TRUTH[@]}"; do
    printf '  %s%s\n' "${TRUTH[$i]}" "$( ((i + 1 < ${#TRUTH[@]})) && echo , || true)"; done
  printf '}\n'; } >"$TMP/truth.json"
publish truth.json
echo "$HASH" >"$OUT/.stamp"   # last: marks the whole set as complete for this script version
