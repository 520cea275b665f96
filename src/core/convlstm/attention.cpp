#include "interp/core/convlstm/attention.h"

#include <torch/torch.h>

namespace interp::convlstm {

ChannelAttentionImpl::ChannelAttentionImpl(int64_t in_chans, int64_t reduction) {
  conv = register_module("conv", torch::nn::Sequential(torch::nn::Conv2d(in_chans, in_chans / reduction, 1),
                                                       torch::nn::ReLU(),
                                                       torch::nn::Conv2d(in_chans / reduction, in_chans, 1),
                                                       torch::nn::Sigmoid()));
}

torch::Tensor ChannelAttentionImpl::forward(const torch::Tensor& x) {
  return x * conv->forward(x.mean({2, 3}, /*keepdim=*/true));
}

SpatialAttentionImpl::SpatialAttentionImpl(int64_t kernel_size) {
  conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(2, 1, kernel_size).padding(kernel_size / 2)));
}

torch::Tensor SpatialAttentionImpl::forward(const torch::Tensor& x) {
  const auto pooled = torch::cat({x.mean(1, /*keepdim=*/true), std::get<0>(x.max(1, /*keepdim=*/true))}, 1);
  return x * torch::sigmoid(conv->forward(pooled));
}

AttentionBlockImpl::AttentionBlockImpl(int64_t num_chans) {
  const auto conv3x3 = [&] { return torch::nn::Conv2d(torch::nn::Conv2dOptions(num_chans, num_chans, 3).padding(1)); };
  conv_layers = register_module("conv_layers", torch::nn::Sequential(conv3x3(), torch::nn::ReLU(), conv3x3()));
  ca_block = register_module("ca_block", ChannelAttention(num_chans));
  sa_block = register_module("sa_block", SpatialAttention());
}

torch::Tensor AttentionBlockImpl::forward(const torch::Tensor& x) {
  return sa_block->forward(ca_block->forward(conv_layers->forward(x))) + x;
}

}  // namespace interp::convlstm
