#pragma once
/// A convolutional LSTM unrolled over the frames of a window. Why a recurrence and not a
/// stack of frames: the encoder sees I1..I4 in order, so each level's hidden state
/// carries how things moved before and after the pair, at that level's scale.
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>

namespace interp::convlstm {

/// One step: a single 3x3 convolution of [x_t, h_{t-1}] makes the four gates, split in
/// the reference's order (input, forget, candidate, output).
class ConvLSTMCellImpl : public torch::nn::Module {
 public:
  ConvLSTMCellImpl(int64_t in_dims, int64_t hidden_dims, int64_t kernel_size = 3);
  /// Returns (h_t, c_t).
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& h,
                                                  const torch::Tensor& c);

 private:
  int64_t hidden_dims_;
  torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(ConvLSTMCell);

/// The cell over time from zero states: B×T×C×H×W in, every step's hidden state out
/// (B×T×hidden×H×W).
class ConvLSTMLayerImpl : public torch::nn::Module {
 public:
  ConvLSTMLayerImpl(int64_t in_dims, int64_t hidden_dims, int64_t kernel_size = 3);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  int64_t hidden_dims_;
  ConvLSTMCell conv_lstm{nullptr};
};
TORCH_MODULE(ConvLSTMLayer);

}  // namespace interp::convlstm
