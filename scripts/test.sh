#!/usr/bin/env bash
# Runs the whole test suite (GoogleTest through ctest) on the build from setup.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
cmake --build "$BUILD_DIR" -j "${JOBS:-2}"
cd "$BUILD_DIR"
ctest --output-on-failure -j "${JOBS:-2}" "$@"
