#pragma once
/// How many CPU threads a model runs with when the user does not say.
///
/// A job rarely has the whole machine: Slurm and `taskset` give it a CPU set, a container
/// a CPU quota, a farm script or a test runner several jobs per node with OMP_NUM_THREADS
/// set for each. Counting the machine's cores there starts more threads than CPUs, and
/// LibTorch's OpenMP threads then spin against each other (measured: a 39 s check took
/// 280-300 s beside a second such process on 2 cores).

#include <string>

namespace interp {

/// The CPUs this process may run on: its affinity mask, capped by a cgroup v2 CPU quota
/// when one is set; at least 1.
int available_cpus();

/// The tightest cgroup v2 CPU quota ("400000 100000" in a cpu.max: 4 CPUs, rounded up)
/// over this process's cgroup, named in `self_cgroup` (/proc/self/cgroup), and those above
/// it (a container's, a systemd slice's) in the `hierarchy` mounted at /sys/fs/cgroup;
/// 0 when none is set.
int cgroup_cpu_quota(const std::string& hierarchy, const std::string& self_cgroup);

/// OMP_NUM_THREADS when it is set to a positive number (its first, for a nested list),
/// else available_cpus().
int default_cpu_threads();

/// Sets LibTorch's intra-op threads: `threads` > 0 as given, else default_cpu_threads().
void configure_cpu_threads(int threads);

}  // namespace interp
