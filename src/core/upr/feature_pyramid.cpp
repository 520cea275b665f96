#include "interp/core/upr/feature_pyramid.h"

#include "interp/core/precision.h"

#include <torch/torch.h>

namespace interp::upr {
namespace {

/// Four 3x3 convs with LeakyReLU(0.1); the first one strides when the stage halves.
torch::nn::Sequential stage(int64_t in, int64_t out, int64_t stride) {
  torch::nn::Sequential s;
  for (int i = 0; i < 4; ++i) {
    s->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(i == 0 ? in : out, out, 3).stride(i == 0 ? stride : 1).padding(1)));
    s->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.1)));
  }
  return s;
}

}  // namespace

FeatPyramidImpl::FeatPyramidImpl(const UprConfig& config) {
  conv_stage0 = register_module("conv_stage0", stage(3, config.stage_channels(0), 1));
  conv_stage1 = register_module("conv_stage1", stage(config.stage_channels(0), config.stage_channels(1), 2));
  conv_stage2 = register_module("conv_stage2", stage(config.stage_channels(1), config.stage_channels(2), 2));
}

FeatureStages FeatPyramidImpl::forward(const torch::Tensor& image) {
  return convolved([&] {
    auto c0 = conv_stage0->forward(image);
    auto c1 = conv_stage1->forward(c0);
    auto c2 = conv_stage2->forward(c1);
    return FeatureStages{c0, c1, c2};
  });
}

}  // namespace interp::upr
