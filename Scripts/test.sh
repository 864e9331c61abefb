#!/usr/bin/env bash
# Sets up a fresh Debian machine and runs WardWatch's tests: system packages, sample recordings
# with ground truth (generated, not committed), a strict build, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Samples/generate.sh .build/samples
swift build --build-tests --explicit-target-dependency-import-check error
export WARDWATCH_SAMPLES="$PWD/.build/samples"
# The daemon tests measure a live process against wall-clock waits; they run on their own, after
# the decoding-heavy suites, so that the 2-core CI machine does not starve them.
swift test --skip-build --disable-xctest --skip DaemonTests
swift test --skip-build --disable-xctest --filter DaemonTests
