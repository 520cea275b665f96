#include "interp/core/convlstm/blocks.h"

#include <torch/torch.h>

namespace interp::convlstm {
namespace {

torch::nn::Conv2d conv3x3(int64_t in, int64_t out) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1));
}

}  // namespace

EncodingBlockImpl::EncodingBlockImpl(int64_t in_chans, int64_t out_chans) {
  conv_lstm = register_module("conv_lstm", ConvLSTMLayer(in_chans, in_chans, 3));
  batch_norm_1 = register_module("batch_norm_1", torch::nn::BatchNorm2d(in_chans));
  conv2d = register_module("conv2d", conv3x3(in_chans, out_chans));
  batch_norm_2 = register_module("batch_norm_2", torch::nn::BatchNorm2d(out_chans));
}

Encoded EncodingBlockImpl::forward(const torch::Tensor& x) {
  const int64_t b = x.size(0), t = x.size(1), h = x.size(3), w = x.size(4);
  auto y = conv_lstm->forward(x).flatten(0, 1);  // the frames as one batch
  y = conv2d->forward(torch::relu(batch_norm_1->forward(y)));
  auto pooled = torch::max_pool2d(y, 2);
  return {pooled.view({b, t, y.size(1), h / 2, w / 2}), y};
}

bool is_unused_parameter(const std::string& name) {
  return name.find("encoding_block") != std::string::npos && name.find(".batch_norm_2.") != std::string::npos;
}

DecodingBlockImpl::DecodingBlockImpl(int64_t in_chans, int64_t out_chans) {
  conv2d_1 = register_module("conv2d_1", conv3x3(in_chans, in_chans));
  batch_norm_1 = register_module("batch_norm_1", torch::nn::BatchNorm2d(in_chans));
  conv2d_2 = register_module("conv2d_2", conv3x3(in_chans, out_chans));
  batch_norm_2 = register_module("batch_norm_2", torch::nn::BatchNorm2d(out_chans));
}

torch::Tensor DecodingBlockImpl::forward(const torch::Tensor& x, const torch::Tensor& skip) {
  namespace F = torch::nn::functional;
  auto y = F::interpolate(x, F::InterpolateFuncOptions()
                                 .scale_factor(std::vector<double>{2, 2})
                                 .mode(torch::kBicubic)
                                 .align_corners(false));
  y = torch::relu(batch_norm_1->forward(conv2d_1->forward(y) + skip));
  return torch::relu(batch_norm_2->forward(conv2d_2->forward(y)));
}

}  // namespace interp::convlstm
