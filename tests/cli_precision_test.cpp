// --precision end to end: the log says which precision runs and why, auto follows the
// CPU that `interp --runtime` describes, bf16 frames stay close to fp32's, and what
// cannot run is refused in one line before any work.
#include "cli_support.h"
#include "interp/io/image_file.h"

#include <gtest/gtest.h>

namespace interp::test {
namespace {

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
  const auto pixels = [&](const char* name) {
    const auto data = io::read_image(dir / name).data;
    return std::string(data.begin(), data.end());
  };
  const double diff = mean_abs_diff(pixels("fp32.png"), pixels("bf16.png"));
  EXPECT_GT(diff, 0.0);  // bf16 did run
  EXPECT_LT(diff, 1.0);  // under one 8-bit level on average

  // auto: bf16 exactly where --runtime reports native bf16 convolutions.
  const auto runtime = run(quote(INTERP_BINARY) + " --runtime");
  ASSERT_EQ(runtime.code, 0);
  ASSERT_NE(runtime.out.find("bf16 convolutions: "), std::string::npos) << runtime.out;
  const bool native = runtime.out.find("bf16 convolutions: native") != std::string::npos;
  r = pair("auto.png", "");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find(native ? "in bf16 (auto: this CPU has " : "in fp32 (auto: "), std::string::npos) << r.err;
  EXPECT_EQ(pixels("auto.png"), pixels(native ? "bf16.png" : "fp32.png"));
}

TEST_F(PrecisionCli, RefusesWhatCannotRunInOneLine) {
  for (const auto& [flags, says] : {std::pair<std::string, std::string>{"--precision fp16", "needs a CUDA device"},
                                    {"--fp16", "--fp16 needs a CUDA device"},
                                    {"--fp16 --precision bf16", "excludes"},
                                    {"--precision half", "--precision"}}) {
    const auto r = pair("out.png", flags);
    EXPECT_EQ(r.code, 1 + (says == "--precision" || says == "excludes")) << flags << ": " << r.err;
    EXPECT_NE(r.err.find(says), std::string::npos) << flags << ": " << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << flags << ": " << r.err;
    EXPECT_TRUE(entries(dir.path().string()).empty()) << flags;
  }
}

}  // namespace
}  // namespace interp::test
