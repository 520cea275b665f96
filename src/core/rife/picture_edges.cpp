/// The merge mask pushed to the input that shows a spot near the edge (picture_edges.h).
#include "interp/core/rife/picture_edges.h"

#include <torch/torch.h>

namespace interp::rife {
namespace {

/// A share in [0,1] of how much of an input is there at each in-between pixel: 1 where
/// its sample lies inside the picture (between its first and last pixels' centres),
/// falling to 0 one pixel beyond, where the edge repeated stands for content a pixel
/// away.
torch::Tensor inside_share(const torch::Tensor& flow_xy, int64_t height, int64_t width) {
  const auto opts = flow_xy.options();
  const int64_t grid_h = flow_xy.size(2), grid_w = flow_xy.size(3);  // the padding's too
  const auto x = torch::arange(grid_w, opts).view({1, 1, 1, grid_w}) + flow_xy.slice(1, 0, 1);
  const auto y = torch::arange(grid_h, opts).view({1, 1, grid_h, 1}) + flow_xy.slice(1, 1, 2);
  const auto beyond_x = torch::maximum(-x, x - (width - 1.0));
  const auto beyond_y = torch::maximum(-y, y - (height - 1.0));
  return (1 - torch::maximum(beyond_x, beyond_y)).clamp(0.0, 1.0);
}

}  // namespace

torch::Tensor mask_shift_toward_seen_side(const torch::Tensor& flow, PictureSize picture) {
  const auto [width, height] = picture_within(picture, flow);
  const auto f = flow.to(torch::kFloat32);
  // A tiny floor keeps the logarithms finite: a side wholly outside against one wholly
  // inside moves the logits by 14, a mask of 0.5 to 1 − 1e-6.
  constexpr double kFloor = 1e-6;
  const auto share0 = inside_share(f.slice(1, 0, 2), height, width) + kFloor;
  const auto share1 = inside_share(f.slice(1, 2, 4), height, width) + kFloor;
  return torch::log(share0 / share1);
}

}  // namespace interp::rife
