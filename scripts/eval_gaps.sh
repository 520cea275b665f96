#!/usr/bin/env bash
# How well interp fills the frames a variable-frame-rate video lacks (frame_grid.h): from
# the first 84 frames of each clip, frames are dropped with their timestamps kept (one in
# every 4, then two in every 6), the video is made 2x by interp and by ffmpeg's
# minterpolate (mci) at twice the rate, and the output frames at the dropped frames'
# times are scored (PSNR dB) against the frames that were dropped, beside holding the
# frame before (what a player shows, and interp's old output).
#
#   scripts/eval_gaps.sh [--clip FILE]... [-- interp options]
#
# Without --clip: every .mp4 of ../shared/clips.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INTERP=${INTERP:-$ROOT/build/interp}
CLIPS=()
EXTRA=()
while [ $# -gt 0 ]; do
  case "$1" in
    --clip) CLIPS+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; EXTRA=("$@"); break ;;
    *) echo "eval_gaps.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
source "$ROOT/scripts/lib/clips.sh"
checked_clips "$ROOT" eval_gaps.sh

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# Mean squared error (8-bit units) between the frames of $1 and $3 that the select
# expressions $2 and $4 pick, in order; in the reference's pixel format, as
# eval_quality.sh scores (minterpolate turns RGB into yuv444p).
mse() {
  ffmpeg -v error -i "$1" -i "$3" -filter_complex \
    "[0:v]format=$REF_FORMAT,select='$2',setpts=N/TB[a];[1:v]select='$4',setpts=N/TB[b];[a][b]psnr=stats_file=-" \
    -f null - |
    awk '{for (i = 1; i <= NF; i++) if ($i ~ /^mse_avg:/) { split($i, v, ":"); s += v[2]; n++ }} END { print s / n }'
}
db() { awk -v m="$1" 'BEGIN { printf "%.2f", 10 * log(65025 / m) / log(10) }'; }
mean() { awk -v a="$1" -v b="$2" 'BEGIN { print (a + b) / 2 }'; }

printf '| %-20s | %-15s | %6s | %6s | %6s |\n' clip dropped held mci interp
printf '|%s|%s|%s|%s|%s|\n' "----------------------" "-----------------" "--------" "--------" "--------"
for clip in "${CLIPS[@]}"; do
  name=$(basename "${clip%.*}")
  ffmpeg -v error -y -i "$clip" -an -vf "select='lt(n\,84)',setpts=N/FRAME_RATE/TB" -c:v ffv1 "$WORK/ref.mkv"
  REF_FORMAT=$(ffprobe -v error -select_streams v:0 -show_entries stream=pix_fmt -of default=nw=1:nk=1 "$WORK/ref.mkv")
  rate=$(ffprobe -v error -select_streams v:0 -show_entries stream=r_frame_rate -of default=nw=1:nk=1 "$WORK/ref.mkv")
  # Reference frame n is output frame 2n. One in 4 dropped: n % 4 == 2, held by n % 4 == 1.
  # Two in 6: n % 6 in {2, 3}, both held by n % 6 == 1.
  for pattern in one two; do
    if [ $pattern = one ]; then
      keep="not(eq(mod(n\,4)\,2))"
    else
      keep="not(eq(mod(n\,6)\,2)+eq(mod(n\,6)\,3))"
    fi
    ffmpeg -v error -y -i "$WORK/ref.mkv" -vf "select='$keep'" -fps_mode passthrough -c:v ffv1 "$WORK/gaps.mkv"
    "$INTERP" -q -y --codec ffv1 "${EXTRA[@]}" "$WORK/gaps.mkv" "$WORK/interp.mkv"
    ffmpeg -v error -y -i "$WORK/gaps.mkv" -vf "minterpolate=fps=$rate*2:mi_mode=mci" -c:v ffv1 "$WORK/mci.mkv"
    row=()
    for made in held "$WORK/mci.mkv" "$WORK/interp.mkv"; do
      if [ $pattern = one ]; then
        if [ "$made" = held ]; then
          m=$(mse "$WORK/ref.mkv" "eq(mod(n\,4)\,1)" "$WORK/ref.mkv" "eq(mod(n\,4)\,2)")
        else
          m=$(mse "$made" "eq(mod(n\,8)\,4)" "$WORK/ref.mkv" "eq(mod(n\,4)\,2)")
        fi
      elif [ "$made" = held ]; then
        m=$(mean "$(mse "$WORK/ref.mkv" "eq(mod(n\,6)\,1)" "$WORK/ref.mkv" "eq(mod(n\,6)\,2)")" \
                 "$(mse "$WORK/ref.mkv" "eq(mod(n\,6)\,1)" "$WORK/ref.mkv" "eq(mod(n\,6)\,3)")")
      else
        m=$(mean "$(mse "$made" "eq(mod(n\,12)\,4)" "$WORK/ref.mkv" "eq(mod(n\,6)\,2)")" \
                 "$(mse "$made" "eq(mod(n\,12)\,6)" "$WORK/ref.mkv" "eq(mod(n\,6)\,3)")")
      fi
      row+=("$(db "$m")")
    done
    label="1 in 4"
    [ $pattern = two ] && label="2 in a row of 6"
    printf '| %-20s | %-15s | %6s | %6s | %6s |\n' "$name" "$label" "${row[@]}"
  done
done
