#pragma once
/// RIFE's training loss: the L1 distance between the Laplacian pyramids of the
/// prediction and the target (5 levels, 5x5 binomial kernel), as the authors' training
/// code (model/laplacian.py) computes it. A pyramid weighs each band of detail once, so
/// the loss neither ignores fine texture (plain L1 on a blurry frame is already small)
/// nor is dominated by it.
#include <torch/types.h>

#include <vector>

namespace interp::train {

inline constexpr int kLaplacianLevels = 5;

/// The band-pass levels of `image` (N×C×H×W), finest first: each level minus the
/// upsampled (zero-inserted, blurred ×4) version of its blurred, decimated self.
/// H and W must be multiples of 2^levels, at least twice that (else interp::Error).
std::vector<torch::Tensor> laplacian_pyramid(const torch::Tensor& image, int levels = kLaplacianLevels);

/// Sum over levels of the mean absolute difference of the two pyramids (a scalar).
torch::Tensor laplacian_loss(const torch::Tensor& prediction, const torch::Tensor& target,
                             int levels = kLaplacianLevels);

}  // namespace interp::train
