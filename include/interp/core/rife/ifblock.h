#pragma once
/// IFBlock: one coarse-to-fine stage of IFNet. Two stride-2 convs, eight convs at 1/4
/// of the block's resolution, and a transposed-conv head that predicts a flow update, a
/// mask and (v4.25+) features for the next block. The variant picks the activation,
/// the kind of trunk and the head (see ifnet_variant.h).
#include "interp/core/rife/ifnet_variant.h"

#include <torch/nn/module.h>
#include <torch/nn/modules/activation.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <tuple>

namespace interp::rife {

/// Conv2d + activation, registered as "0" and "1" like the reference's
/// nn.Sequential(Conv2d, act) so keys read "conv0.<i>.0.weight" ("…1.weight": PReLU).
class ConvReluImpl : public torch::nn::Module {
 public:
  ConvReluImpl(int64_t in, int64_t out, int64_t stride, Activation activation = Activation::kLeakyRelu);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv2d conv{nullptr};
  torch::nn::PReLU prelu{nullptr};  ///< null for LeakyReLU
};
TORCH_MODULE(ConvRelu);

/// relu(conv(x) * beta + x), parameter names "conv.*" and "beta" as in the reference.
class ResConvImpl : public torch::nn::Module {
 public:
  explicit ResConvImpl(int64_t channels);
  torch::Tensor forward(const torch::Tensor& x);
  /// For inference once the weights are final: scales the conv by beta so forward()
  /// is one conv and one fused add+activation (same result to rounding).
  void fold_beta();

 private:
  torch::nn::Conv2d conv{nullptr};
  torch::Tensor beta;
  torch::Tensor folded_weight_, folded_bias_;  // undefined until fold_beta()
};
TORCH_MODULE(ResConv);

struct IFBlockOutput {
  torch::Tensor flow;      ///< N×4×H×W: flow to img0 (0:2) and to img1 (2:4), in pixels
  torch::Tensor mask;      ///< N×1×H×W: merge logits
  torch::Tensor features;  ///< N×F×H×W passed to the next block (undefined when F=0)
};

struct IFBlockOptions {
  int64_t in_channels = 0;
  int64_t width = 0;         ///< channels of the trunk
  int64_t out_channels = 0;  ///< flow(4) + mask(1) + passed features
  Activation activation = Activation::kLeakyRelu;
  Trunk trunk = Trunk::kResConv;
  BlockHead head = BlockHead::kDeconvPixelShuffle;
};

class IFBlockImpl : public torch::nn::Module {
 public:
  explicit IFBlockImpl(IFBlockOptions options);

  /// x: block inputs at full resolution; flow: current estimate (undefined for the
  /// first block); scale: the block works at 1/scale of the input resolution.
  IFBlockOutput forward(const torch::Tensor& x, const torch::Tensor& flow, double scale);

  /// The convolutional part alone: `input` already at 1/scale with the flow channels
  /// appended; returns flow/mask/features at 1/upscale(scale), flow in that grid's pixels.
  /// With shuffle=false a PixelShuffle head's output is returned before the shuffle
  /// (N×4C×h/2×w/2), for callers that read it shuffled (cpu_glue::resize_into).
  torch::Tensor predict(const torch::Tensor& input, bool shuffle = true);
  /// Whether predict(…, false) leaves a pixel shuffle to the caller.
  bool defers_shuffle() const { return static_cast<bool>(lastconv_shuffle); }
  /// Inference-only rewrites of the loaded weights (ResConv::fold_beta).
  void prepare_for_inference();
  /// Factor from predict()'s output back to full resolution.
  double upscale(double scale) const;

 private:
  IFBlockOptions options_;
  torch::nn::Sequential conv0{nullptr}, convblock{nullptr};
  // "lastconv": a Sequential(deconv, PixelShuffle) or a bare deconv, per options_.head;
  // lastconv_deconv is the deconv in both cases.
  torch::nn::Sequential lastconv_shuffle{nullptr};
  torch::nn::ConvTranspose2d lastconv_deconv{nullptr};
};
TORCH_MODULE(IFBlock);

/// v4.25+ feature encoder ("encode.*"): four convs giving 4 channels per image.
class HeadImpl : public torch::nn::Module {
 public:
  explicit HeadImpl(int64_t out_channels);
  torch::Tensor forward(const torch::Tensor& image);

 private:
  torch::nn::Conv2d cnn0{nullptr}, cnn1{nullptr}, cnn2{nullptr};
  torch::nn::ConvTranspose2d cnn3{nullptr};
};
TORCH_MODULE(Head);

/// Bilinear resize by a scale factor, exactly as F.interpolate(scale_factor=s) does
/// (align_corners=false, the factor itself used for coordinate mapping).
torch::Tensor resize_bilinear(const torch::Tensor& x, double factor);

}  // namespace interp::rife
