// --precision end to end: the log says which precision runs and why, auto follows the
// CPU that `interp --runtime` describes, bf16 frames stay close to fp32's, and what
// cannot run is refused in one line before any work.
#include "cli_support.h"
#include "interp/io/image_file.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <tuple>

namespace interp::test {
namespace {
namespace fs = std::filesystem;

class PrecisionCli : public ::testing::Test {
 protected:
  void SetUp() override {
    INTERP_REQUIRE_SHARED(model, "golden/rife_v4.6_random.pkl");
    INTERP_REQUIRE_SHARED(a, "pairs/rife_I0_0.png");
    INTERP_REQUIRE_SHARED(b, "pairs/rife_I0_1.png");
    pair_ = "--model " + quote(model) + " --device cpu pair " + quote(a) + " " + quote(b) + " ";
  }
  /// Runs `interp pair` unquieted (the log line is checked) writing `out`.
  RunResult pair(const std::string& out, const std::string& flags) {
    return run(quote(INTERP_BINARY) + " " + pair_ + quote(dir / out) + " " + flags);
  }
  std::string pair_;
  TempDir dir;
};

TEST_F(PrecisionCli, SaysWhatRunsAndWhyAndBf16StaysCloseToFp32) {
  auto r = pair("fp32.png", "--precision fp32");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("in fp32 (as asked)"), std::string::npos) << r.err;
  r = pair("bf16.png", "--precision bf16");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("in bf16 (as asked)"), std::string::npos) << r.err;
  const auto pixels = [&](const std::string& name) {
    const auto data = io::read_image(dir / name).data;
    return std::string(data.begin(), data.end());
  };
  const double diff = mean_abs_diff(pixels("fp32.png"), pixels("bf16.png"));
  EXPECT_GT(diff, 0.0);  // bf16 did run
  EXPECT_LT(diff, 1.0);  // under one 8-bit level on average

  // auto: where --runtime reports native bf16 convolutions, the faster of fp32 and bf16
  // as timed once on this machine and kept in the cache folder; elsewhere fp32, untimed.
  const std::string cache = "INTERP_CACHE_DIR=" + quote(dir / "cache") + " ";
  const std::string verdicts = dir / "cache/precision-verdicts.tsv";
  const auto runtime = run(cache + quote(INTERP_BINARY) + " --runtime");
  ASSERT_EQ(runtime.code, 0);
  ASSERT_NE(runtime.out.find("bf16 convolutions: "), std::string::npos) << runtime.out;
  EXPECT_NE(runtime.out.find("precision verdicts measured here (" + verdicts + "): none yet"), std::string::npos)
      << runtime.out;
  const bool native = runtime.out.find("bf16 convolutions: native") != std::string::npos;
  const auto auto_run = [&](const std::string& env) {
    const auto r = run(cache + env + quote(INTERP_BINARY) + " " + pair_ + quote(dir / "auto.png") + " -y");
    EXPECT_EQ(r.code, 0) << r.err;
    return r.err;
  };
  std::string log = auto_run("");
  if (!native) {
    EXPECT_NE(log.find("in fp32 (auto: this CPU has no AMX-BF16 or AVX-512-BF16"), std::string::npos) << log;
    EXPECT_FALSE(fs::exists(verdicts));
    EXPECT_EQ(pixels("auto.png"), pixels("fp32.png"));
    return;
  }
  EXPECT_NE(log.find("fp32's speed on this CPU (measured now in "), std::string::npos) << log;
  ASSERT_TRUE(fs::exists(verdicts));
  const std::string line = slurp(verdicts);
  ASSERT_EQ(std::count(line.begin(), line.end(), '\n'), 1) << line;
  // The kept verdict decides later runs without timing: told bf16 loses here, then wins.
  const std::string key = line.substr(0, line.find('\t'));
  for (const auto& [ratio, precision, says] :
       {std::tuple<std::string, std::string, std::string>{"0.5", "fp32", "bf16 ran only 0.50x fp32's speed"},
        {"2", "bf16", "bf16 ran 2.00x fp32's speed"}}) {
    std::ofstream(verdicts) << key << "\t" << ratio << "\t2000-01-01\n";
    log = auto_run("");
    EXPECT_NE(log.find("in " + precision + " (auto: " + says + " on this CPU (cached))"), std::string::npos) << log;
    EXPECT_EQ(pixels("auto.png"), pixels(precision + ".png"));
  }
  EXPECT_NE(run(cache + quote(INTERP_BINARY) + " --runtime").out.find(key + ": bf16 (bf16 2.00x fp32, 2000-01-01)"),
            std::string::npos);
  log = auto_run("INTERP_REMEASURE=1 ");  // timed again, and kept
  EXPECT_NE(log.find("(measured now in "), std::string::npos) << log;
  EXPECT_EQ(slurp(verdicts).find("2000-01-01"), std::string::npos);
  // The cache is an output like any other: a FIFO there is never replaced; only said.
  fs::remove(verdicts);
  ASSERT_EQ(::mkfifo(verdicts.c_str(), 0600), 0);
  r = run(cache + quote(INTERP_BINARY) + " " + pair_ + quote(dir / "auto.png") + " -y");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("the measured precision is not kept: " + verdicts + ": is a FIFO"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::is_fifo(verdicts));
}

TEST_F(PrecisionCli, RefusesWhatCannotRunInOneLine) {
  for (const auto& [flags, says] : {std::pair<std::string, std::string>{"--precision fp16", "needs a CUDA device"},
                                    {"--fp16", "--fp16 needs a CUDA device"},
                                    {"--fp16 --precision bf16", "excludes"},
                                    {"--precision half", "--precision"},
                                    {"--cuda-graphs on", "CUDA graphs are unavailable: the model runs on cpu"},
                                    {"--cuda-graphs maybe", "--cuda-graphs"}}) {
    const auto r = pair("out.png", flags);
    const bool parse_error = says == "--precision" || says == "excludes" || says == "--cuda-graphs";
    EXPECT_EQ(r.code, 1 + parse_error) << flags << ": " << r.err;
    EXPECT_NE(r.err.find(says), std::string::npos) << flags << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << flags << ": " << r.err;
    EXPECT_TRUE(entries(dir.path().string()).empty()) << flags;
  }
}

}  // namespace
}  // namespace interp::test
