#pragma once
/// Forward warping by splatting (Niklaus & Liu, "Softmax Splatting for Video Frame
/// Interpolation", CVPR 2020), in LibTorch ops so it runs wherever LibTorch does (CPU,
/// CUDA; fp32, fp16) instead of the references' CuPy kernel. Backward warping samples
/// the source at x + flow; splatting pushes each source pixel to x + flow, which is what
/// a flow from the input frames *to* the in-between time needs (UPR-Net, softmax
/// splatting models).
#include <torch/types.h>

namespace interp::ops {

/// How the contributions landing on one target pixel are combined (the reference's
/// strType).
enum class SplatMode {
  kSummation,  ///< plain sum of bilinearly weighted contributions
  kAverage,    ///< sum divided by the sum of the bilinear weights
  kLinear,     ///< weighted by `metric`, divided by the sum of weights × metric
  kSoftmax,    ///< weighted by exp(`metric`), divided by the sum of weights × exp(metric)
};

/// input: N×C×H×W; flow: N×2×H×W, (dx, dy) in pixels; metric: N×1×H×W for kLinear and
/// kSoftmax (undefined otherwise). Each input pixel (x, y) lands at (x+dx, y+dy) and is
/// added to the four pixels around it with bilinear weights; contributions falling
/// outside the frame (or at non-finite positions) are dropped. For the normalising modes
/// a target that nothing reached stays 0 (the reference divides by 1 there). Positions
/// and sums are computed in fp32 whatever the input dtype (fp16 cannot address pixels
/// past 2048 exactly); the result has the input's dtype.
torch::Tensor forward_splat(const torch::Tensor& input, const torch::Tensor& flow, SplatMode mode,
                            const torch::Tensor& metric = {});

}  // namespace interp::ops
