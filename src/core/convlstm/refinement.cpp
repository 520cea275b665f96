#include "interp/core/convlstm/refinement.h"

#include "interp/core/precision.h"

#include <torch/torch.h>

namespace interp::convlstm {

RefinementNetImpl::RefinementNetImpl(const ConvLstmConfig& config) {
  const int64_t c = config.channels[0] * 3;  // rough, I2, I3
  conv_in = register_module("conv_in", torch::nn::Conv2d(torch::nn::Conv2dOptions(c, c, 3).padding(1)));
  attention_blocks = register_module("attention_blocks", torch::nn::Sequential());
  for (int64_t i = 0; i < config.attention_blocks; ++i) attention_blocks->push_back(AttentionBlock(c));
  conv_out = register_module("conv_out", torch::nn::Conv2d(torch::nn::Conv2dOptions(c, config.channels[0], 3).padding(1)));
}

torch::Tensor RefinementNetImpl::forward(const torch::Tensor& rough, const torch::Tensor& i2, const torch::Tensor& i3) {
  const auto x = convolved([&] {
    auto y = conv_in->forward(torch::cat({rough, i2, i3}, 1));
    return y + attention_blocks->forward(y);
  });
  return conv_out->forward(x) + rough;  // the residual on the frame: fp32 in every precision
}

}  // namespace interp::convlstm
