#!/usr/bin/env bash
# Interpolates every clip under IN_DIR (mp4 mkv mov avi webm; symbolic links followed)
# into OUT_DIR, mirroring sub-folders, with the same interp options for each. Runs N
# clips at once (spread over GPUs with --gpus, or over the GPUs in CUDA_VISIBLE_DEVICES),
# prints a line as each clip ends, keeps a log per clip, ends with a table and exits
# non-zero if any clip failed. Nothing under OUT_DIR is ever taken as input.
#
# Resumable: beside each output, NAME.EXT.interp-record holds the interp options, the
# input's size and mtime and the interp version that made it. A rerun skips a clip whose
# record matches and redoes one whose record differs (other options, a changed input,
# another interp); an output without a record is never touched. NAME.EXT.interp-result
# holds how the clip's last run went (for --summary), NAME.EXT.interp-log its log. These
# files are outputs too: one the script did not write is never replaced. Two runs at
# once take turns clip by clip (a lock per output), so neither spoils the other's results.
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
SHARD_GIVEN=0
SUMMARY=0
usage() { sed -n '2,26p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
fail() { echo "batch_interp.sh: $*" >&2; exit 2; }
value_of() {  # option, remaining argument count, value: every option error is one line
  [ "$2" -ge 2 ] || fail "$1 needs a value"
  [ -n "$3" ] || fail "$1 needs a value, not an empty one"
}
while [ $# -gt 0 ]; do
  case "$1" in
    -j|--jobs) value_of "$1" $# "${2-}"; JOBS=$2; shift 2 ;;
    -j*) JOBS=${1#-j}; shift ;;
    --jobs=*) JOBS=${1#--jobs=}; shift ;;
    --gpus) value_of "$1" $# "${2-}"; IFS=, read -r -a GPUS <<<"$2"; shift 2 ;;
    --gpus=*) value_of --gpus 2 "${1#--gpus=}"; IFS=, read -r -a GPUS <<<"${1#--gpus=}"; shift ;;
    --shard) value_of "$1" $# "${2-}"; SHARD=$2; SHARD_GIVEN=1; shift 2 ;;
    --shard=*) SHARD=${1#--shard=}; SHARD_GIVEN=1; shift ;;
    --summary) SUMMARY=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    -*) fail "unknown option $1 (interp's options go after IN_DIR OUT_DIR; see --help)" ;;
    *) break ;;
  esac
done
[ $# -ge 2 ] || { usage >&2; exit 2; }
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || fail "-j $JOBS: give a positive number"
for g in "${GPUS[@]}"; do [[ "$g" =~ ^[0-9]+$ ]] || fail "--gpus: '$g' is not a GPU number (e.g. --gpus 0,1)"; done
for d in "$1" "$2"; do
  case "$d" in -*) fail "$d looks like an option; the script's options go before IN_DIR OUT_DIR (a folder named so: ./$d)" ;; esac
done
[ -d "$1" ] || fail "$1: not a folder"
# Folders by their real place, so that no spelling (relative, trailing /, a link) hides
# that OUT_DIR is IN_DIR, or lies inside it.
IN=$(cd "$1" && pwd -P) || fail "$1: cannot enter"
IN_SHOWN=${1%/}
[ -e "$2" ] && [ ! -d "$2" ] && fail "$2: not a folder"
mkdir -p -- "$2" || exit 2
OUT=$(cd "$2" && pwd -P) || fail "$2: cannot enter"
shift 2
OPTIONS=("$@")
[ "$IN" != "$OUT" ] || fail "OUT_DIR is IN_DIR ($IN): the outputs would overwrite the clips"
case "$IN/" in "$OUT"/*) fail "IN_DIR $IN is inside OUT_DIR $OUT: give the outputs a folder of their own" ;; esac

# Which clips are this task's: --shard, else the Slurm array's place, else all.
if [ $SHARD_GIVEN -eq 0 ] && [ -n "${SLURM_ARRAY_TASK_ID:-}" ] && [ $SUMMARY -eq 0 ]; then
  source "$ROOT/scripts/slurm/array_place.sh"
  read -r place count < <(slurm_array_place)
  SHARD="$place/$count"
  SHARD_GIVEN=1
fi
SHARD_I=0; SHARD_N=1
if [ $SHARD_GIVEN -eq 1 ]; then
  [[ "$SHARD" =~ ^([0-9]+)/([1-9][0-9]*)$ ]] || fail "--shard '$SHARD': give I/N, 0 <= I < N (e.g. 0/4)"
  SHARD_I=$((10#${BASH_REMATCH[1]})); SHARD_N=$((10#${BASH_REMATCH[2]}))
  [ "$SHARD_I" -lt "$SHARD_N" ] || fail "--shard $SHARD: I must be below N"
fi
# Slurm (--gres=gpu:K) and others hide all but some GPUs; their numbers restart at 0.
# One visible GPU is interp's own default (--device auto), so only several are spread.
if [ ${#GPUS[@]} -eq 0 ] && [ -n "${CUDA_VISIBLE_DEVICES:-}" ] && [ "$CUDA_VISIBLE_DEVICES" != NoDevFiles ]; then
  IFS=, read -r -a visible <<<"$CUDA_VISIBLE_DEVICES"
  if [ ${#visible[@]} -gt 1 ]; then for k in "${!visible[@]}"; do GPUS+=("$k"); done; fi
fi

# Clips by their path under IN (links followed); one whose real file lies under OUT
# (an output, or a link to one) is never an input.
ALL=()
while IFS= read -r -d '' clip; do
  real=$(realpath -e -- "$clip" 2>/dev/null) || continue
  case "$real" in "$OUT"/*) continue ;; esac
  ALL+=("$clip")
done < <(find -L "$IN" -path "$OUT" -prune -o -type f \( -iname '*.mp4' -o -iname '*.mkv' -o -iname '*.mov' \
           -o -iname '*.avi' -o -iname '*.webm' \) -print0 2>/dev/null | sort -z -V)
[ ${#ALL[@]} -gt 0 ] || { echo "batch_interp.sh: no clips under $IN_SHOWN" >&2; exit 1; }
CLIPS=()
for i in "${!ALL[@]}"; do [ $((i % SHARD_N)) -eq "$SHARD_I" ] && CLIPS+=("${ALL[$i]}"); done
TOTAL=${#CLIPS[@]}

source "$ROOT/scripts/batch/outputs.sh"
rel_of() { echo "${1#"$IN"/}"; }
result_of() { echo "$OUT/$(rel_of "$1").interp-result"; }

# One table row per clip: how this run's shell for it ended (STATUS_DIR/K.line), else its
# result file (--summary); BAD counts those not done or skipped.
table() {  # clips...
  local k clip status secs frames fps speed
  BAD=0
  printf '\n| %-40s | %-7s | %7s | %7s | %7s | %7s |\n' clip status seconds frames "out fps" speed
  printf '|%s|%s|%s|%s|%s|%s|\n' "------------------------------------------" "---------" "---------" \
    "---------" "---------" "---------"
  k=0
  for clip in "$@"; do
    status=missing secs=- frames=- fps=- speed=-
    if [ -n "${STATUS_DIR:-}" ] && [ -f "$STATUS_DIR/$k.line" ]; then
      read -r status secs frames fps speed <"$STATUS_DIR/$k.line"
    elif written_by_us "$(result_of "$clip")"; then
      read -r status secs frames fps speed < <(sed -n 2p "$(result_of "$clip")")
    fi
    k=$((k + 1))
    printf '| %-40s | %-7s | %7s | %7s | %7s | %7s |\n' "$(rel_of "$clip")" "$status" "$secs" "$frames" "$fps" "$speed"
    case "$status" in done|skipped|kept) ;; *) BAD=$((BAD + 1)) ;; esac
  done
  echo
}

if [ $SUMMARY -eq 1 ]; then
  table "${ALL[@]}"
  [ $BAD -eq 0 ] || { echo "$BAD of ${#ALL[@]} clip(s) failed or never ran; see the .interp-log beside each output" >&2; exit 1; }
  echo "all ${#ALL[@]} clip(s) done"
  exit 0
fi

[ -x "$INTERP" ] || fail "$INTERP not built (run scripts/setup.sh)"
[ "$TOTAL" -gt 0 ] || { echo "shard $SHARD_I/$SHARD_N: no clips (${#ALL[@]} clips for $SHARD_N shards)"; exit 0; }
VERSION=$("$INTERP" --version 2>/dev/null | head -n 1 | cut -d' ' -f1,2)
REPLACE=(-y)  # a stale output of ours is replaced; interp's own -y, unless given already
USER_PROGRESS=0  # the table's frames/fps/speed come from interp's --progress feed, unless the user took it
for o in "${OPTIONS[@]}"; do
  { [ "$o" = -y ] || [ "$o" = --overwrite ]; } && REPLACE=()
  [[ "$o" == --progress* ]] && USER_PROGRESS=1
done
# N clips at once share the CPUs (a --threads in the options overrides the share).
source "$ROOT/scripts/lib/cpu_share.sh"
[ "$JOBS" -gt 1 ] && share_cpus "$JOBS"
STATUS_DIR=$(mktemp -d)  # per clip K: K (its status), K.line (its table row), K.progress (interp's feed)

record_of() {  # clip: what the output of this run would be made from
  printf 'options:'; printf ' %q' "${OPTIONS[@]}"; printf '\n'
  printf 'input: %s bytes, modified %s\n' "$(stat -L -c %s "$1")" "$(stat -L -c %Y "$1")"
  printf 'interp: %s\n' "$VERSION"
}

seconds_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
source "$ROOT/scripts/batch/run_one.sh"

where=""
[ "$SHARD_N" -gt 1 ] && where=" (shard $SHARD_I/$SHARD_N of ${#ALL[@]})"
echo "$TOTAL clip(s) from $IN_SHOWN to $OUT$where, $JOBS at a time: interp ${OPTIONS[*]}"
# Ctrl-C, TERM, HUP: each clip's interp removes its partial output; each clip's shell its
# temporary log and its lock; then this exits.
stop_all() {
  trap '' INT TERM HUP
  local pid
  for pid in $(jobs -p); do pkill -TERM -P "$pid" 2>/dev/null; kill -TERM "$pid" 2>/dev/null; done
  wait
  rm -rf -- "$STATUS_DIR"
  echo "batch_interp.sh: stopped" >&2
  exit 130
}
trap stop_all INT TERM HUP
trap 'rm -rf -- "$STATUS_DIR"' EXIT
running=0
for i in "${!CLIPS[@]}"; do
  echo "[start] $(rel_of "${CLIPS[$i]}")"
  run_one "$i" "${CLIPS[$i]}" &
  running=$((running + 1))
  if [ $running -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done
wait

table "${CLIPS[@]}"
if [ $BAD -gt 0 ]; then
  echo "$BAD of $TOTAL clip(s) failed; see the .interp-log beside each output" >&2
  exit 1
fi
echo "all $TOTAL clip(s) done"
