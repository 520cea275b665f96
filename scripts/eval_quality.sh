#!/usr/bin/env bash
# Quality check needing no extra data: drop every odd frame of a clip, restore the full
# rate, and score the restored frames against the dropped originals (PSNR, SSIM) — the
# same frames for every method: those between two kept frames that every method made.
# For every clip (default: all of ../shared/clips) at its own size and downscaled to
# 176x144 (low resolution is where plain flow is weakest), one table: frame repeat,
# ffmpeg blend, ffmpeg minterpolate (mci), and interp with every installed model
# (models/*.safetensors, plus any --model) in every --quality mode the model offers.
# Each method keeps its default scene-cut handling (minterpolate's scd, interp's
# --scene-threshold): a cut repeats a frame instead of blending two scenes.
#
#   scripts/eval_quality.sh [--clip FILE]... [--frames N] [--model FILE_OR_NAME]...
#                           [--quality MODE]... [--variant "INTERP OPTIONS"]... [--no-lowres]
#                           [-- interp options]
# --variant adds interp rows run with those options too (e.g. --variant "--fallback off"),
# so settings compare in one table against one blend and mci.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INTERP=${INTERP:-$ROOT/build/interp}
CLIPS=()
FRAMES=0
MODELS=()
QUALITIES=()
LOWRES=1
EXTRA=()
VARIANTS=("")
usage() { sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --clip) CLIPS+=("$2"); shift 2 ;;
    --frames) FRAMES=$2; shift 2 ;;
    --model) MODELS+=("$2"); shift 2 ;;
    --quality) QUALITIES+=("$2"); shift 2 ;;
    --variant) VARIANTS+=("$2"); shift 2 ;;
    --no-lowres) LOWRES=0; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "eval_quality.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
source "$ROOT/scripts/lib/clips.sh"
checked_clips "$ROOT" eval_quality.sh
for m in "$ROOT"/models/*.safetensors; do [ -f "$m" ] && MODELS+=("$m"); done
[ ${#QUALITIES[@]} -gt 0 ] || QUALITIES=(fast refine ensemble best)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
limit=()
[ "$FRAMES" -gt 0 ] && limit=(-frames:v "$FRAMES")

score() {  # output, frames: prints "PSNR SSIM" over the odd (restored) frames before `frames`
  local out=$1 frames=$2 psnr ssim fmt=$REF_FORMAT
  local pick="select='mod(n\,2)*lt(n\,$frames)',setpts=N/TB"
  psnr=$(ffmpeg -v info -i "$out" -i "$WORK/ref.mkv" -lavfi \
    "[0:v]format=$fmt,${pick}[a];[1:v]${pick}[b];[a][b]psnr" -f null - 2>&1 |
    sed -n 's/.*PSNR.*average:\([0-9.inf]*\).*/\1/p' | tail -n 1)
  ssim=$(ffmpeg -v info -i "$out" -i "$WORK/ref.mkv" -lavfi \
    "[0:v]format=$fmt,${pick}[a];[1:v]${pick}[b];[a][b]ssim" -f null - 2>&1 |
    sed -n 's/.*SSIM.*All:\([0-9.]*\).*/\1/p' | tail -n 1)
  echo "${psnr:-?} ${ssim:-?}"
}

frame_count() { ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of default=nw=1:nk=1 "$1"; }

# A table's rows: each method runs first (row), then all are scored on the same frames
# (scored_rows): the odd frames between two kept ones that every method made. The last
# odd frame has no kept frame after it (a method can only repeat there), and minterpolate
# ends a few frames early; scoring those would compare each method on other frames.
NAMES=() OUTS=() SECONDS_TAKEN=()
row() {  # name, then the command that writes $WORK/out.mkv
  local name=$1; shift
  rm -f "$WORK/out.mkv"
  local t0 t1 i=${#NAMES[@]}
  t0=$(date +%s.%N)
  NAMES+=("$name")
  if ! "$@" >"$WORK/log" 2>&1; then
    # A mode the model does not offer is said in one line, not scored.
    OUTS+=("") SECONDS_TAKEN+=("")
    echo "    $name: $(tail -n 1 "$WORK/log")" >&2
    return
  fi
  t1=$(date +%s.%N)
  mv "$WORK/out.mkv" "$WORK/out_$i.mkv"
  OUTS+=("$WORK/out_$i.mkv") SECONDS_TAKEN+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')")
}

scored_rows() {  # frames of half.mkv: prints the table
  local frames=$((2 * ($1 - 1))) i p s count
  for i in "${!OUTS[@]}"; do
    [ -n "${OUTS[$i]}" ] || continue
    count=$(frame_count "${OUTS[$i]}")
    [ "$count" -lt "$frames" ] && frames=$count
  done
  echo "scored: the $((frames / 2)) restored frames that lie between two kept frames and that every method made"
  echo
  printf '| %-34s | %8s | %7s | %8s |\n' "method" "PSNR dB" "SSIM" "seconds"
  printf '|%s|%s|%s|%s|\n' "------------------------------------" "----------" "---------" "----------"
  for i in "${!NAMES[@]}"; do
    if [ -z "${OUTS[$i]}" ]; then
      printf '| %-34s | %8s | %7s | %8s |\n' "${NAMES[$i]}" "-" "-" "-"
      continue
    fi
    read -r p s < <(score "${OUTS[$i]}" "$frames")
    printf '| %-34s | %8.2f | %7.4f | %8.1f |\n' "${NAMES[$i]}" "$p" "$s" "${SECONDS_TAKEN[$i]}"
    rm -f "${OUTS[$i]}"
  done
  NAMES=() OUTS=() SECONDS_TAKEN=()
}

table() {  # clip, label, optional ffmpeg scale filter
  local clip=$1 label=$2 filter=${3:-}
  local vf=()
  [ -n "$filter" ] && vf=(-vf "$filter")
  rate=$(ffprobe -v error -select_streams v:0 -show_entries stream=r_frame_rate -of default=nw=1:nk=1 "$clip")
  # Lossless reference and its even frames at half the rate.
  ffmpeg -v error -y -i "$clip" "${limit[@]}" "${vf[@]}" -an -c:v ffv1 "$WORK/ref.mkv"
  ffmpeg -v error -y -i "$WORK/ref.mkv" -vf "select='not(mod(n\,2))',setpts=N/(FRAME_RATE/2)/TB" -r "$rate/2" \
         -c:v ffv1 "$WORK/half.mkv"
  # Every method is scored in the reference's pixel format: ffmpeg's filters may return
  # another (minterpolate turns RGB into yuv444p), and PSNR over Y'CbCr planes is not PSNR
  # over RGB ones.
  REF_FORMAT=$(ffprobe -v error -select_streams v:0 -show_entries stream=pix_fmt -of default=nw=1:nk=1 "$WORK/ref.mkv")
  local n size
  n=$(frame_count "$WORK/ref.mkv")
  size=$(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=s=x:p=0 "$WORK/ref.mkv")
  echo
  echo "clip: $(basename "$clip") $label ($size), $n frames at $rate; every odd frame dropped and restored"
  local mi="minterpolate=fps=$rate"
  row "frame repeat" ffmpeg -v error -i "$WORK/half.mkv" -vf "$mi:mi_mode=dup" -c:v ffv1 "$WORK/out.mkv"
  row "ffmpeg blend" ffmpeg -v error -i "$WORK/half.mkv" -vf "$mi:mi_mode=blend" -c:v ffv1 "$WORK/out.mkv"
  row "ffmpeg mci" ffmpeg -v error -i "$WORK/half.mkv" \
    -vf "$mi:mi_mode=mci:mc_mode=aobmc:me_mode=bidir:vsbmc=1" -c:v ffv1 "$WORK/out.mkv"
  local variant options
  for m in "${MODELS[@]}"; do
    for q in "${QUALITIES[@]}"; do
      for variant in "${VARIANTS[@]}"; do
        read -r -a options <<< "$variant"
        row "interp $(basename "$m" .safetensors) $q${variant:+ $variant}" "$INTERP" -q --exp=1 --codec ffv1 \
          --model "$m" --quality "$q" "${EXTRA[@]}" "${options[@]}" "$WORK/half.mkv" "$WORK/out.mkv"
      done
    done
  done
  scored_rows "$(frame_count "$WORK/half.mkv")"
}

[ ${#MODELS[@]} -gt 0 ] || echo "(no interp model installed: see models/README.md; pass --model FILE to score one)"
for clip in "${CLIPS[@]}"; do
  table "$clip" "at its own size"
  if [ "$LOWRES" = 1 ]; then table "$clip" "downscaled" "scale=176:144:flags=area"; fi
done
