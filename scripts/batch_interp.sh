#!/usr/bin/env bash
# Interpolates every clip under IN_DIR (mp4 mkv mov avi webm) into OUT_DIR, mirroring
# sub-folders, with the same interp options for each. Runs N clips at once (spread over
# GPUs with --gpus), prints a line as each clip ends, keeps a log per clip, ends with a
# summary table and exits non-zero if any clip failed.
#
# Resumable: beside each output, NAME.interp-record holds the interp options, the input's
# size and mtime and the interp version that made it. A rerun skips a clip whose record
# matches and redoes one whose record differs (other options, a changed input, another
# interp); an output without a record is never touched.
#
#   scripts/batch_interp.sh [-j N] [--gpus 0,1] IN_DIR OUT_DIR [interp options...]
#   scripts/batch_interp.sh -j 2 clips/ out/ --exp=2 --quality fast
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INTERP=${INTERP:-$ROOT/build/interp}
JOBS=1
GPUS=()
usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    -j) JOBS=${2:-}; shift 2 ;;
    -j*) JOBS=${1#-j}; shift ;;
    --gpus) IFS=, read -r -a GPUS <<<"${2:-}"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || { usage >&2; exit 2; }
IN=${1%/}; OUT=${2%/}; shift 2
OPTIONS=("$@")
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || { echo "batch_interp.sh: -j needs a positive number" >&2; exit 2; }
[ -d "$IN" ] || { echo "batch_interp.sh: $IN: not a folder" >&2; exit 2; }
[ -x "$INTERP" ] || { echo "batch_interp.sh: $INTERP not built (run scripts/setup.sh)" >&2; exit 2; }
mkdir -p "$OUT" || exit 2
OUT=$(cd "$OUT" && pwd)
VERSION=$("$INTERP" --version 2>/dev/null | head -n 1 | cut -d' ' -f1,2)
REPLACE=(-y)  # a stale output of ours is replaced; interp's own -y, unless given already
for o in "${OPTIONS[@]}"; do [ "$o" = -y ] || [ "$o" = --overwrite ] && REPLACE=(); done

mapfile -d '' CLIPS < <(find "$IN" -type f \( -iname '*.mp4' -o -iname '*.mkv' -o -iname '*.mov' \
                          -o -iname '*.avi' -o -iname '*.webm' \) -not -path "$OUT/*" -print0 | sort -z)
[ ${#CLIPS[@]} -gt 0 ] || { echo "batch_interp.sh: no clips under $IN" >&2; exit 1; }
TOTAL=${#CLIPS[@]}

STATUS_DIR=$(mktemp -d)
trap 'rm -rf "$STATUS_DIR"' EXIT

record_of() {  # clip: what the output of this run would be made from
  printf 'options:'; printf ' %q' "${OPTIONS[@]}"; printf '\n'
  printf 'input: %s bytes, modified %s\n' "$(stat -c %s "$1")" "$(stat -c %Y "$1")"
  printf 'interp: %s\n' "$VERSION"
}

finish_one() {  # index status seconds rel
  echo "$2 $3 $4" >"$STATUS_DIR/$1"
  echo "[$(ls "$STATUS_DIR" | wc -l)/$TOTAL] $2 $4 (${3} s)"
}

run_one() {  # index clip
  local i=$1 clip=$2 rel out log record device=() replace=() t0 rc
  rel=${clip#"$IN"/}
  out="$OUT/$rel"
  log="$OUT/${rel%.*}.log"
  record="$OUT/${rel%.*}.interp-record"
  mkdir -p "$(dirname "$out")"
  if [ -f "$out" ]; then
    if [ ! -f "$record" ]; then finish_one "$i" kept 0 "$rel (no record: not made by this script; delete it to redo)"; return; fi
    if [ "$(cat "$record")" = "$(record_of "$clip")" ]; then finish_one "$i" skipped 0 "$rel"; return; fi
    replace=("${REPLACE[@]}")  # made by us with other options or from an older input
  fi
  if [ ${#GPUS[@]} -gt 0 ]; then device=(--device "cuda:${GPUS[$((i % ${#GPUS[@]}))]}"); fi
  t0=$(date +%s)
  "$INTERP" "${OPTIONS[@]}" "${replace[@]}" "${device[@]}" "$clip" "$out" >"$log" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    record_of "$clip" >"$record.tmp" && mv "$record.tmp" "$record"
    finish_one "$i" done $(( $(date +%s) - t0 )) "$rel"
  else
    finish_one "$i" FAILED $(( $(date +%s) - t0 )) "$rel"
  fi
}

echo "$TOTAL clip(s) from $IN to $OUT, $JOBS at a time: interp ${OPTIONS[*]}"
running=0
for i in "${!CLIPS[@]}"; do
  echo "[start] ${CLIPS[$i]#"$IN"/}"
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
  echo "$failed of $TOTAL clip(s) failed; see the .log beside each output" >&2
  exit 1
fi
echo "all $TOTAL clip(s) done"
