/// IFNet's glue in plain torch ops, as the reference writes it: block inputs are
/// concatenated at full resolution and each block resizes them itself. Any device and
/// dtype; the CPU fused glue is tested against this one.
#include "interp/core/rife/ifnet_glue.h"

#include <torch/torch.h>

namespace interp::rife {
namespace {

class AtenGlue : public IFNetGlue {
 public:
  AtenGlue(const IFNetInputs& in, std::vector<IFBlock>& blocks, const IFNetVariant& variant, BackwardWarp& warp)
      : in_(in), blocks_(blocks), variant_(variant), warp_(warp) {}

  BlockPrediction predict(int64_t i, double scale, bool swapped) override {
    const auto [input, flow] = block_input(i, swapped);
    BlockPrediction p;
    p.block = i;
    p.scale = scale;
    p.full = blocks_[i]->forward(input, flow, scale);
    return p;
  }

  std::pair<BlockPrediction, BlockPrediction> predict_both(int64_t i, double scale) override {
    const auto [input, flow] = block_input(i, false);
    const auto [swapped_input, swapped_flow] = block_input(i, true);
    const auto both = blocks_[i]->forward(torch::cat({input, swapped_input}, 0),
                                          flow.defined() ? torch::cat({flow, swapped_flow}, 0) : flow, scale);
    const int64_t n = input.size(0);
    const auto half = [&](const torch::Tensor& t, int64_t k) { return t.defined() ? t.narrow(0, k * n, n) : t; };
    std::pair<BlockPrediction, BlockPrediction> out;
    for (int k = 0; k < 2; ++k) {
      auto& p = k == 0 ? out.first : out.second;
      p.block = i;
      p.scale = scale;
      p.full = {half(both.flow, k), half(both.mask, k), half(both.features, k)};
    }
    return out;
  }

  BlockPrediction average_swapped(const BlockPrediction& p, const BlockPrediction& q) override {
    BlockPrediction r = p;
    r.full.flow = (p.full.flow + swap_directions(q.full.flow)) / 2;
    r.full.mask = (p.full.mask - q.full.mask) / 2;
    return r;
  }

  torch::Tensor flow_update(const BlockPrediction& p) override { return p.full.flow; }

  void take(const BlockPrediction& p, bool first, bool add_mask, const torch::Tensor&) override {
    flow_ = first ? p.full.flow : flow_ + p.full.flow;
    mask_ = first || !add_mask ? p.full.mask : mask_ + p.full.mask;
    features_ = p.full.features;
  }

  void warp() override {
    warped0_ = warp_(in_.img0, flow_.slice(1, 0, 2));
    warped1_ = warp_(in_.img1, flow_.slice(1, 2, 4));
    if (in_.feat0.defined()) {
      warped_feat0_ = warp_(in_.feat0, flow_.slice(1, 0, 2));
      warped_feat1_ = warp_(in_.feat1, flow_.slice(1, 2, 4));
    }
  }

  torch::Tensor merge(const torch::Tensor& mask_shift) override {
    warp();
    const auto weight = torch::sigmoid(mask_shift.defined() ? mask_ + mask_shift.to(mask_.scalar_type()) : mask_);
    return warped0_ * weight + warped1_ * (1 - weight);
  }

  const torch::Tensor& flow() const override { return flow_; }

  RefineInputs final_state() override { return {in_.img0, in_.img1, warped0_, warped1_, mask_, flow_}; }

 private:
  /// Block i's input channels at full resolution and the flow it resizes with them.
  std::pair<torch::Tensor, torch::Tensor> block_input(int64_t i, bool swapped) {
    const bool has_head = in_.feat0.defined();
    // The pair in the order this pass reads it.
    auto ordered = [swapped](const torch::Tensor& a, const torch::Tensor& b) {
      return swapped ? std::vector<torch::Tensor>{b, a} : std::vector<torch::Tensor>{a, b};
    };
    std::vector<torch::Tensor> inputs;
    auto append = [&inputs](const std::vector<torch::Tensor>& more) { inputs.insert(inputs.end(), more.begin(), more.end()); };
    const auto& timestep = swapped ? one_minus_t() : in_.timestep;
    if (i == 0) {
      append(ordered(in_.img0, in_.img1));
      if (has_head) append(ordered(in_.feat0, in_.feat1));
      inputs.push_back(timestep);
    } else {
      append(ordered(warped0_, warped1_));
      if (has_head) append(ordered(warped_feat0_, warped_feat1_));
      append({timestep, swapped ? -mask_ : mask_});
      if (variant_.passed_features > 0) inputs.push_back(features_);
    }
    const auto flow = i == 0 ? torch::Tensor() : swapped ? swap_directions(flow_) : flow_;
    return {torch::cat(inputs, 1), flow};
  }

  const torch::Tensor& one_minus_t() {
    if (!one_minus_t_.defined()) one_minus_t_ = 1 - in_.timestep;
    return one_minus_t_;
  }

  const IFNetInputs& in_;
  std::vector<IFBlock>& blocks_;
  const IFNetVariant& variant_;
  BackwardWarp& warp_;
  torch::Tensor flow_, mask_, features_, warped0_, warped1_, warped_feat0_, warped_feat1_, one_minus_t_;
};

}  // namespace

torch::Tensor swap_directions(const torch::Tensor& flow) {
  return torch::cat({flow.slice(1, 2, 4), flow.slice(1, 0, 2)}, 1);
}

std::unique_ptr<IFNetGlue> make_aten_glue(const IFNetInputs& inputs, std::vector<IFBlock>& blocks,
                                          const IFNetVariant& variant, BackwardWarp& warp) {
  return std::make_unique<AtenGlue>(inputs, blocks, variant, warp);
}

}  // namespace interp::rife
