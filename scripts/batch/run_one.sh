# Sourced by batch_interp.sh: one clip, in a background shell of its own. It takes the
# output's lock, decides (skip, keep or make), runs interp with its log aside, puts the
# log, record and result in place (outputs.sh's rules) and unlocks. TERM from the main
# shell (Ctrl-C) reaches interp, which removes its partial output; this shell then
# removes its temporary log and its lock and ends without a result.
# shellcheck shell=bash

finish_one() {  # index status seconds clip [note]: the result file, then a progress line
  local result feed=$STATUS_DIR/$1.progress frames=- fps=- speed=- note=${5:-}
  result=$(result_of "$4")
  if [ "$2" = "done" ] && [ -f "$feed" ]; then  # interp's --progress feed, last block
    frames=$(sed -n 's/^frame=//p' "$feed" | tail -n 1)
    fps=$(sed -n 's/^fps=//p' "$feed" | tail -n 1)
    speed=$(sed -n 's/^speed=//p' "$feed" | tail -n 1)
  fi
  local line="$2 $3 ${frames:--} ${fps:--} ${speed:--}"
  # A skipped clip keeps the result of the run that made it.
  if [ "$2" != skipped ] || ! written_by_us "$result"; then
    write_file "$result" "$line" || note="$note (not recorded: $result is not the script's)"
  fi
  echo "$line" >"$STATUS_DIR/$1.line"
  echo "$2" >"$STATUS_DIR/$1"
  echo "[$(find "$STATUS_DIR" -maxdepth 1 -type f -name '[0-9]*' ! -name '*.*' | wc -l)/$TOTAL] $2 $(rel_of "$4")${note:+ $note} (${3} s)"
}

run_one() {  # index clip
  local i=$1 clip=$2 rel out log record temp_log t0 rc stop=0 device=() replace=() feed=() expected child=""
  # A stop passes on to interp once it runs: one that came while it started too.
  trap 'stop=1; [ -z "$child" ] || kill -TERM "$child" 2>/dev/null' TERM
  rel=$(rel_of "$clip")
  out="$OUT/$rel"
  log="$out.interp-log"
  record="$out.interp-record"
  if ! mkdir -p -- "$(dirname -- "$out")"; then
    finish_one "$i" FAILED 0 "$clip" "(cannot make the folder $(dirname -- "$out"))"
    return
  fi
  if ! take_lock "$out" "$clip"; then
    [ $stop -eq 1 ] && return  # stopped while waiting for another run
    finish_one "$i" FAILED 0 "$clip" "($(lock_of "$out") is in the way)"
    return
  fi
  expected=$(record_of "$clip")
  if [ -e "$out" ] || [ -L "$out" ]; then
    if ! written_by_us "$record"; then
      finish_one "$i" kept 0 "$clip" "(no record: not made by this script; delete it to redo)"
      release_lock "$out"
      return
    fi
    if [ "$(tail -n +2 -- "$record")" = "$expected" ]; then
      finish_one "$i" skipped 0 "$clip"
      release_lock "$out"
      return
    fi
    replace=("${REPLACE[@]}")  # made by us with other options or from an older input
  fi
  if [ ${#GPUS[@]} -gt 0 ]; then device=(--device "cuda:${GPUS[$((i % ${#GPUS[@]}))]}"); fi
  [ "$USER_PROGRESS" -eq 1 ] || feed=(--progress "$STATUS_DIR/$i.progress")
  if [ $stop -eq 1 ]; then release_lock "$out"; return; fi  # stopped before interp started
  temp_log=$(temp_beside "$log")
  echo "$OURS" >"$temp_log"
  t0=$EPOCHREALTIME
  "$INTERP" "${OPTIONS[@]}" "${replace[@]}" "${device[@]}" "${feed[@]}" "$clip" "$out" >>"$temp_log" 2>&1 <&0 &
  child=$!
  [ $stop -eq 1 ] && kill -TERM "$child" 2>/dev/null  # stopped between the check above and here
  wait "$child"
  rc=$?
  while kill -0 "$child" 2>/dev/null; do  # the wait was cut short by the stop: interp is ending
    wait "$child"
    rc=$?
  done
  if [ $stop -eq 1 ]; then
    rm -f -- "$temp_log"
    release_lock "$out"
    return
  fi
  local note=""
  put_file "$log" "$temp_log" || note="(log not kept: $log is not the script's)"
  if [ $rc -eq 0 ]; then
    local lines
    mapfile -t lines <<<"$expected"
    write_file "$record" "${lines[@]}" || note="$note (no record: $record is not the script's)"
    finish_one "$i" "done" "$(seconds_since "$t0")" "$clip" "$note"
  else
    finish_one "$i" FAILED "$(seconds_since "$t0")" "$clip" "$note"
  fi
  release_lock "$out"
}
