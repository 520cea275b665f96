/// The grid a video's frames sit on, from their timestamps (frame_rate.h).
#include "interp/io/frame_rate.h"

extern "C" {
#include <libavutil/rational.h>
}

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace interp::io {

namespace {

/// Rates of cameras, phones, film, television, screen recorders and games, slowest
/// first: the candidates for the coarsest grid, and the exact values a measured step
/// snaps to.
constexpr std::array<Rational, 26> kCommonRates = {{
    {1, 1},   {2, 1},  {5, 1},  {6, 1},  {8, 1},  {10, 1}, {12, 1}, {25, 2}, {15, 1},           {20, 1},
    {24000, 1001},     {24, 1}, {25, 1}, {30000, 1001},    {30, 1}, {48, 1}, {50, 1}, {60000, 1001},
    {60, 1},  {72, 1}, {90, 1}, {100, 1}, {120000, 1001},  {120, 1}, {144, 1}, {240, 1},
}};

constexpr size_t kFewestDurations = 8;
constexpr int64_t kLongestCounted = 4;       ///< short durations; longer is a pause
constexpr double kFastestMeasured = 100000;  ///< frames a second: beyond is no camera's
constexpr double kSlotTolerance = 0.2;  ///< a duration within a fifth of a slot of a whole number of slots
constexpr double kShareOnGrid = 0.9;    ///< nine in ten durations on the grid: jitter and a stray frame allowed
constexpr double kSnap = 0.002;         ///< a measured step within 0.2% of a known rate is that rate
constexpr size_t kRunLength = 100;      ///< durations judged together for outrunning a grid

/// `to - from` for sorted timestamps, 0 where a hostile file's would not fit in 63 bits.
int64_t span(int64_t from, int64_t to) {
  const uint64_t d = static_cast<uint64_t>(to) - static_cast<uint64_t>(from);
  return d <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) ? static_cast<int64_t>(d) : 0;
}

/// Durations (or timestamps), one list per stretch of consecutive frames.
using Stretches = std::vector<std::vector<int64_t>>;

std::vector<int64_t> all_of(const Stretches& stretches) {
  std::vector<int64_t> all;
  for (const auto& s : stretches) all.insert(all.end(), s.begin(), s.end());
  return all;
}

/// Timestamp units per frame at `rate`; 0 when either is unknown.
double step_of(Rational rate, Rational time_base) {
  if (rate.num <= 0 || rate.den <= 0 || time_base.num <= 0 || time_base.den <= 0) return 0;
  return static_cast<double>(rate.den) * time_base.den / (static_cast<double>(rate.num) * time_base.num);
}

/// Whole slots of `step` that `duration` lasts, or 0 when it is not close to any or
/// lasts more than kLongestCounted (the grid is then far finer than the frames).
int64_t slots_of(double duration, double step) {
  const double slots = duration / step;
  const double whole = std::round(slots);
  const bool on_grid = whole >= 1 && whole <= kLongestCounted && std::abs(slots - whole) <= kSlotTolerance;
  return on_grid ? static_cast<int64_t>(whole) : 0;
}

/// The durations that are no pause: a pause (a screen recorder sends nothing while
/// nothing changes) lasts more than kLongestCounted of the frames' short durations (their
/// tenth percentile), and its length need not be a whole number of slots.
Stretches without_pauses(Stretches durations) {
  std::vector<int64_t> sorted = all_of(durations);
  const auto tenth = sorted.begin() + static_cast<std::ptrdiff_t>(sorted.size() / 10);
  std::nth_element(sorted.begin(), tenth, sorted.end());
  const double longest = (kLongestCounted + 0.5) * static_cast<double>(*tenth);
  for (auto& stretch : durations)
    stretch.erase(std::remove_if(stretch.begin(), stretch.end(),
                                 [&](int64_t d) { return static_cast<double>(d) > longest; }),
                  stretch.end());
  return durations;
}

/// Whether the frames outrun the grid of `step` somewhere: kRunLength consecutive
/// durations (a stretch's or all of a shorter one's) averaging under a slot. On such a
/// grid each of those frames would take the next slot and fall ever later, however few
/// of the sample they are; a stray quick frame, followed by a slower one, does not.
bool outruns(const Stretches& durations, double step) {
  for (const auto& stretch : durations)
    for (size_t from = 0; from < stretch.size(); from += kRunLength) {
      const size_t to = std::min(stretch.size(), from + kRunLength);
      if (to - from < kFewestDurations) continue;
      double time = 0;
      for (size_t i = from; i < to; ++i) time += static_cast<double>(stretch[i]);
      if (time < (1 - kSlotTolerance) * step * static_cast<double>(to - from)) return true;
    }
  return false;
}

/// The mean step of the durations, when nine in ten lie on the grid of `step` and no
/// run of them outruns it.
std::optional<double> step_on_grid(const Stretches& durations, double step) {
  if (step <= 0 || outruns(durations, step)) return std::nullopt;
  double time = 0;
  int64_t slots = 0;
  size_t on_grid = 0, counted = 0;
  for (const auto& stretch : durations)
    for (const int64_t d : stretch) {
      ++counted;
      const int64_t k = slots_of(static_cast<double>(d), step);
      if (k == 0) continue;
      time += static_cast<double>(d);
      slots += k;
      ++on_grid;
    }
  if (static_cast<double>(on_grid) < kShareOnGrid * static_cast<double>(counted)) return std::nullopt;
  return time / static_cast<double>(slots);
}

/// The mean step of the durations counted in whole slots of `step`, all but those about
/// half a slot off (a stray frame between two slots: its 0.5 and 1.5 slots would count as
/// 1 and 2), since the coarse grid's tolerance would bias it toward the durations that
/// fit it (jitter is symmetric).
double mean_step(const Stretches& stretches, double step) {
  constexpr double kStray = 0.35;  // slots off a whole number
  double time = 0;
  int64_t slots = 0;
  for (const int64_t d : all_of(stretches)) {
    const double k = std::round(static_cast<double>(d) / step);
    if (k < 1 || std::abs(static_cast<double>(d) / step - k) > kStray) continue;
    time += static_cast<double>(d);
    slots += static_cast<int64_t>(k);
  }
  return slots > 0 ? time / static_cast<double>(slots) : step;
}

/// The simplest fraction (smallest denominator up to 1001) within kSnap of `rate`.
std::optional<Rational> simplest_near(double rate) {
  if (!(rate > 0) || rate * 1001 > std::numeric_limits<int>::max()) return std::nullopt;
  for (int den = 1; den <= 1001; ++den) {
    const double num = std::round(rate * den);
    if (num >= 1 && std::abs(num / den - rate) <= kSnap * rate) return Rational{static_cast<int>(num), den};
  }
  return std::nullopt;
}

/// Of `rates`, the one whose step is nearest `step` among those from `shortest` to
/// `longest` (timestamp units).
std::optional<Rational> nearest(const std::vector<Rational>& rates, double step, Rational time_base, double shortest,
                                double longest) {
  std::optional<Rational> best;
  double best_error = 0;
  for (const Rational& rate : rates) {
    const double known = step_of(rate, time_base);
    if (known <= 0 || known < shortest || known > longest) continue;
    const double error = std::abs(known - step);
    if (!best || error < best_error) {
      best = rate;
      best_error = error;
    }
  }
  return best;
}

/// Where no grid holds the frames (a rate that varies smoothly, as phones' do in the
/// dark), the step of the fastest rate they keep up over kSustained frames (the tenth
/// percentile, so that a few quick frames do not set it). On a slower grid such frames
/// would fall ever later, since no frame is dropped; on this one every frame is within a
/// slot of its time.
std::optional<double> fastest_sustained_step(const Stretches& sorted_stretches) {
  constexpr size_t kSustained = 5;
  std::vector<double> steps;
  for (const auto& pts : sorted_stretches)
    for (size_t i = 0; i + kSustained < pts.size(); ++i)
      steps.push_back(static_cast<double>(span(pts[i], pts[i + kSustained])) / kSustained);
  if (steps.size() < kFewestDurations) return std::nullopt;
  const auto tenth = steps.begin() + static_cast<std::ptrdiff_t>(steps.size() / 10);
  std::nth_element(steps.begin(), tenth, steps.end());
  return *tenth > 0 ? std::optional<double>(*tenth) : std::nullopt;
}

}  // namespace

std::optional<Rational> grid_rate(std::vector<std::vector<int64_t>> stretches, Rational time_base,
                                  const std::vector<Rational>& stated) {
  if (time_base.num <= 0 || time_base.den <= 0) return std::nullopt;
  Stretches durations;
  for (auto& pts : stretches) {
    std::sort(pts.begin(), pts.end());  // presentation order: B-frames arrive out of it
    auto& stretch = durations.emplace_back();
    for (size_t i = 1; i < pts.size(); ++i)
      if (const int64_t d = span(pts[i - 1], pts[i]); d > 0) stretch.push_back(d);
  }
  if (all_of(durations).size() < kFewestDurations) return std::nullopt;
  durations = without_pauses(std::move(durations));
  if (all_of(durations).size() < kFewestDurations) return std::nullopt;

  std::vector<Rational> candidates(kCommonRates.begin(), kCommonRates.end());
  for (const Rational& rate : stated)
    if (step_of(rate, time_base) > 0) candidates.push_back(rate);
  std::sort(candidates.begin(), candidates.end(),
            [](const Rational& a, const Rational& b) { return a.value() < b.value(); });
  std::optional<double> step;
  for (const Rational& rate : candidates)  // the coarsest grid first: a finer one always fits
    if ((step = step_on_grid(durations, step_of(rate, time_base)))) break;
  const std::vector<Rational> common(kCommonRates.begin(), kCommonRates.end());
  if (step) {
    for (int round = 0; round < 2; ++round) step = mean_step(durations, *step);
    // The exact rate the step stands for: the container's when it states it, else a common one.
    const double shortest = *step * (1 - kSnap), longest = *step * (1 + kSnap);
    for (const auto& rates : {stated, common})
      if (const auto rate = nearest(rates, *step, time_base, shortest, longest)) return rate;
  } else {
    if (!(step = fastest_sustained_step(stretches))) return std::nullopt;
    // Not much slower than the frames (5%: the estimate's noise), nor a quarter faster.
    const double shortest = *step * 0.8, longest = *step * 1.05;
    for (const auto& rates : {stated, common})
      if (const auto rate = nearest(rates, *step, time_base, shortest, longest)) return rate;
  }
  const double rate = static_cast<double>(time_base.den) / (*step * time_base.num);
  if (!(rate > 0 && rate < kFastestMeasured)) return std::nullopt;
  if (const auto simple = simplest_near(rate)) return simple;
  const AVRational measured = av_d2q(rate, 100000);
  return Rational{measured.num, measured.den};
}

}  // namespace interp::io
