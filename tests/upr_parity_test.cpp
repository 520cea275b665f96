// UPR-Net against the authors' model code run on the same weights (tests/data/README.md):
// final frames and every pyramid level's flows, base / large / LARGE, two timesteps, a
// deeper pyramid with padding, skipped levels; and the official checkpoint format.
#include "interp/core/cpu_threads.h"
#include "interp/core/model_loader.h"
#include "interp/core/upr/upr_interpolator.h"
#include "error_of.h"
#include "test_support.h"

#include <cmath>

namespace interp::test {
namespace {

const std::string kGolden = std::string(INTERP_TEST_DATA_DIR) + "/upr_golden.pt";
const std::string kBaseCheckpoint = std::string(INTERP_TEST_DATA_DIR) + "/upr_base_random.pkl";

/// The reference run's weights, recomputed: per tensor, element i is splitmix64(fnv1a64(name) + i)'s
/// top 8 bits k mapped to r = (k + 0.5) / 128 - 1; conv weights r / sqrt(fan-in), biases 0.05 r,
/// PReLU slopes 0.25 + 0.05 r; the motion estimator's last conv 400x (its bias 20x) so that flows
/// are several pixels (random features alone give ~0.06 px, which would hide splatting errors).
uint64_t fnv1a64(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

double unit_value(uint64_t seed, uint64_t i) {
  uint64_t z = seed + i + 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return (static_cast<double>(z >> 56) + 0.5) / 128.0 - 1.0;
}

weights::StateDict test_weights(const upr::UprConfig& config) {
  weights::StateDict dict;
  for (const auto& [name, shape] : weights::module_state(*upr::UprNet(config))) {
    const int64_t count = shape.numel();
    std::vector<float> values(count);
    const uint64_t seed = fnv1a64(name);
    const bool bias = name.size() > 5 && name.compare(name.size() - 5, 5, ".bias") == 0;
    const double fan_in = shape.dim() == 4 ? static_cast<double>(count / shape.size(0)) : 1.0;
    double gain = 1.0;
    if (name == "motion_estimator.conv_layer6.0.weight") gain = 400.0;
    if (name == "motion_estimator.conv_layer6.0.bias") gain = 20.0;
    for (int64_t i = 0; i < count; ++i) {
      const double r = unit_value(seed, static_cast<uint64_t>(i));
      const double v = bias ? 0.05 * r : shape.dim() == 4 ? r / std::sqrt(fan_in) : 0.25 + 0.05 * r;
      values[i] = static_cast<float>(v * gain);
    }
    dict.emplace(name, torch::from_blob(values.data(), shape.sizes(), torch::kFloat32).clone());
  }
  return dict;
}

struct UprCase {
  std::string size;   ///< the reference's name: base, large, LARGE
  std::string input;  ///< pair (448×256, 3 levels) or strip (900×72: 5 levels, padded to 960×128)
  double t;
  int64_t skipped;
  std::string key() const {
    std::ostringstream k;
    k << size << "_" << input << "_t" << t << (skipped ? "_skip" + std::to_string(skipped) : "");
    return k.str();
  }
};

void PrintTo(const UprCase& c, std::ostream* os) { *os << c.key(); }

class UprParity : public ::testing::TestWithParam<UprCase> {
 protected:
  void SetUp() override { configure_cpu_threads(0); }
};

/// The case's frames; the strip's 8-bit pixels divided in `type` (float64 runs take x/255 in float64).
std::pair<torch::Tensor, torch::Tensor> inputs(const std::string& which, const c10::Dict<c10::IValue, c10::IValue>& golden,
                                               const std::string& shared_cases, torch::Dtype type = torch::kFloat32) {
  if (which == "strip")
    return {case_tensor(golden, "strip_img0").to(type) / 255.0, case_tensor(golden, "strip_img1").to(type) / 255.0};
  const auto cases = load_cases(shared_cases);
  return {case_tensor(cases, "img0"), case_tensor(cases, "img1")};
}

TEST_P(UprParity, FramesAndEveryLevelsFlowsMatchTheReference) {
  const auto& p = GetParam();
  INTERP_REQUIRE_SHARED(shared_cases, "golden/rife_v4.6_cases.pt");  // the real pair
  const auto golden = load_cases(kGolden);
  const auto config = *upr::UprConfig::by_name(p.size);
  // base runs from the official-format checkpoint, the others from recomputed weights.
  const auto dict = p.size == "base" ? read_model_weights(kBaseCheckpoint).tensors : test_weights(config);
  upr::UprOptions options;
  options.skipped_levels = p.skipped;
  options.placement.device = test_device();
  upr::UprInterpolator model(config, dict, options);

  const auto [img0, img1] = inputs(p.input, golden, shared_cases);
  const auto out = model.interpolate_with_flows(img0, img1, {p.t});
  const std::string key = p.key();
  const int64_t h = out.frame.size(2), w = out.frame.size(3);
  ASSERT_EQ(out.frame.sizes(), img0.sizes());
  EXPECT_LE(max_abs_diff(out.frame.slice(2, h / 4, h / 4 + 48).slice(3, w / 4, w / 4 + 96),
                         case_tensor(golden, key + "_crop")), 1e-4) << key;
  EXPECT_LE(max_abs_diff(torch::avg_pool2d(out.frame, 8, 8, 0, true), case_tensor(golden, key + "_pool")), 1e-5) << key;
  EXPECT_LE(max_abs_diff(out.frame.mean({2, 3}), case_tensor(golden, key + "_mean")), 1e-5) << key;

  int64_t levels = 0;
  while (golden.contains(key + "_flow" + std::to_string(levels))) ++levels;
  ASSERT_EQ(static_cast<int64_t>(out.level_flows.size()), levels) << key;
  for (int64_t i = 0; i < levels; ++i) {
    const auto expected = case_tensor(golden, key + "_flow" + std::to_string(i));
    ASSERT_EQ(out.level_flows[i].sizes(), expected.sizes()) << key << " level " << i;
    // Flows of 3-15 px: measured 5.5e-5 px (AVX-512) and 5.9e-5 px (ONEDNN_MAX_CPU_ISA=AVX2)
    // on an AMD EPYC; the reference's own float32 flows are 2.3e-5 px from its float64 ones.
    EXPECT_LE(max_abs_diff(out.level_flows[i], expected), 3e-4) << key << " level " << i;
  }
  // Weights chosen so that flows move pixels by several pixels: a splatting error shows.
  EXPECT_GT(case_tensor(golden, key + "_flow" + std::to_string(levels - 1)).abs().max().item<double>(), 2.0);
}

// The same cases in float64 against the reference run in float64; flows kept as 4x4
// average pools (ceil mode).
TEST_P(UprParity, Float64MatchesTheFloat64Reference) {
  const auto& p = GetParam();
  INTERP_REQUIRE_SHARED(shared_cases, "golden/rife_v4.6_cases.pt");
  const auto golden = load_cases(kGolden);
  const auto reference = load_cases(test_data("upr_golden_f64.pt"));
  const auto config = *upr::UprConfig::by_name(p.size);
  upr::UprOptions options;
  options.skipped_levels = p.skipped;
  options.placement.device = test_device();
  options.placement.dtype = torch::kFloat64;
  upr::UprInterpolator model(config, test_weights(config), options);
  const auto [img0, img1] = inputs(p.input, golden, shared_cases, torch::kFloat64);
  const auto out = model.interpolate_with_flows(img0, img1, {p.t});
  const std::string key = p.key();
  expect_summary_near(out.frame, reference, key, out.frame.size(2) / 4, out.frame.size(3) / 4);
  ASSERT_TRUE(reference.contains(key + "_flow" + std::to_string(out.level_flows.size() - 1))) << key;
  for (size_t i = 0; i < out.level_flows.size(); ++i)
    EXPECT_LE(scaled_error(torch::avg_pool2d(out.level_flows[i], 4, 4, 0, true),
                           case_tensor(reference, key + "_flow" + std::to_string(i))),
              kFloat64Tolerance) << key << " level " << i;
}

INSTANTIATE_TEST_SUITE_P(Golden, UprParity,
                         ::testing::Values(UprCase{"base", "pair", 0.5, 0}, UprCase{"base", "pair", 0.3, 0},
                                           UprCase{"base", "strip", 0.5, 0}, UprCase{"base", "strip", 0.3, 2},
                                           UprCase{"large", "pair", 0.5, 0}, UprCase{"large", "pair", 0.3, 0},
                                           UprCase{"large", "strip", 0.5, 0}, UprCase{"LARGE", "pair", 0.5, 0}),
                         [](const auto& info) {
                           std::string name = info.param.key();
                           for (auto& c : name) if (c == '.') c = '_';
                           return name;
                         });

TEST(UprHalfPrecision, RunsEveryOpInFp16AndStaysCloseToFp32) {
  INTERP_REQUIRE_SHARED(shared_cases, "golden/rife_v4.6_cases.pt");
  const auto cases = load_cases(shared_cases);
  const auto img0 = case_tensor(cases, "img0").slice(2, 64, 192).slice(3, 96, 288);
  const auto img1 = case_tensor(cases, "img1").slice(2, 64, 192).slice(3, 96, 288);
  const auto dict = test_weights(upr::UprConfig::base());
  upr::UprOptions full_options;
  full_options.placement.device = test_device();
  upr::UprInterpolator full(upr::UprConfig::base(), dict, full_options);
  upr::UprOptions half_options = full_options;
  half_options.placement.dtype = torch::kFloat16;
  upr::UprInterpolator half(upr::UprConfig::base(), dict, half_options);
  const auto expected = full.interpolate(img0, img1, {0.3});
  const auto out = half.interpolate(img0, img1, {0.3});
  EXPECT_EQ(out.scalar_type(), torch::kFloat16);
  EXPECT_LE((out.to(torch::kFloat32) - expected).abs().mean().cpu().item<double>(), 2e-3);
}

TEST(UprWeights, OfficialCheckpointLoadsWithItsModulePrefixAndIsRecognisedAsBase) {
  const auto weights = read_model_weights(kBaseCheckpoint);
  EXPECT_EQ(weights.arch, "upr");
  EXPECT_EQ(weights.variant, "upr-base");
  const auto expected = test_weights(upr::UprConfig::base());
  ASSERT_EQ(weights.tensors.size(), expected.size());
  for (const auto& [name, tensor] : expected) {
    ASSERT_TRUE(weights.tensors.count(name)) << name;
    EXPECT_TRUE(torch::equal(weights.tensors.at(name), tensor)) << name;
  }
}

TEST(UprWeights, EachSizeIsRecognisedFromItsShapes) {
  for (const auto& config : upr::UprConfig::all()) {
    const auto found = upr::detect_config(test_weights(config));
    ASSERT_TRUE(found.has_value()) << config.name;
    EXPECT_EQ(found->name, config.name);
  }
}

TEST(UprWeights, AFileMissingOrMisshapingATensorIsRefusedByName) {
  auto dict = test_weights(upr::UprConfig::base());
  dict.erase("synthesis_network.decoder_up1.0.weight");
  dict["motion_estimator.conv_layer3.0.bias"] = torch::zeros({7});
  const auto why = error_of([&] { upr::UprInterpolator(*upr::detect_config(dict), dict, {}); });
  EXPECT_NE(why.find("synthesis_network.decoder_up1.0.weight"), std::string::npos) << why;
  EXPECT_NE(why.find("motion_estimator.conv_layer3.0.bias"), std::string::npos) << why;
}

TEST(UprWeights, AnUnpublishedWidthIsRefusedWithTheSizesThatExist) {
  auto dict = test_weights(upr::UprConfig::base());
  dict["feat_pyramid.conv_stage0.0.weight"] = torch::zeros({20, 3, 3, 3});
  EXPECT_FALSE(upr::detect_config(dict).has_value());
}

}  // namespace
}  // namespace interp::test
