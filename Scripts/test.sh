#!/usr/bin/env bash
# Sets up a fresh Debian machine and runs WardWatch's tests: system packages, sample recordings
# with ground truth (generated, not committed), a strict build, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/install-deps.sh
Samples/generate.sh .build/samples
Samples/generate-streams.sh .build/samples   # main + sub-stream pairs made from the 1080p sample
swift build --build-tests --explicit-target-dependency-import-check error
export WARDWATCH_SAMPLES="$PWD/.build/samples"
# A throwaway PostgreSQL cluster (Debian's server, run as a non-root user) for the conformance suite on
# PostgreSQL and the multi-node check; removed when the script exits, whatever happens.
eval "$(Scripts/postgres-cluster.sh start)"
trap 'Scripts/postgres-cluster.sh stop' EXIT
# Most HTTP routes are tested in process (HummingbirdTesting's `.router`: no socket), so they run with
# everything else. What runs on a live loopback socket or as a server process (the live API suites,
# clips over HTTP, the daemon) is measured against wall-clock waits, so it runs on its own afterwards:
# on a 2-core machine, synchronous decoding in parallel tests would otherwise hold both of Swift's
# cooperative threads that an in-process server and its client need.
LIVE='DaemonTests|ExportParityTests|LiveAPITests|ClipEndpointTests|ServeCommandTests|ExtremeInputTests|ServerLoadTests|WardScopeProbeTests|ProtocolHardeningTests/unparsable'
swift test --skip-build --disable-xctest --skip "$LIVE"
swift test --skip-build --disable-xctest --filter "$LIVE"
# The web console in headless Chromium against a live `wardwatch serve` (Selenium from PyPI).
Scripts/console-test.sh
# Three daemons on one PostgreSQL catalog, one killed with SIGKILL twice: every file indexed once, the
# events equal a single SQLite daemon's, alert lines unique and complete, the audit chain intact.
Scripts/multinode-check.sh .build/debug/wardwatch 12
# The demo catalog copied to PostgreSQL answers every search and listing as the SQLite original does.
Scripts/catalog-copy-check.sh .build/debug/wardwatch
# Every libFuzzer harness (see TESTING.md) for a bounded time: 15 s each from the seed corpora, after a
# build of its own (.build-fuzz; only our code is instrumented). A crash fails the run.
FUZZ_SECONDS="${FUZZ_SECONDS:-15}" Scripts/fuzz.sh
