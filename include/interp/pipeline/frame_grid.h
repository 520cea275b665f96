#pragma once
/// Where a video's frames fall on its nominal frame grid. interp times its output by
/// frame index (output k at k / rate), so a frame whose timestamp skips slots of the
/// grid (a variable-frame-rate video: phones lowering the rate in the dark, screen
/// recorders and browsers sending no frame while nothing changes; or frames lost to
/// damaged packets) would be shown early, and everything after it and the audio would
/// drift. Instead every frame keeps its time: a gap of up to kLongestFilledGap slots
/// (a dropped frame, a camera halving its rate in the dark) is filled by the pair around
/// it, in-betweens made over the whole span; a longer one is a pause (a screen recorder
/// sends nothing while nothing changes), held by the frame before, as a player shows it
/// (on screen until the next one). A frame earlier than its slot (a rate above the
/// nominal one) takes the next slot; it is dropped only where the grid was chosen from
/// the opening frames alone (a pipe, io/frame_rate.h) and would fall more than
/// kMostLagSlots behind its time: a rate that rises later would otherwise put every frame
/// after it ever later, and the audio out of sync (a file's grid is chosen from
/// timestamps spread over all of it, so that no run of its frames outruns the grid; and
/// pieces must place frames as the whole run does, which dropping by lag would break).
/// A jump of more than kDiscontinuitySeconds either way (MPEG-TS clock resets, joined
/// recordings) is a discontinuity, not a pause: nothing is skipped, and the grid goes on
/// from the frame after it (ffmpeg's -dts_delta_threshold is also 10 s).
#include "interp/core/model_traits.h"

#include <cstdint>
#include <optional>

namespace interp::pipeline {

inline constexpr double kDiscontinuitySeconds = 10;
inline constexpr int64_t kLongestFilledGap = 3;
inline constexpr int64_t kMostLagSlots = 1;

/// Whether a pair `skipped` slots apart is filled by the model: the gap is short, the
/// model reads no neighbours (they would be unevenly spaced) and makes the times
/// (a midpoint model only reaches them across a gap of 1 or 3 slots: halves and quarters).
bool fills_gap(int64_t skipped, const ModelTraits& traits);

class FrameGrid {
 public:
  /// `step`: one frame of the nominal rate, `rate` frames a second, in timestamp units;
  /// step <= 0 (pictures, an unknown rate) skips nothing. `drops_late`: a frame that
  /// would fall more than kMostLagSlots behind its time is dropped (see above).
  FrameGrid(double step, double rate, bool drops_late = false);

  /// skipped_before() of a frame dropped for coming too late: it takes no slot.
  static constexpr int64_t kLate = -1;

  /// Slots skipped before the frame at `pts` (nullopt: no timestamp), 0 for the first:
  /// the job fills or holds them; or kLate.
  int64_t skipped_before(std::optional<int64_t> pts);

  /// The slot of the last frame placed (-1 before the first).
  int64_t slot() const { return slot_; }

  /// Timestamp jumps taken as discontinuities so far.
  int64_t discontinuities() const { return discontinuities_; }

  /// Frames dropped so far for coming too late (kLate).
  int64_t late() const { return late_; }

 private:
  double step_;
  double rate_;
  bool drops_late_;
  int64_t late_ = 0;
  std::optional<int64_t> origin_;  ///< the first frame's timestamp: slot 0
  int64_t slot_ = -1;              ///< the last frame's slot
  int64_t discontinuities_ = 0;
};

}  // namespace interp::pipeline
