// What counts as a scene cut (pair_interpolator.h: is_scene_cut): the luma difference
// and the brightness histogram must both change; and whose luma the pair skips judge.
#include "interp/pipeline/pair_interpolator.h"

#include "blend_model.h"
#include "interp/io/full_swing.h"

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

// Frames read with full swing (io/full_swing.h) hold limited-range codes, 219/255 of the
// picture's contrast: the pair's thresholds still judge the picture (PairOptions::luma),
// so a run to a video and a run to pictures skip the same pairs.
TEST(SceneCuts, FullSwingFramesAreJudgedAsThePicture) {
  const io::FullSwing swing;  // 8-bit limited range
  const auto codes = [&](const torch::Tensor& picture) { return (picture + swing.black) / swing.luma_gain; };
  const auto a = torch::full({1, 3, 64, 64}, 0.5);
  auto b = a.clone();
  b.slice(2, 0, 16).slice(3, 0, 16).add_(kDefaultStaticThreshold * 1.1);  // one block moves: not still
  const std::vector<OutputSlot> slots = {{0, 0.0, 0, 2}, {1, 0.5, 1, 2}};
  for (const bool judged_as_picture : {false, true}) {
    test::BlendModel model;
    PairOptions options;
    if (judged_as_picture) options.luma = {swing.luma_gain, swing.black};
    PairInterpolator pairs(model, options);
    const auto made = pairs.between({{FrameWindow::of_pair(codes(a), codes(b), model.traits()), slots}});
    EXPECT_EQ(made.at(0).still, !judged_as_picture) << "the codes alone differ by less than the threshold";
    EXPECT_EQ(model.calls, judged_as_picture ? 1 : 0);
  }
}

}  // namespace
}  // namespace interp::pipeline
