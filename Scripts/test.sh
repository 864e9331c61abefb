#!/usr/bin/env bash
# Sets up a fresh Debian machine and runs WardWatch's tests: system packages, sample recordings
# with ground truth (generated, not committed), a strict build, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Samples/generate.sh .build/samples
swift build --build-tests --explicit-target-dependency-import-check error
export WARDWATCH_SAMPLES="$PWD/.build/samples"
# The decoding-heavy suites run first. The live servers (the HTTP API in-process, the daemon as a
# process) are measured against wall-clock waits, so they run on their own afterwards: on a 2-core
# machine, synchronous decoding in parallel tests would otherwise hold both of Swift's cooperative
# threads that the in-process server and its client need.
swift test --skip-build --disable-xctest --skip DaemonTests --skip HTTPAPITests
swift test --skip-build --disable-xctest --filter HTTPAPITests
swift test --skip-build --disable-xctest --filter DaemonTests
# Every libFuzzer harness for a bounded time (see TESTING.md); a crash fails the run.
FUZZ_SECONDS="${FUZZ_SECONDS:-15}" Scripts/fuzz.sh
