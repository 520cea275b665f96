#pragma once
/// UPR-Net's frame synthesis: a small U-Net fed with the previous estimate of the
/// in-between frame, both input images forward-warped to time t (and unwarped), the
/// flows to t, and at each encoder scale both images' pyramid features forward-warped
/// to t. It predicts a residual and two occlusion masks that blend the warped images.
#include "interp/core/upr/feature_pyramid.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

namespace interp::upr {

/// Bi-directional flows (N×4: 0→1 then 1→0, in pixels of each scale) at full, 1/2 and
/// 1/4 of the level's resolution.
using FlowStages = std::array<torch::Tensor, 3>;

class SynthesisNetworkImpl : public torch::nn::Module {
 public:
  explicit SynthesisNetworkImpl(const UprConfig& config);
  /// last_frame: the previous estimate at this level, undefined at the coarsest (the
  /// blend of the warped images is used); t: N×1×1×1. Returns N×3 in [0,1].
  /// The feature stages are taken by value so that they can be released early.
  torch::Tensor forward(const torch::Tensor& last_frame, const torch::Tensor& img0, const torch::Tensor& img1,
                        FeatureStages c0, FeatureStages c1, const FlowStages& flows, const torch::Tensor& t);

 private:
  torch::nn::Sequential encoder_conv{nullptr}, encoder_down1{nullptr}, encoder_down2{nullptr}, decoder_up1{nullptr},
      decoder_up2{nullptr}, decoder_conv{nullptr};
  torch::nn::Conv2d pred{nullptr};
};
TORCH_MODULE(SynthesisNetwork);

}  // namespace interp::upr
