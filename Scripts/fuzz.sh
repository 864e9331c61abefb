#!/usr/bin/env bash
# Builds the libFuzzer harnesses (Fuzz/, -sanitize=fuzzer,address) in their own scratch folder and
# runs each for a bounded time from the seed corpora in Fuzz/Corpus. A crash stops the script with
# the harness's output and leaves the crashing input in .build-fuzz/findings/NAME/.
#
#   Scripts/fuzz.sh            # every harness, FUZZ_SECONDS (default 20) each
#   FUZZ_SECONDS=600 Scripts/fuzz.sh FuzzImports FuzzConfig   # a longer run of some
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-20}"
all=(FuzzImports FuzzConfig FuzzTimes FuzzPlaceText FuzzSearchQuery FuzzISO6709 FuzzVerify FuzzMedia)
harnesses=("${@:-${all[@]}}")
scratch=.build-fuzz
export WARDWATCH_FUZZ=1
# Swift's own backtracer reads the crashed stack, which AddressSanitizer reports as a second error.
export SWIFT_BACKTRACE=enable=no

# Our Swift code gets libFuzzer's coverage (what -sanitize=fuzzer adds) and AddressSanitizer, from
# Package.swift when WARDWATCH_FUZZ is set; dependencies build as usual. The harnesses have their own
# main (SwiftPM renames an executable's entry point, so libFuzzer's main cannot be used): FuzzSupport
# calls LLVMFuzzerRunDriver from libclang_rt.fuzzer_no_main, linked here.
toolchain="$(dirname "$(readlink -f "$(command -v swift)")")/.."
fuzzer_lib="$(ls "$toolchain"/lib/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a | head -1)"
build_start=$(date +%s)
for name in "${harnesses[@]}"; do
    swift build --scratch-path "$scratch" -c debug --product "$name" -Xlinker "$fuzzer_lib" -Xlinker -lstdc++
done
build_end=$(date +%s)
bin="$(swift build --scratch-path "$scratch" -c debug --show-bin-path)"

# Media seeds are generated, not committed: tiny MP4 (H.264), MKV, MPEG-TS (MPEG-2) and AVI (MJPEG).
corpus="$scratch/corpus"
mkdir -p "$corpus"
if [[ " ${harnesses[*]} " == *" FuzzMedia "* && ! -f "$corpus/FuzzMedia/tiny.avi" ]]; then
    mkdir -p "$corpus/FuzzMedia"
    src=(-loglevel error -f lavfi -i testsrc=size=64x48:rate=10 -t 1)
    ffmpeg "${src[@]}" -c:v libx264 -g 5 -pix_fmt yuv420p -metadata creation_time=2024-07-10T08:30:00Z \
        -metadata location=+21.0285+105.8542/ -y "$corpus/FuzzMedia/tiny.mp4"
    ffmpeg "${src[@]}" -c:v libx264 -g 5 -pix_fmt yuv420p -y "$corpus/FuzzMedia/tiny.mkv"
    ffmpeg "${src[@]}" -c:v mpeg2video -f mpegts -y "$corpus/FuzzMedia/tiny.ts"
    ffmpeg "${src[@]}" -c:v mjpeg -q:v 10 -y "$corpus/FuzzMedia/tiny.avi"
fi

run_start=$(date +%s)
for name in "${harnesses[@]}"; do
    work="$corpus/$name"            # grows across runs; the committed seeds stay as they are
    findings="$scratch/findings/$name"
    mkdir -p "$work" "$findings"
    seeds=()
    [[ -d "Fuzz/Corpus/$name" ]] && seeds+=("Fuzz/Corpus/$name")
    echo "== $name: ${seconds}s"
    if ! "$bin/$name" "$work" "${seeds[@]}" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$findings/" -print_final_stats=1 > "$scratch/$name.log" 2>&1; then
        tail -60 "$scratch/$name.log"
        echo "fuzz: $name found a problem; the input is in $findings/" >&2
        exit 1
    fi
    grep -E "stat::number_of_executed_units|cov:" "$scratch/$name.log" | tail -2 | tr '\n' ' '
    echo
done
run_end=$(date +%s)
echo "fuzz: build $((build_end - build_start)) s, runs $((run_end - run_start)) s (${#harnesses[@]} harnesses, ${seconds} s each)"
