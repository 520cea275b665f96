# Sourced by batch_interp.sh: the rules every file the batch script writes obeys (those
# interp keeps for its own outputs). A file the script did not write is never replaced
# or written through (not a link's target, not a file a user keeps there); a file is put
# in place whole (written aside, then moved), and one that appeared meanwhile is kept.
# shellcheck shell=bash

OURS="# written by scripts/batch_interp.sh"

written_by_us() {  # path: a plain file, not a link, that starts with our line
  [ -f "$1" ] && [ ! -L "$1" ] && [ "$(head -n 1 -- "$1" 2>/dev/null)" = "$OURS" ]
}

temp_beside() {  # target: a new hidden file beside it
  mktemp -- "$(dirname -- "$1")/.$(basename -- "$1").XXXXXX"
}

put_file() {  # target temp: moves temp into place; fails (temp removed) if target is there and not ours
  local target=$1 temp=$2
  if [ -e "$target" ] || [ -L "$target" ]; then
    if written_by_us "$target" && mv -f -T -- "$temp" "$target"; then return 0; fi
  elif ln -- "$temp" "$target" 2>/dev/null; then  # link(2) never replaces
    rm -f -- "$temp"
    return 0
  fi
  rm -f -- "$temp"
  return 1
}

write_file() {  # target line...: a file of our line and the given lines, put in place
  local target=$1 temp
  shift
  temp=$(temp_beside "$target") || return 1
  { echo "$OURS"; printf '%s\n' "$@"; } >"$temp" && put_file "$target" "$temp"
}

# One run at a time makes an output: a folder beside it, made atomically (also on NFS),
# says who holds it. A holder that died on this host is taken over; a live one is waited
# for, so that two runs of one command take turns instead of spoiling each other.
lock_of() { echo "$(dirname -- "$1")/.$(basename -- "$1").interp-lock"; }

take_lock() {  # output; fails when the lock's place holds something that is no lock of ours
  local lock host pid said=0 unowned=0
  lock=$(lock_of "$1")
  while ! mkdir -- "$lock" 2>/dev/null; do
    [ "${stop:-0}" -eq 0 ] || return 1  # run_one's flag: TERM while waiting
    if [ -L "$lock" ] || [ ! -d "$lock" ]; then return 1; fi
    if ! read -r host pid 2>/dev/null <"$lock/owner"; then  # just made by another run, or not a lock
      unowned=$((unowned + 1))
      [ $unowned -lt 10 ] || return 1
      sleep 1
      continue
    fi
    if [ "$host" = "$(hostname)" ] && ! kill -0 "$pid" 2>/dev/null; then
      rm -rf -- "$lock"
      continue
    fi
    [ $said -eq 1 ] || echo "[wait] $(rel_of "$2") is being made by another run ($host, pid $pid)"
    said=1
    sleep 1
  done
  echo "$(hostname) $BASHPID" >"$lock/owner"
}

release_lock() {  # output
  local lock host pid
  lock=$(lock_of "$1")
  read -r host pid 2>/dev/null <"$lock/owner" || return 0
  [ "$host" = "$(hostname)" ] && [ "$pid" = "$BASHPID" ] && rm -rf -- "$lock"
}
