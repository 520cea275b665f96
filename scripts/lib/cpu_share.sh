# shellcheck shell=bash
# `share_cpus N`: N processes about to run at once on this machine's CPUs (those nproc
# counts: the affinity mask) each get their share as OMP_NUM_THREADS, at least 1, unless
# the caller set it. All-core OpenMP threads in each would spin against each other (a
# 39 s test took 300 s so beside another).
share_cpus() {
  [ -n "${OMP_NUM_THREADS:-}" ] && return 0
  local share=$(( $(nproc) / $1 ))
  export OMP_NUM_THREADS=$(( share > 0 ? share : 1 ))
}
