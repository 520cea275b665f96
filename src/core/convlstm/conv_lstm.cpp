#include "interp/core/convlstm/conv_lstm.h"

#include <torch/torch.h>

namespace interp::convlstm {

ConvLSTMCellImpl::ConvLSTMCellImpl(int64_t in_dims, int64_t hidden_dims, int64_t kernel_size)
    : hidden_dims_(hidden_dims) {
  conv = register_module(
      "conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(in_dims + hidden_dims, hidden_dims * 4, kernel_size)
                                    .padding(kernel_size / 2)));
}

std::pair<torch::Tensor, torch::Tensor> ConvLSTMCellImpl::forward(const torch::Tensor& x, const torch::Tensor& h,
                                                                  const torch::Tensor& c) {
  const auto gates = conv->forward(torch::cat({x, h}, 1)).split(hidden_dims_, 1);
  const auto input = torch::sigmoid(gates[0]), forget = torch::sigmoid(gates[1]);
  const auto candidate = torch::tanh(gates[2]), output = torch::sigmoid(gates[3]);
  auto cell = c * forget + input * candidate;
  auto hidden = output * torch::tanh(cell);
  return {hidden, cell};
}

ConvLSTMLayerImpl::ConvLSTMLayerImpl(int64_t in_dims, int64_t hidden_dims, int64_t kernel_size)
    : hidden_dims_(hidden_dims) {
  conv_lstm = register_module("conv_lstm", ConvLSTMCell(in_dims, hidden_dims, kernel_size));
}

torch::Tensor ConvLSTMLayerImpl::forward(const torch::Tensor& x) {
  const int64_t b = x.size(0), t = x.size(1), h = x.size(3), w = x.size(4);
  auto hidden = torch::zeros({b, hidden_dims_, h, w}, x.options());
  auto cell = torch::zeros_like(hidden);
  std::vector<torch::Tensor> states;
  for (int64_t i = 0; i < t; ++i) {
    std::tie(hidden, cell) = conv_lstm->forward(x.select(1, i), hidden, cell);
    states.push_back(hidden);
  }
  return torch::stack(states, 1);
}

}  // namespace interp::convlstm
