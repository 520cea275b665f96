#!/usr/bin/env bash
# Builds what runs on a GPU box that has PyTorch but no package registry and no FFmpeg:
# interp_core (models + weights, LibTorch only), interp_job (the job on frames in
# memory), interp_model_bench, interp_pipeline_bench and interp_film_memory, linked against that PyTorch's own LibTorch with CUDA linked in
# (so a missing CUDA library fails at build time, not as a silent CPU run).
#
#   scripts/gpu_build.sh                 # PyTorch from /opt/torch/.venv
#   PYTHON=/path/to/venv/bin/python scripts/gpu_build.sh
#   TESTS=ON scripts/gpu_build.sh        # also the core tests (needs GoogleTest there)
# Then, e.g.:  build-gpu/bench/interp_model_bench rife-v4.6 --device cuda --fp16 --size 1920x1080 --batch 1 --batch 4
# Needs: cmake >= 3.22 and a C++17 compiler on that machine; nothing is downloaded.
# interp_core also needs nlohmann-json's headers (header-only). Where the box has none,
# run `scripts/gpu_build.sh --bundle` here first: it copies them (1 MB) into .gpu/,
# which the box's run then carries and this script finds.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUNDLE=$ROOT/.gpu/nlohmann
if [ "${1:-}" = --bundle ]; then
  rm -rf "$BUNDLE" && mkdir -p "$BUNDLE/include" "$BUNDLE/share/cmake"
  cp -r /usr/include/nlohmann "$BUNDLE/include/"
  cp -r /usr/share/cmake/nlohmann_json "$BUNDLE/share/cmake/"
  echo "==> $BUNDLE: nlohmann-json headers and CMake config for the GPU box"
  exit 0
fi
PY=${PYTHON:-/opt/torch/.venv/bin/python}
BUILD=${BUILD_DIR:-$ROOT/build-gpu}
TESTS=${TESTS:-OFF}

command -v cmake >/dev/null || { echo "gpu_build.sh: cmake not found" >&2; exit 1; }
if [ -n "${INTERP_LIBTORCH_ROOT:-}" ]; then  # set-up's LibTorch (a rehearsal off the GPU box)
  TORCH=$INTERP_LIBTORCH_ROOT
  echo "==> LibTorch from $TORCH"
else
  [ -x "$PY" ] || { echo "gpu_build.sh: no Python at $PY (set PYTHON=, or INTERP_LIBTORCH_ROOT=)" >&2; exit 1; }
  TORCH=$("$PY" -c 'import os, torch; print(os.path.dirname(torch.__file__))') ||
    { echo "gpu_build.sh: $PY cannot import torch" >&2; exit 1; }
  echo "==> LibTorch from $TORCH ($("$PY" -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda)'))"
fi
SITE=$(dirname "$TORCH")

# libtorch_cuda's own dependencies (cuDNN, cuBLAS, NCCL, cuSPARSELt, NVSHMEM, cuFile) live
# in the nvidia-* wheels beside torch; the linker must see them, the loader finds them
# through libtorch_cuda's RPATH.
link_dirs=("$TORCH/lib")
for d in "$SITE"/nvidia/*/lib "$SITE"/nvidia/*/*/lib /usr/local/cuda/lib64; do
  [ -d "$d" ] && link_dirs+=("$d")
done
rpath_link=$(printf -- '-Wl,-rpath-link,%s ' "${link_dirs[@]}")

prefixes=()
[ -d "$BUNDLE" ] && prefixes+=("$BUNDLE")
# GoogleTest for TESTS=ON where the box has none: built from the sources
# `scripts/gpu_check.sh --prepare` carries in .gpu/googletest.
if [ "$TESTS" = ON ] && [ -d "$ROOT/.gpu/googletest" ] && [ ! -d /usr/lib/x86_64-linux-gnu/cmake/GTest ]; then
  if [ ! -f "$BUILD/gtest/.complete" ]; then
    cmake -S "$ROOT/.gpu/googletest" -B "$BUILD/gtest-build" -DCMAKE_BUILD_TYPE=Release -DBUILD_GMOCK=OFF \
          -DCMAKE_INSTALL_PREFIX="$BUILD/gtest" >/dev/null
    cmake --build "$BUILD/gtest-build" -j "$(nproc)" --target install >/dev/null
    touch "$BUILD/gtest/.complete"
  fi
  prefixes+=("$BUILD/gtest")
fi
prefix=()
[ ${#prefixes[@]} -gt 0 ] && prefix=(-DCMAKE_PREFIX_PATH="$(IFS=';'; echo "${prefixes[*]}")")
# The golden files the box got (scripts/gpu_check.sh --prepare), else ../shared.
[ -d "$ROOT/.gpu/shared" ] && prefix+=(-DINTERP_SHARED_DIR="$ROOT/.gpu/shared")
generator="Unix Makefiles"
command -v ninja >/dev/null && generator=Ninja
cmake -S "$ROOT" -B "$BUILD" -G "$generator" -DCMAKE_BUILD_TYPE=Release \
      -DINTERP_CORE_ONLY=ON -DINTERP_LINK_CUDA=ON -DINTERP_BUILD_TESTS="$TESTS" \
      -DINTERP_LIBTORCH_ROOT="$TORCH" -DCMAKE_EXE_LINKER_FLAGS="$rpath_link" \
      "${prefix[@]}" >/dev/null
cmake --build "$BUILD" -j "$(nproc)"
echo "==> built: $BUILD/bench/interp_model_bench, $BUILD/bench/interp_pipeline_bench, $BUILD/bench/interp_film_memory"
