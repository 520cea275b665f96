#pragma once
/// FILM's building blocks: its Conv2d (3x3 'same', or 2x2 padded right/bottom by one,
/// LeakyReLU 0.2), image pyramids, the TF dense_image_warp style backward warp, flow
/// pyramid synthesis and pyramid helpers.
#include <torch/nn/module.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace interp::film {

using Pyramid = std::vector<torch::Tensor>;  ///< finest level first

/// The port's util.Conv2d: the convolution registered as "0" (keys "<name>.0.weight").
class ConvImpl : public torch::nn::Module {
 public:
  ConvImpl(int64_t in, int64_t out, int64_t size, bool activation = true);
  torch::Tensor forward(const torch::Tensor& x);

 private:
  torch::nn::Conv2d conv{nullptr};
  int64_t size_;
  bool activation_;
};
TORCH_MODULE(Conv);

/// Successive 2x2 average pooling, `levels` images, finest first.
Pyramid build_image_pyramid(const torch::Tensor& image, int64_t levels);

/// Backward warp: output(x, y) = image(x + flow_x, y + flow_y), bilinear, border
/// padding, pixel centres as in TF's dense_image_warp (align_corners=false).
torch::Tensor warp(const torch::Tensor& image, const torch::Tensor& flow);

/// Residual flow pyramid (coarsest is absolute) -> flow pyramid.
Pyramid flow_pyramid_synthesis(const Pyramid& residuals);

/// Bilinear resize of 2*flow to `like`'s spatial size (flow doubles with resolution).
torch::Tensor upsample_flow(const torch::Tensor& flow, const torch::Tensor& like);

}  // namespace interp::film
