// A pair whose frames are more than one input spacing apart (a gap in the input's
// timestamps: frame_grid.h) fills the gap: its in-betweens are made over the whole span,
// with a model whose output is known ((1-t)a + tb), in batches or not, by a model that
// takes any time (thirds go direct even where the job recurses) or by recursion.
#include "blend_model.h"
#include "interp/pipeline/frame_grid.h"
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/slot_loop.h"

#include <gtest/gtest.h>

namespace interp::test {
namespace {
using namespace interp::pipeline;

io::Image flat(int value) {
  io::Image image;
  image.allocate(8, 6, 3, 8);
  std::fill(image.data.begin(), image.data.end(), static_cast<uint8_t>(value));
  return image;
}

/// (index, copy, value) of every output of `frames` (value, spacing) at `ratio`.
std::vector<std::tuple<int64_t, bool, int>> outputs(BlendModel& model, TimingMode mode, int batch,
                                                    const std::vector<std::pair<int, int64_t>>& frames) {
  PairOptions options;
  options.mode = mode;
  options.batch = batch;
  options.skip.scene = 0;
  options.skip.still = 0;
  PairInterpolator pairs(model, options);
  const Timeline timeline({2, 1});
  SlotLoop loop(pairs, timeline, /*repeat_tail=*/true);
  std::vector<std::tuple<int64_t, bool, int>> out;
  const SlotLoop::Emit emit = [&](OutputFrame&& f) {
    out.emplace_back(f.index, f.copy != nullptr, (f.copy ? *f.copy : f.made).data.front());
    return true;
  };
  for (const auto& [value, spacing] : frames) {
    const auto image = flat(value);
    EXPECT_TRUE(loop.push({image, to_tensor(image, torch::kCPU, torch::kFloat32), spacing}, emit));
  }
  EXPECT_TRUE(loop.finish(emit));
  EXPECT_EQ(loop.input_frames(), static_cast<int64_t>(frames.size()));  // a filled gap is no input frame
  return out;
}

TEST(GapFill, AGapOfTwoIsMadeInSixthsOverTheSpanInBatchesOrNot) {
  // 0, 60, then 180 three spacings later (2 frames missing), then 240; 2x by recursion.
  const std::vector<std::pair<int, int64_t>> frames = {{0, 1}, {60, 1}, {180, 3}, {240, 1}};
  const std::vector<std::tuple<int64_t, bool, int>> expected = {
      {0, true, 0},    {1, false, 30},  {2, true, 60},   {3, false, 80},  {4, false, 100}, {5, false, 120},
      {6, false, 140}, {7, false, 160}, {8, true, 180},  {9, false, 210}, {10, true, 240}, {11, true, 240}};
  for (const int batch : {1, 3}) {
    BlendModel model;
    EXPECT_EQ(outputs(model, TimingMode::Recursive, batch, frames), expected) << batch;
    // 1 + 5 + 1 frames made; with batches of 3, the sixths (direct) and the midpoint
    // (recursive) beside them go in passes of their own: 1, 3 + 2, then 1.
    EXPECT_EQ(model.calls, batch == 1 ? 7 : 4) << batch;
  }
  BlendModel direct;
  EXPECT_EQ(outputs(direct, TimingMode::Direct, 1, frames), expected);
}

TEST(GapFill, AMidpointModelFillsAGapOfOneByRecursionInQuarters) {
  ModelTraits midpoints;
  midpoints.arbitrary_timestep = false;
  BlendModel model(torch::kCPU, midpoints);
  const std::vector<std::tuple<int64_t, bool, int>> expected = {
      {0, true, 0}, {1, false, 25}, {2, false, 50}, {3, false, 75}, {4, true, 100}, {5, true, 100}};
  EXPECT_EQ(outputs(model, TimingMode::Recursive, 1, {{0, 1}, {100, 2}}), expected);
  EXPECT_EQ(model.calls, 3);  // 1/2, then 1/4 and 3/4 from it
}

TEST(GapFill, ShortGapsAreFilledWhereTheModelReachesTheirTimesLongerOnesHeld) {
  ModelTraits any_time, midpoints, window;
  midpoints.arbitrary_timestep = false;
  window.frames_before = window.frames_after = 1;
  for (int64_t skipped = 1; skipped <= kLongestFilledGap; ++skipped) EXPECT_TRUE(fills_gap(skipped, any_time));
  EXPECT_FALSE(fills_gap(0, any_time));
  EXPECT_FALSE(fills_gap(kLongestFilledGap + 1, any_time));  // a pause, held
  EXPECT_TRUE(fills_gap(1, midpoints));                       // halves
  EXPECT_FALSE(fills_gap(2, midpoints));                      // thirds
  EXPECT_TRUE(fills_gap(3, midpoints));                       // quarters
  EXPECT_FALSE(fills_gap(1, window));  // its neighbours would not be evenly spaced
}

}  // namespace
}  // namespace interp::test
