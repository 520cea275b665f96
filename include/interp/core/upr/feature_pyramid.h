#pragma once
/// UPR-Net's 3-stage CNN feature pyramid (full, 1/2, 1/4 resolution of the level's
/// image). One pyramid serves both the motion estimator (its 1/4 stage) and the
/// synthesis network (all three, forward-warped), so features are computed once per
/// image and pyramid level.
#include "interp/core/upr/upr_config.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>

#include <array>

namespace interp::upr {

using FeatureStages = std::array<torch::Tensor, 3>;

class FeatPyramidImpl : public torch::nn::Module {
 public:
  explicit FeatPyramidImpl(const UprConfig& config);
  FeatureStages forward(const torch::Tensor& image);

 private:
  torch::nn::Sequential conv_stage0{nullptr}, conv_stage1{nullptr}, conv_stage2{nullptr};
};
TORCH_MODULE(FeatPyramid);

}  // namespace interp::upr
