// What counts as a scene cut (pair_interpolator.h: is_scene_cut): the luma difference
// and the brightness histogram must both change; and whose luma the pair skips judge.
#include "interp/pipeline/pair_interpolator.h"

#include "blend_model.h"
#include "interp/io/full_swing.h"
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/slot_loop.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <optional>
#include <string>
#include <vector>

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

/// A picture (every sample `base` + 0..49, so none is flat) and its tensor.
InputFrame picture(int base) {
  io::Image image;
  image.allocate(8, 6, 3, 8);
  for (size_t i = 0; i < image.data.size(); ++i) image.data[i] = static_cast<uint8_t>(base + i % 50);
  return {image, to_tensor(image, torch::kCPU, torch::kFloat32)};
}

/// The first sample of each in-between of `frames` at 2x (`lead`: a piece's frame before
/// its first, context only), with `batch` frames per forward pass.
std::vector<int> midpoints(const std::vector<int>& frames, int batch, std::optional<int> lead = std::nullopt) {
  test::BlendModel model;
  PairOptions options;
  options.batch = batch;
  PairInterpolator pairs(model, options);
  const Timeline timeline({2, 1});
  SlotLoop loop(pairs, timeline, /*repeat_tail=*/false);
  std::vector<int> made;
  const SlotLoop::Emit emit = [&](OutputFrame&& f) {
    if (!f.copy) made.push_back(f.made.data.front());
    return true;
  };
  if (lead) loop.push_context(picture(*lead).tensor);
  for (const int base : frames) EXPECT_TRUE(loop.push(picture(base), emit));
  EXPECT_TRUE(loop.finish(emit));
  EXPECT_EQ(model.calls, 0) << "every pair is a cut or still";
  return made;
}

// At a cut's midpoint either frame could be the dropped one. A frame that stands alone
// between two of one shot (a flash, a frame-long glitch) is not repeated there: the shot
// around it is; between two shots the first is, as before — whatever the batch, and in a
// piece whose lead frame is the one before.
TEST(SceneCuts, AFrameThatStandsAloneIsNotRepeatedAtTheMidpointAfterIt) {
  constexpr int shot = 20, flash = 180, other_shot = 100;
  for (const int batch : {1, 4}) {
    SCOPED_TRACE("batch " + std::to_string(batch));
    EXPECT_EQ(midpoints({shot, flash, shot}, batch), (std::vector<int>{shot, shot})) << "a flash in a shot";
    EXPECT_EQ(midpoints({shot, flash, other_shot}, batch), (std::vector<int>{shot, flash})) << "a one-frame shot";
    EXPECT_EQ(midpoints({flash, shot}, batch), (std::vector<int>{flash})) << "nothing before it: the first";
    EXPECT_EQ(midpoints({flash, shot}, batch, shot), (std::vector<int>{shot})) << "a piece's lead frame tells";
  }
}

}  // namespace
}  // namespace interp::pipeline
