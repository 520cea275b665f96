// scripts/batch_interp.sh: mirrored folders, resume by record, parallel jobs, progress,
// failure summary.
#include "cli_support.h"

#include <sched.h>

#include <algorithm>

namespace interp::test {
namespace {

TEST(BatchScript, MirrorsFoldersResumesAndReportsFailures) {
  INTERP_REQUIRE_SHARED(model, "golden/rife_v4.6_random.pkl");
  TempDir dir;
  std::filesystem::create_directories(dir / "in/sub");
  make_clip(dir / "in/a.mp4", 96, 64, "25", 3);
  make_clip(dir / "in/sub/b.mkv", 96, 64, "25", 3, "-c:v libx264 -pix_fmt yuv420p");
  std::ofstream(dir / "in/sub/broken.mov") << "not a video";
  const std::string script = std::string(INTERP_SOURCE_DIR) + "/scripts/batch_interp.sh";
  const std::string cmd = "INTERP=" + quote(INTERP_BINARY) + " " + quote(script) + " -j 2 " + quote(dir / "in") + " " +
                          quote(dir / "out") + " -q --model " + quote(model);
  auto r = run(cmd + " --exp=1");
  EXPECT_EQ(r.code, 1) << r.out << r.err;  // one clip failed
  EXPECT_TRUE(std::filesystem::exists(dir / "out/a.mp4"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out/sub/b.mkv"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out/sub/broken.mov"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out/sub/broken.mov.interp-log"));
  EXPECT_NE(r.out.find("FAILED"), std::string::npos) << r.out;
  EXPECT_EQ(probe(dir / "out/sub/b.mkv", "v:0", "nb_read_frames", true), "6");

  EXPECT_NE(r.out.find("[3/3]"), std::string::npos) << r.out;  // a progress line per clip
  EXPECT_TRUE(std::filesystem::exists(dir / "out/sub/b.mkv.interp-record"));

  // Second run, same options: completed clips are skipped.
  std::filesystem::remove(dir / "in/sub/broken.mov");
  r = run(cmd + " --exp=1");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("skipped sub/b.mkv"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("] done "), std::string::npos) << r.out;  // nothing made again

  // Other options: every clip is made again, with the new rate.
  r = run(cmd + " --exp=2");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("] done sub/b.mkv"), std::string::npos) << r.out;
  EXPECT_EQ(probe(dir / "out/sub/b.mkv", "v:0", "nb_read_frames", true), "12");

  // An output the script has no record of is never replaced.
  std::filesystem::remove(dir / "out/a.mp4.interp-record");
  const auto before = std::filesystem::last_write_time(dir / "out/a.mp4");
  r = run(cmd + " --exp=3");
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("kept a.mp4"), std::string::npos) << r.out;
  EXPECT_EQ(std::filesystem::last_write_time(dir / "out/a.mp4"), before);
}

TEST(BatchScript, ShardsCoverEveryClipOnceAndTheSummaryMergesThem) {
  INTERP_REQUIRE_SHARED(model, "golden/rife_v4.6_random.pkl");
  TempDir dir;
  std::filesystem::create_directories(dir / "in/sub");
  for (const char* name : {"c1.mp4", "c2.mp4", "c10.mp4", "sub/d.mp4"}) make_clip(dir / (std::string("in/") + name), 64, 48, "25", 3);
  const std::string script = std::string(INTERP_SOURCE_DIR) + "/scripts/batch_interp.sh";
  const std::string dirs = quote(dir / "in") + " " + quote(dir / "out");
  const std::string cmd = "INTERP=" + quote(INTERP_BINARY) + " " + quote(script);
  // Natural order: c1 c2 c10 sub/d; shard 0/3 takes c1 and sub/d.
  auto r = run(cmd + " --shard 0/3 " + dirs + " -q --model " + quote(model));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("(shard 0/3 of 4)"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "out/c1.mp4"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out/sub/d.mp4"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out/c10.mp4"));
  // Two shards not run yet: the summary names them missing and fails.
  r = run(cmd + " --summary " + dirs);
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("| c10.mp4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("missing"), std::string::npos) << r.out;
  // A Slurm array task finds its shard by itself (ids 5..7 with step 1: the 2nd is 1/3).
  r = run("SLURM_ARRAY_TASK_ID=6 SLURM_ARRAY_TASK_MIN=5 SLURM_ARRAY_TASK_MAX=7 SLURM_ARRAY_TASK_COUNT=3 " + cmd + " " +
          dirs + " -q --model " + quote(model));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("(shard 1/3 of 4)"), std::string::npos) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "out/c2.mp4"));
  r = run(cmd + " --shard 2/3 " + dirs + " -q --model " + quote(model));
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  r = run(cmd + " --summary " + dirs);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  size_t done = 0;
  for (size_t at = r.out.find("| done "); at != std::string::npos; at = r.out.find("| done ", at + 1)) ++done;
  EXPECT_EQ(done, 4u) << r.out;
  EXPECT_NE(r.out.find("| sub/d.mp4"), std::string::npos) << r.out;
  // A requeued task redoes nothing, and its clips keep the result of the run that made them.
  r = run(cmd + " --shard 0/3 " + dirs + " -q --model " + quote(model));
  EXPECT_NE(r.out.find("skipped c1.mp4"), std::string::npos) << r.out;
  EXPECT_NE(slurp(dir / "out/c1.mp4.interp-result").find("\ndone "), std::string::npos);
  EXPECT_EQ(run(cmd + " --shard 3/3 " + dirs).code, 2);
}

TEST(BatchScript, ClipsSpreadOverTheGpusSlurmMadeVisible) {
  TempDir dir;
  std::filesystem::create_directories(dir / "in");
  for (const char* name : {"a.mp4", "b.mp4", "c.mp4", "d.mp4"}) std::ofstream(dir / (std::string("in/") + name)) << "x";
  // A stand-in interp that prints its arguments and makes its output.
  const std::string fake = dir / "fake_interp";
  std::ofstream(fake) << "#!/bin/sh\n[ \"$1\" = --version ] && { echo interp 0; exit 0; }\necho \"$@\"\n"
                         "for last; do :; done; : > \"$last\"\n";
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  const std::string script = std::string(INTERP_SOURCE_DIR) + "/scripts/batch_interp.sh";
  const std::string dirs = quote(dir / "in") + " " + quote(dir / "out");
  // Slurm gave GPUs 5 and 7: to the task they are cuda:0 and cuda:1.
  auto r = run("CUDA_VISIBLE_DEVICES=5,7 INTERP=" + quote(fake) + " " + quote(script) + " -j 2 " + dirs);
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  std::string logs;
  for (const char* name : {"a", "b", "c", "d"}) logs += slurp(dir / (std::string("out/") + name + ".mp4.interp-log"));
  EXPECT_NE(logs.find("--device cuda:0"), std::string::npos) << logs;
  EXPECT_NE(logs.find("--device cuda:1"), std::string::npos) << logs;
  EXPECT_EQ(logs.find("cuda:5"), std::string::npos) << logs;
  // One visible GPU is interp's default device: nothing is added.
  r = run("CUDA_VISIBLE_DEVICES=3 INTERP=" + quote(fake) + " " + quote(script) + " " + dirs + " --exp=2");
  ASSERT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_EQ(slurp(dir / "out/a.mp4.interp-log").find("--device"), std::string::npos) << slurp(dir / "out/a.mp4.interp-log");
}

// -j N on one machine: each interp gets its share of the CPUs this task may use, not all
// of them; a caller's OMP_NUM_THREADS stands.
TEST(BatchScript, ClipsRunAtOnceShareTheCpus) {
  TempDir dir;
  std::filesystem::create_directories(dir / "in");
  for (const char* name : {"a.mp4", "b.mp4"}) std::ofstream(dir / (std::string("in/") + name)) << "x";
  const std::string fake = dir / "fake_interp";
  std::ofstream(fake) << "#!/bin/sh\n[ \"$1\" = --version ] && { echo interp 0; exit 0; }\n"
                         "echo \"threads=$OMP_NUM_THREADS.\"\nfor last; do :; done; : > \"$last\"\n";
  std::filesystem::permissions(fake, std::filesystem::perms::owner_all);
  const std::string script = std::string(INTERP_SOURCE_DIR) + "/scripts/batch_interp.sh";
  const auto log_of_a = [&](const std::string& env, const std::string& jobs) {
    std::filesystem::remove_all(dir / "out");
    const auto r = run("env -u OMP_NUM_THREADS " + env + " INTERP=" + quote(fake) + " " + quote(script) + jobs + " " +
                       quote(dir / "in") + " " + quote(dir / "out"));
    EXPECT_EQ(r.code, 0) << r.out << r.err;
    return slurp(dir / "out/a.mp4.interp-log");
  };
  cpu_set_t mask;
  ASSERT_EQ(sched_getaffinity(0, sizeof(mask), &mask), 0);
  const int share = std::max(1, CPU_COUNT(&mask) / 3);
  EXPECT_NE(log_of_a("", " -j 3").find("threads=" + std::to_string(share) + "."), std::string::npos);
  EXPECT_NE(log_of_a("", "").find("threads=."), std::string::npos);  // one at a time: interp's own default
  EXPECT_NE(log_of_a("OMP_NUM_THREADS=5", " -j 3").find("threads=5."), std::string::npos);
}

TEST(BatchScript, HelpExitsZeroAndSaysHowToResume) {
  const std::string script = std::string(INTERP_SOURCE_DIR) + "/scripts/batch_interp.sh";
  auto r = run(quote(script) + " --help");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("interp-record"), std::string::npos) << r.out;
  EXPECT_EQ(run(quote(script)).code, 2);
}

}  // namespace
}  // namespace interp::test
