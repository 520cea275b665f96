// grid_rate: the rate whose grid a video's frames sit on, from their timestamps
// (io/frame_rate.h), where the container's two rates disagree.
#include "interp/io/frame_rate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

namespace interp::test {
namespace {
using io::grid_rate;
using io::Rational;

/// Timestamps in `tb` units of frames on the grid of `rate`, at the given slots.
std::vector<int64_t> at_slots(const std::vector<int64_t>& slots, Rational rate, Rational tb) {
  std::vector<int64_t> pts;
  for (const int64_t slot : slots)
    pts.push_back(
        std::llround(static_cast<double>(slot) * rate.den * tb.den / (static_cast<double>(rate.num) * tb.num)));
  return pts;
}
/// Millisecond timestamps of `count` frames, the i-th lasting duration_ms(i).
std::vector<int64_t> timed(int count, const std::function<double(int)>& duration_ms) {
  std::vector<int64_t> pts;
  double time = 0;
  for (int i = 0; i < count; ++i) {
    pts.push_back(std::llround(time));
    time += duration_ms(i);
  }
  return pts;
}
void expect_rate(const std::optional<Rational>& got, Rational want) {
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->num * int64_t{want.den}, want.num * int64_t{got->den}) << got->num << "/" << got->den;
}

TEST(GridRate, APhoneHalvingItsRateInTheDarkKeepsTheFullRate) {
  // 30 fps for 20 frames, then every other slot for 30: the average (19 fps) fits neither.
  std::vector<int64_t> slots;
  for (int64_t i = 0; i < 20; ++i) slots.push_back(i);
  for (int64_t i = 0; i < 30; ++i) slots.push_back(20 + 2 * i);
  const Rational tb{1, 15360};
  expect_rate(grid_rate({at_slots(slots, {30, 1}, tb)}, tb, {{30, 1}, {250, 13}}), {30, 1});
  // Mostly dark: one duration in seven at the full rate still sets the grid.
  slots.clear();
  for (int64_t i = 0; i < 60; ++i) slots.push_back(i % 7 == 0 ? 3 * i - 1 : 3 * i);
  expect_rate(grid_rate({at_slots(slots, {30, 1}, tb)}, tb, {}), {30, 1});
}

TEST(GridRate, FrameOrderAndMillisecondRoundingGiveTheExactNominalRate) {
  const Rational ms{1, 1000};
  std::vector<int64_t> slots;
  for (int64_t i = 0; i < 200; ++i) slots.push_back(i);
  std::vector<int64_t> pts = at_slots(slots, {30000, 1001}, ms);  // 33, 34, 33 ... ms
  std::swap(pts[5], pts[6]);                                      // B-frames arrive out of order
  expect_rate(grid_rate({pts}, ms, {}), {30000, 1001});
  expect_rate(grid_rate({at_slots(slots, {24000, 1001}, ms)}, ms, {}), {24000, 1001});
  expect_rate(grid_rate({at_slots(slots, {25, 1}, ms)}, ms, {}), {25, 1});
}

TEST(GridRate, AFittedRateTwiceTheRealOneIsNotTheGrid) {
  // H.264 timed by fields: r_frame_rate 60000/1001 for a 29.97 fps video with a few gaps.
  std::vector<int64_t> slots;
  for (int64_t i = 0; i < 100; ++i)
    if (i % 10 != 5) slots.push_back(i);
  const Rational tb{1, 90000};
  expect_rate(grid_rate({at_slots(slots, {30000, 1001}, tb)}, tb, {{60000, 1001}, {27000, 1001}}), {30000, 1001});
}

TEST(GridRate, JitterAroundARateIsThatRate) {
  // A webcam's frames, each up to 15% early or late around 30 fps, in milliseconds.
  std::mt19937 random(7);
  std::uniform_real_distribution<double> jitter(-0.15, 0.15);
  std::vector<int64_t> pts;
  for (int i = 0; i < 300; ++i) pts.push_back(std::llround((i + jitter(random)) * 1000.0 / 30));
  expect_rate(grid_rate({pts}, {1, 1000}, {{1000, 1}, {30, 1}}), {30, 1});
}

TEST(GridRate, PausesOfAnyLengthLeaveTheGridAlone) {
  // A screen recording at 30 fps, in milliseconds, that sent nothing for 0.2-3 s after
  // every third frame while nothing changed.
  std::mt19937 random(5);
  std::uniform_int_distribution<int64_t> pause(200, 3000);
  const auto pts = timed(150, [&](int i) { return i % 3 == 2 ? static_cast<double>(pause(random)) : 1000.0 / 30; });
  // Its average says nothing; a container's absurd fitted rate fits every duration.
  expect_rate(grid_rate({pts}, {1, 1000}, {{1000, 1}, {50, 29}}), {30, 1});
}

TEST(GridRate, ARateNoListNamesIsMeasured) {
  std::vector<int64_t> slots;
  for (int64_t i = 0; i < 40; ++i) slots.push_back(i);
  expect_rate(grid_rate({at_slots(slots, {7, 1}, {1, 1000})}, {1, 1000}, {}), {7, 1});
}

TEST(GridRate, ARateThatVariesSmoothlyIsTimedOnTheFastestItKeepsUp) {
  // A phone: 150 frames at 30 fps, then 150 whose durations drift anywhere from 34 to 66 ms
  // as the light fades; no grid holds them (and a grid of 120 fps, on which the first
  // last 4 slots, must not call the others pauses). The average (22 fps) would put the
  // first 150 ever later; 30 keeps every frame within a slot. FFmpeg fits 240 to such a clip.
  std::mt19937 random(11);
  std::uniform_real_distribution<double> dark(34, 66);
  auto pts = timed(300, [&](int i) { return i < 150 ? 1000.0 / 30 : dark(random); });
  expect_rate(grid_rate({pts}, {1, 1000}, {{240, 1}, {22, 1}}), {30, 1});
  expect_rate(grid_rate({pts}, {1, 1000}, {{30, 1}, {22, 1}}), {30, 1});
  expect_rate(grid_rate({pts}, {1, 1000}, {{22, 1}}), {30, 1});  // the slower stated rate is not taken
  // Durations with no rate in them: the fastest kept up, not the container's absurd one.
  std::uniform_int_distribution<int64_t> duration(10, 400);
  pts = {0};
  for (int i = 0; i < 200; ++i) pts.push_back(pts.back() + duration(random));
  const auto rate = grid_rate({pts}, {1, 1000}, {{1000, 1}});
  ASSERT_TRUE(rate.has_value());
  EXPECT_GT(rate->value(), 4);
  EXPECT_LT(rate->value(), 15);
}

TEST(GridRate, AStretchAtTheFullRateSetsTheGridHoweverFewItsFrames) {
  // A phone clip that opens in the dark at 15 fps and reaches 30 for a while later on,
  // sampled as interp samples it (frame_rate.h): 600 frames from the start, then 100 from
  // each of 6 points, one of them bright. Nine in ten durations fit 15 fps, on whose grid
  // every bright frame would take the next slot and fall ever later (1 s every 2 s).
  const Rational tb{1, 90000};
  const auto run = [&](int64_t first_slot, int64_t frames, int64_t slots_each) {
    std::vector<int64_t> slots;
    for (int64_t i = 0; i < frames; ++i) slots.push_back(first_slot + slots_each * i);
    return at_slots(slots, {30, 1}, tb);
  };
  std::vector<std::vector<int64_t>> sample = {run(0, 600, 2)};
  for (int point = 1; point <= 6; ++point) sample.push_back(run(3000 * point, 100, point == 4 ? 1 : 2));
  expect_rate(grid_rate({sample[0]}, tb, {{15, 1}, {22, 1}}), {15, 1});  // the opening alone
  expect_rate(grid_rate(sample, tb, {{15, 1}, {22, 1}}), {30, 1});
  // The same bright frames as strays among the dark ones (one quick frame, then a slower
  // one) outrun no grid: 15 fps holds.
  std::vector<int64_t> slots;
  for (int64_t i = 0; i < 600; ++i) slots.push_back(2 * i + (i % 25 == 5 ? -1 : 0));
  expect_rate(grid_rate({at_slots(slots, {30, 1}, tb)}, tb, {{15, 1}, {22, 1}}), {15, 1});
}

TEST(GridRate, TooFewFramesOrNoTimeBaseSaySo) {
  EXPECT_FALSE(grid_rate({{0, 33, 67, 100, 133}}, {1, 1000}, {}).has_value());  // 4 durations
  EXPECT_FALSE(grid_rate({{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}}, {0, 1}, {}).has_value());
}

}  // namespace
}  // namespace interp::test
