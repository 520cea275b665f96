// scripts/batch_interp.sh: mirrored folders, resume, parallel jobs, failure summary.
#include "cli_support.h"

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
                          quote(dir / "out") + " -q --model " + quote(model) + " --exp=1";
  auto r = run(cmd);
  EXPECT_EQ(r.code, 1) << r.out << r.err;  // one clip failed
  EXPECT_TRUE(std::filesystem::exists(dir / "out/a.mp4"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out/sub/b.mkv"));
  EXPECT_FALSE(std::filesystem::exists(dir / "out/sub/broken.mov"));
  EXPECT_TRUE(std::filesystem::exists(dir / "out/sub/broken.log"));
  EXPECT_NE(r.out.find("FAILED"), std::string::npos) << r.out;
  EXPECT_EQ(probe(dir / "out/sub/b.mkv", "v:0", "nb_read_frames", true), "6");

  // Second run: completed clips are skipped, the broken one fails again.
  std::filesystem::remove(dir / "in/sub/broken.mov");
  r = run(cmd);
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("skipped"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace interp::test
