/// --precision auto decides by speed measured on the machine (auto_precision.h): a kept
/// verdict decides without timing; a missing one is measured once and kept. The model
/// here is a stub whose passes cost what it is told in fp32 and in bf16 on a clock of
/// the test's own, so the decisions are checked on every machine, whatever its real bf16
/// speed or load.
#include "interp/core/auto_precision.h"
#include "interp/core/model_loader.h"
#include "test_support.h"

#include <cstdlib>
#include <map>

namespace interp::test {
namespace {

class MemoryStore : public VerdictStore {
 public:
  std::optional<SpeedVerdict> find(const std::string& key) override {
    ++finds;
    const auto it = verdicts.find(key);
    return it == verdicts.end() ? std::nullopt : std::optional<SpeedVerdict>(it->second);
  }
  void keep(const std::string& key, const SpeedVerdict& verdict) override { verdicts[key] = verdict; }
  std::map<std::string, SpeedVerdict> verdicts;
  int finds = 0;
};

/// A model whose passes advance the test's clock by `bf16_ms` inside a bf16 scope and
/// by `fp32_ms` outside, telling them apart the way a network does: by what its marked
/// stack runs in.
class PacedStub : public FrameInterpolator {
 public:
  PacedStub(int fp32_ms, int bf16_ms) : fp32_ms_(fp32_ms), bf16_ms_(bf16_ms) {}
  Clock clock() {
    return [this] { return now_; };
  }
  std::string name() const override { return "paced-stub"; }
  ModelTraits traits() const override { return {}; }
  torch::Device device() const override { return torch::kCPU; }
  torch::Dtype dtype() const override { return torch::kFloat32; }
  int passes = 0;

 private:
  torch::Tensor make(const FrameWindow& window, const std::vector<double>&) override {
    const auto &a = window.left(), &b = window.right();
    ++passes;
    torch::Dtype inside = torch::kFloat32;
    convolved([&] {
      auto y = conv_->forward(a.narrow(2, 0, 4).narrow(3, 0, 4));
      inside = y.scalar_type();
      return y;
    });
    now_ += (inside == torch::kBFloat16 ? bf16_ms_ : fp32_ms_) / 1000.0;
    return (a + b) / 2;
  }

  int fp32_ms_, bf16_ms_;
  double now_ = 0;
  torch::nn::Conv2d conv_{torch::nn::Conv2dOptions(3, 3, 1)};
};

TEST(AutoPrecision, AKeptVerdictDecidesWithoutTiming) {
  PacedStub model(1, 1);
  MemoryStore store;
  const std::string key = verdict_key(model.name(), model.mode());
  store.verdicts[key] = {0.63};  // bf16 measured slower here before
  auto choice = fastest_on_this_cpu(model, &store, model.clock());
  EXPECT_EQ(choice.precision, Precision::kFp32);
  EXPECT_NE(choice.why.find("bf16 ran only 0.63x fp32's speed on this CPU (cached)"), std::string::npos) << choice.why;
  store.verdicts[key] = {1.6};
  choice = fastest_on_this_cpu(model, &store, model.clock());
  EXPECT_EQ(choice.precision, Precision::kBf16);
  EXPECT_NE(choice.why.find("bf16 ran 1.60x fp32's speed on this CPU (cached)"), std::string::npos) << choice.why;
  EXPECT_EQ(model.passes, 0);
}

TEST(AutoPrecision, ACloseCallIsTimedInAlternatingRounds) {
  PacedStub model(20, 15);
  const auto verdict = measure_bf16_speedup(model, 3, model.clock());
  EXPECT_GT(model.passes, 2);  // a first pass of each, then rounds within the budget
  EXPECT_LE(model.passes, 8);
  EXPECT_EQ(model.passes % 2, 0);
  EXPECT_NEAR(verdict.bf16_speedup, 20.0 / 15.0, 1e-9);
}

TEST(AutoPrecision, AMissingVerdictIsMeasuredOnceAndKept) {
  for (const auto& [fp32_ms, bf16_ms, expected] : {std::tuple{2, 30, Precision::kFp32}, {30, 2, Precision::kBf16}}) {
    PacedStub model(fp32_ms, bf16_ms);
    MemoryStore store;
    auto choice = fastest_on_this_cpu(model, &store, model.clock());
    EXPECT_EQ(choice.precision, expected) << choice.why;
    EXPECT_NE(choice.why.find("measured now in 0.0 s"), std::string::npos) << choice.why;
    const int passes = model.passes;
    EXPECT_EQ(passes, 2);  // a 15x gap is settled by the first pass of each
    ASSERT_EQ(store.verdicts.size(), 1u);
    choice = fastest_on_this_cpu(model, &store, model.clock());  // a later run: the kept verdict, no timing
    EXPECT_EQ(choice.precision, expected);
    EXPECT_NE(choice.why.find("(cached)"), std::string::npos) << choice.why;
    EXPECT_EQ(model.passes, passes);
  }
}

// The key holds what changes the verdict: the CPU, oneDNN's instruction limit, the
// LibTorch version, the threads, the model and its mode.
TEST(AutoPrecision, TheKeyNamesWhatTheVerdictHoldsFor) {
  const std::string key = verdict_key("rife-v3.9", "refine");
  for (const char* part : {" | isa ", " | LibTorch ", " threads | rife-v3.9 refine"})
    EXPECT_NE(key.find(part), std::string::npos) << key;
  const char* ambient = std::getenv("ONEDNN_MAX_CPU_ISA");  // the suite may run under a limit itself
  const std::string was = ambient ? ambient : "";
  ::setenv("ONEDNN_MAX_CPU_ISA", was == "SSE41" ? "AVX2" : "SSE41", 1);
  EXPECT_NE(verdict_key("rife-v3.9", "refine"), key);
  if (ambient)
    ::setenv("ONEDNN_MAX_CPU_ISA", was.c_str(), 1);
  else
    ::unsetenv("ONEDNN_MAX_CPU_ISA");
  EXPECT_NE(verdict_key("rife-v3.9", "fast"), key);
}

// A real network: what auto picks for it runs, whatever the timing said.
TEST(AutoPrecision, AutoLoadsTheModelInTheMeasuredPrecision) {
  INTERP_REQUIRE_SHARED(weights, "golden/rife_v4.6_random.pkl");
  MemoryStore store;
  ModelOptions options;
  options.model = weights;
  options.placement.precision = Precision::kAuto;
  options.verdicts = &store;
  const auto cpu = cpu_capabilities();
  const auto model = load_model(options);
  if (cpu.bf16_instructions().empty()) {
    EXPECT_EQ(model->precision().precision, Precision::kFp32);
    EXPECT_TRUE(store.verdicts.empty());  // nothing to measure: bf16 is emulated here
    return;
  }
  ASSERT_EQ(store.verdicts.size(), 1u);
  EXPECT_EQ(model->precision().precision, store.verdicts.begin()->second.faster());
  store.verdicts.begin()->second = {0.5};
  EXPECT_EQ(load_model(options)->precision().precision, Precision::kFp32);
  store.verdicts.begin()->second = {2.0};
  EXPECT_EQ(load_model(options)->precision().precision, Precision::kBf16);
}

}  // namespace
}  // namespace interp::test
