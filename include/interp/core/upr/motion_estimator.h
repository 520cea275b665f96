#pragma once
/// UPR-Net's bi-directional motion estimator, run once per pyramid level at 1/4 of the
/// level's resolution: both feature maps are forward-warped halfway along the previous
/// estimate, compared in a 9x9 correlation volume, and six convs predict the new flows
/// (0→1 and 1→0, in pixels of the level's image) and a hidden feature passed on to the
/// next, finer level. Recurrent: the same weights serve every level.
#include "interp/core/upr/upr_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include <utility>

namespace interp::upr {

class MotionEstimatorImpl : public torch::nn::Module {
 public:
  explicit MotionEstimatorImpl(const UprConfig& config);
  /// feat0, feat1: stage-2 features; last_feat, last_flow: the coarser level's, upsampled
  /// (zeros at the coarsest). Returns {flow N×4, feature}.
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& feat0, const torch::Tensor& feat1,
                                                  const torch::Tensor& last_feat, const torch::Tensor& last_flow);

 private:
  torch::nn::Sequential conv_layer1{nullptr}, conv_layer2{nullptr}, conv_layer3{nullptr}, conv_layer4{nullptr},
      conv_layer5{nullptr}, conv_layer6{nullptr};
};
TORCH_MODULE(MotionEstimator);

}  // namespace interp::upr
