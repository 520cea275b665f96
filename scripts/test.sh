#!/usr/bin/env bash
# Runs the whole test suite (GoogleTest through ctest) on the build from setup.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
jobs=${JOBS:-2}
cmake --build "$BUILD_DIR" -j "$jobs"
# Each test ctest runs at once, and every interp it starts, takes its share of the CPUs.
source "$ROOT/scripts/lib/cpu_share.sh"
share_cpus "$jobs"
cd "$BUILD_DIR"
ctest --output-on-failure -j "$jobs" "$@"
