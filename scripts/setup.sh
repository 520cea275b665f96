#!/usr/bin/env bash
# One-command set-up on a fresh Debian/Ubuntu machine: system packages, LibTorch
# (from PyPI's torch wheel, cached outside the checkout) with, on a machine with an
# NVIDIA driver, its CUDA libraries (scripts/fetch_cuda.sh), a Release build with -j2,
# and the default model. Safe to rerun: every step skips what is already done.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${INTERP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/interp}
TORCH_VERSION=2.11.0
LIBTORCH=${INTERP_LIBTORCH_ROOT:-$CACHE/libtorch-$TORCH_VERSION}
BUILD_DIR=${BUILD_DIR:-$ROOT/build}
JOBS=${JOBS:-2}
STEP="start"

step() { STEP="$*"; echo "==> [setup] $*"; }
trap 'echo "setup.sh: FAILED at step: $STEP" >&2' ERR

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

PACKAGES=(build-essential cmake ninja-build pkg-config git ca-certificates unzip
          python3 python3-pip
          ffmpeg libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev
          libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev
          libcli11-dev libspdlog-dev libfmt-dev libgtest-dev nlohmann-json3-dev
          clang libclang-rt-dev  # clang + libFuzzer: the fuzz targets (scripts/fuzz.sh)
          shellcheck  # the batch scripts are linted by the suite
          slurmctld slurmd slurm-client munge parallel)  # the farms interp runs on (scripts/slurm, tests/slurm_test.sh)

step "system packages"
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "    installing: ${missing[*]}"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
else
  echo "    all ${#PACKAGES[@]} packages present"
fi

step "LibTorch $TORCH_VERSION in $LIBTORCH"
if [ -f "$LIBTORCH/lib/libtorch_cpu.so" ] && [ -f "$LIBTORCH/.complete" ]; then
  echo "    cached"
else
  mkdir -p "$CACHE/downloads"
  wheel=$(find "$CACHE/downloads" -maxdepth 1 -name "torch-$TORCH_VERSION-*.whl" | head -n 1)
  if [ -z "$wheel" ]; then
    echo "    downloading torch==$TORCH_VERSION wheel from PyPI (~530 MB, once)"
    python3 -m pip download --quiet --no-deps --only-binary :all: "torch==$TORCH_VERSION" -d "$CACHE/downloads"
    wheel=$(find "$CACHE/downloads" -maxdepth 1 -name "torch-$TORCH_VERSION-*.whl" | head -n 1)
  fi
  tmp="$LIBTORCH.partial"
  rm -rf "$tmp" && mkdir -p "$tmp"
  unzip -q "$wheel" 'torch/lib/*' 'torch/include/*' 'torch/share/*' -d "$tmp"
  rm -rf "$LIBTORCH"
  mv "$tmp/torch" "$LIBTORCH" && rm -rf "$tmp"
  touch "$LIBTORCH/.complete"
  rm -f "$wheel"   # the extracted tree is the cache
  echo "    extracted"
fi

step "CUDA libraries (for an NVIDIA GPU; INTERP_CUDA=1 always, 0 never)"
TORCH_VERSION=$TORCH_VERSION INTERP_LIBTORCH_ROOT="$LIBTORCH" INTERP_CACHE_DIR="$CACHE" "$ROOT/scripts/fetch_cuda.sh"

step "configure ($BUILD_DIR)"
cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DINTERP_LIBTORCH_ROOT="$LIBTORCH" >/dev/null
echo "    done"

step "build (-j$JOBS)"
cmake --build "$BUILD_DIR" -j "$JOBS"

step "fuzz targets (clang, build-fuzz/)"
"$ROOT/scripts/fuzz.sh" build

step "models"
"$ROOT/scripts/fetch_models.sh"

STEP="done"
echo "==> [setup] ready: $BUILD_DIR/interp --help"
