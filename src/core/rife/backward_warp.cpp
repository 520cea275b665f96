/// Backward warping with the exact normalisation of the reference RIFE warplayer.
#include "interp/core/rife/backward_warp.h"

#include "interp/core/precision.h"

#include <torch/torch.h>

#include <algorithm>

namespace interp::rife {

torch::Tensor BackwardWarp::operator()(const torch::Tensor& image, const torch::Tensor& flow) {
  const int64_t h = flow.size(2), w = flow.size(3);
  const auto type = at_least_fp32(image.scalar_type());
  const auto fits = [&](const torch::Tensor& g) {
    return g.size(1) == h && g.size(2) == w && g.device() == flow.device() && g.scalar_type() == type;
  };
  auto cached = std::find_if(grids_.begin(), grids_.end(), fits);
  if (cached == grids_.end()) {
    auto opts = torch::TensorOptions().dtype(type).device(flow.device());
    auto xs = torch::linspace(-1.0, 1.0, w, opts).view({1, 1, w}).expand({1, h, w});
    auto ys = torch::linspace(-1.0, 1.0, h, opts).view({1, h, 1}).expand({1, h, w});
    grids_.push_back(torch::stack({xs, ys}, 3).contiguous());
    cached = grids_.end() - 1;
  }
  const torch::Tensor& base = *cached;
  // The reference divides by ((W-1)/2, (H-1)/2) in float32 whatever the model's
  // reduced dtype (in float64 when the whole run is float64).
  auto f = flow.to(type);
  auto fx = f.select(1, 0) / ((w - 1.0) / 2.0);
  auto fy = f.select(1, 1) / ((h - 1.0) / 2.0);
  auto grid = base + torch::stack({fx, fy}, 3);
  auto out = torch::grid_sampler(image.to(type), grid, /*bilinear*/ 0, /*border*/ 1,
                                 /*align_corners=*/true);
  return out.to(image.scalar_type());
}

}  // namespace interp::rife
