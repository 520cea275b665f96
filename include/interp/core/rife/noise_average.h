#pragma once
/// Where the two warped frames differ by no more than the footage's grain, the frame is
/// their average.
///
/// Grain, sensor noise in the dark, film grain: every frame carries its own, and no flow
/// can align it. RIFE's merge mask still takes one side (a mask of 0.1 or 0.9 over most
/// of a noisy picture), and its refinement adds a residual that follows the noise, so
/// the in-between keeps one frame's grain whole where the average of the two warps would
/// halve it. Against the true frame, which has its own grain, that is 1.5 σ² of error
/// for the average and 2 σ² or more for one side. The blend fallback
/// (motion_confidence.h) does not see it: bilinear warping smooths the grain, so the
/// warps seem to differ less than the inputs do.
///
/// The grain's level is measured per pair, from the warps' difference itself: the
/// median of its high frequencies (what is left after a 3×3 mean), which edges and
/// occlusions are too rare to move. A window whose warps differ by up to `explained`
/// times what that grain alone gives is averaged; from `structured` times on (an
/// occlusion, a misplaced edge: the mask's choice matters there) the model's frame is
/// kept, linearly in between. Clean footage has no grain to measure (a level below
/// `clean_level`), and keeps the model's frame everywhere.
#include "interp/base/picture_size.h"
#include "interp/core/rife/refine.h"

#include <torch/types.h>

namespace interp::rife {

struct NoiseRule {
  double explained = 1.5;   ///< local mean |warp difference| / the grain's, at or below: the warps' average
  double structured = 3.0;  ///< at or above: the model's pixels
  int64_t window = 8;       ///< pixels (a side) the local difference is averaged over
  /// The grain's standard deviation in the warps' difference (0..1 levels) from which on
  /// the rule acts fully, and below which not at all: 2 and 4 codes of 255. Clean clips
  /// measured 0.1 to 1.6 codes, grain and dark sensor noise 4 to 9.
  double clean_level = 2.0 / 255, grainy_level = 4.0 / 255;
};

/// How far each pixel moves toward the warps' average, N×1×H×W in [0,1], from IFNet's
/// final state; the grain's level is measured over `picture` within the padded inputs.
torch::Tensor noise_weight(const RefineInputs& state, PictureSize picture = {}, const NoiseRule& rule = {});

/// `frame` moved toward the warps' average at `timestep` (N×1×H×W or N×1×1×1) by `weight`.
torch::Tensor average_warps(const torch::Tensor& frame, const RefineInputs& state, const torch::Tensor& timestep,
                            const torch::Tensor& weight);

}  // namespace interp::rife
