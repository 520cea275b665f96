#pragma once
/// Makes the in-between frames of one input pair for a list of output slots: at their
/// exact times (Direct) or by recursive midpoints (Recursive), batched, and as copies
/// of the first frame when the pair straddles a scene cut.
#include "interp/core/frame_interpolator.h"
#include "interp/pipeline/timeline.h"

#include <atomic>
#include <vector>

namespace interp::pipeline {

/// Default --scene-threshold: cuts in ../shared/clips/scene_cuts.mp4 score 0.088-0.16,
/// ordinary (even fast) motion at most ~0.04.
constexpr double kDefaultSceneThreshold = 0.07;

struct PairOptions {
  TimingMode mode = TimingMode::Direct;
  int batch = 1;                                     ///< pairs per forward pass
  double scene_threshold = kDefaultSceneThreshold;   ///< score above this is a cut; <= 0 disables
  const std::atomic<bool>* cancel = nullptr;         ///< checked before every forward pass
};

/// Recursive midpoints when asked (--exp) or when the model is trained for t=0.5 only
/// (then every time must be k/2^e, else interp::Error); exact times otherwise.
TimingMode choose_timing(bool recursion_requested, const Timeline& timeline, const FrameInterpolator& model);

/// Mean absolute difference of the two frames' luminance at 64×36, in [0,1].
double scene_change_score(const torch::Tensor& a, const torch::Tensor& b);

class PairInterpolator {
 public:
  PairInterpolator(FrameInterpolator& model, PairOptions options);

  /// a, b: 1×3×H×W on the model's device. Returns one tensor per slot with t > 0, in
  /// order. `cut` reports whether the pair was treated as a scene cut.
  std::vector<torch::Tensor> between(const torch::Tensor& a, const torch::Tensor& b,
                                     const std::vector<OutputSlot>& slots, bool* cut = nullptr);

 private:
  void stop_if_cancelled() const;  ///< throws interp::Error("interrupted")
  std::vector<torch::Tensor> direct(const torch::Tensor& a, const torch::Tensor& b, const std::vector<double>& times);
  std::vector<torch::Tensor> recursive(const torch::Tensor& a, const torch::Tensor& b,
                                       const std::vector<OutputSlot>& slots);

  FrameInterpolator& model_;
  PairOptions options_;
};

}  // namespace interp::pipeline
