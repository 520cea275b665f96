#!/usr/bin/env bash
# One video as 1 task vs N pieces (interp --range, split-plan, join), measured in one run:
#   - the whole run's wall time;
#   - the pieces one after another, each with the whole machine, as N machines would run
#     them: split-plan + the slowest piece + join is the N-machine wall time;
#   - the pieces all at once on this machine, sharing its cores (each its share as
#     OMP_NUM_THREADS, at least 1, unless set: all cores each would contend);
#   - split-plan and join seconds, as a share of the whole;
#   - exactness: the joined pieces' frames (ffv1, lossless) against the whole run's.
#
#   scripts/segments_bench.sh [--segments N] [VIDEO] [interp options...]
#   scripts/segments_bench.sh ../shared/clips/bigbuckbunny.mp4 --exp=2
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
INTERP=${INTERP:-$ROOT/build/interp}
N=3
if [ "${1:-}" = --segments ]; then N=$2; shift 2; fi
VIDEO=${1:-$ROOT/../shared/clips/bigbuckbunny.mp4}
shift || true
OPTIONS=("$@" -q --codec ffv1 -y)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }
frames() { ffmpeg -v error -copyts -i "$1" -map 0:v -f framemd5 - | grep -v '^#'; }

echo "video: $VIDEO; $N pieces; interp ${OPTIONS[*]}; $(nproc) cores"
t=$(now); "$INTERP" "${OPTIONS[@]}" "$VIDEO" "$WORK/whole.mkv"; whole=$(since "$t")
echo "1 task:                       $whole s"

t=$(now); mapfile -t RANGES < <("$INTERP" split-plan "$VIDEO" --segments "$N"); plan=$(since "$t")
slowest=0 total=0
for k in "${!RANGES[@]}"; do
  t=$(now); "$INTERP" "${OPTIONS[@]}" --range "${RANGES[$k]}" "$VIDEO" "$WORK/piece$k.mkv"; s=$(since "$t")
  echo "piece $k (frames ${RANGES[$k]}):      $s s"
  slowest=$(awk -v a="$slowest" -v b="$s" 'BEGIN { print (b > a ? b : a) }')
  total=$(awk -v a="$total" -v b="$s" 'BEGIN { print a + b }')
done
t=$(now); "$INTERP" -q join -y "$WORK/joined.mkv" "$WORK"/piece*.mkv; join=$(since "$t")
source "$ROOT/scripts/lib/cpu_share.sh"
t=$(now)
(
  share_cpus "$N"  # for the pieces at once only: the runs above had the machine each
  for k in "${!RANGES[@]}"; do "$INTERP" "${OPTIONS[@]}" --range "${RANGES[$k]}" "$VIDEO" "$WORK/at_once$k.mkv" & done
  wait
)
at_once=$(since "$t")

machines=$(awk -v p="$plan" -v s="$slowest" -v j="$join" 'BEGIN { printf "%.2f", p + s + j }')
awk -v w="$whole" -v m="$machines" -v a="$at_once" -v p="$plan" -v j="$join" -v t="$total" -v n="$N" 'BEGIN {
  printf "split-plan: %.2f s, join: %.2f s: %.2f%% of the 1-task time\n", p, j, 100 * (p + j) / w
  printf "pieces one after another: %.2f s in all (%.3fx the 1-task work)\n", t, t / w
  printf "%d machines (plan + slowest piece + join): %.2f s: %.2fx faster than 1 task\n", n, m, w / m
  printf "%d pieces at once on this machine: %.2f s: %.2fx the 1-task time\n", n, a, a / w }'
if [ "$(frames "$WORK/joined.mkv")" = "$(frames "$WORK/whole.mkv")" ]; then
  echo "exact: the $(frames "$WORK/whole.mkv" | wc -l) joined frames equal the 1-task run's (pictures, count, timestamps)"
else
  echo "NOT EXACT: the joined pieces differ from the 1-task run"; exit 1
fi
