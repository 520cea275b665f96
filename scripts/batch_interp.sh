#!/usr/bin/env bash
# Interpolates every clip under IN_DIR (mp4 mkv mov avi webm) into OUT_DIR, mirroring
# sub-folders. Resumable: an existing output is complete (interp renames it into place
# only on success), so it is skipped. Runs N jobs at once, spreads them over GPUs,
# keeps a log per clip and ends with a summary table; exits non-zero if any clip failed.
#
#   scripts/batch_interp.sh [-j N] [--gpus 0,1] IN_DIR OUT_DIR [interp options...]
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INTERP=${INTERP:-$ROOT/build/interp}
JOBS=1
GPUS=()
usage() { echo "usage: $0 [-j N] [--gpus 0,1] IN_DIR OUT_DIR [interp options...]" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    -j) JOBS=${2:-}; shift 2 ;;
    -j*) JOBS=${1#-j}; shift ;;
    --gpus) IFS=, read -r -a GPUS <<<"${2:-}"; shift 2 ;;
    -h|--help) usage ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || usage
IN=${1%/}; OUT=${2%/}; shift 2
OPTIONS=("$@")
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || { echo "batch_interp.sh: -j needs a positive number" >&2; exit 2; }
[ -d "$IN" ] || { echo "batch_interp.sh: $IN: not a folder" >&2; exit 2; }
[ -x "$INTERP" ] || { echo "batch_interp.sh: $INTERP not built (run scripts/setup.sh)" >&2; exit 2; }
mkdir -p "$OUT" || exit 2
OUT=$(cd "$OUT" && pwd)

mapfile -d '' CLIPS < <(find "$IN" -type f \( -iname '*.mp4' -o -iname '*.mkv' -o -iname '*.mov' \
                          -o -iname '*.avi' -o -iname '*.webm' \) -not -path "$OUT/*" -print0 | sort -z)
[ ${#CLIPS[@]} -gt 0 ] || { echo "batch_interp.sh: no clips under $IN" >&2; exit 1; }

STATUS_DIR=$(mktemp -d)
trap 'rm -rf "$STATUS_DIR"' EXIT

run_one() {  # index clip
  local i=$1 clip=$2 rel out log device=() t0 rc
  rel=${clip#"$IN"/}
  out="$OUT/$rel"
  log="$OUT/${rel%.*}.log"
  mkdir -p "$(dirname "$out")"
  if [ -f "$out" ]; then
    echo "skipped 0 $rel" >"$STATUS_DIR/$i"
    return
  fi
  if [ ${#GPUS[@]} -gt 0 ]; then device=(--device "cuda:${GPUS[$((i % ${#GPUS[@]}))]}"); fi
  t0=$(date +%s)
  "$INTERP" "${OPTIONS[@]}" "${device[@]}" "$clip" "$out" >"$log" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    echo "done $(( $(date +%s) - t0 )) $rel" >"$STATUS_DIR/$i"
  else
    echo "FAILED $(( $(date +%s) - t0 )) $rel" >"$STATUS_DIR/$i"
  fi
}

running=0
for i in "${!CLIPS[@]}"; do
  run_one "$i" "${CLIPS[$i]}" &
  running=$((running + 1))
  if [ $running -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait

failed=0
printf '\n| %-50s | %-7s | %8s |\n' "clip" "status" "seconds"
printf '|%s|%s|%s|\n' "----------------------------------------------------" "---------" "----------"
for i in "${!CLIPS[@]}"; do
  read -r status secs rel <"$STATUS_DIR/$i"
  printf '| %-50s | %-7s | %8s |\n' "$rel" "$status" "$secs"
  [ "$status" = FAILED ] && failed=$((failed + 1))
done
echo
if [ $failed -gt 0 ]; then
  echo "$failed of ${#CLIPS[@]} clip(s) failed; see the .log beside each output" >&2
  exit 1
fi
echo "all ${#CLIPS[@]} clip(s) done"
