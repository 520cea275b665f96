#pragma once
/// The synthesis U-Net: the window's four frames through ConvLSTM encoder levels, a
/// middle pair of convolutions and decoder levels (every frame separately), then the
/// four decoded frames side by side into one 3-channel residual over (I2 + I3) / 2:
/// the *rough* frame. Why a residual over the average: where nothing moves the average
/// is already right, so the network only learns what motion changes.
#include "interp/core/convlstm/blocks.h"
#include "interp/core/convlstm/convlstm_config.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/container/sequential.h>

namespace interp::convlstm {

class SynthesisNetImpl : public torch::nn::Module {
 public:
  explicit SynthesisNetImpl(const ConvLstmConfig& config);
  /// x: B×T×3×H×W in the reference's convention (convlstm_net.h) -> B×3×H×W.
  torch::Tensor forward(const torch::Tensor& x);

 private:
  std::vector<EncodingBlock> encoders_;
  std::vector<DecodingBlock> decoders_;
  torch::nn::Sequential conv_block_1{nullptr}, conv_block_2{nullptr};
};
TORCH_MODULE(SynthesisNet);

}  // namespace interp::convlstm
