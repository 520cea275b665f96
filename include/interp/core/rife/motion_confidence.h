#pragma once
/// Where RIFE's flow cannot be trusted, its frame gives way to the plain blend.
///
/// The flow explains a pair when the two inputs, each warped to time t, agree. Where
/// the picture carries no structure the flow can follow — compression blocks, grain,
/// leaves, independent noise — RIFE still returns a confident flow, and a sharp frame
/// in the wrong place scores (and looks) worse than a soft one in the right place. The
/// measure is local and relative: per block, how much the warped frames still differ
/// against how much the inputs differ. A block whose warps differ half as much as the
/// inputs or less keeps the model's pixels; one whose warps differ as much as the
/// inputs do (the flow explained nothing) takes the blend, linearly in between. Real
/// motion, where warping removes most of the difference, keeps the model's frame; so
/// do occlusions, where the warps differ by design and the merge mask already takes
/// the side that sees (the difference counts by 4m(1-m) of the mask m). Measured on the
/// clips and degradations of README "Quality check" (without the mask's weighting it
/// lost 0.41 dB on bigbuckbunny at 1280x720).
///
/// Where both warps agree, wrongly (a swaying branch), no block of this measure fires;
/// the ensemble's pass on the swapped pair does see it. So a pair that the measure
/// doubts on the whole, doubtful(), is worth a second, costlier opinion (ifnet.cpp):
/// README "A second opinion where the flow is doubtful".
#include "interp/base/picture_size.h"
#include "interp/core/rife/refine.h"

#include <torch/types.h>

namespace interp::rife {

struct FallbackRule {
  double trusted = 0.5;     ///< warp difference / input difference at or below: the model's pixels
  double untrusted = 1.0;   ///< at or above: the blend's
  /// Blocks the differences are averaged over: a share of the frame's width, so that a
  /// block covers as much of the picture at any size (1280x720 bigbuckbunny with blocks
  /// of 16 px: -0.19 dB; of 64 px, a twentieth: +0.01), and at least min_block pixels.
  double block_share = 1.0 / 20;
  int64_t min_block = 16;
  double floor = 2e-3;      ///< added to the input difference: still blocks stay the model's
  /// A pair whose mean blend weight over the picture is above this is doubtful: its flow
  /// explained less than about a third of the picture's change on average
  /// (IFNetMode::ensemble_when_doubtful). It was tuned as 0.3 over the padded frame, at
  /// sizes padded by a sixteenth (320x240 in 320x256, 1280x720 in 1280x768): 0.32 over
  /// the picture decides as that did there, and now the same at any size.
  double doubtful = 0.32;
};

/// How far each pixel moves toward the blend, N×1×H×W in [0,1] (0: the model's frame),
/// from the final state of IFNet (the inputs and their warps by the final flow).
torch::Tensor blend_weight(const RefineInputs& state, const FallbackRule& rule = {});

/// Per pair (N, bool): whether blend_weight()'s mean over `picture` (the picture within
/// inputs padded to the network's multiple; 0: all of the weight) is above
/// rule.doubtful. The padding, where both inputs are zero and agree, is not the pair's:
/// counted, it made a pair the less doubtful the more padding its size has (176x144 in
/// 192x192: a third).
torch::Tensor doubtful(const torch::Tensor& weight, PictureSize picture = {}, const FallbackRule& rule = {});

/// `frame` moved toward a·(1−t) + b·t at `timestep` (N×1×H×W or N×1×1×1) by `weight`,
/// in the frame's precision: the one step of every rule that gives way to a plain mix.
torch::Tensor toward_mix(const torch::Tensor& frame, const torch::Tensor& a, const torch::Tensor& b,
                         const torch::Tensor& timestep, const torch::Tensor& weight);

/// `frame` (IFNet's output at `timestep`, N×1×H×W or N×1×1×1) moved toward the
/// inputs' blend at that time by `weight` (blend_weight()).
torch::Tensor fall_back_to_blend(const torch::Tensor& frame, const RefineInputs& state, const torch::Tensor& timestep,
                                 const torch::Tensor& weight);

}  // namespace interp::rife
