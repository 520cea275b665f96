#pragma once
/// RIFE's backward warp: sample the image at (x + flow) with grid_sample (bilinear,
/// border padding, align_corners=true); the normalised base grid is cached per size.
/// Each size's grid lives as long as the warp: a recorded pass (graph_replay.h) reads
/// it by address, so a later size must not free it. A model sees few sizes (a job's
/// frames, training's crop and frames), 8 bytes a pixel each.
#include <torch/types.h>

#include <vector>

namespace interp::rife {

class BackwardWarp {
 public:
  /// image: N×C×H×W, flow: N×2×H×W in pixels. Returns N×C×H×W in image's dtype.
  torch::Tensor operator()(const torch::Tensor& image, const torch::Tensor& flow);

 private:
  /// 1×H×W×2 in [-1,1], float32 (float64 for float64 images), one per size, device and dtype.
  std::vector<torch::Tensor> grids_;
};

}  // namespace interp::rife
