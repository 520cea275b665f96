#!/usr/bin/env bash
# Does fine-tuning help? Every clip (default: all of ../shared/clips) is cut by time into
# its first 70% and its last 30%; `interp train` fine-tunes the model on the first parts
# for the given time, then scripts/eval_quality.sh scores the base model and the tuned
# one (each --quality) on the held-out last parts (every odd frame dropped and restored),
# beside ffmpeg's blend and mci. The clips are cut losslessly (FFV1).
#
#   scripts/train_benchmark.sh [--minutes M] [--clip FILE]... [--model NAME] [--quality Q]...
#                              [--out FILE.safetensors] [-- interp train options]
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INTERP=${INTERP:-$ROOT/build/interp}
MINUTES=4
MODEL=rife-v3.9
CLIPS=()
QUALITIES=()
OUT=
EXTRA=()
usage() { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes|--clip|--model|--quality|--out)
      if [ $# -lt 2 ] || [ -z "$2" ]; then echo "train_benchmark.sh: $1 needs a value" >&2; exit 2; fi
      case "$1" in
        --minutes) MINUTES=$2 ;; --clip) CLIPS+=("$2") ;; --model) MODEL=$2 ;;
        --quality) QUALITIES+=(--quality "$2") ;; --out) OUT=$2 ;;
      esac
      shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) usage; exit 0 ;;
    *) echo "train_benchmark.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
source "$ROOT/scripts/lib/clips.sh"
checked_clips "$ROOT" train_benchmark.sh
[ ${#QUALITIES[@]} -gt 0 ] || QUALITIES=(--quality fast --quality refine)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM HUP
mkdir "$WORK/train" "$WORK/held"
for clip in "${CLIPS[@]}"; do
  name=$(basename "${clip%.*}")
  n=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames -of default=nw=1:nk=1 "$clip")
  cut=$((n * 7 / 10))
  ffmpeg -v error -i "$clip" -an -vf "select='lt(n\,$cut)'" -fps_mode passthrough -c:v ffv1 "$WORK/train/$name.mkv"
  ffmpeg -v error -i "$clip" -an -vf "select='gte(n\,$cut)',setpts=N/FRAME_RATE/TB" -c:v ffv1 "$WORK/held/$name.mkv"
  echo "$name: frames 0-$((cut - 1)) to train on, $cut-$((n - 1)) held out"
done

echo
echo "interp train --model $MODEL --minutes $MINUTES ${EXTRA[*]}"
"$INTERP" train --model "$MODEL" --data "$WORK/train" --out "$WORK/tuned.safetensors" --minutes "$MINUTES" \
  "${EXTRA[@]}"
for clip in "$WORK"/held/*.mkv; do
  # eval_quality.sh scores every installed model (the base among them) and the tuned one.
  INTERP=$INTERP "$ROOT/scripts/eval_quality.sh" --clip "$clip" --model "$WORK/tuned.safetensors" "${QUALITIES[@]}"
done
if [ -n "$OUT" ]; then "$INTERP" convert "$WORK/tuned.safetensors" "$OUT"; fi
