// What counts as a scene cut (pair_interpolator.h: is_scene_cut): the luma difference
// and the brightness histogram must both change.
#include "interp/pipeline/pair_interpolator.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

namespace interp::pipeline {
namespace {

// White lines of text scrolling up a dark ground (end credits) change the picture's luma a
// lot and its histogram hardly at all: motion, not a cut. Another shot changes both.
TEST(SceneCuts, ScrollingCreditsAreMotionAnotherShotIsACut) {
  const auto credits = [](int64_t shift) {
    auto frame = torch::full({1, 3, 144, 256}, 0.08);
    for (int64_t y = 20; y < 135; y += 22)  // a line of text every 22 rows, 9 rows tall
      frame.slice(2, y - shift, y - shift + 9).slice(3, 20, 236).fill_(0.95);
    return frame;
  };
  const auto a = credits(0), b = credits(6);
  EXPECT_GT(scene_change_score(a, b), kDefaultSceneThreshold) << "the old rule called this a cut";
  EXPECT_LT(histogram_change(a, b), kCutHistogramChange / 2);
  EXPECT_FALSE(is_scene_cut(a, b, kDefaultSceneThreshold));
  torch::manual_seed(3);
  const auto other_shot = torch::rand({1, 3, 144, 256}) * 0.5 + 0.3;
  EXPECT_GT(histogram_change(a, other_shot), 2 * kCutHistogramChange);
  EXPECT_TRUE(is_scene_cut(a, other_shot, kDefaultSceneThreshold));
  EXPECT_FALSE(is_scene_cut(a, other_shot, 0)) << "0 disables";
}

}  // namespace
}  // namespace interp::pipeline
