#pragma once
/// The local correlation (cost) volume of PWC-Net-style flow estimators (FlowNetC's
/// "correlation layer"), in LibTorch ops instead of the references' CuPy kernel: how well
/// each pixel's feature matches the features of the other map within a small window.
#include <torch/types.h>

#include <cstdint>

namespace interp::ops {

/// first, second: N×C×H×W. Returns N×(2r+1)²×H×W: channel (dy+r)·(2r+1) + (dx+r) holds,
/// at (y, x), Σ_c first(c, y, x) · second(c, y+dy, x+dx) / C, with `second` zero outside
/// the map (the layout and normalisation of the kernel in UPR-Net, PWC-Net and softmax
/// splatting: x offset fastest, divided by the channel count).
torch::Tensor local_correlation(const torch::Tensor& first, const torch::Tensor& second, int64_t radius = 4);

}  // namespace interp::ops
