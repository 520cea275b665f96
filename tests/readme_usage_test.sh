#!/usr/bin/env bash
# Runs every line of the README's "## Usage" block, verbatim, so that the examples a new
# user copies cannot rot. Each line runs in a fresh sandbox holding the files the
# examples name (in.mp4, a.png, frames/, clips/, flownet.pkl, ...: small real media from
# ../shared) and build/ + scripts/ linked to this checkout; a line fails the test when it
# exits non-zero or writes nothing. Usage: readme_usage_test.sh REPO_ROOT INTERP_BINARY SHARED_DIR
set -uo pipefail
ROOT=$1 BINARY=$2 SHARED=$3
for need in "$SHARED/clips/bigbuckbunny.mp4" "$SHARED/pairs/upr_beanbags0.png" "$SHARED/golden/rife_v4.6_random.pkl"; do
  [[ -e $need ]] || { echo "missing $need (the shared folder)"; exit 1; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/interp_readme.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# The fixtures, made once: 4 frames of real footage (with its audio) at 320x180.
FIX=$WORK/fixtures
mkdir -p "$FIX/frames" "$FIX/clips/sub" "$FIX/models"
ffmpeg -v error -i "$SHARED/clips/bigbuckbunny.mp4" -frames:v 4 -t 0.16 -vf scale=320:180 -c:v libx264 -c:a aac \
  "$FIX/in.mp4" || exit 1
cp "$FIX/in.mp4" "$FIX/clip.mp4"
cp "$FIX/in.mp4" "$FIX/clips/one.mp4"
ffmpeg -v error -i "$FIX/in.mp4" -frames:v 3 -c:v ffv1 -an "$FIX/clips/sub/two.mkv" || exit 1
ffmpeg -v error -i "$FIX/in.mp4" -start_number 1 "$FIX/frames/%06d.png" || exit 1
ffmpeg -v error -i "$SHARED/pairs/upr_beanbags0.png" -vf scale=224:128 "$FIX/a.png" || exit 1
ffmpeg -v error -i "$SHARED/pairs/upr_beanbags1.png" -vf scale=224:128 "$FIX/b.png" || exit 1
cp "$SHARED/golden/rife_v4.6_random.pkl" "$FIX/flownet.pkl"

# The lines: the indented block right after "## Usage", up to its first blank line.
mapfile -t LINES < <(awk '/^## Usage/ {on=1; next} on && /^    / {print substr($0, 5); seen=1; next} on && seen {exit}' \
  "$ROOT/README.md")
(( ${#LINES[@]} >= 10 )) || { echo "found only ${#LINES[@]} usage lines in README.md"; exit 1; }

failed=0
for i in "${!LINES[@]}"; do
  line=${LINES[$i]}
  box=$WORK/run$i
  cp -r "$FIX" "$box"
  mkdir -p "$box/build"
  ln -s "$BINARY" "$box/build/interp"
  ln -s "$ROOT/scripts" "$box/scripts"
  before=$(find "$box" | wc -l)
  start=$SECONDS
  (cd "$box" && bash -o pipefail -c "$line") >"$WORK/out$i" 2>&1
  code=$?
  after=$(find "$box" | wc -l)
  if (( code != 0 )); then
    echo "FAILED (exit $code): $line"; sed 's/^/    /' "$WORK/out$i" | tail -5; failed=1
  elif [[ $line != *--version* && $line != *bench* && $after -le $before ]]; then
    echo "FAILED (wrote nothing): $line"; failed=1
  else
    echo "ok ($((SECONDS - start)) s): $line"
  fi
  rm -rf "$box"
done
echo "${#LINES[@]} README usage lines run"
exit $failed
