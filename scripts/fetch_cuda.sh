#!/usr/bin/env bash
# LibTorch's CUDA runtime libraries (cuDNN, cuBLAS, the CUDA runtime, NCCL, cuFFT, ...)
# for a machine with an NVIDIA GPU, from PyPI's nvidia-* wheels — exactly the set and
# versions torch==$TORCH_VERSION's own metadata pins, as pip resolves it (no hand-kept
# list to drift). Run by scripts/setup.sh:
#   INTERP_CUDA=1  always (e.g. to prepare a GPU machine's cache on another one)
#   INTERP_CUDA=0  never
#   unset          when the machine has an NVIDIA driver (/proc/driver/nvidia/version,
#                  or a working nvidia-smi)
# The libraries land in $(dirname LIBTORCH)/nvidia, where libtorch_cuda.so's own RPATH
# ($ORIGIN/../../nvidia/*/lib, as in the torch wheel) finds them: interp needs no
# LD_LIBRARY_PATH. Each wheel is checked against the sha256 PyPI's index gives, and
# deleted once extracted (the extracted tree is the cache: 1.9 GB to download, 2.7 GB
# on disk). Safe to rerun; a partial download or extraction is never taken for done.
set -Eeuo pipefail

TORCH_VERSION=${TORCH_VERSION:-2.11.0}
CACHE=${INTERP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/interp}
LIBTORCH=${INTERP_LIBTORCH_ROOT:-$CACHE/libtorch-$TORCH_VERSION}
NVIDIA=$(dirname "$LIBTORCH")/nvidia
STAMP="torch==$TORCH_VERSION"

has_driver() {
  [ -r /proc/driver/nvidia/version ] && return 0
  command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi -L >/dev/null 2>&1
}

case "${INTERP_CUDA:-}" in
  0) echo "    INTERP_CUDA=0: skipped"; exit 0 ;;
  1) ;;
  "") if ! has_driver; then echo "    no NVIDIA driver: skipped (INTERP_CUDA=1 fetches them anyway)"; exit 0; fi ;;
  *) echo "fetch_cuda.sh: INTERP_CUDA must be 0 or 1, not '$INTERP_CUDA'" >&2; exit 2 ;;
esac
if [ ! -f "$LIBTORCH/lib/libtorch_cuda.so" ]; then
  echo "fetch_cuda.sh: $LIBTORCH has no libtorch_cuda.so: this LibTorch is CPU-only" >&2
  exit 1
fi
if [ -f "$NVIDIA/.complete" ] && [ "$(head -n 1 "$NVIDIA/.complete")" = "$STAMP" ]; then
  echo "    cached in $NVIDIA"
  exit 0
fi

if [ -e "$NVIDIA" ] && [ ! -f "$NVIDIA/.complete" ]; then  # not ours: never replaced
  echo "fetch_cuda.sh: $NVIDIA exists and was not made by this script; move it away or set INTERP_CACHE_DIR" >&2
  exit 1
fi

work=$(mktemp -d "$(dirname "$LIBTORCH")/.cuda-fetch.XXXXXX")
trap 'rm -rf "$work" "$NVIDIA.partial"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# torch's pins, as pip resolves them for this machine (metadata only: nothing installed).
PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --quiet --dry-run --ignore-installed --only-binary :all: \
  --report "$work/report.json" "torch==$TORCH_VERSION"
python3 - "$work/report.json" "$work/requirements.txt" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))
lines = []
for item in report["install"]:
    name, version = item["metadata"]["name"], item["metadata"]["version"]
    if not name.lower().startswith("nvidia-"):
        continue  # torch itself, triton and pure-Python packages: not libraries interp loads
    sha = item["download_info"].get("archive_info", {}).get("hashes", {}).get("sha256")
    if not sha:
        sys.exit(f"fetch_cuda.sh: PyPI gave no sha256 for {name} {version}")
    lines.append(f"{name}=={version} --hash=sha256:{sha}")
if not lines:
    sys.exit("fetch_cuda.sh: torch's metadata names no nvidia-* package (a CPU-only torch?)")
open(sys.argv[2], "w").write("\n".join(sorted(lines)) + "\n")
EOF
echo "    $(wc -l < "$work/requirements.txt") wheels pinned by torch==$TORCH_VERSION:"
sed 's/ --hash.*//; s/^/      /' "$work/requirements.txt"

echo "    downloading (~1.9 GB, once)"
python3 -m pip download --quiet --no-deps --only-binary :all: --require-hashes -r "$work/requirements.txt" -d "$work/wheels"

echo "    downloaded $(du -sh "$work/wheels" | cut -f1)"
rm -rf "$NVIDIA.partial" && mkdir -p "$NVIDIA.partial/licenses"
for wheel in "$work"/wheels/*.whl; do
  unzip -q -o "$wheel" 'nvidia/*' '*.dist-info/*' -d "$work/x"
  for info in "$work"/x/*.dist-info; do
    mkdir -p "$NVIDIA.partial/licenses/$(basename "$info" .dist-info)"
    cp -r "$info"/. "$NVIDIA.partial/licenses/$(basename "$info" .dist-info)/"
  done
  cp -r "$work/x/nvidia/." "$NVIDIA.partial/"
  rm -rf "$work/x" "$wheel"
done
{ echo "$STAMP"; sed 's/ --hash.*//' "$work/requirements.txt"; } > "$NVIDIA.partial/.complete"
rm -rf "$NVIDIA"
mv "$NVIDIA.partial" "$NVIDIA"
echo "    installed in $NVIDIA ($(du -sh "$NVIDIA" | cut -f1))"
