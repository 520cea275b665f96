#include "interp/core/upr/synthesis_network.h"

#include "interp/core/ops/forward_splat.h"
#include "interp/core/precision.h"

#include <torch/torch.h>

namespace interp::upr {
namespace {

using torch::nn::Conv2d;
using torch::nn::Conv2dOptions;
using torch::nn::PReLU;
using torch::nn::PReLUOptions;

void add_conv(torch::nn::Sequential& s, int64_t in, int64_t out, int64_t stride = 1) {
  s->push_back(Conv2d(Conv2dOptions(in, out, 3).stride(stride).padding(1)));
  s->push_back(PReLU(PReLUOptions().num_parameters(out)));
}

/// A 2x upsampling transposed conv then a 3x3 conv, each with PReLU.
torch::nn::Sequential up(int64_t in, int64_t out) {
  torch::nn::Sequential s(
      torch::nn::ConvTranspose2d(torch::nn::ConvTranspose2dOptions(in, out, 4).stride(2).padding(1)));
  s->push_back(PReLU(PReLUOptions().num_parameters(out)));
  add_conv(s, out, out);
  return s;
}

/// `convs` 3x3 convs with PReLU; the first one strides when it halves the resolution.
torch::nn::Sequential block(int64_t in, int64_t out, int convs, int64_t stride) {
  torch::nn::Sequential s;
  for (int i = 0; i < convs; ++i) add_conv(s, i == 0 ? in : out, out, i == 0 ? stride : 1);
  return s;
}

/// Splats both images' tensors to time t: image 0 along t·F01, image 1 along (1-t)·F10.
std::pair<torch::Tensor, torch::Tensor> to_time(const torch::Tensor& flow, const torch::Tensor& x0,
                                                const torch::Tensor& x1, const torch::Tensor& t) {
  return {ops::forward_splat(x0, flow.narrow(1, 0, 2) * t, ops::SplatMode::kAverage),
          ops::forward_splat(x1, flow.narrow(1, 2, 2) * (1 - t), ops::SplatMode::kAverage)};
}

// Three channels of each image plus the last frame, both images and the two flows to t.
constexpr int64_t kInputChannels = 3 * 3 + 2 * 3 + 4;

}  // namespace

SynthesisNetworkImpl::SynthesisNetworkImpl(const UprConfig& config) {
  const int64_t c = config.channels;
  encoder_conv = register_module("encoder_conv", block(kInputChannels, 2 * c, 2, 1));
  encoder_down1 = register_module("encoder_down1", block(2 * c + 2 * c, 4 * c, 3, 2));
  encoder_down2 = register_module("encoder_down2", block(4 * c + 2 * 2 * c, 8 * c, 3, 2));
  decoder_up1 = register_module("decoder_up1", up(8 * c + 2 * 4 * c, 4 * c));
  decoder_up2 = register_module("decoder_up2", up(4 * c + 4 * c, 2 * c));
  decoder_conv = register_module("decoder_conv", block(2 * c + 2 * c, 2 * c, 2, 1));
  pred = register_module("pred", Conv2d(Conv2dOptions(2 * c, 5, 3).padding(1)));
}

torch::Tensor SynthesisNetworkImpl::forward(const torch::Tensor& last_frame, const torch::Tensor& img0,
                                            const torch::Tensor& img1, FeatureStages c0, FeatureStages c1,
                                            const FlowStages& flows, const torch::Tensor& t) {
  const int64_t image_channels = img0.size(1), feature_channels = c0[0].size(1);
  torch::Tensor warped_img0, warped_img1, s0, s1;
  {
    // Images and full-resolution features share their flow: one splat each. The
    // full-resolution features are released as soon as the first stages have used them
    // (they are the largest tensors of a level).
    auto [warped0, warped1] = to_time(flows[0], torch::cat({img0, c0[0]}, 1), torch::cat({img1, c1[0]}, 1), t);
    c0[0] = c1[0] = torch::Tensor();
    warped_img0 = warped0.narrow(1, 0, image_channels).clone();
    warped_img1 = warped1.narrow(1, 0, image_channels).clone();
    // The coarsest level has no previous estimate: the warped images blended stand in.
    const auto start = last_frame.defined() ? last_frame : warped_img0 * (1 - t) + warped_img1 * t;
    const auto flow_to_t = torch::cat({flows[0].narrow(1, 0, 2) * t, flows[0].narrow(1, 2, 2) * (1 - t)}, 1);
    s0 = convolved([&] {
      return encoder_conv->forward(torch::cat({start, warped_img0, warped_img1, img0, img1, flow_to_t}, 1));
    });
    s1 = convolved([&] {
      return encoder_down1->forward(torch::cat(
          {s0, warped0.narrow(1, image_channels, feature_channels), warped1.narrow(1, image_channels, feature_channels)},
          1));
    });
  }
  const auto [half0, half1] = to_time(flows[1], c0[1], c1[1], t);
  const auto s2 = convolved([&] { return encoder_down2->forward(torch::cat({s1, half0, half1}, 1)); });
  const auto [quarter0, quarter1] = to_time(flows[2], c0[2], c1[2], t);
  const auto x = convolved([&] {
    auto y = decoder_up1->forward(torch::cat({s2, quarter0, quarter1}, 1));
    y = decoder_up2->forward(torch::cat({y, s1}, 1));
    return decoder_conv->forward(torch::cat({y, s0}, 1));
  });
  const auto refine = pred->forward(x);  // residual and masks: fp32 in every precision
  const auto residual = torch::sigmoid(refine.narrow(1, 0, 3)) * 2 - 1;
  const auto mask0 = torch::sigmoid(refine.narrow(1, 3, 1)) * (1 - t);
  const auto mask1 = torch::sigmoid(refine.narrow(1, 4, 1)) * t;
  const auto merged = (warped_img0 * mask0 + warped_img1 * mask1) / (mask0 + mask1);
  return torch::clamp(merged + residual, 0, 1);
}

}  // namespace interp::upr
