/// The average of the warps where they differ by grain alone (noise_average.h).
#include "interp/core/rife/noise_average.h"

#include "interp/core/rife/motion_confidence.h"
#include "interp/core/rife/picture_edges.h"

#include <torch/torch.h>

namespace interp::rife {
namespace {

/// A 3×3 mean leaves white noise 0.943 (√(8/9)) of its standard deviation, and the
/// median of |x| is 0.6745 of it: the difference's standard deviation, per pair.
torch::Tensor grain_level(const torch::Tensor& difference, PictureSize picture) {
  const auto [width, height] = picture_within(picture, difference);
  const auto seen = difference.narrow(2, 0, height).narrow(3, 0, width);
  const auto high = seen - torch::avg_pool2d(seen, 3, 1, 1, false, /*count_include_pad=*/false);
  const auto median = std::get<0>(high.abs().flatten(1).median(1));
  return median / (0.6745 * 0.943);
}

}  // namespace

torch::Tensor noise_weight(const RefineInputs& state, PictureSize picture, const NoiseRule& rule) {
  const auto difference = (state.warped0 - state.warped1).to(torch::kFloat32).mean(1, /*keepdim=*/true);
  const auto level = grain_level(difference, picture);
  // The mean |x| of Gaussian noise is √(2/π) of its standard deviation.
  const auto expected = (level * 0.7979).view({-1, 1, 1, 1});
  const auto local = torch::avg_pool2d(difference.abs(), rule.window, rule.window, 0, /*ceil_mode=*/true,
                                       /*count_include_pad=*/false);
  const auto ratio = local / expected.clamp_min(1e-6);
  const auto grainy = ((level - rule.clean_level) / (rule.grainy_level - rule.clean_level)).clamp(0.0, 1.0);
  const auto weight =
      ((rule.structured - ratio) / (rule.structured - rule.explained)).clamp(0.0, 1.0) * grainy.view({-1, 1, 1, 1});
  // Bilinear between window centres, so that no window's edge shows.
  return torch::upsample_bilinear2d(weight, {state.img0.size(2), state.img0.size(3)}, /*align_corners=*/false);
}

torch::Tensor average_warps(const torch::Tensor& frame, const RefineInputs& state, const torch::Tensor& timestep,
                            const torch::Tensor& weight) {
  return toward_mix(frame, state.warped0, state.warped1, timestep, weight);
}

}  // namespace interp::rife
