/// IFNet's coarse-to-fine loop, shared by every v4 variant.
#include "interp/rife/ifnet.h"

#include <torch/torch.h>

namespace interp::rife {

IFNetImpl::IFNetImpl(IFNetVariant variant) : variant_(std::move(variant)) {
  for (int64_t i = 0; i < variant_.num_blocks(); ++i) {
    blocks_.push_back(register_module(
        "block" + std::to_string(i),
        IFBlock(variant_.block_inputs(i), variant_.block_widths[i], variant_.block_outputs)));
  }
  if (variant_.head_channels > 0) head_ = register_module("encode", Head(variant_.head_channels));
}

torch::Tensor IFNetImpl::encode(const torch::Tensor& image) {
  return head_ ? head_->forward(image) : torch::Tensor();
}

torch::Tensor IFNetImpl::forward(const torch::Tensor& img0, const torch::Tensor& img1,
                                 const torch::Tensor& timestep, double scale) {
  return forward_with_features(img0, img1, encode(img0), encode(img1), timestep, scale);
}

torch::Tensor IFNetImpl::forward_with_features(const torch::Tensor& img0_in, const torch::Tensor& img1_in,
                                               const torch::Tensor& feat0, const torch::Tensor& feat1,
                                               const torch::Tensor& timestep, double scale) {
  const auto img0 = img0_in.clamp(0.0, 1.0);
  const auto img1 = img1_in.clamp(0.0, 1.0);
  const bool has_head = feat0.defined();
  torch::Tensor flow, mask, features, warped0, warped1;

  for (int64_t i = 0; i < variant_.num_blocks(); ++i) {
    const double block_scale = variant_.base_scale(i) / scale;
    std::vector<torch::Tensor> inputs;
    if (i == 0) {
      inputs = {img0, img1};
      if (has_head) inputs.insert(inputs.end(), {feat0, feat1});
      inputs.push_back(timestep);
      auto out = blocks_[i]->forward(torch::cat(inputs, 1), torch::Tensor(), block_scale);
      flow = out.flow;
      mask = out.mask;
      features = out.features;
    } else {
      inputs = {warped0, warped1};
      if (has_head) inputs.insert(inputs.end(), {warp_(feat0, flow.slice(1, 0, 2)), warp_(feat1, flow.slice(1, 2, 4))});
      inputs.insert(inputs.end(), {timestep, mask});
      if (variant_.passed_features > 0) inputs.push_back(features);
      auto out = blocks_[i]->forward(torch::cat(inputs, 1), flow, block_scale);
      flow = flow + out.flow;
      mask = variant_.mask_accumulates ? mask + out.mask : out.mask;
      features = out.features;
    }
    warped0 = warp_(img0, flow.slice(1, 0, 2));
    warped1 = warp_(img1, flow.slice(1, 2, 4));
  }
  const auto weight = torch::sigmoid(mask);
  return warped0 * weight + warped1 * (1 - weight);
}

}  // namespace interp::rife
