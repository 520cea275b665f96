#pragma once
/// The refinement net: the rough frame beside I2 and I3 (9 channels), a convolution in,
/// six attention blocks with a residual around them, a convolution out to 3 channels
/// added to the rough frame: the *refined* frame. Why the pair again: the rough frame
/// has lost detail in the U-Net's pooling, and the pair still has it.
#include "interp/core/convlstm/attention.h"
#include "interp/core/convlstm/convlstm_config.h"

namespace interp::convlstm {

class RefinementNetImpl : public torch::nn::Module {
 public:
  explicit RefinementNetImpl(const ConvLstmConfig& config);
  torch::Tensor forward(const torch::Tensor& rough, const torch::Tensor& i2, const torch::Tensor& i3);

 private:
  torch::nn::Conv2d conv_in{nullptr}, conv_out{nullptr};
  torch::nn::Sequential attention_blocks{nullptr};
};
TORCH_MODULE(RefinementNet);

}  // namespace interp::convlstm
