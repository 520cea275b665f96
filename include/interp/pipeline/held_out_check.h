#pragma once
/// Whether fine-tuned weights make the job better, asked of the job itself: the
/// held-out windows of the training data (training_data.h) run at full size through the
/// model the job will run — its precision, its mode, the fallback toward the blend
/// included — and the 8-bit frames it would write are compared with the frames held out.
/// Training's own validation (the trainable network on crops) is not the job: on
/// scene_cuts an adapted network gained +0.26 dB there while the job with it lost 0.08
/// dB on the whole clip, because its fallback then gave way elsewhere.
///
/// Per-pair changes run large both ways (±2 dB on scene_cuts around a whole-clip mean of
/// -0.07), so a few held-out pairs say little. The weights win only when the held-out
/// frames gain as a whole (the PSNR of their mean squared error, as a clip's PSNR is
/// taken) and their per-pair gain in dB averages at least sure_gain(pairs) standard errors.
#include "interp/core/frame_interpolator.h"
#include "interp/pipeline/training_data.h"

#include <atomic>
#include <string>
#include <vector>

namespace interp::pipeline {

/// How many standard errors the mean per-pair gain of `pairs` held-out pairs must reach:
/// Student's t at 97.5 % one-sided for pairs - 1 degrees of freedom, so that the pairs
/// gain at all with that confidence however few they are. The standard error of a few
/// pairs is itself a guess: with 2 pairs the mean must reach 12.7 of them, with 4 pairs
/// 3.18, with 32 pairs 2.04 (a fixed 2 would have kept weights on two lucky pairs).
/// Fewer than 2 pairs: infinity.
double sure_gain(size_t pairs);

/// Held-out pairs run at most (evenly spaced over them): 64 full-size frames for two
/// models bound the check's time.
inline constexpr size_t kHeldOutCheckPairs = 32;

/// Per held-out pair (data.held_out_sample(kHeldOutCheckPairs)), the mean squared error
/// in 8-bit levels of the frame `model` makes at its middle. Throws
/// interp::Error("interrupted") once `cancel` is set.
std::vector<double> held_out_errors(FrameInterpolator& model, const TrainingData& data,
                                    const std::atomic<bool>* cancel = nullptr);

struct HeldOutVerdict {
  size_t pairs = 0;
  double psnr_before = 0, psnr_after = 0;    ///< of the mean squared error over the pairs, dB
  double mean_gain = 0, standard_error = 0;  ///< of the per-pair PSNR gain, dB
  bool better = false;
  /// "held-out PSNR as the job runs 36.10 -> 36.36 dB over 8 pairs (per pair +0.12 ± 0.09 dB)".
  std::string summary() const;
};

/// The verdict on errors `after` against `before`, pair by pair (held_out_errors of the
/// same data). Fewer than two pairs cannot tell: not better.
HeldOutVerdict compare_held_out(const std::vector<double>& before, const std::vector<double>& after);

}  // namespace interp::pipeline
