/// Timestamps to slots of the nominal frame grid (frame_grid.h).
#include "interp/pipeline/frame_grid.h"

#include <algorithm>
#include <cmath>

namespace interp::pipeline {

bool fills_gap(int64_t skipped, const ModelTraits& traits) {
  const int64_t span = skipped + 1;
  const bool reached_by_halving = (span & (span - 1)) == 0;
  return skipped >= 1 && skipped <= kLongestFilledGap && !traits.reads_neighbours() &&
         (traits.arbitrary_timestep || reached_by_halving);
}

FrameGrid::FrameGrid(double step, double rate, bool drops_late) : step_(step), rate_(rate), drops_late_(drops_late) {}

int64_t FrameGrid::skipped_before(std::optional<int64_t> pts) {
  if (step_ <= 0 || rate_ <= 0 || !pts) {
    ++slot_;
    return 0;
  }
  if (!origin_) {
    origin_ = *pts;
    slot_ = 0;
    return 0;
  }
  // Measured from the first frame, not the last, so that rounding never accumulates.
  const double position = std::round(static_cast<double>(*pts - *origin_) / step_);
  const double skipped = position - static_cast<double>(slot_) - 1;
  if (std::abs(skipped) > kDiscontinuitySeconds * rate_) {
    // The clock jumped (either way): this frame follows the last, and the grid goes on from it.
    ++discontinuities_;
    ++slot_;
    origin_ = *pts - std::llround(static_cast<double>(slot_) * step_);
    return 0;
  }
  // Earlier than the next slot: it takes that slot, as late as `-skipped` slots.
  if (drops_late_ && -skipped > static_cast<double>(kMostLagSlots)) {
    ++late_;
    return kLate;
  }
  const int64_t slots = std::max<int64_t>(0, static_cast<int64_t>(skipped));
  slot_ += slots + 1;
  return slots;
}

}  // namespace interp::pipeline
