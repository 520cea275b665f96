#pragma once
/// The whole network (the reference's net.Net: `synthesis` then `refinement`) and the
/// one place where interp's frames meet the reference's convention. Its dataset code
/// feeds OpenCV's BGR channel order scaled to [-1, 1] as B×T×C×H×W; interp's frames
/// are RGB in [0, 1]. Converting here lets every file trained by the reference's code
/// load unchanged and keeps the rest of interp in its own convention.
#include "interp/core/convlstm/refinement.h"
#include "interp/core/convlstm/synthesis.h"

namespace interp::convlstm {

/// Both frames the network makes, in the convention of the frames given.
struct ConvLstmOutput {
  torch::Tensor rough;    ///< the synthesis U-Net's
  torch::Tensor refined;  ///< after the refinement net: the result
};

class ConvLstmNetImpl : public torch::nn::Module {
 public:
  explicit ConvLstmNetImpl(const ConvLstmConfig& config = {});
  /// The reference's forward: x B×T×3×H×W, BGR in [-1, 1], sides multiples of
  /// config().size_multiple().
  ConvLstmOutput forward(const torch::Tensor& x);
  /// interp's convention: four N×3×H×W RGB frames in [0, 1] (before, the pair, after).
  ConvLstmOutput forward_frames(const torch::Tensor& before, const torch::Tensor& img0, const torch::Tensor& img1,
                                const torch::Tensor& after);
  const ConvLstmConfig& config() const { return config_; }

 private:
  ConvLstmConfig config_;
  SynthesisNet synthesis{nullptr};
  RefinementNet refinement{nullptr};
};
TORCH_MODULE(ConvLstmNet);

}  // namespace interp::convlstm
