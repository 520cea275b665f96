/// Backward warping with the exact normalisation of the reference RIFE warplayer.
#include "interp/core/rife/backward_warp.h"

#include "interp/core/precision.h"

#include <torch/torch.h>

namespace interp::rife {

torch::Tensor BackwardWarp::operator()(const torch::Tensor& image, const torch::Tensor& flow) {
  const int64_t h = flow.size(2), w = flow.size(3);
  const auto type = at_least_fp32(image.scalar_type());
  if (!grid_.defined() || grid_.size(1) != h || grid_.size(2) != w || grid_.device() != flow.device() ||
      grid_.scalar_type() != type) {
    auto opts = torch::TensorOptions().dtype(type).device(flow.device());
    auto xs = torch::linspace(-1.0, 1.0, w, opts).view({1, 1, w}).expand({1, h, w});
    auto ys = torch::linspace(-1.0, 1.0, h, opts).view({1, h, 1}).expand({1, h, w});
    grid_ = torch::stack({xs, ys}, 3).contiguous();
  }
  // The reference divides by ((W-1)/2, (H-1)/2) in float32 whatever the model's
  // reduced dtype (in float64 when the whole run is float64).
  auto f = flow.to(type);
  auto fx = f.select(1, 0) / ((w - 1.0) / 2.0);
  auto fy = f.select(1, 1) / ((h - 1.0) / 2.0);
  auto grid = grid_ + torch::stack({fx, fy}, 3);
  auto out = torch::grid_sampler(image.to(type), grid, /*bilinear*/ 0, /*border*/ 1,
                                 /*align_corners=*/true);
  return out.to(image.scalar_type());
}

}  // namespace interp::rife
