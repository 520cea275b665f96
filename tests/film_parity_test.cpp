// Parity of the FILM port against the PyTorch port's outputs (../shared/golden, small
// config, random weights, CPU fp32), and the default config's parameter names/shapes.
#include "interp/core/cpu_threads.h"
#include "interp/base/error.h"
#include "interp/core/film/film_interpolator.h"
#include "interp/core/model_loader.h"
#include "test_support.h"

#include <nlohmann/json.hpp>

namespace interp::test {
namespace {

class FilmParity : public ::testing::Test {
 protected:
  void SetUp() override { configure_cpu_threads(0); }

  std::unique_ptr<film::FilmInterpolator> load(const std::string& path) {
    const auto w = read_model_weights(path);
    EXPECT_EQ(w.arch, "film");
    return std::make_unique<film::FilmInterpolator>(film::infer_config(w.tensors), w.tensors, [] {
      Placement options;
      options.device = test_device();
      return options;
    }());
  }
};

TEST_F(FilmParity, Fp32TorchScriptMatchesOutputsAndIntermediates) {
  INTERP_REQUIRE_SHARED(model_path, "golden/film_small_random.pt");
  INTERP_REQUIRE_SHARED(cases_path, "golden/film_small_cases.pt");
  auto model = load(model_path);
  const auto cases = load_cases(cases_path);
  const auto x0 = case_tensor(cases, "img0"), x1 = case_tensor(cases, "img1");
  for (const double t : {0.5, 0.25}) {
    const auto out = model->interpolate(x0, x1, {t});
    EXPECT_LE(max_abs_diff(out, case_tensor(cases, t == 0.5 ? "t0.5" : "t0.25")), 1e-4) << "t=" << t;
  }
  torch::InferenceMode guard;
  film::FilmDebug debug;
  const auto device = test_device();
  model->net()->forward(x0.to(device), x1.to(device), torch::full({1, 1}, 0.5, torch::TensorOptions().device(device)), &debug);
  for (int i = 0; i <= 4; ++i)
    EXPECT_LE(max_abs_diff(debug.forward_flow[i], case_tensor(cases, "t0.5_forward_flow_pyramid_" + std::to_string(i))),
              1e-4) << "forward flow level " << i;
  for (int i = 3; i <= 6; ++i)
    EXPECT_LE(max_abs_diff(debug.features0[i], case_tensor(cases, "t0.5_features0_" + std::to_string(i))), 1e-4)
        << "features level " << i;
}

TEST_F(FilmParity, Float64MatchesTheFloat64Reference) {
  INTERP_REQUIRE_SHARED(model_path, "golden/film_small_random.pt");
  INTERP_REQUIRE_SHARED(cases_path, "golden/film_small_cases.pt");
  const auto w = read_model_weights(model_path);
  Placement options;
  options.device = test_device();
  options.dtype = torch::kFloat64;
  film::FilmInterpolator model(film::infer_config(w.tensors), w.tensors, options);
  const auto cases = load_cases(cases_path);
  const auto reference = load_cases(test_data("film_small_f64.pt"));
  for (const double t : {0.5, 0.25})
    expect_summary_near(model.interpolate(case_tensor(cases, "img0"), case_tensor(cases, "img1"), {t}), reference,
                        t == 0.5 ? "t0.5" : "t0.25", 96, 160);
}

TEST_F(FilmParity, Fp16TorchScriptRunsInFp32) {
  INTERP_REQUIRE_SHARED(model_path, "golden/film_small_random_fp16.pt");
  INTERP_REQUIRE_SHARED(cases_path, "golden/film_small_cases.pt");
  auto model = load(model_path);
  EXPECT_EQ(model->dtype(), torch::kFloat32);
  const auto cases = load_cases(cases_path);
  const auto x0 = case_tensor(cases, "img0"), x1 = case_tensor(cases, "img1");
  EXPECT_LE(max_abs_diff(model->interpolate(x0, x1, {0.5}), case_tensor(cases, "t0.5_fp16weights")), 1e-4);
  EXPECT_LE(max_abs_diff(model->interpolate(x0, x1, {0.25}), case_tensor(cases, "t0.25_fp16weights")), 1e-4);
}

TEST(FilmKeys, DefaultConfigMatchesReleasedModelNamesAndShapes) {
  INTERP_REQUIRE_SHARED(keys_path, "golden/film_default_keys.json");
  const auto keys = nlohmann::json::parse(std::ifstream(keys_path));
  film::Interpolator net(film::FilmConfig{});
  const auto ours = weights::module_state(*net);
  EXPECT_EQ(ours.size(), keys.size());
  int64_t params = 0;
  for (const auto& [name, shape] : keys.items()) {
    auto it = ours.find(name);
    ASSERT_NE(it, ours.end()) << "missing " << name;
    EXPECT_EQ(std::vector<int64_t>(it->second.sizes().begin(), it->second.sizes().end()),
              shape.get<std::vector<int64_t>>()) << name;
    params += it->second.numel();
  }
  EXPECT_NEAR(params / 1e6, 34.4, 0.1);
}

TEST(FilmConfig, InferredFromSmallWeights) {
  INTERP_REQUIRE_SHARED(model_path, "golden/film_small_random.pt");
  const auto c = film::infer_config(read_model_weights(model_path).tensors);
  EXPECT_EQ(c.filters, 16);
  EXPECT_EQ(c.sub_levels, 4);
  EXPECT_EQ(c.flow_filters, (std::vector<int64_t>{8, 16, 32, 64}));
  EXPECT_EQ(c.flow_convs, (std::vector<int64_t>{3, 3, 3, 3}));
}

TEST(FilmModel, WithoutWeightsExplainsWhereToGetThem) {
  TempDir dir;
  ModelOptions options;
  options.model = "film";
  options.models_dir = dir.path().string();
  try {
    load_model(options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("film_net_fp32.pt"), std::string::npos) << e.what();
  }
}

TEST(FilmModel, OddSizeIsPaddedAndCropped) {
  INTERP_REQUIRE_SHARED(model_path, "golden/film_small_random.pt");
  const auto w = read_model_weights(model_path);
  film::FilmInterpolator model(film::infer_config(w.tensors), w.tensors, {});
  auto out = model.interpolate(torch::rand({1, 3, 101, 77}), torch::rand({1, 3, 101, 77}), {0.5});
  EXPECT_EQ(out.sizes(), (std::vector<int64_t>{1, 3, 101, 77}));
}

}  // namespace
}  // namespace interp::test
