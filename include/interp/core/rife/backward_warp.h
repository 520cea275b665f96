#pragma once
/// RIFE's backward warp: sample the image at (x + flow) with grid_sample (bilinear,
/// border padding, align_corners=true); the normalised base grid is cached per size.
#include <torch/types.h>

namespace interp::rife {

class BackwardWarp {
 public:
  /// image: N×C×H×W, flow: N×2×H×W in pixels. Returns N×C×H×W in image's dtype.
  torch::Tensor operator()(const torch::Tensor& image, const torch::Tensor& flow);

 private:
  torch::Tensor grid_;  // 1×H×W×2 in [-1,1], float32 (float64 for float64 images)
};

}  // namespace interp::rife
