#!/usr/bin/env bash
# Quality check needing no extra data: drop every odd frame of a clip, restore the full
# rate, and score the restored frames against the dropped originals (PSNR, SSIM).
# Rows: frame repeat, ffmpeg blend, ffmpeg minterpolate (mci), and interp with every
# installed model (models/*.safetensors) plus any given with --model.
#
#   scripts/eval_quality.sh [--clip FILE] [--frames N] [--model FILE_OR_NAME]... [-- interp options]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INTERP=${INTERP:-$ROOT/build/interp}
CLIP=$ROOT/../shared/clips/bigbuckbunny.mp4
FRAMES=0
MODELS=()
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --clip) CLIP=$2; shift 2 ;;
    --frames) FRAMES=$2; shift 2 ;;
    --model) MODELS+=("$2"); shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "eval_quality.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -f "$CLIP" ] || { echo "eval_quality.sh: no clip $CLIP" >&2; exit 1; }
for m in "$ROOT"/models/*.safetensors; do [ -f "$m" ] && MODELS+=("$m"); done

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
limit=()
[ "$FRAMES" -gt 0 ] && limit=(-frames:v "$FRAMES")

rate=$(ffprobe -v error -select_streams v:0 -show_entries stream=r_frame_rate -of default=nw=1:nk=1 "$CLIP")
# Lossless reference and its even frames at half the rate.
ffmpeg -v error -i "$CLIP" "${limit[@]}" -an -c:v ffv1 "$WORK/ref.mkv"
ffmpeg -v error -i "$WORK/ref.mkv" -vf "select='not(mod(n\,2))',setpts=N/(FRAME_RATE/2)/TB" -r "$rate/2" \
       -c:v ffv1 "$WORK/half.mkv"

score() {  # prints "PSNR SSIM" over the odd (restored) frames
  local out=$1 psnr ssim
  psnr=$(ffmpeg -v info -i "$out" -i "$WORK/ref.mkv" -lavfi \
    "[0:v]select='mod(n\,2)',setpts=N/TB[a];[1:v]select='mod(n\,2)',setpts=N/TB[b];[a][b]psnr" -f null - 2>&1 |
    sed -n 's/.*PSNR.*average:\([0-9.inf]*\).*/\1/p' | tail -n 1)
  ssim=$(ffmpeg -v info -i "$out" -i "$WORK/ref.mkv" -lavfi \
    "[0:v]select='mod(n\,2)',setpts=N/TB[a];[1:v]select='mod(n\,2)',setpts=N/TB[b];[a][b]ssim" -f null - 2>&1 |
    sed -n 's/.*SSIM.*All:\([0-9.]*\).*/\1/p' | tail -n 1)
  echo "${psnr:-?} ${ssim:-?}"
}

row() {  # name, then the command that writes $WORK/out.mkv
  local name=$1; shift
  rm -f "$WORK/out.mkv"
  local t0 t1
  t0=$(date +%s.%N)
  if ! "$@" >"$WORK/log" 2>&1; then
    printf '| %-28s | %8s | %7s | %8s |\n' "$name" "failed" "-" "-"
    sed 's/^/    /' "$WORK/log" >&2
    return
  fi
  t1=$(date +%s.%N)
  read -r p s < <(score "$WORK/out.mkv")
  printf '| %-28s | %8.2f | %7.4f | %8.1f |\n' "$name" "$p" "$s" "$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')"
}

n=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of default=nw=1:nk=1 "$WORK/ref.mkv")
echo "clip: $CLIP, $n frames at $rate; every odd frame dropped and restored (scored: the restored frames)"
echo
printf '| %-28s | %8s | %7s | %8s |\n' "method" "PSNR dB" "SSIM" "seconds"
printf '|%s|%s|%s|%s|\n' "------------------------------" "----------" "---------" "----------"
MI="minterpolate=fps=$rate"
row "frame repeat"   ffmpeg -v error -i "$WORK/half.mkv" -vf "$MI:mi_mode=dup" -c:v ffv1 "$WORK/out.mkv"
row "ffmpeg blend"   ffmpeg -v error -i "$WORK/half.mkv" -vf "$MI:mi_mode=blend" -c:v ffv1 "$WORK/out.mkv"
row "ffmpeg mci"     ffmpeg -v error -i "$WORK/half.mkv" \
                     -vf "$MI:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1" -c:v ffv1 "$WORK/out.mkv"
if [ ${#MODELS[@]} -eq 0 ]; then
  echo "(no interp model installed: see models/README.md; pass --model FILE to score one)"
fi
for m in "${MODELS[@]}"; do
  row "interp $(basename "$m")" "$INTERP" -q --exp=1 --scene-threshold 0 --codec ffv1 --model "$m" "${EXTRA[@]}" \
      "$WORK/half.mkv" "$WORK/out.mkv"
done
