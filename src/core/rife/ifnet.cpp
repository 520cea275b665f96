/// IFNet's coarse-to-fine loop with torch ops (any device and dtype), shared by every variant.
#include "interp/rife/ifnet.h"

#include "interp/rife/cpu_glue.h"

#include <torch/torch.h>

namespace interp::rife {

IFNetImpl::IFNetImpl(IFNetVariant variant) : variant_(std::move(variant)) {
  for (int64_t i = 0; i < variant_.num_blocks(); ++i) {
    IFBlockOptions options;
    options.in_channels = variant_.block_inputs(i);
    options.width = variant_.block_widths[i];
    options.out_channels = variant_.block_outputs;
    options.activation = variant_.activation;
    options.trunk = variant_.trunk;
    options.head = variant_.block_head;
    blocks_.push_back(register_module("block" + std::to_string(i), IFBlock(options)));
  }
  if (variant_.head_channels > 0) head_ = register_module("encode", Head(variant_.head_channels));
}

void IFNetImpl::prepare_for_inference() {
  for (auto& block : blocks_) block->prepare_for_inference();
}

torch::Tensor IFNetImpl::encode(const torch::Tensor& image) {
  return head_ ? head_->forward(image) : torch::Tensor();
}

torch::Tensor IFNetImpl::forward(const torch::Tensor& img0, const torch::Tensor& img1,
                                 const torch::Tensor& timestep, double scale) {
  return forward_with_features(img0, img1, encode(img0), encode(img1), timestep, scale);
}

torch::Tensor moves_more_than(const torch::Tensor& flow_update, double px) {
  auto reach = [&](int64_t from) { return flow_update.slice(1, from, from + 2).abs().amax({1, 2, 3}); };
  return torch::logical_and(reach(0) > px, reach(2) > px);
}

bool IFNetImpl::fused_cpu_applies(const torch::Tensor& image) const {
  return fused_cpu_ && cpu_glue::applicable(image) && !blocks_.empty() &&
         blocks_.front()->parameters().front().scalar_type() == torch::kFloat32;
}

torch::Tensor IFNetImpl::forward_with_features(const torch::Tensor& img0_in, const torch::Tensor& img1_in,
                                               const torch::Tensor& feat0, const torch::Tensor& feat1,
                                               const torch::Tensor& timestep, double scale) {
  if (fused_cpu_applies(img0_in)) return forward_fused_cpu(img0_in, img1_in, feat0, feat1, timestep, scale);
  const auto img0 = img0_in.clamp(0.0, 1.0);
  const auto img1 = img1_in.clamp(0.0, 1.0);
  const bool has_head = feat0.defined();
  std::vector<double> scales;
  for (int64_t i = 0; i < variant_.num_blocks(); ++i) scales.push_back(variant_.base_scale(i) / scale);
  torch::Tensor flow, mask, features, warped0, warped1;

  auto warp_both = [&] {
    warped0 = warp_(img0, flow.slice(1, 0, 2));
    warped1 = warp_(img1, flow.slice(1, 2, 4));
  };
  auto first_block = [&] {
    std::vector<torch::Tensor> inputs = {img0, img1};
    if (has_head) inputs.insert(inputs.end(), {feat0, feat1});
    inputs.push_back(timestep);
    auto out = blocks_[0]->forward(torch::cat(inputs, 1), torch::Tensor(), scales[0]);
    flow = out.flow;
    mask = out.mask;
    features = out.features;
  };
  auto refining_block = [&](int64_t i) {
    std::vector<torch::Tensor> inputs = {warped0, warped1};
    if (has_head) inputs.insert(inputs.end(), {warp_(feat0, flow.slice(1, 0, 2)), warp_(feat1, flow.slice(1, 2, 4))});
    inputs.insert(inputs.end(), {timestep, mask});
    if (variant_.passed_features > 0) inputs.push_back(features);
    return blocks_[i]->forward(torch::cat(inputs, 1), flow, scales[i]);
  };

  for (int64_t i = 0; i < variant_.num_blocks(); ++i) {
    if (i == 0) {
      first_block();
    } else {
      auto out = refining_block(i);
      if (i == 1 && variant_.large_motion_restart_px > 0) {
        // v3.9 restarts at half resolution when block 1 still sees large motion. The
        // reference decides per call; a batch decides per pair so batching changes nothing.
        const auto restart = moves_more_than(out.flow, variant_.large_motion_restart_px);
        const int64_t count = restart.sum().item<int64_t>();
        if (count > 0 && count < img0.size(0)) return forward_each(img0, img1, feat0, feat1, timestep, scale);
        if (count > 0) {
          for (auto& s : scales) s *= 2;
          first_block();
          warp_both();
          out = refining_block(i);
        }
      }
      flow = flow + out.flow;
      mask = variant_.mask_accumulates ? mask + out.mask : out.mask;
      features = out.features;
    }
    warp_both();
  }
  const auto weight = torch::sigmoid(mask);
  return warped0 * weight + warped1 * (1 - weight);
}

torch::Tensor IFNetImpl::forward_each(const torch::Tensor& img0, const torch::Tensor& img1,
                                      const torch::Tensor& feat0, const torch::Tensor& feat1,
                                      const torch::Tensor& timestep, double scale) {
  std::vector<torch::Tensor> outputs;
  for (int64_t k = 0; k < img0.size(0); ++k) {
    auto one = [k](const torch::Tensor& t) { return t.defined() ? t.narrow(0, k, 1) : t; };
    outputs.push_back(forward_with_features(one(img0), one(img1), one(feat0), one(feat1), one(timestep), scale));
  }
  return torch::cat(outputs, 0);
}

}  // namespace interp::rife
