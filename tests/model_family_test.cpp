/// The family table: every family answers for its own names and files, and each builds
/// a trainable model whose every parameter gets a gradient and whose output is the
/// inference build's.
#include "interp/core/convlstm/convlstm_config.h"
#include "interp/core/film/film_config.h"
#include "interp/core/model_family.h"
#include "interp/core/model_loader.h"
#include "interp/core/upr/upr_config.h"
#include "test_support.h"

#include <algorithm>
#include <set>

namespace interp::test {
namespace {

TEST(Families, EveryModelNameBelongsToExactlyOneFamily) {
  std::set<std::string> arches, names;
  for (const ModelFamily* family : model_families()) {
    EXPECT_TRUE(arches.insert(family->name()).second) << family->name();
    EXPECT_EQ(family_named(family->name()), family);
    EXPECT_FALSE(family->model_names().empty()) << family->name();
    EXPECT_FALSE(family->scales().empty()) << family->name();
    EXPECT_EQ(family->qualities().front(), Quality::kFast) << family->name();  // the default mode
    EXPECT_EQ(family->traits().window_frames(), family->name() == "convlstm" ? 4 : 2) << family->name();
    for (const auto& name : family->model_names()) {
      EXPECT_TRUE(names.insert(name).second) << name << " is in two families";
      EXPECT_EQ(family_of_model(name), family) << name;
      EXPECT_EQ(family->model_named(name), name);
    }
  }
  EXPECT_EQ(all_model_names().size(), names.size());
  // What each family reads and makes, stated once with its configuration (model_traits.h).
  EXPECT_EQ(convlstm::ConvLstmConfig{}.traits().window_frames(), 4);
  EXPECT_EQ(convlstm::ConvLstmConfig{}.traits().frames_before, 1);
  EXPECT_FALSE(convlstm::ConvLstmConfig{}.traits().arbitrary_timestep);
  EXPECT_FALSE(film::FilmConfig{}.traits().arbitrary_timestep);
  EXPECT_EQ(film::FilmConfig{}.traits().window_frames(), 2);
  EXPECT_TRUE(upr::UprConfig::base().traits().arbitrary_timestep);
  EXPECT_EQ(family_of_model("v4.6")->model_named("v4.6"), "rife-v4.6");  // aliases resolve
  EXPECT_EQ(family_of_model("rife-v9"), nullptr);
  EXPECT_EQ(family_named("convlstm-unknown"), nullptr);
  EXPECT_EQ(family_of_model("convlstm")->name(), "convlstm");
}

struct TrainCase {
  std::string file;  ///< under ../shared, or tests/data when it starts with "data/"
  std::string family;
};

/// Each case's weight file, resolved once: a FAIL under CI, a SKIP elsewhere, when
/// ../shared lacks it.
class Trainable : public ::testing::TestWithParam<TrainCase> {
 protected:
  void SetUp() override {
    const auto& c = GetParam();
    path = c.file.rfind("data/", 0) == 0 ? std::string(INTERP_TEST_DATA_DIR) + c.file.substr(4) : shared_file(c.file);
    if (!path.empty()) return;
    if (running_in_ci()) FAIL() << "shared data missing under CI: " << c.file;
    GTEST_SKIP() << "shared data not found: " << c.file;
  }
  std::string path;
};

/// Two pairs of 64x128 pictures (every family's alignment divides both), their times and a
/// target, seeded.
std::vector<torch::Tensor> batch() {
  const auto gen = torch::make_generator<at::CPUGeneratorImpl>(11);
  return {torch::rand({2, 3, 64, 128}, gen), torch::rand({2, 3, 64, 128}, gen), torch::tensor({0.5, 0.25}),
          torch::rand({2, 3, 64, 128}, gen)};
}

TEST_P(Trainable, EveryParameterGetsAGradientAndTheFrameIsTheInferenceOne) {
  const auto& c = GetParam();
  const ModelWeights w = read_model_weights(path);
  ASSERT_EQ(w.arch, c.family);
  const auto model = build_trainable(w);
  const auto b = batch();
  ASSERT_EQ(128 % model->alignment(128), 0);
  const auto out = model->forward(b[0], b[1], b[2]);
  ASSERT_EQ(out.sizes(), b[0].sizes());
  (out - b[3]).abs().mean().backward();
  int64_t parameters = 0;
  for (const auto& item : model->module().named_parameters()) {
    ++parameters;
    const auto& grad = item.value().grad();
    ASSERT_TRUE(grad.defined()) << item.key() << " gets no gradient";
    EXPECT_GT(grad.abs().sum().template item<double>(), 0.0) << item.key() << "'s gradient is zero";
  }
  EXPECT_EQ(parameters, static_cast<int64_t>(w.tensors.size()) - static_cast<int64_t>(model->module().named_buffers().size()));

  // The same weights built for inference (fused glue, folded weights) give the same frames.
  ModelOptions options;
  options.quality = holds_refinement(w) ? Quality::kRefine : Quality::kFast;
  options.fallback = false;  // the network alone, as it trains
  const auto inference = family_named(w.arch)->build(w, options);
  const auto expected = inference->interpolate(b[0], b[1], {0.5, 0.25});
  EXPECT_LT(max_abs_diff(out.detach(), expected), 1e-4) << c.file;
}

INSTANTIATE_TEST_SUITE_P(Families, Trainable,
                         ::testing::Values(TrainCase{"golden/rife_v4.6_random.pkl", "rife"},
                                           TrainCase{"data/upr_base_random.pkl", "upr"},
                                           TrainCase{"golden/film_small_random.pt", "film"}),
                         [](const auto& info) { return info.param.family; });

/// Every scale a family lists builds; one it does not list is refused before building.
TEST_P(Trainable, BuildsAtEveryScaleItListsAndNoOther) {
  const auto& c = GetParam();
  const auto listed = family_named(c.family)->scales();
  for (double scale : all_scales()) {
    ModelOptions options;
    options.model = path;
    options.scale = scale;
    const bool listed_here = std::find(listed.begin(), listed.end(), scale) != listed.end();
    if (listed_here) EXPECT_NO_THROW(load_model(options)) << c.family << " at " << scale;
    else EXPECT_THROW(load_model(options), Error) << c.family << " at " << scale;
  }
}

TEST(Trainable, RifeV39TrainsItsRefinementNetToo) {
  INTERP_REQUIRE_MODEL(path, "rife-v3.9");
  const ModelWeights w = read_model_weights(path);
  ASSERT_TRUE(holds_refinement(w));
  const auto model = build_trainable(w);
  const auto b = batch();
  (model->forward(b[0], b[1], b[2]) - b[3]).abs().mean().backward();
  bool refinement_seen = false;
  for (const auto& item : model->module().named_parameters()) {
    refinement_seen = refinement_seen || item.key().rfind("unet.", 0) == 0;
    ASSERT_TRUE(item.value().grad().defined()) << item.key() << " gets no gradient";
  }
  EXPECT_TRUE(refinement_seen);
}

TEST(Trainable, RefusesFramesItsNetworkCannotDivide) {
  INTERP_REQUIRE_SHARED(path, "golden/rife_v4.6_random.pkl");
  const auto model = build_trainable(read_model_weights(path));
  const auto odd = torch::rand({1, 3, 48, 72});
  EXPECT_THROW(model->forward(odd, odd, torch::tensor({0.5})), Error);
}

}  // namespace
}  // namespace interp::test
