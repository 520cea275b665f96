// The threads a job runs with when the user does not say: OMP_NUM_THREADS, else the
// CPUs its affinity mask allows (Slurm's CPU set, taskset), never the machine's count.
#include "interp/core/cpu_threads.h"
#include "temp_dir.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <sched.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

namespace interp::test {
namespace {

/// Sets (or unsets, for nullopt) OMP_NUM_THREADS for one test and puts it back after.
class OmpNumThreads {
 public:
  explicit OmpNumThreads(std::optional<std::string> value) {
    if (const char* old = std::getenv("OMP_NUM_THREADS")) saved_ = old;
    if (value) setenv("OMP_NUM_THREADS", value->c_str(), 1);
    else unsetenv("OMP_NUM_THREADS");
  }
  ~OmpNumThreads() {
    if (saved_) setenv("OMP_NUM_THREADS", saved_->c_str(), 1);
    else unsetenv("OMP_NUM_THREADS");
  }

 private:
  std::optional<std::string> saved_;
};

TEST(CpuThreads, OmpNumThreadsIsHonouredAndNonsenseInItIgnored) {
  int unset = 0;
  {
    OmpNumThreads none(std::nullopt);
    unset = default_cpu_threads();
  }
  EXPECT_GE(unset, 1);
  {
    OmpNumThreads three("3");
    EXPECT_EQ(default_cpu_threads(), 3);
  }
  {
    OmpNumThreads nested("5,2");  // OpenMP's list for nested levels: the first is ours
    EXPECT_EQ(default_cpu_threads(), 5);
  }
  for (const char* nonsense : {"", "0", "-2", "x", "4x", "99999"}) {
    OmpNumThreads bad(nonsense);
    EXPECT_EQ(default_cpu_threads(), unset) << "OMP_NUM_THREADS=\"" << nonsense << "\"";
  }
}

// A job held to one CPU (srun --cpus-per-task=1, taskset -c 0) runs one thread, whatever
// the machine has.
TEST(CpuThreads, AnAffinityMaskOfOneCpuGivesOneThread) {
  OmpNumThreads none(std::nullopt);
  cpu_set_t before;
  ASSERT_EQ(sched_getaffinity(0, sizeof(before), &before), 0);
  int first = 0;
  while (!CPU_ISSET(first, &before)) ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
  const int threads = default_cpu_threads();
  ASSERT_EQ(sched_setaffinity(0, sizeof(before), &before), 0);
  EXPECT_EQ(threads, 1);
  EXPECT_LE(default_cpu_threads(), CPU_COUNT(&before));  // never more than the mask allows
}

// A container's or a slice's CPU quota: the tightest of the process's cgroup and those
// above it counts, rounded up; "max" and a missing or broken file set none.
TEST(CpuThreads, TheTightestCgroupQuotaAboveTheProcessCounts) {
  TempDir dir;
  const auto write = [&](const std::string& path, const std::string& text) {
    std::filesystem::create_directories(std::filesystem::path(dir / path).parent_path());
    std::ofstream(dir / path) << text;
  };
  const std::string root = dir / "cgroup", self = dir / "self";
  write("cgroup/cpu.max", "max 100000\n");
  write("cgroup/farm/cpu.max", "300000 100000\n");       // 3 CPUs
  write("cgroup/farm/job/cpu.max", "150000 100000\n");   // 1.5: rounded up to 2
  write("cgroup/farm/job/task/cpu.max", "max 100000\n");
  write("self", "1:cpu:/ignored\n0::/farm/job/task\n");
  EXPECT_EQ(cgroup_cpu_quota(root, self), 2);
  write("cgroup/farm/job/cpu.max", "garbage\n");
  EXPECT_EQ(cgroup_cpu_quota(root, self), 3);
  write("self", "0::/\n");
  EXPECT_EQ(cgroup_cpu_quota(root, self), 0);
  write("self", "0::/../../elsewhere\n");  // outside the namespace's view: only its root
  EXPECT_EQ(cgroup_cpu_quota(root, self), 0);
  EXPECT_EQ(cgroup_cpu_quota(root, dir / "missing"), 0);
}

TEST(CpuThreads, ConfigureSetsLibTorchsThreadsAsGivenOrByDefault) {
  const int saved = torch::get_num_threads();
  OmpNumThreads three("3");
  configure_cpu_threads(0);
  EXPECT_EQ(torch::get_num_threads(), 3);
  configure_cpu_threads(2);
  EXPECT_EQ(torch::get_num_threads(), 2);
  torch::set_num_threads(saved);
}

}  // namespace
}  // namespace interp::test
