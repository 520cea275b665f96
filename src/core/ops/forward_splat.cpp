/// Splatting as four index_add_ passes (one per bilinear corner) into a channels-last
/// accumulator: each pass adds whole pixels (all channels) at once, and the same ops
/// run on CPU and CUDA.
#include "interp/core/ops/forward_splat.h"

#include "interp/base/error.h"
#include "interp/core/precision.h"

#include <torch/torch.h>

namespace interp::ops {
namespace {

void check_shapes(const torch::Tensor& input, const torch::Tensor& flow, SplatMode mode, const torch::Tensor& metric) {
  if (input.dim() != 4 || flow.dim() != 4 || flow.size(1) != 2 || flow.size(0) != input.size(0) ||
      flow.size(2) != input.size(2) || flow.size(3) != input.size(3))
    throw Error("forward_splat: input N×C×H×W and flow N×2×H×W of the same N, H, W are required");
  const bool weighted = mode == SplatMode::kLinear || mode == SplatMode::kSoftmax;
  if (weighted != metric.defined())
    throw Error("forward_splat: a metric is needed by the linear and softmax modes, and only by them");
  if (weighted && (metric.dim() != 4 || metric.size(1) != 1 || metric.size(0) != input.size(0) ||
                   metric.size(2) != input.size(2) || metric.size(3) != input.size(3)))
    throw Error("forward_splat: the metric must be N×1×H×W");
}

/// The values to splat, with the normalising weight as one extra last channel.
torch::Tensor with_weight_channel(const torch::Tensor& input, SplatMode mode, const torch::Tensor& metric) {
  switch (mode) {
    case SplatMode::kSummation:
      return input;
    case SplatMode::kAverage:
      return torch::cat({input, torch::ones_like(input.narrow(1, 0, 1))}, 1);
    case SplatMode::kLinear:
      return torch::cat({input * metric, metric}, 1);
    case SplatMode::kSoftmax: {
      const auto weight = metric.exp();
      return torch::cat({input * weight, weight}, 1);
    }
  }
  return input;
}

}  // namespace

torch::Tensor forward_splat(const torch::Tensor& input, const torch::Tensor& flow, SplatMode mode,
                            const torch::Tensor& metric) {
  check_shapes(input, flow, mode, metric);
  const auto type = at_least_fp32(input.scalar_type());  // sums of many weights: never below fp32
  const auto exact = input.options().dtype(type);
  const auto source = with_weight_channel(input.to(type), mode, metric.defined() ? metric.to(type) : metric);
  const int64_t n = source.size(0), c = source.size(1), h = source.size(2), w = source.size(3);

  const auto motion = flow.to(type);
  const auto x = motion.select(1, 0) + torch::arange(w, exact).view({1, 1, w});
  const auto y = motion.select(1, 1) + torch::arange(h, exact).view({1, h, 1});
  const auto left = x.floor(), top = y.floor();
  // The reference's weights: the northwest corner gets (left+1-x)·(top+1-y), and so on.
  const torch::Tensor x_weight[2] = {left + 1 - x, x - left};
  const torch::Tensor y_weight[2] = {top + 1 - y, y - top};
  const auto first_pixel = (torch::arange(n, exact.dtype(torch::kLong)) * (h * w)).view({n, 1, 1});

  const auto values = source.permute({0, 2, 3, 1}).reshape({n * h * w, c});
  auto sums = torch::zeros({n * h * w, c}, exact);
  for (int dy = 0; dy < 2; ++dy) {
    for (int dx = 0; dx < 2; ++dx) {
      const auto cx = left + dx, cy = top + dy;
      // NaN positions compare false and are dropped with the out-of-frame ones.
      const auto inside = (cx >= 0).logical_and(cx < w).logical_and(cy >= 0).logical_and(cy < h);
      const auto weight = torch::where(inside, x_weight[dx] * y_weight[dy], torch::zeros({}, exact));
      const auto column = cx.nan_to_num(0).clamp(0, w - 1).to(torch::kLong);
      const auto row = cy.nan_to_num(0).clamp(0, h - 1).to(torch::kLong);
      const auto target = (first_pixel + row * w + column).reshape({-1});
      sums.index_add_(0, target, values * weight.reshape({-1, 1}));
    }
  }
  auto out = sums.view({n, h, w, c}).permute({0, 3, 1, 2});
  if (mode != SplatMode::kSummation) {
    const auto total = out.narrow(1, c - 1, 1);
    out = out.narrow(1, 0, c - 1) / torch::where(total == 0, torch::ones({}, exact), total);
  }
  return out.to(input.scalar_type());
}

}  // namespace interp::ops
