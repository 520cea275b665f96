// UPR-Net from the command line: the authors' checkpoint format by file and by installed
// name, direct timesteps for --multi, the options it refuses, bench.
#include "cli_support.h"
#include "interp/io/image_file.h"

namespace interp::test {
namespace {

/// The base model's official-format checkpoint with test weights (tests/data/README.md).
const std::string kCheckpoint = std::string(INTERP_TEST_DATA_DIR) + "/upr_base_random.pkl";

class UprCli : public ::testing::Test {
 protected:
  TempDir dir;
};

TEST_F(UprCli, CheckpointRunsByFileAndByInstalledNameAlike) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  auto r = run(interp_cmd("convert " + quote(kCheckpoint) + " " + quote(dir / "upr-base.safetensors")));
  ASSERT_EQ(r.code, 0) << r.err;
  r = run(interp_cmd("--model " + quote(kCheckpoint) + " pair " + quote(a) + " " + quote(b) + " " +
                     quote(dir / "by_file.png") + " -t 0.3"));
  ASSERT_EQ(r.code, 0) << r.err;
  r = run(interp_cmd("--model upr-base --models-dir " + quote(dir.path().string()) + " pair " + quote(a) + " " +
                     quote(b) + " " + quote(dir / "by_name.png") + " -t 0.3"));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto by_file = io::read_image(dir / "by_file.png");
  EXPECT_EQ(by_file.width, 320);
  EXPECT_EQ(by_file.height, 180);
  EXPECT_EQ(by_file.data, io::read_image(dir / "by_name.png").data);
}

TEST_F(UprCli, MultiRunsTheModelAtEachTimeDirectly) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  std::filesystem::create_directories(dir / "in");
  std::filesystem::copy_file(a, dir / "in/1.png");
  std::filesystem::copy_file(b, dir / "in/2.png");
  const std::string model = "--model " + quote(kCheckpoint) + " ";
  auto r = run(interp_cmd(model + "--multi=3 --fps-in 10 " + quote(dir / "in") + " " + quote(dir / "out/%02d.png")));
  ASSERT_EQ(r.code, 0) << r.err;
  r = run(interp_cmd(model + "pair " + quote(a) + " " + quote(b) + " " + quote(dir / "third.png") + " -t 0.333333333333"));
  ASSERT_EQ(r.code, 0) << r.err;
  // Output 2 is t = 1/3, which recursive midpoints cannot produce.
  const auto from_video = io::read_image(dir / "out/02.png"), direct = io::read_image(dir / "third.png");
  ASSERT_EQ(from_video.data.size(), direct.data.size());
  EXPECT_LT(mean_abs_diff(std::string(from_video.data.begin(), from_video.data.end()),
                          std::string(direct.data.begin(), direct.data.end())), 0.01);
}

TEST_F(UprCli, RefusesWhatItCannotDoInOneLine) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  const std::string pair = " pair " + quote(a) + " " + quote(b) + " " + quote(dir / "x.png");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--model " + quote(kCheckpoint) + " --scale 2" + pair, "UPR-Net takes the flow scales 0.25, 0.5, 1, not 2"},
      {"--model " + quote(kCheckpoint) + " --quality refine" + pair, "single quality mode"},
      {"--model upr-huge" + pair, "UPR-Net sizes: upr-base, upr-large, upr-llarge"},
      {"--model upr-large --models-dir " + quote(dir.path().string()) + pair, "srcn-ivl/UPR-Net"},
      {"--model " + quote(kCheckpoint) + " --variant upr-large" + pair, "upr-large weights"},
  };
  for (const auto& [args, expected] : cases) {
    const auto r = run(interp_cmd(args));
    EXPECT_NE(r.code, 0) << args;
    EXPECT_NE(r.err.find(expected), std::string::npos) << args << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "x.png"));
}

TEST_F(UprCli, ScaleSkipsTheFinestLevelsEstimation) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_I0_0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_I0_1.png");
  const std::string base = "--model " + quote(kCheckpoint) + " pair " + quote(a) + " " + quote(b) + " ";
  ASSERT_EQ(run(interp_cmd(base + quote(dir / "full.png"))).code, 0);
  ASSERT_EQ(run(interp_cmd("--scale 0.5 " + base + quote(dir / "half.png"))).code, 0);
  const auto full = io::read_image(dir / "full.png"), half = io::read_image(dir / "half.png");
  EXPECT_NE(full.data, half.data);  // a different flow reached the finest level
}

TEST_F(UprCli, BenchReportsTheModel) {
  const auto r = run(interp_cmd("bench --model " + quote(kCheckpoint) + " --size 96x64 --runs 1 --warmup 0"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("upr-base 96x64"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace interp::test
