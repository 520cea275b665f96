/// The fallback toward the blend (motion_confidence.h).
#include "interp/core/rife/motion_confidence.h"

#include "interp/core/rife/picture_edges.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace interp::rife {
namespace {

/// Mean over channels and over block×block tiles (the last tiles may be partial).
torch::Tensor block_mean_abs(const torch::Tensor& difference, int64_t block) {
  const auto per_pixel = difference.abs().to(torch::kFloat32).mean(1, /*keepdim=*/true);
  return torch::avg_pool2d(per_pixel, block, block, 0, /*ceil_mode=*/true, /*count_include_pad=*/false);
}

}  // namespace

torch::Tensor blend_weight(const RefineInputs& state, const FallbackRule& rule) {
  // Where the merge mask takes one side (an occlusion: what one frame hides, the other
  // shows), the warps differ by design; they count fully only where it takes both.
  const auto m = torch::sigmoid(state.mask.to(torch::kFloat32));
  const auto both_sides = (4 * m * (1 - m)).to(state.warped0.scalar_type());
  const int64_t block =
      std::max<int64_t>(rule.min_block, std::llround(static_cast<double>(state.img0.size(3)) * rule.block_share));
  const auto warps = block_mean_abs((state.warped0 - state.warped1) * both_sides, block);
  const auto inputs = block_mean_abs(state.img0 - state.img1, block);
  const auto ratio = warps / (inputs + rule.floor);
  const auto weight = ((ratio - rule.trusted) / (rule.untrusted - rule.trusted)).clamp(0.0, 1.0);
  // Bilinear between block centres, so no block edge shows in the frame.
  return torch::upsample_bilinear2d(weight, {state.img0.size(2), state.img0.size(3)}, /*align_corners=*/false);
}

torch::Tensor doubtful(const torch::Tensor& weight, PictureSize picture, const FallbackRule& rule) {
  const auto [width, height] = picture_within(picture, weight);
  return weight.narrow(2, 0, height).narrow(3, 0, width).mean({1, 2, 3}) > rule.doubtful;
}

torch::Tensor toward_mix(const torch::Tensor& frame, const torch::Tensor& a, const torch::Tensor& b,
                         const torch::Tensor& timestep, const torch::Tensor& weight) {
  const auto mix = a * (1 - timestep) + b * timestep;
  return frame + (mix.to(frame.scalar_type()) - frame) * weight.to(frame.scalar_type());
}

torch::Tensor fall_back_to_blend(const torch::Tensor& frame, const RefineInputs& state, const torch::Tensor& timestep,
                                 const torch::Tensor& weight) {
  return toward_mix(frame, state.img0, state.img1, timestep, weight);
}

}  // namespace interp::rife
