#include "interp/core/upr/motion_estimator.h"

#include "interp/core/ops/correlation.h"
#include "interp/core/precision.h"
#include "interp/core/ops/forward_splat.h"

#include <torch/torch.h>

namespace interp::upr {
namespace {

torch::nn::Sequential conv(int64_t in, int64_t out, int64_t kernel, bool activated) {
  torch::nn::Sequential s(torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).padding(kernel / 2)));
  if (activated) s->push_back(torch::nn::LeakyReLU(torch::nn::LeakyReLUOptions().negative_slope(0.1)));
  return s;
}

constexpr int64_t kCorrelationChannels = 81;  // 9x9 window

}  // namespace

MotionEstimatorImpl::MotionEstimatorImpl(const UprConfig& config) {
  const int64_t features = config.stage_channels(2);
  const auto widths = config.motion_widths();
  // Correlation volume, both warped features, the passed-on feature and the 4 flow channels.
  const int64_t inputs = kCorrelationChannels + 3 * features + 4;
  conv_layer1 = register_module("conv_layer1", conv(inputs, widths[0], 1, true));
  conv_layer2 = register_module("conv_layer2", conv(widths[0], widths[1], 3, true));
  conv_layer3 = register_module("conv_layer3", conv(widths[1], widths[2], 3, true));
  conv_layer4 = register_module("conv_layer4", conv(widths[2], widths[3], 3, true));
  conv_layer5 = register_module("conv_layer5", conv(widths[3], widths[4], 3, true));
  conv_layer6 = register_module("conv_layer6", conv(widths[4], 4, 3, false));
}

std::pair<torch::Tensor, torch::Tensor> MotionEstimatorImpl::forward(const torch::Tensor& feat0,
                                                                     const torch::Tensor& feat1,
                                                                     const torch::Tensor& last_feat,
                                                                     const torch::Tensor& last_flow) {
  // The flows are in pixels of the level's image, the features at 1/4 of it; both maps
  // meet halfway (t = 0.5 whatever the requested t: motion is estimated symmetrically).
  const double to_middle = 0.25 * 0.5;
  const auto warped0 = ops::forward_splat(feat0, last_flow.narrow(1, 0, 2) * to_middle, ops::SplatMode::kAverage);
  const auto warped1 = ops::forward_splat(feat1, last_flow.narrow(1, 2, 2) * to_middle, ops::SplatMode::kAverage);
  const auto volume = torch::leaky_relu(ops::local_correlation(warped0, warped1), 0.1);
  const auto feat = convolved([&] {
    auto x = conv_layer1->forward(torch::cat({volume, warped0, warped1, last_feat, last_flow}, 1));
    x = conv_layer2->forward(x);
    x = conv_layer3->forward(x);
    x = conv_layer4->forward(x);
    return conv_layer5->forward(x);
  });
  auto flow = conv_layer6->forward(feat);  // fp32 in every precision
  return {flow, feat};
}

}  // namespace interp::upr
