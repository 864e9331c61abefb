#!/usr/bin/env bash
# Sets up a fresh Debian machine and runs WardWatch's tests: system packages, sample recordings
# with ground truth (generated, not committed), a strict build, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Samples/generate.sh .build/samples
swift build --build-tests --explicit-target-dependency-import-check error
WARDWATCH_SAMPLES="$PWD/.build/samples" swift test --skip-build --disable-xctest
