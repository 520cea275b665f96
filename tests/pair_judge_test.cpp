// The skip rules' verdicts (pair_judge.h): a batch judged in one go gives each pair the
// verdict it gets alone, and neither the judge nor a batch of pairs asks the device for a
// number one at a time (each ask is a wait for a GPU). On whichever device the tests run
// (INTERP_TEST_DEVICE=cuda on a GPU box).
#include "blend_model.h"
#include "interp/pipeline/pair_interpolator.h"

#include "test_support.h"

#include <ATen/record_function.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <atomic>
#include <cstring>

namespace interp::pipeline {
namespace {

/// Reads of one number from a tensor (what .item() runs: on a GPU, a wait for it)
/// while a ReadCounter is installed.
std::atomic<int> scalar_reads{0};

std::unique_ptr<at::ObserverContext> count_reads(const at::RecordFunction& fn) {
  if (std::strcmp(fn.name(), "aten::_local_scalar_dense") == 0) ++scalar_reads;
  return nullptr;
}

/// Counts the scalar reads of the ops run in its scope, on this thread.
class ReadCounter {
 public:
  ReadCounter() : handle_(at::addThreadLocalCallback(at::RecordFunctionCallback(count_reads))) {
    scalar_reads = 0;
  }
  ~ReadCounter() { at::removeCallback(handle_); }

 private:
  at::CallbackHandle handle_;
};

/// A smooth picture (so a slide is motion, not a cut) moved `shift` pixels right.
torch::Tensor picture(int64_t shift, int64_t seed = 1) {
  torch::manual_seed(seed);
  const auto coarse = torch::rand({1, 3, 9, 12});
  const auto smooth = torch::upsample_bilinear2d(coarse, {72, 96}, false);
  return torch::roll(smooth, shift, 3).to(test::test_device());
}

struct Frames {
  torch::Tensor a = picture(0), moved = picture(2), held = picture(0), other_shot = picture(0, 7),
                black = torch::zeros_like(picture(0));
};

TEST(PairJudge, ABatchGivesEachPairTheVerdictItGetsAlone) {
  const Frames f;
  const std::vector<std::pair<torch::Tensor, torch::Tensor>> pairs = {
      {f.a, f.moved}, {f.moved, f.held}, {f.a, f.held}, {f.held, f.other_shot}, {f.black, f.a}, {f.a, f.black}};
  PairJudge batch({}, {});
  for (const auto& [a, b] : pairs) batch.add(a, b);
  batch.add(f.a, f.moved);  // again: judged once
  {
    const ReadCounter counter;
    batch.judge();
    EXPECT_EQ(scalar_reads.load(), 0) << "every number of the batch comes over in one copy";
  }
  for (const auto& [a, b] : pairs) {
    PairJudge alone({}, {});
    alone.add(a, b);
    alone.judge();
    const PairVerdict &in_batch = batch.verdict(a, b), &single = alone.verdict(a, b);
    EXPECT_EQ(in_batch.cut, single.cut);
    EXPECT_EQ(in_batch.still, single.still);
    EXPECT_EQ(in_batch.midpoint_takes_b, single.midpoint_takes_b);
    EXPECT_EQ(in_batch.cut, is_scene_cut(a, b, kDefaultSceneThreshold));
    EXPECT_EQ(in_batch.still, !in_batch.cut && still_score(a, b) <= kDefaultStaticThreshold);
  }
  EXPECT_FALSE(batch.verdict(f.a, f.moved).cut || batch.verdict(f.a, f.moved).still) << "motion";
  EXPECT_TRUE(batch.verdict(f.a, f.held).still);
  EXPECT_TRUE(batch.verdict(f.held, f.other_shot).cut);
  EXPECT_FALSE(batch.verdict(f.held, f.other_shot).midpoint_takes_b) << "both show a picture: the first";
  EXPECT_TRUE(batch.verdict(f.black, f.a).midpoint_takes_b) << "from black: the picture";
  EXPECT_FALSE(batch.verdict(f.a, f.black).midpoint_takes_b) << "to black: the picture";
  EXPECT_ANY_THROW(batch.verdict(f.moved, f.a)) << "never judged";
}

TEST(PairJudge, RulesSwitchedOffLetEveryPairThrough) {
  const Frames f;
  PairJudge judge(SkipThresholds::none(), {});
  judge.add(f.a, f.held);
  judge.add(f.held, f.other_shot);
  judge.judge();
  EXPECT_FALSE(judge.verdict(f.a, f.held).still);
  EXPECT_FALSE(judge.verdict(f.held, f.other_shot).cut);
}

// The whole batch of a flush, the window model's neighbours included: no number is read
// from the device alone (the old code read two to four per pair, one wait each).
TEST(PairJudge, ABatchOfPairsReadsNoNumberAlone) {
  const Frames f;
  ModelTraits traits;
  traits.frames_before = traits.frames_after = 1;
  test::BlendModel model(test::test_device(), traits);
  PairOptions options;
  options.batch = 4;
  PairInterpolator pairs(model, options);
  const std::vector<torch::Tensor> clip = {f.a, f.moved, picture(4), picture(6), f.other_shot, f.held};
  std::vector<PairRequest> requests;
  for (size_t k = 0; k + 1 < clip.size(); ++k) {
    std::vector<torch::Tensor> window;
    for (int j = -1; j <= 2; ++j) window.push_back(clip[std::clamp<int64_t>(int64_t(k) + j, 0, clip.size() - 1)]);
    const int64_t first = 2 * int64_t(k);
    requests.push_back({FrameWindow(window, 1), {{first, 0.0, 0, 1}, {first + 1, 0.5, 1, 2}}});
  }
  std::vector<PairFrames> made;
  {
    const ReadCounter counter;
    made = pairs.between(requests);
    EXPECT_EQ(scalar_reads.load(), 0);
  }
  ASSERT_EQ(made.size(), requests.size());
  EXPECT_TRUE(made[3].cut) << "into the other shot";
  EXPECT_TRUE(made[4].cut) << "and back";
  for (size_t k = 0; k < 3; ++k) EXPECT_FALSE(made[k].cut || made[k].still) << k;
  EXPECT_EQ(model.calls, 1) << "the three moving pairs in one forward pass";
}

}  // namespace
}  // namespace interp::pipeline
