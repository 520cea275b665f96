#pragma once
/// The refinement net's attention block (CBAM-like): two 3x3 convolutions, then a
/// per-channel weight from the globally pooled features and a per-pixel weight from the
/// channel mean and max, added back to the block's input. Why: the rough frame's errors
/// are local (edges of moving things), and these weights let six small blocks spend
/// their capacity there.
#include <torch/nn/module.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>

namespace interp::convlstm {

class ChannelAttentionImpl : public torch::nn::Module {
 public:
  explicit ChannelAttentionImpl(int64_t in_chans, int64_t reduction = 3);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Sequential conv{nullptr};
};
TORCH_MODULE(ChannelAttention);

class SpatialAttentionImpl : public torch::nn::Module {
 public:
  explicit SpatialAttentionImpl(int64_t kernel_size = 7);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv2d conv{nullptr};
};
TORCH_MODULE(SpatialAttention);

class AttentionBlockImpl : public torch::nn::Module {
 public:
  explicit AttentionBlockImpl(int64_t num_chans = 9);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Sequential conv_layers{nullptr};
  ChannelAttention ca_block{nullptr};
  SpatialAttention sa_block{nullptr};
};
TORCH_MODULE(AttentionBlock);

}  // namespace interp::convlstm
