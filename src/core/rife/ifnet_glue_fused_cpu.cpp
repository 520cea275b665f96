/// IFNet's glue for CPU float32 with cpu_glue's fused kernels: block inputs are resized
/// straight into one low-resolution buffer instead of concatenated at full resolution
/// first, block outputs are upsampled into the flow/mask accumulators in place (a pixel
/// shuffle read in place), and the last warp is fused with the merge. Computes what the
/// aten glue computes (tests compare them).
#include "interp/core/rife/cpu_glue.h"
#include "interp/core/rife/ifnet_glue.h"

#include <torch/torch.h>

#include <cmath>
#include <vector>

namespace interp::rife {
namespace {

class FusedCpuGlue : public IFNetGlue {
 public:
  FusedCpuGlue(const IFNetInputs& in, std::vector<IFBlock>& blocks, const IFNetVariant& variant)
      : in_(in), blocks_(blocks) {
    n_ = in.img0.size(0);
    h_ = in.img0.size(2);
    w_ = in.img0.size(3);
    flow_ = full(4);
    mask_ = full(1);
    warped0_ = full(3);
    warped1_ = full(3);
    if (variant.passed_features > 0) features_ = full(variant.passed_features);
    if (in.feat0.defined()) {
      warped_feat0_ = full(in.feat0.size(1));
      warped_feat1_ = full(in.feat1.size(1));
    }
  }

  BlockPrediction predict(int64_t i, double scale, bool swapped) override {
    BlockPrediction p;
    p.block = i;
    p.scale = scale;
    p.raw = blocks_[i]->predict(block_input(i, scale, swapped), /*shuffle=*/false);
    return p;
  }

  std::pair<BlockPrediction, BlockPrediction> predict_both(int64_t i, double scale) override {
    const auto input = torch::cat({block_input(i, scale, false), block_input(i, scale, true)}, 0);
    const auto raw = blocks_[i]->predict(input.contiguous(torch::MemoryFormat::ChannelsLast), /*shuffle=*/false);
    BlockPrediction p, q;
    p.block = q.block = i;
    p.scale = q.scale = scale;
    p.raw = raw.narrow(0, 0, n_);
    q.raw = raw.narrow(0, n_, n_);
    return {p, q};
  }

  /// Averaged before the upsampling that take() does: the resize is linear, so this is
  /// the reference's average of upsampled outputs (to rounding).
  BlockPrediction average_swapped(const BlockPrediction& p, const BlockPrediction& q) override {
    // A PixelShuffle head not yet shuffled holds each output channel as 4 raw channels.
    const int64_t g = blocks_[p.block]->defers_shuffle() ? 4 : 1;
    const auto twin = torch::cat({q.raw.narrow(1, 2 * g, 2 * g), q.raw.narrow(1, 0, 2 * g), -q.raw.narrow(1, 4 * g, g)}, 1);
    BlockPrediction r = p;
    r.raw = p.raw.clone();
    r.raw.narrow(1, 0, 5 * g).add_(twin).div_(2);
    return r;
  }

  torch::Tensor flow_update(const BlockPrediction& p) override {
    auto update = full(4);
    take_flow(p, update, false);
    return update;
  }

  void take(const BlockPrediction& p, bool first, bool add_mask, const torch::Tensor& update) override {
    if (update.defined() && !first)
      flow_.add_(update);
    else
      take_flow(p, flow_, !first);
    const double up = blocks_[p.block]->upscale(p.scale);
    resize_output(p, 4, 1, mask_, up, 1.0f, !first && add_mask);
    if (features_.defined()) resize_output(p, 5, features_.size(1), features_, up, 1.0f, false);
  }

  void warp() override {
    cpu_glue::warp_both(in_.img0, in_.img1, flow_, warped0_, warped1_);
    if (in_.feat0.defined()) cpu_glue::warp_both(in_.feat0, in_.feat1, flow_, warped_feat0_, warped_feat1_);
  }

  torch::Tensor merge(const torch::Tensor& mask_shift) override {
    const auto mask = mask_shift.defined() ? (mask_ + mask_shift).contiguous(torch::MemoryFormat::ChannelsLast) : mask_;
    return cpu_glue::warp_and_merge(in_.img0, in_.img1, flow_, mask);
  }

  const torch::Tensor& flow() const override { return flow_; }

  RefineInputs final_state() override {
    warp();  // merge() warped on the fly without keeping the warps
    return {in_.img0, in_.img1, warped0_, warped1_, mask_, flow_};
  }

 private:
  torch::Tensor full(int64_t channels) const {
    return torch::empty({n_, channels, h_, w_}, in_.img0.options().memory_format(torch::MemoryFormat::ChannelsLast));
  }

  /// Block i's input at 1/scale: the same channels, in the same order, as the aten
  /// glue's cat(...) followed by the block's resize, then the resized flow divided by
  /// the scale. `swapped` as in IFNetGlue::predict.
  torch::Tensor block_input(int64_t i, double scale, bool swapped) {
    const double factor = 1.0 / scale;
    struct Source {
      torch::Tensor tensor;
      float multiplier;
    };
    std::vector<Source> sources;
    auto pair = [&](const torch::Tensor& a, const torch::Tensor& b) {
      sources.push_back({swapped ? b : a, 1.0f});
      sources.push_back({swapped ? a : b, 1.0f});
    };
    const auto timestep = swapped ? 1 - in_.timestep : in_.timestep;
    if (i == 0) {
      pair(in_.img0, in_.img1);
      if (in_.feat0.defined()) pair(in_.feat0, in_.feat1);
      sources.push_back({timestep, 1.0f});
    } else {
      pair(warped0_, warped1_);
      if (in_.feat0.defined()) pair(warped_feat0_, warped_feat1_);
      sources.push_back({timestep, 1.0f});
      sources.push_back({mask_, swapped ? -1.0f : 1.0f});
      if (features_.defined()) sources.push_back({features_, 1.0f});
      const auto flow_scale = static_cast<float>(factor);
      sources.push_back({flow_.narrow(1, swapped ? 2 : 0, 2), flow_scale});
      sources.push_back({flow_.narrow(1, swapped ? 0 : 2, 2), flow_scale});
    }
    int64_t channels = 0;
    for (const auto& s : sources) channels += s.tensor.size(1);
    const auto low_h = static_cast<int64_t>(std::floor(h_ * factor));
    const auto low_w = static_cast<int64_t>(std::floor(w_ * factor));
    auto buffer = torch::empty({n_, channels, low_h, low_w}, in_.img0.options().memory_format(torch::MemoryFormat::ChannelsLast));
    int64_t at = 0;
    for (const auto& s : sources) {
      auto slice = buffer.narrow(1, at, s.tensor.size(1));
      cpu_glue::resize_into(s.tensor, slice, factor, s.multiplier);
      at += s.tensor.size(1);
    }
    return buffer;
  }

  /// Channels [from, from+count) of a block's output, upsampled into `dst`. Outputs come
  /// before any PixelShuffle, which is read in place.
  void resize_output(const BlockPrediction& p, int64_t from, int64_t count, torch::Tensor& dst, double up,
                     float multiplier, bool accumulate) const {
    if (blocks_[p.block]->defers_shuffle())
      cpu_glue::resize_shuffled_into(p.raw.narrow(1, 4 * from, 4 * count), dst, up, multiplier, accumulate);
    else
      cpu_glue::resize_into(p.raw.narrow(1, from, count), dst, up, multiplier, accumulate);
  }

  void take_flow(const BlockPrediction& p, torch::Tensor& dst, bool accumulate) const {
    const double up = blocks_[p.block]->upscale(p.scale);
    resize_output(p, 0, 4, dst, up, static_cast<float>(up), accumulate);
  }

  const IFNetInputs& in_;
  std::vector<IFBlock>& blocks_;
  int64_t n_ = 0, h_ = 0, w_ = 0;
  torch::Tensor flow_, mask_, features_, warped0_, warped1_, warped_feat0_, warped_feat1_;
};

}  // namespace

std::unique_ptr<IFNetGlue> make_fused_cpu_glue(const IFNetInputs& inputs, std::vector<IFBlock>& blocks,
                                               const IFNetVariant& variant) {
  return std::make_unique<FusedCpuGlue>(inputs, blocks, variant);
}

}  // namespace interp::rife
