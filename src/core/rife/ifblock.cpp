/// IFBlock, ResConv and Head, named so that official state dicts load unchanged.
#include "interp/core/rife/ifblock.h"

#include "interp/core/precision.h"

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

ConvReluImpl::ConvReluImpl(int64_t in, int64_t out, int64_t stride, Activation activation)
    : conv(register_module("0", conv3x3(in, out, stride))) {
  if (activation == Activation::kPRelu)
    prelu = register_module("1", nn::PReLU(nn::PReLUOptions().num_parameters(out)));
}

torch::Tensor ConvReluImpl::forward(const torch::Tensor& x) {
  return prelu ? prelu->forward(conv->forward(x)) : leaky(conv->forward(x));
}

torch::Tensor resize_bilinear(const torch::Tensor& x, double factor) {
  if (factor == 1.0) return x;
  return torch::upsample_bilinear2d(x, c10::nullopt, /*align_corners=*/false,
                                    std::vector<double>{factor, factor});
}

ResConvImpl::ResConvImpl(int64_t channels)
    : conv(register_module("conv", conv3x3(channels, channels, 1))),
      beta(register_parameter("beta", torch::ones({1, channels, 1, 1}))) {}

void ResConvImpl::fold_beta() {
  torch::NoGradGuard no_grad;
  const auto per_channel = beta.reshape({-1});
  const auto format = conv->weight.is_contiguous(torch::MemoryFormat::ChannelsLast) ? torch::MemoryFormat::ChannelsLast
                                                                                     : torch::MemoryFormat::Contiguous;
  folded_weight_ = (conv->weight * per_channel.view({-1, 1, 1, 1})).contiguous(format);
  folded_bias_ = conv->bias * per_channel;
}

torch::Tensor ResConvImpl::forward(const torch::Tensor& x) {
  if (!folded_weight_.defined()) return leaky(torch::addcmul(x, conv->forward(x), beta));
  return leaky(torch::conv2d(x, folded_weight_, folded_bias_, 1, 1).add_(x));
}

IFBlockImpl::IFBlockImpl(IFBlockOptions options) : options_(options) {
  const int64_t width = options.width;
  conv0 = register_module("conv0", nn::Sequential(ConvRelu(options.in_channels, width / 2, 2, options.activation),
                                                  ConvRelu(width / 2, width, 2, options.activation)));
  convblock = register_module("convblock", nn::Sequential());
  for (int i = 0; i < 8; ++i) {
    if (options.trunk == Trunk::kResConv)
      convblock->push_back(ResConv(width));
    else
      convblock->push_back(ConvRelu(width, width, 1, options.activation));
  }
  auto deconv = [&](int64_t out) {
    return nn::ConvTranspose2d(nn::ConvTranspose2dOptions(width, out, 4).stride(2).padding(1));
  };
  if (options.head == BlockHead::kDeconvPixelShuffle) {
    lastconv_deconv = deconv(4 * options.out_channels);
    lastconv_shuffle = register_module("lastconv", nn::Sequential(lastconv_deconv, nn::PixelShuffle(2)));
  } else {
    lastconv_deconv = register_module("lastconv", deconv(options.out_channels));
  }
}

void IFBlockImpl::prepare_for_inference() {
  for (auto& layer : *convblock)
    if (auto* res = layer.ptr()->as<ResConvImpl>()) res->fold_beta();
}

torch::Tensor IFBlockImpl::predict(const torch::Tensor& input, bool shuffle) {
  const torch::Tensor features = convolved([&] {
    torch::Tensor x = conv0->forward(input);
    return options_.trunk == Trunk::kConvStackWithSkip ? convblock->forward(x) + x : convblock->forward(x);
  });
  // The head's output is flows and masks: fp32 in every precision.
  auto out = lastconv_deconv->forward(features);
  return shuffle && lastconv_shuffle ? torch::pixel_shuffle(out, 2) : out;
}

double IFBlockImpl::upscale(double scale) const {
  // The head leaves the output at 1/scale (4x up) or 1/(2·scale) (2x up).
  return options_.head == BlockHead::kDeconvPixelShuffle ? scale : 2.0 * scale;
}

IFBlockOutput IFBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& flow, double scale) {
  torch::Tensor input = resize_bilinear(x, 1.0 / scale);
  if (flow.defined()) input = torch::cat({input, resize_bilinear(flow, 1.0 / scale) / scale}, 1);
  const double up = upscale(scale);
  // Flow values are in pixels of the output grid, so they grow with the resize.
  torch::Tensor out = resize_bilinear(predict(input), up);
  IFBlockOutput result;
  result.flow = out.slice(1, 0, 4) * up;
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
  const auto x = convolved([&] {
    auto y = leaky(cnn0->forward(image.clamp(0.0, 1.0)));
    y = leaky(cnn1->forward(y));
    return leaky(cnn2->forward(y));
  });
  return cnn3->forward(x);  // features that are warped: fp32
}

}  // namespace interp::rife
