#!/usr/bin/env bash
# libFuzzer runs over every reader of untrusted bytes (clang, ASan + UBSan):
#   pickle        data.pkl of a torch.save state dict (flownet.pkl)
#   film_archive  data.pkl of a TorchScript archive (FILM's .pt), read as data
#   safetensors   a whole .safetensors file
#   image         a picture (PNG, JPEG, WebP, TIFF, BMP)
#   video         a video file, through a memory-backed AVIOContext
#   piece         a --range piece as `interp join` reads and checks it (its tags, its packets)
#   checkpoint    a training checkpoint as --resume reads it (refused, or equal to its seed)
#
#   scripts/fuzz.sh TARGET SECONDS   fuzz one target; the corpus grows in build-fuzz/corpus/TARGET
#   scripts/fuzz.sh all SECONDS      each target for SECONDS
#   scripts/fuzz.sh smoke            each target over its seeds, regressions and 2000 new inputs
#                                    (what the test suite runs)
#   scripts/fuzz.sh build            only build the targets and make the seeds (set-up runs it)
# Seeds: fuzz/make_seeds.py, small files made here with ffmpeg, and fuzz/regressions/
# (every hostile case found so far). Crashes land in build-fuzz/crashes/; the script
# exits non-zero if any target crashed. FUZZ_TIMEOUT (default 10 s) is the time one input
# may take before it counts as a hang: raise it on a machine busy with other work.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
CACHE=${INTERP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/interp}
LIBTORCH=${INTERP_LIBTORCH_ROOT:-$CACHE/libtorch-2.11.0}
TARGETS=(pickle film_archive safetensors image video piece checkpoint)
what=${1:?usage: scripts/fuzz.sh TARGET|all|smoke [SECONDS]}
seconds=${2:-60}

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
  CC=clang CXX=clang++ cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DINTERP_FUZZ=ON \
    -DINTERP_LIBTORCH_ROOT="$LIBTORCH" >/dev/null
fi
cmake --build "$BUILD" -j "${JOBS:-2}" >/dev/null

seeds=$BUILD/seeds
if [ ! -d "$seeds" ]; then
  rm -rf "$seeds.partial"
  python3 "$ROOT/fuzz/make_seeds.py" "$seeds.partial"
  mkdir -p "$seeds.partial/video" "$seeds.partial/image"
  ff() { ffmpeg -v error -y -f lavfi -i testsrc2=size=32x24:rate=5 -frames:v 3 "$@"; }
  ff -pix_fmt yuv420p -c:v libx264 "$seeds.partial/video/h264.mp4"
  ff -c:v ffv1 "$seeds.partial/video/ffv1.mkv"
  ff -c:v mpeg4 -f nut "$seeds.partial/video/mpeg4.nut"
  ff -pix_fmt yuv420p -f yuv4mpegpipe "$seeds.partial/video/raw.y4m"
  # Pieces as interp --range writes them: a whole record, and one from standard input.
  mkdir -p "$seeds.partial/piece"
  record=(-metadata interp_range=0:3 -metadata interp_source_id="video bytes=1 frames=3 head=0"
          -metadata interp_source_frames=3 -metadata interp_settings="ratio=2/1" -metadata interp_output=0+3@5/1)
  ff -c:v ffv1 -metadata interp_source=/in.mp4 "${record[@]}" "$seeds.partial/piece/whole.mkv"
  ff -c:v libx264 -pix_fmt yuv420p -movflags +use_metadata_tags -metadata interp_source=- "${record[@]}" \
     "$seeds.partial/piece/pipe.mp4"
  ffmpeg -v error -f lavfi -i testsrc2=size=6x4 -frames:v 1 "$seeds.partial/image/small.jpg"
  ffmpeg -v error -f lavfi -i testsrc2=size=6x4 -frames:v 1 "$seeds.partial/image/small.tif"
  # Real files from ../shared: a frame pair's picture, the first frames of a clip, and the
  # data.pkl of the official-format RIFE and FILM weight files.
  SHARED=${INTERP_SHARED_DIR:-$ROOT/../shared}
  if [ -d "$SHARED" ]; then
    cp "$SHARED/pairs/rife_i0.png" "$seeds.partial/image/"
    ffmpeg -v error -i "$SHARED/clips/bigbuckbunny.mp4" -frames:v 3 -c copy "$seeds.partial/video/bigbuckbunny3.mp4"
    python3 - "$SHARED" "$seeds.partial" <<'PY'
import sys, zipfile
shared, out = sys.argv[1], sys.argv[2]
for source, target in (("golden/rife_v4.6_random.pkl", "pickle/rife_v4.6"), ("golden/film_small_random.pt", "film_archive/film_small")):
    with zipfile.ZipFile(f"{shared}/{source}") as z:
        name = next(n for n in z.namelist() if n.endswith("/data.pkl"))
        open(f"{out}/{target}", "wb").write(z.read(name))
PY
  fi
  mv "$seeds.partial" "$seeds"
fi

if [ ! -f "$seeds/checkpoint/seed" ]; then  # the target writes its own seed: a real checkpoint
  mkdir -p "$seeds/checkpoint"
  INTERP_FUZZ_MAKE_SEED="$seeds/checkpoint/seed.partial" ASAN_OPTIONS=detect_leaks=0:detect_odr_violation=0 \
    "$BUILD/fuzz/fuzz_checkpoint"
  mv "$seeds/checkpoint/seed.partial" "$seeds/checkpoint/seed"
fi

[ "$what" = build ] && exit 0
failed=0
run() {  # TARGET, then libFuzzer options
  local target=$1; shift
  local corpus=$BUILD/corpus/$target
  mkdir -p "$corpus" "$BUILD/crashes"
  local log=$BUILD/fuzz_$target.log
  local inputs=("$corpus" "$seeds/$target")
  [ -d "$ROOT/fuzz/regressions/$target" ] && inputs+=("$ROOT/fuzz/regressions/$target")
  if ASAN_OPTIONS=detect_leaks=0:detect_odr_violation=0 "$BUILD/fuzz/fuzz_$target" "${inputs[@]}" \
       -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=4096 -print_final_stats=1 -artifact_prefix="$BUILD/crashes/$target-" "$@" \
       >"$log" 2>&1; then
    local execs
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    echo "fuzz $target: ${execs:-?} inputs run, no crash (corpus $(find "$corpus" -type f | wc -l) files)"
  else
    echo "fuzz $target: CRASH (log: $log)"; grep -m3 -E "ERROR|SUMMARY|deadly" "$log" || true
    failed=1
  fi
}

case "$what" in
  smoke) for t in "${TARGETS[@]}"; do run "$t" -runs=2000 -max_total_time=60; done ;;
  all) for t in "${TARGETS[@]}"; do run "$t" -max_total_time="$seconds"; done ;;
  *) [[ " ${TARGETS[*]} " == *" $what "* ]] || { echo "fuzz.sh: no target '$what' (${TARGETS[*]})" >&2; exit 2; }
     run "$what" -max_total_time="$seconds" ;;
esac
exit $failed
