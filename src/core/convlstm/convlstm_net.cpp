#include "interp/core/convlstm/convlstm_net.h"

#include <torch/torch.h>

namespace interp::convlstm {

ConvLstmNetImpl::ConvLstmNetImpl(const ConvLstmConfig& config) : config_(config) {
  synthesis = register_module("synthesis", SynthesisNet(config));
  refinement = register_module("refinement", RefinementNet(config));
}

ConvLstmOutput ConvLstmNetImpl::forward(const torch::Tensor& x) {
  auto rough = synthesis->forward(x);
  auto refined = refinement->forward(rough, x.select(1, 1), x.select(1, 2));
  return {rough, refined};
}

ConvLstmOutput ConvLstmNetImpl::forward_frames(const torch::Tensor& before, const torch::Tensor& img0,
                                               const torch::Tensor& img1, const torch::Tensor& after) {
  // RGB <-> BGR is the channel flip both ways; [0,1] <-> [-1,1] the affine map.
  const auto in = [](const torch::Tensor& f) { return f.flip({1}) * 2 - 1; };
  const auto out = [](const torch::Tensor& f) { return ((f + 1) / 2).flip({1}); };
  const auto result = forward(torch::stack({in(before), in(img0), in(img1), in(after)}, 1));
  return {out(result.rough), out(result.refined)};
}

}  // namespace interp::convlstm
