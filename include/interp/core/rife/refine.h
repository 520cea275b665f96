#pragma once
/// RIFE v3.9's refinement network, run when the reference's `fastmode` is off. One
/// backward warp per input cannot show what neither input shows at its spot (occlusions,
/// motion blur, light changes); this network sees the inputs, their warps, the flow and
/// the mask logits, plus context features of each input warped at four scales, and
/// predicts a residual for the merged frame (about +0.7 dB on real footage, issue #12).
/// Module and parameter names follow the reference's refine.py, so the official
/// flownet.pkl's `contextnet.*` and `unet.*` load unchanged.
#include "interp/core/rife/backward_warp.h"
#include "interp/core/rife/ifblock.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <array>

namespace interp::rife {

/// Two 3×3 conv+PReLU, the first strided: "conv1", "conv2".
class Conv2Impl : public torch::nn::Module {
 public:
  Conv2Impl(int64_t in, int64_t out, int64_t stride = 2);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  ConvRelu conv1{nullptr}, conv2{nullptr};
};
TORCH_MODULE(Conv2);

/// 4×4 stride-2 ConvTranspose2d + PReLU, registered "0" and "1" like the reference's
/// nn.Sequential.
class DeconvReluImpl : public torch::nn::Module {
 public:
  DeconvReluImpl(int64_t in, int64_t out);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::ConvTranspose2d deconv{nullptr};
  torch::nn::PReLU prelu{nullptr};
};
TORCH_MODULE(DeconvRelu);

/// Context features of one image at 1/2, 1/4, 1/8 and 1/16 of its size (16, 32, 64, 128
/// channels), each backward-warped by the flow resized to its grid.
using ContextFeatures = std::array<torch::Tensor, 4>;

class ContextnetImpl : public torch::nn::Module {
 public:
  ContextnetImpl();
  /// image: N×3×H×W; flow: N×2×H×W towards that image, in pixels.
  ContextFeatures forward(const torch::Tensor& image, const torch::Tensor& flow);

 private:
  Conv2 conv1{nullptr}, conv2{nullptr}, conv3{nullptr}, conv4{nullptr};
  BackwardWarp warp_;
};
TORCH_MODULE(Contextnet);

/// What the refinement reads besides the context features: the final state of IFNet.
struct RefineInputs {
  torch::Tensor img0, img1;        ///< N×3×H×W, clamped to [0,1]
  torch::Tensor warped0, warped1;  ///< the inputs warped by the final flow
  torch::Tensor mask;              ///< N×1×H×W merge logits (before the sigmoid)
  torch::Tensor flow;              ///< N×4×H×W
  /// The pairs at `index` (a batch's rows).
  RefineInputs rows(const torch::Tensor& index) const;
};

/// The rows of `t` at `index` along the batch; undefined stays undefined.
torch::Tensor rows(const torch::Tensor& t, const torch::Tensor& index);

class UnetImpl : public torch::nn::Module {
 public:
  UnetImpl();
  /// N×3×H×W in (0,1); the residual is 2·x − 1.
  torch::Tensor forward(const RefineInputs& in, const ContextFeatures& c0, const ContextFeatures& c1);

 private:
  Conv2 down0{nullptr}, down1{nullptr}, down2{nullptr}, down3{nullptr};
  DeconvRelu up0{nullptr}, up1{nullptr}, up2{nullptr}, up3{nullptr};
  torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(Unet);

/// clamp(merged + residual, 0, 1): the reference's last step with fastmode off.
torch::Tensor refine_merged(Contextnet& contextnet, Unet& unet, const RefineInputs& in, const torch::Tensor& merged);

}  // namespace interp::rife
