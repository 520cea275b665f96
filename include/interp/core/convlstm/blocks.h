#pragma once
/// The synthesis U-Net's levels. An encoder level runs its ConvLSTM over the window's
/// frames, then (frame by frame) BatchNorm, ReLU and a widening 3x3 convolution whose
/// output is both the skip connection and, max-pooled, the next level's input. A
/// decoder level upsamples (bicubic), adds the skip and narrows again.
#include "interp/core/convlstm/conv_lstm.h"

#include <torch/nn/modules/batchnorm.h>

namespace interp::convlstm {

struct Encoded {
  torch::Tensor next;  ///< B×T×out×H/2×W/2
  torch::Tensor skip;  ///< (B·T)×out×H×W
};

class EncodingBlockImpl : public torch::nn::Module {
 public:
  EncodingBlockImpl(int64_t in_chans, int64_t out_chans);
  Encoded forward(const torch::Tensor& x);  ///< x: B×T×in×H×W

 private:
  ConvLSTMLayer conv_lstm{nullptr};
  torch::nn::BatchNorm2d batch_norm_1{nullptr};
  torch::nn::Conv2d conv2d{nullptr};
  /// Registered because the reference's files hold it; its forward never applies it.
  torch::nn::BatchNorm2d batch_norm_2{nullptr};
};
TORCH_MODULE(EncodingBlock);

class DecodingBlockImpl : public torch::nn::Module {
 public:
  DecodingBlockImpl(int64_t in_chans, int64_t out_chans);
  /// x: (B·T)×in×H/2×W/2, skip: (B·T)×in×H×W -> (B·T)×out×H×W.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& skip);

 private:
  torch::nn::Conv2d conv2d_1{nullptr}, conv2d_2{nullptr};
  torch::nn::BatchNorm2d batch_norm_1{nullptr}, batch_norm_2{nullptr};
};
TORCH_MODULE(DecodingBlock);

/// What no forward pass of the network uses: each encoder level's batch_norm_2.
bool is_unused_parameter(const std::string& name);

}  // namespace interp::convlstm
