#!/usr/bin/env bash
# Runs the whole test suite (GoogleTest through ctest) on the build from setup.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
jobs=${JOBS:-2}
cmake --build "$BUILD_DIR" -j "$jobs"
# The CPUs shared out among the tests ctest runs at once: each test, and every interp it
# starts, takes its share as OMP_NUM_THREADS. Two processes of all-core OpenMP threads
# on the same cores spin against each other (a 39 s test took 300 s so).
if [ -z "${OMP_NUM_THREADS:-}" ]; then
  share=$(( $(nproc) / jobs ))
  export OMP_NUM_THREADS=$(( share > 0 ? share : 1 ))
fi
cd "$BUILD_DIR"
ctest --output-on-failure -j "$jobs" "$@"
