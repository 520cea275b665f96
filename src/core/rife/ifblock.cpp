/// IFBlock, ResConv and Head, named so that official state dicts load unchanged.
#include "interp/rife/ifblock.h"

#include <torch/torch.h>

namespace interp::rife {
namespace {

namespace nn = torch::nn;

nn::Conv2d conv3x3(int64_t in, int64_t out, int64_t stride) {
  return nn::Conv2d(nn::Conv2dOptions(in, out, 3).stride(stride).padding(1));
}

torch::Tensor leaky(torch::Tensor x) {
  torch::leaky_relu_(x, 0.2);
  return x;
}

}  // namespace

ConvReluImpl::ConvReluImpl(int64_t in, int64_t out, int64_t stride)
    : conv(register_module("0", conv3x3(in, out, stride))) {}

torch::Tensor ConvReluImpl::forward(const torch::Tensor& x) { return leaky(conv->forward(x)); }

torch::Tensor resize_bilinear(const torch::Tensor& x, double factor) {
  if (factor == 1.0) return x;
  return torch::upsample_bilinear2d(x, c10::nullopt, /*align_corners=*/false,
                                    std::vector<double>{factor, factor});
}

ResConvImpl::ResConvImpl(int64_t channels)
    : conv(register_module("conv", conv3x3(channels, channels, 1))),
      beta(register_parameter("beta", torch::ones({1, channels, 1, 1}))) {}

torch::Tensor ResConvImpl::forward(const torch::Tensor& x) {
  return leaky(torch::addcmul(x, conv->forward(x), beta));
}

IFBlockImpl::IFBlockImpl(int64_t in_channels, int64_t width, int64_t out_channels) {
  conv0 = register_module("conv0", nn::Sequential(ConvRelu(in_channels, width / 2, 2),
                                                  ConvRelu(width / 2, width, 2)));
  convblock = register_module("convblock", nn::Sequential());
  for (int i = 0; i < 8; ++i) convblock->push_back(ResConv(width));
  lastconv = register_module(
      "lastconv",
      nn::Sequential(nn::ConvTranspose2d(nn::ConvTranspose2dOptions(width, 4 * out_channels, 4)
                                             .stride(2)
                                             .padding(1)),
                     nn::PixelShuffle(2)));
}

IFBlockOutput IFBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& flow, double scale) {
  torch::Tensor input = resize_bilinear(x, 1.0 / scale);
  if (flow.defined()) input = torch::cat({input, resize_bilinear(flow, 1.0 / scale) / scale}, 1);
  torch::Tensor out = lastconv->forward(convblock->forward(conv0->forward(input)));
  out = resize_bilinear(out, scale);
  IFBlockOutput result;
  result.flow = out.slice(1, 0, 4) * scale;
  result.mask = out.slice(1, 4, 5);
  if (out.size(1) > 5) result.features = out.slice(1, 5);
  return result;
}

HeadImpl::HeadImpl(int64_t out_channels)
    : cnn0(register_module("cnn0", conv3x3(3, 16, 2))),
      cnn1(register_module("cnn1", conv3x3(16, 16, 1))),
      cnn2(register_module("cnn2", conv3x3(16, 16, 1))),
      cnn3(register_module("cnn3", nn::ConvTranspose2d(nn::ConvTranspose2dOptions(16, out_channels, 4)
                                                           .stride(2)
                                                           .padding(1)))) {}

torch::Tensor HeadImpl::forward(const torch::Tensor& image) {
  auto x = leaky(cnn0->forward(image.clamp(0.0, 1.0)));
  x = leaky(cnn1->forward(x));
  x = leaky(cnn2->forward(x));
  return cnn3->forward(x);
}

}  // namespace interp::rife
