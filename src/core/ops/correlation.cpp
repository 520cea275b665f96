/// One shifted product per window offset, averaged over channels: (2r+1)² passes over
/// the maps, no (2r+1)²-times larger unfolded copy.
#include "interp/core/ops/correlation.h"

#include "interp/base/error.h"

#include <torch/torch.h>

namespace interp::ops {

torch::Tensor local_correlation(const torch::Tensor& first, const torch::Tensor& second, int64_t radius) {
  if (first.dim() != 4 || !first.sizes().equals(second.sizes()))
    throw Error("local_correlation: two N×C×H×W maps of the same shape are required");
  if (radius < 0) throw Error("local_correlation: the radius must not be negative");
  const int64_t h = first.size(2), w = first.size(3);
  const auto padded = torch::constant_pad_nd(second, {radius, radius, radius, radius}, 0);
  std::vector<torch::Tensor> offsets;
  offsets.reserve((2 * radius + 1) * (2 * radius + 1));
  for (int64_t dy = -radius; dy <= radius; ++dy)
    for (int64_t dx = -radius; dx <= radius; ++dx)
      offsets.push_back((first * padded.slice(2, radius + dy, radius + dy + h).slice(3, radius + dx, radius + dx + w))
                            .mean(1));
  return torch::stack(offsets, 1);
}

}  // namespace interp::ops
