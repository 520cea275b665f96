// Timestamps onto the nominal frame grid (frame_grid.h): held slots, early frames,
// jitter, untimed frames and discontinuities (no model, no files); a piece's place on it.
#include "interp/pipeline/frame_grid.h"
#include "interp/pipeline/job.h"

#include <gtest/gtest.h>

#include <vector>

namespace interp::pipeline {
namespace {

/// Slots held before each of `pts`, on a grid of `step` units at `rate` fps.
std::vector<int64_t> held(double step, double rate, const std::vector<std::optional<int64_t>>& pts,
                          bool drops_late = false) {
  FrameGrid grid(step, rate, drops_late);
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

TEST(FrameGrid, EarlyFramesTakeTheNextSlotAndTheGridCatchesUpAfterThem) {
  // Two frames in one slot (a rate above the nominal), then one that is due two slots
  // after the first: it is not held, for the early frame took that slot.
  EXPECT_EQ(held(40, 25, {0, 40, 50, 120, 240}), (std::vector<int64_t>{0, 0, 0, 0, 2}));
}

TEST(FrameGrid, WhereTheRateWasJudgedOnTheOpeningAFrameMoreThanASlotLateIsDropped) {
  // 25 fps in milliseconds, then twice as fast: without drops each frame would take
  // the next slot, ever later (the last one 3 slots behind); with them every frame keeps
  // within a slot of its time.
  const std::vector<std::optional<int64_t>> faster{0, 40, 80, 100, 120, 140, 160, 180, 200};  // in ms
  EXPECT_EQ(held(40, 25, faster), std::vector<int64_t>(9, 0));
  EXPECT_EQ(held(40, 25, faster, true),
            (std::vector<int64_t>{0, 0, 0, 0, 0, 0, FrameGrid::kLate, 0, FrameGrid::kLate}));
  FrameGrid grid(40, 25, true);
  for (const auto& p : faster) grid.skipped_before(p);
  EXPECT_EQ(grid.late(), 2);
  EXPECT_EQ(grid.slot(), 6);  // 200 ms is slot 5: one behind (without drops, slot 8)
  // Early by one slot (jitter) is kept, as without drops, and so is a gap after it.
  EXPECT_EQ(held(40, 25, {0, 40, 50, 120, 240}, true), (std::vector<int64_t>{0, 0, 0, 0, 2}));
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

TEST(FrameGrid, APieceIsPlacedWhereTheWholeRunPutsItsFrames) {
  // Frame 2 is early (it takes slot 2), frame 4 skips two slots: slots 0 1 2 3 6 7.
  const std::vector<std::optional<int64_t>> pts{0, 40, 50, 120, 240, 280};
  auto placed = place_piece(FrameGrid(40, 25), pts, FrameRange{3, 5});
  EXPECT_EQ(placed.first_slot, 3);
  EXPECT_EQ(placed.end_slot, 7);  // frame 5's slot, where the next piece starts
  // The grid is left as the whole run leaves it before the piece's source (its lead,
  // frame 2): the piece then reads frames 2, 3, ... through it.
  EXPECT_EQ(placed.grid.slot(), 1);
  EXPECT_EQ(placed.grid.skipped_before(50), 0);
  EXPECT_EQ(placed.grid.skipped_before(120), 0);
  EXPECT_EQ(placed.grid.skipped_before(240), 2);
  // To the end: one past the last frame's slot; from 0: the fresh grid.
  EXPECT_EQ(place_piece(FrameGrid(40, 25), pts, FrameRange{4, 0}).end_slot, 8);
  placed = place_piece(FrameGrid(40, 25), pts, FrameRange{0, 4});
  EXPECT_EQ(placed.first_slot, 0);
  EXPECT_EQ(placed.end_slot, 6);
  EXPECT_EQ(placed.grid.slot(), -1);
}

}  // namespace
}  // namespace interp::pipeline
