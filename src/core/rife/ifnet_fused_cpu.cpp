/// IFNet's coarse-to-fine loop for CPU float32 with the glue between convolutions fused
/// (cpu_glue.h): block inputs are resized straight into one low-resolution buffer
/// instead of concatenated at full resolution first, block outputs are upsampled into
/// the flow/mask accumulators in place, and the last warp is fused with the merge.
/// Computes what forward_with_features' torch-op loop computes (tests compare them).
#include "interp/rife/cpu_glue.h"
#include "interp/rife/ifnet.h"

#include <torch/torch.h>

#include <cmath>

namespace interp::rife {

torch::Tensor IFNetImpl::forward_fused_cpu(const torch::Tensor& img0_in, const torch::Tensor& img1_in,
                                           const torch::Tensor& feat0, const torch::Tensor& feat1,
                                           const torch::Tensor& timestep, double scale) {
  const auto channels_last = img0_in.options().memory_format(torch::MemoryFormat::ChannelsLast);
  const auto img0 = img0_in.clamp(0.0, 1.0);
  const auto img1 = img1_in.clamp(0.0, 1.0);
  const int64_t n = img0.size(0), h = img0.size(2), w = img0.size(3);
  const bool has_head = feat0.defined();
  auto full = [&](int64_t channels) { return torch::empty({n, channels, h, w}, channels_last); };

  std::vector<double> scales;
  for (int64_t i = 0; i < variant_.num_blocks(); ++i) scales.push_back(variant_.base_scale(i) / scale);
  torch::Tensor flow = full(4), mask = full(1), warped0 = full(3), warped1 = full(3);
  torch::Tensor features = variant_.passed_features > 0 ? full(variant_.passed_features) : torch::Tensor();
  torch::Tensor warped_feat0 = has_head ? full(feat0.size(1)) : torch::Tensor();
  torch::Tensor warped_feat1 = has_head ? full(feat1.size(1)) : torch::Tensor();

  // Block i's input at 1/scale: the same channels, in the same order, as the reference's
  // cat(...) followed by a resize, then the resized flow divided by the scale.
  auto block_input = [&](int64_t i) {
    std::vector<torch::Tensor> sources;
    if (i == 0) {
      sources = {img0, img1};
      if (has_head) sources.insert(sources.end(), {feat0, feat1});
      sources.push_back(timestep);
    } else {
      sources = {warped0, warped1};
      if (has_head) sources.insert(sources.end(), {warped_feat0, warped_feat1});
      sources.insert(sources.end(), {timestep, mask});
      if (features.defined()) sources.push_back(features);
      sources.push_back(flow);
    }
    int64_t channels = 0;
    for (const auto& s : sources) channels += s.size(1);
    const double factor = 1.0 / scales[i];
    const auto low_h = static_cast<int64_t>(std::floor(h * factor));
    const auto low_w = static_cast<int64_t>(std::floor(w * factor));
    auto buffer = torch::empty({n, channels, low_h, low_w}, channels_last);
    int64_t at = 0;
    for (const auto& s : sources) {
      auto slice = buffer.narrow(1, at, s.size(1));
      const bool is_flow = i > 0 && s.is_same(flow);
      cpu_glue::resize_into(s, slice, factor, is_flow ? static_cast<float>(1.0 / scales[i]) : 1.0f);
      at += s.size(1);
    }
    return buffer;
  };
  // Block outputs come before any PixelShuffle (predict(…, false)); `shuffled` reads
  // channel range [from, from+count) of the shuffled output as resize_into would.
  auto resize_output = [&](const torch::Tensor& out, bool shuffled, int64_t from, int64_t count, torch::Tensor& dst,
                           double up, float multiplier, bool accumulate) {
    if (shuffled)
      cpu_glue::resize_shuffled_into(out.narrow(1, 4 * from, 4 * count), dst, up, multiplier, accumulate);
    else
      cpu_glue::resize_into(out.narrow(1, from, count), dst, up, multiplier, accumulate);
  };
  auto predict = [&](int64_t i) { return blocks_[i]->predict(block_input(i), /*shuffle=*/false); };
  // Upsample a block's output into the full-resolution state.
  auto take_flow = [&](int64_t i, const torch::Tensor& out, torch::Tensor& dst, bool accumulate) {
    const double up = blocks_[i]->upscale(scales[i]);
    resize_output(out, blocks_[i]->defers_shuffle(), 0, 4, dst, up, static_cast<float>(up), accumulate);
  };
  auto take_mask_and_features = [&](int64_t i, const torch::Tensor& out, bool add_mask) {
    const double up = blocks_[i]->upscale(scales[i]);
    const bool shuffled = blocks_[i]->defers_shuffle();
    resize_output(out, shuffled, 4, 1, mask, up, 1.0f, add_mask);
    if (features.defined()) resize_output(out, shuffled, 5, features.size(1), features, up, 1.0f, false);
  };
  auto warp_all = [&] {
    cpu_glue::warp_both(img0, img1, flow, warped0, warped1);
    if (has_head) cpu_glue::warp_both(feat0, feat1, flow, warped_feat0, warped_feat1);
  };
  auto first_block = [&] {
    const auto out = predict(0);
    take_flow(0, out, flow, false);
    take_mask_and_features(0, out, false);
  };

  for (int64_t i = 0; i < variant_.num_blocks(); ++i) {
    if (i == 0) {
      first_block();
    } else {
      auto out = predict(i);
      bool flow_added = false;
      if (i == 1 && variant_.large_motion_restart_px > 0) {
        // The restart test looks at the full-resolution update, as the reference does.
        auto update = full(4);
        take_flow(i, out, update, false);
        const auto restart = moves_more_than(update, variant_.large_motion_restart_px);
        const int64_t count = restart.sum().item<int64_t>();
        if (count > 0 && count < n) return forward_each(img0, img1, feat0, feat1, timestep, scale);
        if (count > 0) {
          for (auto& s : scales) s *= 2;
          first_block();
          warp_all();
          out = predict(i);
        } else {
          flow.add_(update);
          flow_added = true;
        }
      }
      if (!flow_added) take_flow(i, out, flow, true);
      take_mask_and_features(i, out, variant_.mask_accumulates);
    }
    if (i + 1 < variant_.num_blocks()) warp_all();
  }
  return cpu_glue::warp_and_merge(img0, img1, flow, mask);
}

}  // namespace interp::rife
