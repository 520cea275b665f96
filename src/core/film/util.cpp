/// FILM utilities mirrored from the PyTorch port's util.py.
#include "interp/core/film/util.h"

#include <torch/torch.h>

namespace interp::film {

ConvImpl::ConvImpl(int64_t in, int64_t out, int64_t size, bool activation)
    : conv(register_module("0", torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, size)
                                                      .padding(size % 2 ? size / 2 : 0)))),
      size_(size),
      activation_(activation) {}

torch::Tensor ConvImpl::forward(const torch::Tensor& x) {
  // Even kernels: TF's 'same' pads one pixel at the right/bottom.
  auto y = conv->forward(size_ % 2 ? x : torch::constant_pad_nd(x, {0, 1, 0, 1}, 0.0));
  if (activation_) torch::leaky_relu_(y, 0.2);
  return y;
}

Pyramid build_image_pyramid(const torch::Tensor& image, int64_t levels) {
  Pyramid pyramid{image};
  for (int64_t i = 1; i < levels; ++i) pyramid.push_back(torch::avg_pool2d(pyramid.back(), 2, 2));
  return pyramid;
}

torch::Tensor warp(const torch::Tensor& image, const torch::Tensor& flow) {
  const int64_t h = flow.size(2), w = flow.size(3);
  auto opts = flow.options();
  const double lx = 1.0 - 1.0 / w, ly = 1.0 - 1.0 / h;
  auto gx = torch::linspace(-lx, lx, w, opts).view({1, 1, w}) + flow.select(1, 0) / (w * 0.5);
  auto gy = torch::linspace(-ly, ly, h, opts).view({1, h, 1}) + flow.select(1, 1) / (h * 0.5);
  auto grid = torch::stack({gx, gy}, 3);
  return torch::grid_sampler(image, grid, /*bilinear*/ 0, /*border*/ 1, /*align_corners=*/false);
}

torch::Tensor upsample_flow(const torch::Tensor& flow, const torch::Tensor& like) {
  return torch::upsample_bilinear2d(2 * flow, {like.size(2), like.size(3)}, /*align_corners=*/false);
}

Pyramid flow_pyramid_synthesis(const Pyramid& residuals) {
  Pyramid flows(residuals.size());
  flows.back() = residuals.back();
  for (int64_t i = static_cast<int64_t>(residuals.size()) - 2; i >= 0; --i)
    flows[i] = residuals[i] + upsample_flow(flows[i + 1], residuals[i]);
  return flows;
}

}  // namespace interp::film
