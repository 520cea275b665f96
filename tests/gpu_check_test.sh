#!/usr/bin/env bash
# GpuCheck.RehearsalOnTheCpu: scripts/gpu_check.sh in its CI-sized form (--device cpu
# --quick, this build) runs every step but CUDA itself, so the script the GPU box runs
# cannot rot: parity rows all OK or SKIPPED, speed rows for each carried model, whole-job
# rows beside the model alone, a report.
set -euo pipefail
ROOT=$1 BUILD=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; [ -f "$work/report.md" ] && cat "$work/report.md" >&2; exit 1; }

"$ROOT/scripts/gpu_check.sh" --device cpu --build "$BUILD" --quick --out "$work/report.md" > "$work/log" 2>&1 ||
  { cat "$work/log" >&2; fail "gpu_check.sh exited non-zero"; }
[ -f "$work/report.md" ] || fail "no report"
[ ! -e "$work/report.md.partial" ] || fail "a partial report was left behind"
grep -q '| OK |' "$work/report.md" || fail "no parity test ran"
if grep -q '| FAILED |' "$work/report.md"; then fail "a parity test failed"; fi
for model in rife-v3.9 rife-v4.6 upr-base "rife-v4.6 \+ CUDA graphs"; do
  grep -Eq "^\| $model \| fp32 \| 1 \| 256x144 \| 1 \| [0-9]+\.[0-9]+ \|" "$work/report.md" || fail "no speed row for $model"
done
for model in rife-v4.6 "rife-v4.6 \+ CUDA graphs" "rife-v3.9 fast" "rife-v3.9 \(default\)"; do
  grep -Eq "^\| $model \| [a-z0-9]+ \| 1 \| 256x144 \| [0-9]+\.[0-9]+ \| [0-9]+\.[0-9]+ \| [0-9]+% \|" "$work/report.md" ||
    fail "no whole-job row for $model"
done
grep -q 'JobOnFramesInMemory.EveryPairReachesTheModelAndEveryFrameTheSinkInOrder | OK' "$work/report.md" ||
  fail "the job's own test did not run"
grep -q 'GraphReplay.ReplaysGiveWhatDirectCallsGiveForEveryShapeAndTime | OK' "$work/report.md" ||
  fail "the CUDA graph tests did not run"
echo "gpu_check.sh rehearsal: report of $(wc -l < "$work/report.md") lines"
