#!/usr/bin/env bash
# `scripts/gpu_check.sh --prepare`: fills .gpu/ (git-ignored) with what a bare GPU box
# lacks, so that one carried folder makes the check whole there:
#   nlohmann/    nlohmann-json's headers (interp_core needs them)
#   googletest/  GoogleTest's sources (the core tests; gpu_build.sh builds them there)
#   triplets/    real frame triplets as raw RGB (tests/reduced_precision_test.cpp)
#   models/      rife-v3.9.safetensors, the trained default
#   shared/      ../shared's golden files, most useful first, as many as fit
# Everything that travels (tracked files too) must stay under the device's 64 MiB: what
# does not fit is named, and the box's report shows its tests as skipped.
set -Eeuo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GPU=$ROOT/.gpu
SHARED=${INTERP_SHARED_DIR:-$ROOT/../shared}
LIMIT_MIB=${GPU_CARRY_LIMIT_MIB:-64}
mib() { du -sb "$@" 2>/dev/null | awk '{ s += $1 } END { printf "%.1f", s / 1048576 }'; }

rm -rf "$GPU.partial" && mkdir -p "$GPU.partial"
trap 'rm -rf "$GPU.partial"' EXIT
cd "$ROOT"
# What travels anyway: tracked files and untracked ones git does not ignore.
base=$(git ls-files -z --cached --others --exclude-standard | xargs -0 du -cb 2>/dev/null | tail -n 1 | cut -f1)
budget=$(( LIMIT_MIB * 1048576 - base - 1048576 ))  # 1 MiB to spare
echo "==> the repository takes $(awk "BEGIN { printf \"%.1f\", $base / 1048576 }") MiB of $LIMIT_MIB"

mkdir -p "$GPU.partial/nlohmann/include" "$GPU.partial/nlohmann/share/cmake"
cp -r /usr/include/nlohmann "$GPU.partial/nlohmann/include/"
cp -r /usr/share/cmake/nlohmann_json "$GPU.partial/nlohmann/share/cmake/"
mkdir -p "$GPU.partial/googletest"
cp -r /usr/src/googletest/. "$GPU.partial/googletest/"
rm -rf "$GPU.partial"/googletest/*/test "$GPU.partial"/googletest/*/docs "$GPU.partial/googletest/googlemock"
sed -i '/googlemock/d' "$GPU.partial/googletest/CMakeLists.txt"

# Triplets: three consecutive frames of real footage; the middle one is the truth.
mkdir -p "$GPU.partial/triplets"
triplet() {  # clip first-frame name crop
  local clip=$SHARED/clips/$1 first=$2 name=$3 crop=$4 k w h
  w=${crop%%:*}; h=${crop#*:}; h=${h%%:*}
  for k in 0 1 2; do
    ffmpeg -v error -i "$clip" -vf "select=eq(n\\,$((first + k))),crop=$crop" -frames:v 1 -f rawvideo -pix_fmt rgb24 \
      "$GPU.partial/triplets/${name}_${w}x${h}_$k.rgb"
  done
}
triplet bigbuckbunny.mp4 30 bbb 960:540:160:90     # a moving camera, 1/4 of the frame cut away
triplet scene_cuts.mp4 10 cuts 640:272:320:0

add() {  # source destination: copied when it fits
  local size
  size=$(du -sb "$1" | cut -f1)
  local used
  used=$(du -sb "$GPU.partial" | cut -f1)
  if [ $((used + size)) -gt "$budget" ]; then echo "    left out (no room): $1"; return; fi
  mkdir -p "$(dirname "$2")" && cp "$1" "$2"
}
model=$ROOT/models/rife-v3.9.safetensors
[ -f "$model" ] || { echo "gpu_prepare.sh: $model missing (scripts/fetch_models.sh)" >&2; exit 1; }
add "$model" "$GPU.partial/models/rife-v3.9.safetensors"
# rife_v4.6_cases.pt first: the v3.9 and quality tests take their real pair from it.
for f in rife_v4.6_cases.pt rife_v4.6_random.pkl rife_v4.25_random.pkl rife_v4.25_cases.pt \
         film_small_random.pt film_small_cases.pt film_small_random_fp16.pt; do
  [ -f "$SHARED/golden/$f" ] && add "$SHARED/golden/$f" "$GPU.partial/shared/golden/$f"
done
rm -rf "$GPU" && mv "$GPU.partial" "$GPU"
echo "==> $GPU: $(mib "$GPU") MiB; carry it: run(carry=[\".gpu\"], command=\"scripts/gpu_check.sh --out \$OUT/gpu_report.md\")"
