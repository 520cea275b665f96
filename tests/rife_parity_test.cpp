// Parity of the RIFE IFNet port against the reference implementation's outputs
// (../shared/golden, random weights, CPU fp32).
#include "interp/core/cpu_threads.h"
#include "interp/base/error.h"
#include "interp/core/model_loader.h"
#include "interp/core/rife/rife_interpolator.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

namespace interp::test {
namespace {

struct ParityCase {
  std::string version;  // "4.6" / "4.25"
  double t;
  double scale;
};

std::string case_key(const ParityCase& c) {
  return std::string("t") + (c.t == 0.5 ? "0.5" : "0.25") + "_scale" + (c.scale == 1.0 ? "1.0" : "0.5");
}

void PrintTo(const ParityCase& c, std::ostream* os) { *os << "v" << c.version << " " << case_key(c); }

class RifeParity : public ::testing::TestWithParam<ParityCase> {};

/// The case's frame from the golden random weights, computed in `dtype`.
torch::Tensor run_case(const ParityCase& p, const std::string& weights_path, const std::string& cases_path,
                       torch::Dtype dtype) {
  configure_cpu_threads(0);
  const auto weights = read_model_weights(weights_path);
  EXPECT_EQ(weights.variant, "rife-v" + p.version);  // recognised from the keys alone
  rife::RifeOptions options;
  options.scale = p.scale;
  options.placement.device = test_device();
  options.placement.dtype = dtype;
  rife::RifeInterpolator model(*rife::IFNetVariant::by_name(weights.variant), weights.tensors, options);
  const auto cases = load_cases(cases_path);
  return model.interpolate(case_tensor(cases, "img0"), case_tensor(cases, "img1"), {p.t});
}

TEST_P(RifeParity, MatchesReferenceWithin1e4) {
  const auto& p = GetParam();
  INTERP_REQUIRE_SHARED(weights_path, "golden/rife_v" + p.version + "_random.pkl");
  INTERP_REQUIRE_SHARED(cases_path, "golden/rife_v" + p.version + "_cases.pt");
  const auto out = run_case(p, weights_path, cases_path, torch::kFloat32);
  const auto expected = case_tensor(load_cases(cases_path), case_key(p));
  ASSERT_EQ(out.sizes(), expected.sizes());
  EXPECT_LE(max_abs_diff(out, expected), 1e-4) << case_key(p);
}

// The same cases in float64 against the reference run in float64 (tests/data/README.md).
TEST_P(RifeParity, Float64MatchesTheFloat64Reference) {
  const auto& p = GetParam();
  INTERP_REQUIRE_SHARED(weights_path, "golden/rife_v" + p.version + "_random.pkl");
  INTERP_REQUIRE_SHARED(cases_path, "golden/rife_v" + p.version + "_cases.pt");
  const auto out = run_case(p, weights_path, cases_path, torch::kFloat64);
  expect_summary_near(out, load_cases(test_data("rife_random_f64.pt")), "v" + p.version + "_" + case_key(p), 96, 160);
}

INSTANTIATE_TEST_SUITE_P(Golden, RifeParity,
                         ::testing::Values(ParityCase{"4.6", 0.5, 1.0}, ParityCase{"4.6", 0.25, 1.0},
                                           ParityCase{"4.6", 0.5, 0.5}, ParityCase{"4.6", 0.25, 0.5},
                                           ParityCase{"4.25", 0.5, 1.0}, ParityCase{"4.25", 0.25, 1.0},
                                           ParityCase{"4.25", 0.5, 0.5}, ParityCase{"4.25", 0.25, 0.5}),
                         [](const auto& info) {
                           std::string name = "v" + info.param.version + "_" + case_key(info.param);
                           for (auto& c : name) if (c == '.') c = '_';
                           return name;
                         });

// Every parameter name and shape of our module equals the reference module's.
TEST(RifeKeys, ModuleMatchesReferenceNamesAndShapes) {
  for (const std::string version : {"4.6", "4.25"}) {
    INTERP_REQUIRE_SHARED(keys_path, "golden/rife_v" + version + "_keys.json");
    const auto keys = nlohmann::json::parse(std::ifstream(keys_path));
    rife::IFNet net(*rife::IFNetVariant::by_name(version));
    const auto ours = weights::module_state(*net);
    EXPECT_EQ(ours.size(), keys.size()) << version;
    for (const auto& [name, shape] : keys.items()) {
      auto it = ours.find(name);
      ASSERT_NE(it, ours.end()) << "missing " << name;
      EXPECT_EQ(std::vector<int64_t>(it->second.sizes().begin(), it->second.sizes().end()),
                shape.get<std::vector<int64_t>>())
          << name;
    }
  }
}

TEST(RifeVariant, WrongVariantIsReportedWithNames) {
  INTERP_REQUIRE_SHARED(weights_path, "golden/rife_v4.6_random.pkl");
  try {
    const auto w = read_model_weights(weights_path, "rife-v4.25");
    rife::RifeInterpolator model(*rife::IFNetVariant::by_name(w.variant), w.tensors, {});
    FAIL() << "v4.6 weights loaded into a v4.25 network";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("missing"), std::string::npos) << msg;
    EXPECT_NE(msg.find("block4.conv0"), std::string::npos) << msg;
    EXPECT_NE(msg.find("wrong shape"), std::string::npos) << msg;
  }
}

TEST(RifeInterpolator, OddSizesAndBatchesKeepShape) {
  INTERP_REQUIRE_SHARED(weights_path, "golden/rife_v4.6_random.pkl");
  const auto w = read_model_weights(weights_path);
  rife::RifeInterpolator model(*rife::IFNetVariant::by_name(w.variant), w.tensors, {});
  auto a = torch::rand({2, 3, 201, 333});
  auto b = torch::rand({2, 3, 201, 333});
  auto out = model.interpolate(a, b, {0.3, 0.7});
  EXPECT_EQ(out.sizes(), a.sizes());
  // Batched and single-pair results agree.
  auto single = model.interpolate(a.slice(0, 1, 2), b.slice(0, 1, 2), {0.7});
  EXPECT_LE(max_abs_diff(out.slice(0, 1, 2), single), 1e-4);  // conv algorithms differ by batch
}

TEST(RifeInterpolator, RejectsUnsupportedScale) {
  rife::RifeOptions options;
  options.scale = 0.3;
  rife::IFNet net(rife::IFNetVariant::v4_6());
  EXPECT_THROW(rife::RifeInterpolator(rife::IFNetVariant::v4_6(), weights::module_state(*net), options), Error);
}

}  // namespace
}  // namespace interp::test
