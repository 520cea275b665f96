/// The CPU threads a job may use: the user's OMP_NUM_THREADS, its CPU set, its quota.
#include "interp/core/cpu_threads.h"

#include <torch/torch.h>

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace interp {
namespace {

/// OMP_NUM_THREADS's first number ("4" or "4,2"), 0 when unset or not a positive number.
int threads_from_environment() {
  const char* value = std::getenv("OMP_NUM_THREADS");
  if (value == nullptr) return 0;
  char* end = nullptr;
  const long n = std::strtol(value, &end, 10);
  const bool whole = end != value && (*end == '\0' || *end == ',');
  return whole && n > 0 && n <= 4096 ? static_cast<int>(n) : 0;
}

/// The CPUs in this process's affinity mask (Slurm's and taskset's CPU set), 0 if unknown.
int cpus_in_affinity_mask() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) != 0) return 0;
  return CPU_COUNT(&set);
}

/// One cgroup v2 cpu.max ("400000 100000": 4 CPUs, rounded up), 0 when it sets none.
int cpus_in_cpu_max(const std::filesystem::path& file_path) {
  std::ifstream file(file_path);
  std::string quota;
  long long period = 0;
  if (!(file >> quota >> period) || quota == "max" || period <= 0) return 0;
  try {
    const long long q = std::stoll(quota);
    return q > 0 ? static_cast<int>(std::min<long long>((q + period - 1) / period, 4096)) : 0;
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

int cgroup_cpu_quota(const std::string& hierarchy, const std::string& self_cgroup) {
  std::ifstream self(self_cgroup);
  std::string line;
  std::filesystem::path own;  // relative to the hierarchy's root
  while (std::getline(self, line))
    if (line.rfind("0::", 0) == 0) own = std::filesystem::path(line.substr(3)).relative_path().lexically_normal();
  if (!own.empty() && *own.begin() == "..") own.clear();  // outside this namespace's view
  int tightest = 0;
  for (auto dir = own;; dir = dir.parent_path()) {
    const int cpus = cpus_in_cpu_max(std::filesystem::path(hierarchy) / dir / "cpu.max");
    if (cpus > 0) tightest = tightest > 0 ? std::min(tightest, cpus) : cpus;
    if (dir.empty()) break;
  }
  return tightest;
}

int available_cpus() {
  int cpus = cpus_in_affinity_mask();
  if (cpus <= 0) cpus = static_cast<int>(std::thread::hardware_concurrency());
  const int quota = cgroup_cpu_quota("/sys/fs/cgroup", "/proc/self/cgroup");
  if (quota > 0) cpus = cpus > 0 ? std::min(cpus, quota) : quota;
  return std::max(1, cpus);
}

int default_cpu_threads() {
  if (const int asked = threads_from_environment()) return asked;
  return available_cpus();
}

void configure_cpu_threads(int threads) { torch::set_num_threads(threads > 0 ? threads : default_cpu_threads()); }

}  // namespace interp
