#!/usr/bin/env bash
# The whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer: a separate
# build (build-sanitize/) of interp's own code with -DINTERP_SANITIZE=ON, then ctest.
# LibTorch keeps some singletons alive at exit on purpose; those leaks (and only those)
# are suppressed, in tests/sanitizer/lsan.supp.
#
#   scripts/sanitize.sh [ctest args...]      e.g. scripts/sanitize.sh -R Hostile
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build-sanitize}
CACHE=${INTERP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/interp}
LIBTORCH=${INTERP_LIBTORCH_ROOT:-$CACHE/libtorch-2.11.0}
cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINTERP_SANITIZE=ON \
      -DINTERP_LIBTORCH_ROOT="$LIBTORCH" >/dev/null
cmake --build "$BUILD" -j "${JOBS:-2}"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_odr_violation=0:abort_on_error=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$ROOT/tests/sanitizer/lsan.supp:print_suppressions=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:suppressions=$ROOT/tests/sanitizer/ubsan.supp}
cd "$BUILD"
ctest --output-on-failure -j "${JOBS:-2}" "$@"
