#include "interp/core/convlstm/synthesis.h"

#include "interp/core/precision.h"

#include <torch/torch.h>

namespace interp::convlstm {
namespace {

torch::nn::Conv2d conv3x3(int64_t in, int64_t out) {
  return torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, 3).padding(1));
}

}  // namespace

SynthesisNetImpl::SynthesisNetImpl(const ConvLstmConfig& config) {
  const auto& ch = config.channels;
  const size_t levels = ch.size() - 1;
  for (size_t i = 0; i < levels; ++i)
    encoders_.push_back(register_module("encoding_block" + std::to_string(i + 1), EncodingBlock(ch[i], ch[i + 1])));
  conv_block_1 = register_module("conv_block_1",
                                 torch::nn::Sequential(conv3x3(ch[levels], ch[levels]), conv3x3(ch[levels], ch[levels])));
  for (size_t i = 0; i < levels; ++i)
    decoders_.push_back(register_module("decoding_block" + std::to_string(i + 1),
                                        DecodingBlock(ch[levels - i], ch[levels - i - 1])));
  const int64_t stacked = ch[0] * config.frames;  // the decoded frames side by side
  conv_block_2 = register_module("conv_block_2", torch::nn::Sequential(conv3x3(stacked, stacked / 2),
                                                                       conv3x3(stacked / 2, ch[0])));
}

torch::Tensor SynthesisNetImpl::forward(const torch::Tensor& x) {
  const int64_t b = x.size(0), t = x.size(1);
  const auto average = (x.select(1, 1) + x.select(1, 2)) / 2;
  auto y = convolved([&] {
    std::vector<torch::Tensor> skips;
    auto z = x;
    for (auto& encoder : encoders_) {
      auto encoded = encoder->forward(z);
      z = encoded.next;
      skips.push_back(encoded.skip);
    }
    z = conv_block_1->forward(z.flatten(0, 1));
    for (size_t i = 0; i < decoders_.size(); ++i) z = decoders_[i]->forward(z, skips[skips.size() - 1 - i]);
    return z;
  });
  // B·T×C×H×W -> B×(T·C)×H×W, frame after frame as the reference concatenates them.
  y = y.view({b, t * y.size(1), y.size(2), y.size(3)});
  return conv_block_2->forward(y) + average;  // the residual on the frame: fp32 in every precision
}

}  // namespace interp::convlstm
