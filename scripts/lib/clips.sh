# shellcheck shell=bash
# The clips a quality script scores: those given (CLIPS), else every .mp4 of
# ../shared/clips. `checked_clips ROOT NAME` fills CLIPS or exits 1 naming the script.
checked_clips() {
  local root=$1 name=$2 c
  if [ ${#CLIPS[@]} -eq 0 ]; then
    for c in "$root"/../shared/clips/*.mp4; do [ -f "$c" ] && CLIPS+=("$c"); done
  fi
  [ ${#CLIPS[@]} -gt 0 ] || { echo "$name: no clips (give --clip FILE)" >&2; exit 1; }
  for c in "${CLIPS[@]}"; do [ -f "$c" ] || { echo "$name: no clip $c" >&2; exit 1; }; done
}
