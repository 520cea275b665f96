// `interp pair`, image folders and `interp convert`.
#include "cli_support.h"
#include "convlstm_test_model.h"
#include "interp/io/image_file.h"

#include <sched.h>

namespace interp::test {
namespace {

class PairCli : public ::testing::Test {
 protected:
  void SetUp() override {
    INTERP_REQUIRE_SHARED(model, "golden/rife_v4.6_random.pkl");
    (void)model;
  }
  std::string model() const { return "--model " + quote(test_model()) + " "; }
  TempDir dir;
};

TEST_F(PairCli, SingleTimestepWritesOneImageOfTheSameSize) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_I0_0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_I0_1.png");
  auto r = run(interp_cmd(model() + "pair " + quote(a) + " " + quote(b) + " " + quote(dir / "mid.png") + " -t 0.25"));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto mid = io::read_image(dir / "mid.png");
  EXPECT_EQ(mid.width, 448);
  EXPECT_EQ(mid.height, 256);
  EXPECT_EQ(entries(dir.path().string()), std::vector<std::string>{"mid.png"});
}

TEST_F(PairCli, ExpWritesEndsAndInBetweensInOrder) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  auto r = run(interp_cmd(model() + "pair " + quote(a) + " " + quote(b) + " " + quote(dir / "out") + " --exp=2"));
  ASSERT_EQ(r.code, 0) << r.err;
  // The frames, and the marker that lets a later -y replace this folder.
  EXPECT_EQ(entries(dir / "out"),
            (std::vector<std::string>{".interp-output", "0000.png", "0001.png", "0002.png", "0003.png", "0004.png"}));
  // The ends are the inputs themselves.
  const auto first = io::read_image(dir / "out/0000.png");
  EXPECT_EQ(first.data, io::read_image(a).data);
  EXPECT_EQ(io::read_image(dir / "out/0004.png").data, io::read_image(b).data);
  // The folder exists now: without -y it is kept.
  r = run(interp_cmd(model() + "pair " + quote(a) + " " + quote(b) + " " + quote(dir / "out") + " --exp=1"));
  EXPECT_NE(r.code, 0);
  EXPECT_EQ(entries(dir / "out").size(), 6u);
}

TEST_F(PairCli, SixteenBitAndAlphaAreKept) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  for (const auto& [src, dst] : {std::pair{a, dir / "a16.png"}, std::pair{b, dir / "b16.png"}})
    ASSERT_EQ(run("ffmpeg -v error -i " + quote(src) + " -pix_fmt rgba64be " + quote(dst)).code, 0);
  // Alpha: opaque first image, half-transparent second.
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(b) + " -vf format=rgba,colorchannelmixer=aa=0.5 " + quote(dir / "b8a.png")).code, 0);
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(a) + " -vf format=rgba " + quote(dir / "a8a.png")).code, 0);

  auto r = run(interp_cmd(model() + "pair " + quote(dir / "a16.png") + " " + quote(dir / "b16.png") + " " +
                          quote(dir / "m16.png") + " -t 0.5"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(io::read_image(dir / "m16.png").bit_depth, 16);

  r = run(interp_cmd(model() + "pair " + quote(dir / "a8a.png") + " " + quote(dir / "b8a.png") + " " +
                     quote(dir / "ma.png") + " -t 0.5"));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto mid = io::read_image(dir / "ma.png");
  ASSERT_EQ(mid.channels, 4);
  // alpha = 0.5 * 255 + 0.5 * ~128: linear in t (documented behaviour)
  const int alpha = mid.data[3];
  EXPECT_NEAR(alpha, 191, 2);
}

TEST_F(PairCli, FolderSequenceInNaturalOrder) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  std::filesystem::create_directory(dir / "seq");
  // frame9 must come before frame10 (number order), whatever the byte order says.
  std::filesystem::copy_file(a, dir / "seq/frame9.png");
  std::filesystem::copy_file(b, dir / "seq/frame10.png");
  std::filesystem::copy_file(a, dir / "seq/frame11.png");
  auto r = run(interp_cmd(model() + "--exp=1 " + quote(dir / "seq") + " " + quote(dir / "out")));
  ASSERT_EQ(r.code, 0) << r.err;
  const auto out = entries(dir / "out");
  ASSERT_EQ(out.size(), 7u);  // 5 frames and the marker
  EXPECT_EQ(io::read_image(dir / "out/0000.png").data, io::read_image(a).data);
  EXPECT_EQ(io::read_image(dir / "out/0002.png").data, io::read_image(b).data);
}

TEST_F(PairCli, ConvertThenLoadByName) {
  auto r = run(interp_cmd("convert " + quote(test_model()) + " " + quote(dir / "rife-v4.6.safetensors")));
  ASSERT_EQ(r.code, 0) << r.err;
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  r = run(interp_cmd("--model rife-v4.6 --models-dir " + quote(dir.path().string()) + " pair " + quote(a) + " " +
                     quote(b) + " " + quote(dir / "by_name.png") + " -t 0.5"));
  ASSERT_EQ(r.code, 0) << r.err;
  r = run(interp_cmd(model() + "pair " + quote(a) + " " + quote(b) + " " + quote(dir / "by_file.png") + " -t 0.5"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(io::read_image(dir / "by_name.png").data, io::read_image(dir / "by_file.png").data);
}

TEST_F(PairCli, PngTargetWithoutOptionsIsTheMidpoint) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  auto r = run(interp_cmd(model() + "pair " + quote(a) + " " + quote(b) + " " + quote(dir / "mid.png")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(entries(dir.path().string()), std::vector<std::string>{"mid.png"});
  EXPECT_EQ(io::read_image(dir / "mid.png").width, 320);
}

/// Average PSNR (dB) that ffmpeg's filter graph `graph` (ending in psnr) prints for `inputs`.
double ffmpeg_psnr(const std::string& inputs, const std::string& graph) {
  // In parentheses: run() redirects the whole line's stdin, which must not replace the pipe.
  const auto r = run("(ffmpeg -nostdin -v info " + inputs + " -lavfi '" + graph +
                     "' -f null - 2>&1 | sed -n 's/.*average:\\([0-9.]*\\).*/\\1/p')");
  return r.out.empty() ? 0.0 : std::stod(r.out);
}

// The installed default model (no --model) restores real frames of a cartoon: it must beat
// a 50/50 blend of the neighbours, which wrongly mapped weights or a broken network do not.
TEST(DefaultModel, RestoresDroppedFramesBetterThanBlending) {
  INTERP_REQUIRE_MODEL(installed, "rife");
  INTERP_REQUIRE_SHARED(clip, "clips/bigbuckbunny.mp4");
  TempDir dir;
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(clip) + " -frames:v 104 " + quote(dir / "f%03d.png")).code, 0);
  for (int first : {21, 61, 101}) {
    auto frame = [&](int n) {
      char name[16];
      std::snprintf(name, sizeof name, "f%03d.png", n);
      return dir / name;
    };
    const std::string mid = dir / ("mid" + std::to_string(first) + ".png");
    auto r = run(interp_cmd("pair " + quote(frame(first)) + " " + quote(frame(first + 2)) + " " + quote(mid)));
    ASSERT_EQ(r.code, 0) << r.err;
    const double ours = ffmpeg_psnr("-i " + quote(mid) + " -i " + quote(frame(first + 1)), "psnr");
    const double blend = ffmpeg_psnr(
        "-i " + quote(frame(first)) + " -i " + quote(frame(first + 2)) + " -i " + quote(frame(first + 1)),
        "[0][1]blend=all_mode=average[m];[m][2]psnr");
    EXPECT_GT(ours, blend + 1.0) << "frames " << first << ".." << first + 2 << ": interp " << ours << " dB, blend "
                                 << blend << " dB";
  }
}

TEST(VersionCli, ReportsLibTorchAndCuda) {
  auto r = run(quote(INTERP_BINARY) + " --version");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("LibTorch 2."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("CUDA: "), std::string::npos) << r.out;
}

// A four-frame model: `pair A B C D OUT` makes the frame between B and C with A and D as
// its neighbours (they change it); two pictures are refused with what it needs, and a
// two-frame model refuses four.
TEST_F(PairCli, FourPicturesForAFourFrameModel) {
  const std::string convlstm = write_test_convlstm(dir / "convlstm.safetensors");
  const std::string clip = dir / "clip.mkv";
  make_clip(clip, 64, 48, "24", 5, "-c:v ffv1");
  ASSERT_EQ(run("ffmpeg -v error -i " + quote(clip) + " " + quote(dir / "f%d.png")).code, 0);
  const auto pic = [&](int i) { return quote(dir / ("f" + std::to_string(i) + ".png")) + " "; };
  const std::string with = "--model " + quote(convlstm) + " pair ";
  auto r = run(interp_cmd(with + pic(1) + pic(2) + pic(3) + pic(4) + quote(dir / "mid.png")));
  ASSERT_EQ(r.code, 0) << r.err;
  r = run(interp_cmd(with + pic(5) + pic(2) + pic(3) + pic(1) + quote(dir / "other.png")));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_GT(mean_abs_diff(slurp(dir / "mid.png"), slurp(dir / "other.png")), 0.0);  // the neighbours count
  r = run(interp_cmd(with + pic(1) + pic(2) + pic(3) + pic(4) + quote(dir / "all/") + " --exp 2"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(entries(dir / "all"),
            (std::vector<std::string>{".interp-output", "0000.png", "0001.png", "0002.png", "0003.png", "0004.png"}));
  const auto pixels = [&](const std::string& name) { return io::read_image(dir / name).data; };
  EXPECT_TRUE(pixels("all/0000.png") == pixels("f2.png"));  // B and C at the ends, A and D not written
  EXPECT_TRUE(pixels("all/0004.png") == pixels("f3.png"));
  r = run(interp_cmd(with + pic(1) + pic(2) + quote(dir / "two.png")));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("convlstm reads four pictures"), std::string::npos) << r.err;
  r = run(interp_cmd(model() + "pair " + pic(1) + pic(2) + pic(3) + pic(4) + quote(dir / "rife.png")));
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("reads two pictures"), std::string::npos) << r.err;
  r = run(interp_cmd(with + pic(1) + pic(2) + pic(3) + quote(dir / "three.png")));
  EXPECT_NE(r.code, 0);
  EXPECT_FALSE(std::filesystem::exists(dir / "two.png"));
}

// Held to one CPU (as a Slurm task or taskset holds a job), interp runs one thread and
// says so; more threads than CPUs is said in a warning; OMP_NUM_THREADS is honoured.
TEST_F(PairCli, ThreadsFollowTheCpusTheJobMayUse) {
  INTERP_REQUIRE_SHARED(a, "pairs/rife_i0.png");
  INTERP_REQUIRE_SHARED(b, "pairs/rife_i1.png");
  cpu_set_t mask;
  ASSERT_EQ(sched_getaffinity(0, sizeof(mask), &mask), 0);
  int cpu = 0;
  while (!CPU_ISSET(cpu, &mask)) ++cpu;
  const auto pair_run = [&](const std::string& env, const std::string& options) {
    std::filesystem::remove(dir / "mid.png");
    const auto r = run("env -u OMP_NUM_THREADS " + env + " " + quote(INTERP_BINARY) + " " + options + model() + "pair " +
                       quote(a) + " " + quote(b) + " " + quote(dir / "mid.png"));
    EXPECT_EQ(r.code, 0) << r.err;
    return r.err;
  };
  const std::string one_cpu = "taskset -c " + std::to_string(cpu);
  auto err = pair_run(one_cpu, "");
  EXPECT_NE(err.find(" on cpu with 1 thread in "), std::string::npos) << err;
  EXPECT_EQ(err.find("[warning]"), std::string::npos) << err;
  err = pair_run(one_cpu, "--threads 3 ");
  EXPECT_NE(err.find("--threads 3: this job may run on 1 CPU(s)"), std::string::npos) << err;
  EXPECT_NE(err.find(" on cpu with 3 threads in "), std::string::npos) << err;
  err = pair_run("OMP_NUM_THREADS=2 " + one_cpu, "");
  EXPECT_NE(err.find(" on cpu with 2 threads in "), std::string::npos) << err;
  const auto report = run("env -u OMP_NUM_THREADS " + one_cpu + " " + quote(INTERP_BINARY) + " --runtime").out;
  EXPECT_NE(report.find("CPU threads by default: 1 (1 CPU(s) this process may run on)"), std::string::npos) << report;
}

}  // namespace
}  // namespace interp::test
