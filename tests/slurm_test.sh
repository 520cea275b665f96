#!/usr/bin/env bash
# scripts/slurm/*.sbatch on a real Slurm cluster of one node, started here: munged,
# slurmctld and slurmd from Debian's packages as child processes, with their own
# key, config, spool, state and ports in a temporary folder, all torn down at the end
# (nothing system-wide is touched). Then:
#   - interp_array.sbatch: an array of 3 tasks over 4 clips, and the --summary job;
#   - interp_segments.sbatch: one video in 3 pieces, then the dependent join, which
#     must decode to exactly the frames (and audio) of one run over the whole video.
#   - neither script replaces, joins or removes a file it did not make.
# When the daemons cannot run, the test fails and says why: it never skips.
#   tests/slurm_test.sh ROOT INTERP MODEL
set -uo pipefail
ROOT=$1 INTERP=$2 MODEL=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
for tool in munged slurmctld slurmd sbatch sinfo scontrol; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (scripts/setup.sh installs slurmctld slurmd slurm-client munge)"
done

T=$(mktemp -d /tmp/interp-slurm.XXXXXX)
chmod 700 "$T"
PIDS=()
teardown() {
  [ -n "${SLURM_CONF:-}" ] && scancel --quiet --user "$(id -un)" 2>/dev/null
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
  rm -rf "$T"
}
trap teardown EXIT
trap 'exit 1' INT TERM HUP
dump_logs() { for f in "$T"/*.log "$T"/*.out; do echo "--- $f"; tail -n 15 "$f"; done >&2; }

# A free TCP port (the kernel's pick), for each daemon.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
USER_NAME=$(id -un)

# munge: its own key and socket.
dd if=/dev/urandom of="$T/munge.key" bs=1024 count=1 status=none && chmod 400 "$T/munge.key"
munged --foreground --force --key-file="$T/munge.key" --socket="$T/munge.socket" --pid-file="$T/munged.pid" \
  --log-file="$T/munged.log" --seed-file="$T/munge.seed" >"$T/munged.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [ -S "$T/munge.socket" ] && break; sleep 0.1; done
[ -S "$T/munge.socket" ] || { dump_logs; fail "munged did not start (log above)"; }

mkdir -p "$T/state" "$T/spool"
export SLURM_CONF="$T/slurm.conf"
: >"$T/plugstack.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=interptest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=$USER_NAME
SlurmdUser=$USER_NAME
AuthType=auth/munge
AuthInfo=socket=$T/munge.socket
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
PlugStackConfig=$T/plugstack.conf
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
NodeName=interpnode NodeAddr=127.0.0.1 NodeHostname=localhost CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=interpnode Default=YES MaxTime=INFINITE State=UP
CONF
slurmctld -D -i -f "$SLURM_CONF" >"$T/slurmctld.out" 2>&1 &
PIDS+=($!)
slurmd -D -N interpnode -f "$SLURM_CONF" >"$T/slurmd.out" 2>&1 &
PIDS+=($!)
state=""
for _ in $(seq 60); do
  state=$(sinfo -h -n interpnode -o %t 2>/dev/null)
  [ "$state" = idle ] && break
  sleep 0.5
done
[ "$state" = idle ] || { dump_logs; fail "the node did not come up (state '${state:-no answer}'; daemon logs above)"; }
echo "slurm $(sinfo -V | cut -d' ' -f2): node interpnode idle with $(nproc) CPUs"

export INTERP  # the scripts default to ROOT/build/interp; this is the binary under test
WORK="$T/work"
mkdir -p "$WORK/clips/b"
source "$(dirname "${BASH_SOURCE[0]}")/clip_support.sh"
clip "$WORK/clips/a1.mp4" 5
clip "$WORK/clips/a2.mp4" 6
clip "$WORK/clips/a10.mp4" 7
clip "$WORK/clips/b/c.mp4" 8
clip "$WORK/film.mp4" 30

# sbatch --wait: returns when the job (every task of an array) has ended, with its status.
jid=$(cd "$WORK" && sbatch --parsable --wait --array=0-2 "$ROOT/scripts/slurm/interp_array.sbatch" \
      clips out -q --model "$MODEL")
rc=$?
[ $rc -eq 0 ] || { cat "$WORK"/interp-clips-*.out >&2; dump_logs; fail "the clip array failed (sbatch --wait exit $rc)"; }
for task in 0 1 2; do
  grep -q "(shard $task/3 of 4)" "$WORK/interp-clips-${jid}_$task.out" ||
    { cat "$WORK/interp-clips-${jid}_$task.out" >&2; fail "task $task did not take shard $task/3"; }
done
summary=$(cd "$WORK" && sbatch --parsable --wait --dependency=afterany:"$jid" -o summary.out \
          "$ROOT/scripts/slurm/interp_array.sbatch" --summary clips out)
[ $? -eq 0 ] || { cat "$WORK/summary.out" >&2; fail "the summary job failed"; }
[ "$(grep -c '| done ' "$WORK/summary.out")" -eq 4 ] || { cat "$WORK/summary.out" >&2; fail "not every clip done once"; }
for c in a1 a2 a10 b/c; do [ -f "$WORK/out/$c.mp4" ] || fail "out/$c.mp4 missing"; done
echo "array of 3 tasks over 4 clips: done (summary job $summary)"
cat "$WORK/summary.out"

jid=$(cd "$WORK" && sbatch --parsable --array=0-2 "$ROOT/scripts/slurm/interp_segments.sbatch" \
      film.mp4 film-out.mkv -q --model "$MODEL" --exp=2 --codec ffv1)
[ -n "$jid" ] || fail "sbatch refused the segment array"
(cd "$WORK" && sbatch --parsable --wait --dependency=afterok:"$jid" -o join.out \
   "$ROOT/scripts/slurm/interp_segments.sbatch" --join film.mp4 film-out.mkv) >/dev/null
rc=$?
[ $rc -eq 0 ] || { cat "$WORK"/interp-segments-*.out "$WORK/join.out" >&2; fail "the segments or their join failed ($rc)"; }
"$INTERP" -q --model "$MODEL" --exp=2 --codec ffv1 "$WORK/film.mp4" "$WORK/whole.mkv" || fail "the whole run failed"
frames() { ffmpeg -v error -copyts -i "$1" -map 0:v -f framemd5 - | grep -v '^#'; }
audio() { ffmpeg -v error -copyts -i "$1" -map 0:a -c copy -f framemd5 - | grep -v '^#'; }
[ "$(frames "$WORK/whole.mkv" | wc -l)" -eq 120 ] || fail "the whole run has $(frames "$WORK/whole.mkv" | wc -l) frames, not 120"
[ "$(frames "$WORK/film-out.mkv")" = "$(frames "$WORK/whole.mkv")" ] || fail "3 joined pieces differ from the whole run"
[ "$(audio "$WORK/film-out.mkv")" = "$(audio "$WORK/whole.mkv")" ] || fail "the joined audio differs from the whole run's"
[ ! -e "$WORK/film-out.mkv.pieces" ] || fail "the pieces were left behind after the join"
echo "one video in 3 pieces on Slurm, joined: the same 120 frames, timestamps and audio as one run"

# A file of the user's where a piece would go is never replaced, joined or removed.
mkdir -p "$WORK/mine.mkv.pieces"
echo "the user's" >"$WORK/mine.mkv.pieces/piece-0.mkv"
(cd "$WORK" && SLURM_ARRAY_TASK_ID=0 SLURM_ARRAY_TASK_MIN=0 SLURM_ARRAY_TASK_COUNT=3 INTERP_ROOT=$ROOT \
   bash "$ROOT/scripts/slurm/interp_segments.sbatch" film.mp4 mine.mkv -q --model "$MODEL") 2>"$WORK/refused.txt" &&
  fail "a piece task replaced a file it had not made"
grep -q "was not made by this script" "$WORK/refused.txt" || { cat "$WORK/refused.txt" >&2; fail "no reason given"; }
(cd "$WORK" && INTERP_ROOT=$ROOT bash "$ROOT/scripts/slurm/interp_segments.sbatch" --join film.mp4 mine.mkv) 2>/dev/null &&
  fail "the join took a file it had not made"
[ "$(cat "$WORK/mine.mkv.pieces/piece-0.mkv")" = "the user's" ] || fail "the user's file was changed"
[ ! -e "$WORK/mine.mkv" ] || fail "an output was written from the user's file"
echo "a file of the user's among the pieces: kept, neither replaced nor joined"
