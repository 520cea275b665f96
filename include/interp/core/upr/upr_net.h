#pragma once
/// UPR-Net (Jin et al., "A Unified Pyramid Recurrent Network for Video Frame
/// Interpolation", CVPR 2023): the same small feature pyramid, motion estimator and
/// synthesis network run recurrently from the coarsest image-pyramid level to the
/// finest, each level refining the upsampled flows and frame of the one before. The
/// depth follows the input size, which keeps large motions within the estimator's reach
/// at 4K. Children are named as the reference's, so official files load unchanged.
#include "interp/core/upr/feature_pyramid.h"
#include "interp/core/upr/motion_estimator.h"
#include "interp/core/upr/synthesis_network.h"

#include <vector>

namespace interp::upr {

struct UprOutput {
  torch::Tensor frame;                    ///< N×3×H×W in [0,1]
  std::vector<torch::Tensor> level_flows; ///< each run level's flow (N×4 at 1/4 of that level), coarse first
};

class UprNetImpl : public torch::nn::Module {
 public:
  explicit UprNetImpl(const UprConfig& config);

  /// img0, img1: N×3×H×W with H, W multiples of pad_multiple(levels); t: N×1×1×1.
  /// `skipped` finest levels (< levels) skip estimation: their flow is the last
  /// estimated one upsampled, and only level 0 synthesises (the reference's
  /// nr_lvl_skipped, meant for 4K).
  UprOutput forward(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor& t, int64_t levels,
                    int64_t skipped = 0);

  const UprConfig& config() const { return config_; }

 private:
  struct LevelResult {
    torch::Tensor flow, feature, frame;
  };
  LevelResult forward_level(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor& last_feat,
                            const torch::Tensor& last_flow, const torch::Tensor& last_frame, const torch::Tensor& t,
                            bool estimate_motion);

  UprConfig config_;
  FeatPyramid feat_pyramid{nullptr};
  MotionEstimator motion_estimator{nullptr};
  SynthesisNetwork synthesis_network{nullptr};
};
TORCH_MODULE(UprNet);

}  // namespace interp::upr
