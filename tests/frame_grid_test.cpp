// Timestamps onto the nominal frame grid (frame_grid.h): held slots, early frames,
// jitter, untimed frames and discontinuities (no model, no files).
#include "interp/pipeline/frame_grid.h"

#include <gtest/gtest.h>

#include <vector>

namespace interp::pipeline {
namespace {

/// Slots held before each of `pts`, on a grid of `step` units at `rate` fps.
std::vector<int64_t> held(double step, double rate, const std::vector<std::optional<int64_t>>& pts) {
  FrameGrid grid(step, rate);
  std::vector<int64_t> out;
  for (const auto& p : pts) out.push_back(grid.skipped_before(p));
  return out;
}

TEST(FrameGrid, EvenFramesHoldNothingWhateverTheirJitterAndStart) {
  // 24000/1001 fps in Matroska's milliseconds: steps of 41 and 42, from a start of 1000.
  std::vector<std::optional<int64_t>> pts;
  for (int i = 0; i < 500; ++i) pts.push_back(1000 + (i * 1001 + 12) / 24);
  EXPECT_EQ(held(1001.0 / 24, 24000.0 / 1001, pts), std::vector<int64_t>(500, 0));
}

TEST(FrameGrid, AGapIsHeldByTheFrameBeforeSoLaterFramesKeepTheirTime) {
  // 25 fps in a 1/25 time base: frames 0 1 2, then nothing until 6, then 7; 10.4 rounds to 10.
  EXPECT_EQ(held(1, 25, {0, 1, 2, 6, 7}), (std::vector<int64_t>{0, 0, 0, 3, 0}));
  EXPECT_EQ(held(40, 25, {0, 40, 80, 416, 440}), (std::vector<int64_t>{0, 0, 0, 7, 0}));
}

TEST(FrameGrid, EarlyFramesAreNeverDroppedAndTheGridCatchesUpAfterThem) {
  // Two frames in one slot (a rate above the nominal), then one that is due two slots
  // after the first: it is not held, for the early frame took that slot.
  EXPECT_EQ(held(40, 25, {0, 40, 50, 120, 240}), (std::vector<int64_t>{0, 0, 0, 0, 2}));
}

TEST(FrameGrid, UntimedFramesAndUnknownRatesHoldNothing) {
  EXPECT_EQ(held(40, 25, {0, std::nullopt, 400, std::nullopt}), (std::vector<int64_t>{0, 0, 8, 0}));
  EXPECT_EQ(held(0, 0, {0, 400, 800}), (std::vector<int64_t>{0, 0, 0}));
}

TEST(FrameGrid, AJumpOfMoreThanTenSecondsIsADiscontinuityNotAPause) {
  FrameGrid grid(1, 25);
  for (int64_t pts : {0, 1, 2}) EXPECT_EQ(grid.skipped_before(pts), 0);
  EXPECT_EQ(grid.skipped_before(2 + 250), 249);  // 10 s: still a pause
  EXPECT_EQ(grid.skipped_before(253 + 252), 0);  // 10.04 s: a jump
  EXPECT_EQ(grid.skipped_before(506), 0);        // the grid goes on from the frame after it
  EXPECT_EQ(grid.skipped_before(509), 2);
  EXPECT_EQ(grid.skipped_before(5), 0);  // back in time: a jump too
  EXPECT_EQ(grid.skipped_before(7), 1);
  EXPECT_EQ(grid.discontinuities(), 2);
}

}  // namespace
}  // namespace interp::pipeline
