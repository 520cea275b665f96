/// Contextnet and Unet of RIFE v3.9 (refine.py), layer for layer.
#include "interp/core/rife/refine.h"

#include "interp/core/precision.h"

#include <torch/torch.h>

namespace interp::rife {
namespace {

namespace nn = torch::nn;

constexpr int64_t kC = 16;  // refine.py's `c`

}  // namespace

Conv2Impl::Conv2Impl(int64_t in, int64_t out, int64_t stride)
    : conv1(register_module("conv1", ConvRelu(in, out, stride, Activation::kPRelu))),
      conv2(register_module("conv2", ConvRelu(out, out, 1, Activation::kPRelu))) {}

torch::Tensor Conv2Impl::forward(const torch::Tensor& x) { return conv2->forward(conv1->forward(x)); }

DeconvReluImpl::DeconvReluImpl(int64_t in, int64_t out)
    : deconv(register_module("0", nn::ConvTranspose2d(nn::ConvTranspose2dOptions(in, out, 4).stride(2).padding(1)))),
      prelu(register_module("1", nn::PReLU(nn::PReLUOptions().num_parameters(out)))) {}

torch::Tensor DeconvReluImpl::forward(const torch::Tensor& x) { return prelu->forward(deconv->forward(x)); }

ContextnetImpl::ContextnetImpl()
    : conv1(register_module("conv1", Conv2(3, kC))),
      conv2(register_module("conv2", Conv2(kC, 2 * kC))),
      conv3(register_module("conv3", Conv2(2 * kC, 4 * kC))),
      conv4(register_module("conv4", Conv2(4 * kC, 8 * kC))) {}

ContextFeatures ContextnetImpl::forward(const torch::Tensor& image, const torch::Tensor& flow) {
  ContextFeatures out;
  torch::Tensor x = image, f = flow;
  Conv2* stages[] = {&conv1, &conv2, &conv3, &conv4};
  for (size_t i = 0; i < out.size(); ++i) {
    x = convolved([&] { return (*stages[i])->forward(x); });
    // Each stage halves the grid, so the flow is resized and its pixel values halved.
    f = resize_bilinear(f, 0.5) * 0.5;
    out[i] = warp_(x, f);
  }
  return out;
}

UnetImpl::UnetImpl()
    : down0(register_module("down0", Conv2(17, 2 * kC))),
      down1(register_module("down1", Conv2(4 * kC, 4 * kC))),
      down2(register_module("down2", Conv2(8 * kC, 8 * kC))),
      down3(register_module("down3", Conv2(16 * kC, 16 * kC))),
      up0(register_module("up0", DeconvRelu(32 * kC, 8 * kC))),
      up1(register_module("up1", DeconvRelu(16 * kC, 4 * kC))),
      up2(register_module("up2", DeconvRelu(8 * kC, 2 * kC))),
      up3(register_module("up3", DeconvRelu(4 * kC, kC))),
      conv(register_module("conv", nn::Conv2d(nn::Conv2dOptions(kC, 3, 3).padding(1)))) {}

torch::Tensor UnetImpl::forward(const RefineInputs& in, const ContextFeatures& c0, const ContextFeatures& c1) {
  const auto x = convolved([&] {
    const auto s0 = down0->forward(torch::cat({in.img0, in.img1, in.warped0, in.warped1, in.mask, in.flow}, 1));
    const auto s1 = down1->forward(torch::cat({s0, c0[0], c1[0]}, 1));
    const auto s2 = down2->forward(torch::cat({s1, c0[1], c1[1]}, 1));
    const auto s3 = down3->forward(torch::cat({s2, c0[2], c1[2]}, 1));
    auto y = up0->forward(torch::cat({s3, c0[3], c1[3]}, 1));
    y = up1->forward(torch::cat({y, s2}, 1));
    y = up2->forward(torch::cat({y, s1}, 1));
    return up3->forward(torch::cat({y, s0}, 1));
  });
  // The residual added to the frame: fp32, where bf16's 8 bits would show as banding.
  return torch::sigmoid(conv->forward(x));
}

torch::Tensor refine_merged(Contextnet& contextnet, Unet& unet, const RefineInputs& in, const torch::Tensor& merged) {
  const auto c0 = contextnet->forward(in.img0, in.flow.slice(1, 0, 2));
  const auto c1 = contextnet->forward(in.img1, in.flow.slice(1, 2, 4));
  const auto residual = unet->forward(in, c0, c1) * 2 - 1;
  return torch::clamp(merged + residual, 0.0, 1.0);
}

torch::Tensor rows(const torch::Tensor& t, const torch::Tensor& index) {
  return t.defined() ? t.index_select(0, index) : t;
}

RefineInputs RefineInputs::rows(const torch::Tensor& index) const {
  using rife::rows;
  return {rows(img0, index), rows(img1, index), rows(warped0, index), rows(warped1, index), rows(mask, index),
          rows(flow, index)};
}

}  // namespace interp::rife
