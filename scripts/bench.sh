#!/usr/bin/env bash
# Standard speed matrix -> Markdown table (stdout) and JSON lines (bench.jsonl).
# Model-only pairs/s at 480p/720p/1080p (and 4K on CUDA), plus end-to-end --exp=1 on
# the first 60 frames of a real 720p clip. By default it measures the v4.6 architecture
# (the one the Python reference figures are for): models/rife-v4.6.safetensors when
# installed, else the golden random-weight file from ../shared (speed does not depend on
# the weights). --model rife-v3.9 measures the installed default model.
#
#   scripts/bench.sh [--model M] [--device cpu|cuda] [--precision P] [--fp16] [--batch B] [--runs N]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INTERP=${INTERP:-$ROOT/build/interp}
MODEL=""
DEVICE=cpu
RUNS=5
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --model) MODEL=$2; shift 2 ;;
    --device) DEVICE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --fp16) EXTRA+=(--precision fp16); shift ;;
    --precision) EXTRA+=(--precision "$2"); shift 2 ;;
    --batch) EXTRA+=(--batch "$2"); shift 2 ;;
    *) echo "bench.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$MODEL" ]; then
  for m in "$ROOT"/models/rife-v4.6.safetensors "$ROOT"/../shared/golden/rife_v4.6_random.pkl; do
    [ -f "$m" ] && { MODEL=$m; break; }
  done
fi
[ -n "$MODEL" ] || { echo "bench.sh: no model; pass --model" >&2; exit 2; }
CLIP=${CLIP:-$ROOT/../shared/clips/bigbuckbunny.mp4}
SIZES=(854x480 1280x720 1920x1080)
[ "$DEVICE" != cpu ] && SIZES+=(3840x2160)
JSONL=${JSONL:-$ROOT/build/bench.jsonl}
: >"$JSONL"

echo "interp bench, $(date -u +%Y-%m-%d), $(nproc) CPU threads ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), device $DEVICE"
echo "model: $(basename "$MODEL"); $("$INTERP" --version)"
echo
echo "| what | size | pairs/s or fps | peak RSS MiB |"
echo "|---|---|---|---|"
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
# One figure of the JSON that `interp bench --json` wrote.
figure() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$tmp" "$1"; }
for size in "${SIZES[@]}"; do
  "$INTERP" -q bench --model "$MODEL" --device "$DEVICE" "${EXTRA[@]}" --size "$size" --runs "$RUNS" --json "$tmp" -y >/dev/null
  cat "$tmp" >>"$JSONL"
  pps=$(figure model_pairs_per_s)
  rss=$(figure peak_rss_mib)
  printf '| model-only | %s | %.3f pairs/s | %.0f |\n' "$size" "$pps" "$rss"
done
if [ -f "$CLIP" ]; then
  "$INTERP" -q bench --model "$MODEL" --device "$DEVICE" "${EXTRA[@]}" --size 1280x720 --runs "$RUNS" \
            --clip "$CLIP" --frames 60 --json "$tmp" -y >/dev/null
  cat "$tmp" >>"$JSONL"
  pps=$(figure clip_model_pairs_per_s)
  e2e=$(figure e2e_input_fps)
  rss=$(figure peak_rss_mib)
  printf '| end-to-end --exp=1 (first 60 frames of %s, default x264 veryfast) | 1280x720 | %.3f input fps (%.0f%% of model-only %.3f pairs/s on the same frames) | %.0f |\n' \
    "$(basename "$CLIP")" "$e2e" "$(awk -v a="$e2e" -v b="$pps" 'BEGIN{print 100*a/b}')" "$pps" "$rss"
fi
