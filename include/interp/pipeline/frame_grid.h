#pragma once
/// Where a video's frames fall on its nominal frame grid. interp times its output by
/// frame index (output k at k / rate), so a frame whose timestamp skips slots of the
/// grid (a variable-frame-rate video: phones lowering the rate in the dark, screen
/// recorders and browsers sending no frame while nothing changes; or frames lost to
/// damaged packets) would be shown early, and everything after it and the audio would
/// drift. Instead, the frame before holds the slots it skipped, as the source shows it
/// (it is on screen until the next one), and every frame keeps its time. A frame
/// earlier than its slot (a rate above the nominal one) is never dropped: it takes the
/// next slot. A jump of more than kDiscontinuitySeconds either way (MPEG-TS clock
/// resets, joined recordings) is a discontinuity, not a pause: it holds nothing, and the
/// grid goes on from the frame after it (ffmpeg's -dts_delta_threshold is also 10 s).
#include <cstdint>
#include <optional>

namespace interp::pipeline {

inline constexpr double kDiscontinuitySeconds = 10;

class FrameGrid {
 public:
  /// `step`: one frame of the nominal rate, `rate` frames a second, in timestamp units;
  /// step <= 0 (pictures, an unknown rate) holds nothing.
  FrameGrid(double step, double rate);

  /// Slots to hold before the frame at `pts` (nullopt: no timestamp), 0 for the first.
  int64_t skipped_before(std::optional<int64_t> pts);

  /// Timestamp jumps taken as discontinuities so far.
  int64_t discontinuities() const { return discontinuities_; }

 private:
  double step_;
  double rate_;
  std::optional<int64_t> origin_;  ///< the first frame's timestamp: slot 0
  int64_t slot_ = -1;              ///< the last frame's slot
  int64_t discontinuities_ = 0;
};

}  // namespace interp::pipeline
