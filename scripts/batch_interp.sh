#!/usr/bin/env bash
# Interpolates every clip under IN_DIR (mp4 mkv mov avi webm) into OUT_DIR, mirroring
# sub-folders, with the same interp options for each. Runs N clips at once (spread over
# GPUs with --gpus, or over the GPUs in CUDA_VISIBLE_DEVICES), prints a line as each clip
# ends, keeps a log per clip, ends with a table and exits non-zero if any clip failed.
#
# Resumable: beside each output, NAME.interp-record holds the interp options, the input's
# size and mtime and the interp version that made it. A rerun skips a clip whose record
# matches and redoes one whose record differs (other options, a changed input, another
# interp); an output without a record is never touched. NAME.interp-result holds how
# the clip's last run went (for --summary).
#
# Many machines: --shard I/N takes every N-th clip of the (naturally sorted) list from
# the I-th (0-based), so N tasks cover each clip once. In a Slurm job array the shard
# comes from SLURM_ARRAY_TASK_ID/_MIN/_STEP/_COUNT by itself. When all tasks are over,
# --summary IN_DIR OUT_DIR prints one table of every clip (done, skipped, failed,
# missing) and exits non-zero unless all are done or skipped.
#
#   scripts/batch_interp.sh [-j N] [--gpus 0,1] [--shard I/N] IN_DIR OUT_DIR [interp options...]
#   scripts/batch_interp.sh --summary IN_DIR OUT_DIR
#   scripts/batch_interp.sh -j 2 clips/ out/ --exp=2 --quality fast
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INTERP=${INTERP:-$ROOT/build/interp}
JOBS=1
GPUS=()
SHARD=
SUMMARY=0
usage() { sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
fail() { echo "batch_interp.sh: $*" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    -j) JOBS=${2:-}; shift 2 ;;
    -j*) JOBS=${1#-j}; shift ;;
    --gpus) IFS=, read -r -a GPUS <<<"${2:-}"; shift 2 ;;
    --shard) SHARD=${2:-}; shift 2 ;;
    --shard=*) SHARD=${1#--shard=}; shift ;;
    --summary) SUMMARY=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || { usage >&2; exit 2; }
IN=${1%/}; OUT=${2%/}; shift 2
OPTIONS=("$@")
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || fail "-j needs a positive number"
[ -d "$IN" ] || fail "$IN: not a folder"

# Which clips are this task's: --shard, else the Slurm array's place, else all.
if [ -z "$SHARD" ] && [ -n "${SLURM_ARRAY_TASK_ID:-}" ] && [ $SUMMARY -eq 0 ]; then
  source "$ROOT/scripts/slurm/array_place.sh"
  read -r place count < <(slurm_array_place)
  SHARD="$place/$count"
fi
SHARD_I=0; SHARD_N=1
if [ -n "$SHARD" ]; then
  [[ "$SHARD" =~ ^([0-9]+)/([1-9][0-9]*)$ ]] || fail "--shard $SHARD: give I/N, 0 <= I < N (e.g. 0/4)"
  SHARD_I=$((10#${BASH_REMATCH[1]})); SHARD_N=$((10#${BASH_REMATCH[2]}))
  [ "$SHARD_I" -lt "$SHARD_N" ] || fail "--shard $SHARD: I must be below N"
fi
# Slurm (--gres=gpu:K) and others hide all but some GPUs; their numbers restart at 0.
# One visible GPU is interp's own default (--device auto), so only several are spread.
if [ ${#GPUS[@]} -eq 0 ] && [ -n "${CUDA_VISIBLE_DEVICES:-}" ] && [ "$CUDA_VISIBLE_DEVICES" != NoDevFiles ]; then
  IFS=, read -r -a visible <<<"$CUDA_VISIBLE_DEVICES"
  if [ ${#visible[@]} -gt 1 ]; then for k in "${!visible[@]}"; do GPUS+=("$k"); done; fi
fi

mkdir -p "$OUT" || exit 2
OUT=$(cd "$OUT" && pwd)
mapfile -d '' ALL < <(find "$IN" -type f \( -iname '*.mp4' -o -iname '*.mkv' -o -iname '*.mov' \
                        -o -iname '*.avi' -o -iname '*.webm' \) -not -path "$OUT/*" -print0 | sort -z -V)
[ ${#ALL[@]} -gt 0 ] || { echo "batch_interp.sh: no clips under $IN" >&2; exit 1; }
CLIPS=()
for i in "${!ALL[@]}"; do [ $((i % SHARD_N)) -eq "$SHARD_I" ] && CLIPS+=("${ALL[$i]}"); done
TOTAL=${#CLIPS[@]}

result_of() { local rel=${1#"$IN"/}; echo "$OUT/${rel%.*}.interp-result"; }

# One table row per clip from its result file; BAD counts those not done or skipped.
table() {  # clips...
  local clip status secs frames fps speed
  BAD=0
  printf '\n| %-40s | %-7s | %7s | %7s | %7s | %7s |\n' clip status seconds frames "out fps" speed
  printf '|%s|%s|%s|%s|%s|%s|\n' "------------------------------------------" "---------" "---------" \
    "---------" "---------" "---------"
  for clip in "$@"; do
    status=missing secs=- frames=- fps=- speed=-
    [ -f "$(result_of "$clip")" ] && read -r status secs frames fps speed <"$(result_of "$clip")"
    printf '| %-40s | %-7s | %7s | %7s | %7s | %7s |\n' "${clip#"$IN"/}" "$status" "$secs" "$frames" "$fps" "$speed"
    case "$status" in done|skipped|kept) ;; *) BAD=$((BAD + 1)) ;; esac
  done
  echo
}

if [ $SUMMARY -eq 1 ]; then
  table "${ALL[@]}"
  [ $BAD -eq 0 ] || { echo "$BAD of ${#ALL[@]} clip(s) failed or never ran; see the .log beside each output" >&2; exit 1; }
  echo "all ${#ALL[@]} clip(s) done"
  exit 0
fi

[ -x "$INTERP" ] || fail "$INTERP not built (run scripts/setup.sh)"
[ $TOTAL -gt 0 ] || { echo "shard $SHARD_I/$SHARD_N: no clips (${#ALL[@]} clips for $SHARD_N shards)"; exit 0; }
VERSION=$("$INTERP" --version 2>/dev/null | head -n 1 | cut -d' ' -f1,2)
REPLACE=(-y)  # a stale output of ours is replaced; interp's own -y, unless given already
USER_PROGRESS=0  # the table's frames/fps/speed come from interp's --progress feed, unless the user took it
for o in "${OPTIONS[@]}"; do
  { [ "$o" = -y ] || [ "$o" = --overwrite ]; } && REPLACE=()
  [[ "$o" == --progress* ]] && USER_PROGRESS=1
done
STATUS_DIR=$(mktemp -d)
trap 'rm -rf "$STATUS_DIR"' EXIT

record_of() {  # clip: what the output of this run would be made from
  printf 'options:'; printf ' %q' "${OPTIONS[@]}"; printf '\n'
  printf 'input: %s bytes, modified %s\n' "$(stat -c %s "$1")" "$(stat -c %Y "$1")"
  printf 'interp: %s\n' "$VERSION"
}

finish_one() {  # index status seconds clip [note]: the result file, then a progress line
  local result feed=$STATUS_DIR/$1.progress frames=- fps=- speed=-
  result=$(result_of "$4")
  if [ "$2" = done ] && [ -f "$feed" ]; then  # interp's --progress feed, last block
    frames=$(sed -n 's/^frame=//p' "$feed" | tail -n 1)
    fps=$(sed -n 's/^fps=//p' "$feed" | tail -n 1)
    speed=$(sed -n 's/^speed=//p' "$feed" | tail -n 1)
  fi
  # A skipped clip keeps the result of the run that made it.
  if [ "$2" != skipped ] || [ ! -f "$result" ]; then
    echo "$2 $3 ${frames:--} ${fps:--} ${speed:--}" >"$result.tmp" && mv "$result.tmp" "$result"
  fi
  echo "$2" >"$STATUS_DIR/$1"
  echo "[$(ls "$STATUS_DIR" | grep -vc progress)/$TOTAL] $2 ${4#"$IN"/}${5:+ $5} (${3} s)"
}

seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }

run_one() {  # index clip
  local i=$1 clip=$2 rel out log record device=() replace=() feed=() t0 rc
  rel=${clip#"$IN"/}
  out="$OUT/$rel"
  log="$OUT/${rel%.*}.log"
  record="$OUT/${rel%.*}.interp-record"
  mkdir -p "$(dirname "$out")"
  if [ -f "$out" ]; then
    if [ ! -f "$record" ]; then finish_one "$i" kept 0 "$clip" "(no record: not made by this script; delete it to redo)"; return; fi
    if [ "$(cat "$record")" = "$(record_of "$clip")" ]; then finish_one "$i" skipped 0 "$clip"; return; fi
    replace=("${REPLACE[@]}")  # made by us with other options or from an older input
  fi
  if [ ${#GPUS[@]} -gt 0 ]; then device=(--device "cuda:${GPUS[$((i % ${#GPUS[@]}))]}"); fi
  [ "$USER_PROGRESS" -eq 1 ] || feed=(--progress "$STATUS_DIR/$i.progress")
  t0=$EPOCHREALTIME
  "$INTERP" "${OPTIONS[@]}" "${replace[@]}" "${device[@]}" "${feed[@]}" "$clip" "$out" >"$log" 2>&1
  rc=$?
  if [ $rc -eq 0 ]; then
    record_of "$clip" >"$record.tmp" && mv "$record.tmp" "$record"
    finish_one "$i" done "$(seconds_since "$t0")" "$clip"
  else
    finish_one "$i" FAILED "$(seconds_since "$t0")" "$clip"
  fi
}

where=""
[ "$SHARD_N" -gt 1 ] && where=" (shard $SHARD_I/$SHARD_N of ${#ALL[@]})"
echo "$TOTAL clip(s) from $IN to $OUT$where, $JOBS at a time: interp ${OPTIONS[*]}"
running=0
for i in "${!CLIPS[@]}"; do
  echo "[start] ${CLIPS[$i]#"$IN"/}"
  run_one "$i" "${CLIPS[$i]}" &
  running=$((running + 1))
  if [ $running -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait

table "${CLIPS[@]}"
if [ $BAD -gt 0 ]; then
  echo "$BAD of $TOTAL clip(s) failed; see the .log beside each output" >&2
  exit 1
fi
echo "all $TOTAL clip(s) done"
