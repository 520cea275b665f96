#!/usr/bin/env bash
# The README's GNU parallel flows, verbatim (the indented lines after its
# "<!-- parallel-flows -->" marker), on this machine (--sshlogin :): 4 clips in 3
# shards and the summary; one video in 3 pieces and the join, which must have the
# frame count and timestamps of one run over the whole video, and its audio.
#   tests/parallel_test.sh ROOT INTERP MODEL
set -uo pipefail
ROOT=$1 BINARY=$2 MODEL=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v parallel >/dev/null || fail "GNU parallel is not installed (scripts/setup.sh installs it)"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/interp_parallel.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/build" "$WORK/clips/b" "$WORK/home"
ln -s "$BINARY" "$WORK/build/interp"
ln -s "$ROOT/scripts" "$WORK/scripts"
export HOME=$WORK/home  # parallel keeps its notes in ~/.parallel: not in the user's
source "$(dirname "${BASH_SOURCE[0]}")/clip_support.sh"
for c in a1 a2 a10 b/c; do clip "$WORK/clips/$c.mp4" 5 96x64; done
clip "$WORK/in.mp4" 24 96x64

mapfile -t LINES < <(awk '/<!-- parallel-flows -->/ {on=1; next} on && /^    / {print substr($0, 5); next} on {exit}' \
  "$ROOT/README.md")
[ ${#LINES[@]} -eq 4 ] || fail "found ${#LINES[@]} lines after <!-- parallel-flows --> in README.md, not 4"
for line in "${LINES[@]}"; do
  echo "\$ $line"
  (cd "$WORK" && bash -o pipefail -c "$line") || fail "exit $?: $line"
done
for c in a1 a2 a10 b/c; do [ -f "$WORK/out/$c.mp4" ] || fail "out/$c.mp4 was not made"; done
[ "$(cat "$WORK"/out/*.interp-result "$WORK"/out/b/*.interp-result | grep -c '^done ')" -eq 4 ] || fail "not 4 clips done"

"$BINARY" -q --exp=2 "$WORK/in.mp4" "$WORK/whole.mkv" || fail "the whole run failed"
pts() { ffprobe -v error -select_streams "$2" -show_entries packet=pts -of csv=p=0 "$1" | sort -n; }
[ "$(pts "$WORK/out.mkv" v | wc -l)" -eq 96 ] || fail "the joined video has $(pts "$WORK/out.mkv" v | wc -l) frames, not 96"
[ "$(pts "$WORK/out.mkv" v)" = "$(pts "$WORK/whole.mkv" v)" ] || fail "joined pieces are timed unlike the whole run"
[ "$(pts "$WORK/out.mkv" a)" = "$(pts "$WORK/whole.mkv" a)" ] || fail "the joined audio differs from the whole run's"
echo "GNU parallel: 4 clips in 3 shards, and 3 pieces joined with the whole run's 96 frames, timing and audio"
