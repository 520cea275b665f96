#!/usr/bin/env bash
# Builds the widened quality set from ../shared/clips: every clip at its own size and at
# 320x240, each also degraded the ways real footage is — an old codec at a low bitrate
# (Cinepak; MPEG-1 and MS-MPEG4 at 150/100 kbit/s per 320x240 of picture), added film
# grain, low light (darkened, with sensor noise added to the RGB picture, as a camera's
# is, not to the Y'CbCr planes, where noise in the dark makes colours no RGB holds) —
# plus a cut-heavy edit (the clips interleaved every 6 frames), a foliage-like
# texture panning (fine random structure, nothing a flow can lock on) clean and in
# Cinepak, and scrolling text. The first FRAMES frames of each (default 60), lossless
# (FFV1, 4:2:0 as the footage it stands for: Cinepak decodes to RGB) after the
# degradation, so scoring sees exactly the degraded frames.
#
#   scripts/make_quality_set.sh OUTDIR [FRAMES]
#   scripts/eval_quality.sh $(for c in OUTDIR/*.mkv; do echo --clip "$c"; done) --no-lowres
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${1:?usage: make_quality_set.sh OUTDIR [FRAMES]}
FRAMES=${2:-60}
mkdir -p "$OUT"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Writes the finished clip under a temporary name, then moves it into place; a clip
# already there is kept (a second run finishes what an interrupted one left).
have() { [ -f "$OUT/$1.mkv" ]; }
lossless() {  # input name [ffmpeg options before the output]...
  local in=$1 name=$2; shift 2
  have "$name" && return 0
  ffmpeg -v error -y -i "$in" "$@" -frames:v "$FRAMES" -an -pix_fmt yuv420p -c:v ffv1 "$tmp/$name.mkv"
  mv -n "$tmp/$name.mkv" "$OUT/$name.mkv"  # one that appeared meanwhile is kept
  [ ! -e "$tmp/$name.mkv" ] || echo "make_quality_set.sh: $OUT/$name.mkv appeared meanwhile; kept it" >&2
}
degrade() {  # source.mkv stem width height
  local src=$1 stem=$2 w=$3 h=$4 rate
  rate=$(( w * h / (320 * 240) )); [ "$rate" -ge 1 ] || rate=1
  have "${stem}_cinepak" || { ffmpeg -v error -y -i "$src" -c:v cinepak "$tmp/c.mov" && lossless "$tmp/c.mov" "${stem}_cinepak"; }
  have "${stem}_mpeg1" || { ffmpeg -v error -y -i "$src" -c:v mpeg1video -b:v $((150 * rate))k "$tmp/m.mpg" &&
                            lossless "$tmp/m.mpg" "${stem}_mpeg1"; }
  have "${stem}_msmpeg4" || { ffmpeg -v error -y -i "$src" -c:v msmpeg4 -b:v $((100 * rate))k "$tmp/m.avi" &&
                              lossless "$tmp/m.avi" "${stem}_msmpeg4"; }
  lossless "$src" "${stem}_grain" -vf noise=alls=12:allf=t
  lossless "$src" "${stem}_dark" -vf "format=gbrp,curves=all='0/0 0.5/0.12 1/0.45',noise=alls=12:allf=t"
}

shopt -s nullglob
clips=("$ROOT"/../shared/clips/*.mp4)
[ ${#clips[@]} -gt 0 ] || { echo "make_quality_set.sh: no clips in ../shared/clips" >&2; exit 1; }
small=()
for c in "${clips[@]}"; do
  stem=$(basename "${c%.*}")
  read -r w h < <(ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$c" | tr ',' ' ')
  lossless "$c" "$stem"
  degrade "$OUT/$stem.mkv" "$stem" "$w" "$h"
  lossless "$c" "${stem}_320" -vf scale=320:240
  degrade "$OUT/${stem}_320.mkv" "${stem}_320" 320 240
  small+=("$OUT/${stem}_320.mkv")
done
if [ ${#small[@]} -ge 2 ] && ! have cut_heavy_320; then  # a cut every 6 frames, alternating between the clips
  ffmpeg -v error -y -i "${small[0]}" -i "${small[1]}" -filter_complex \
    "[0:v]select='lt(mod(n\,12)\,6)',setsar=1[a];[1:v]select='gte(mod(n\,12)\,6)',setsar=1[b];[a][b]interleave,setpts=N/25/TB" \
    -c:v ffv1 "$tmp/cuts.mkv"
  lossless "$tmp/cuts.mkv" cut_heavy_320
fi
# Foliage-like: blurred random texture panning 2 px per frame.
ffmpeg -v error -y -f lavfi -i "nullsrc=s=640x240:d=1,format=gray,geq=lum='random(1)*255',gblur=sigma=1.2,format=yuv420p" \
  -frames:v 1 "$tmp/leaves.png"
if ! have foliage_pan; then
  ffmpeg -v error -y -loop 1 -i "$tmp/leaves.png" -vf "crop=320:240:x='2*n':y=0,format=yuv420p" -r 25 \
    -frames:v "$FRAMES" -c:v ffv1 "$tmp/pan.mkv"
  lossless "$tmp/pan.mkv" foliage_pan
fi
have foliage_pan_cinepak || { ffmpeg -v error -y -i "$OUT/foliage_pan.mkv" -c:v cinepak "$tmp/f.mov" &&
                              lossless "$tmp/f.mov" foliage_pan_cinepak; }
# Scrolling text: sharp edges moving 3 px per frame on a flat background.
font=$(fc-match -f '%{file}' 'DejaVu Sans' 2>/dev/null || true)
if [ -n "$font" ] && [ -f "$font" ] && ! have text_scroll; then
  ffmpeg -v error -y -f lavfi -i "color=c=0x203040:s=320x240:r=25" -vf \
    "drawtext=fontfile=$font:fontsize=22:fontcolor=white:line_spacing=6:x=10:y=240-3*n:text='interp restores frames
between frames of a video
scrolling text tests sharp
edges that move steadily
0123456789 ABCDEFGHIJ
the quick brown fox
jumps over the lazy dog'" -frames:v "$FRAMES" -c:v ffv1 "$tmp/text.mkv"
  lossless "$tmp/text.mkv" text_scroll
fi
ls "$OUT"
