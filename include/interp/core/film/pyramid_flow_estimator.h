#pragma once
/// Coarse-to-fine residual flow: a shared FlowEstimator for the coarse (cascaded)
/// levels and specialised ones for the finest levels; each level warps B's features by
/// the upsampled flow and predicts a residual.
#include "interp/core/film/util.h"

#include <torch/nn/modules/container/modulelist.h>

namespace interp::film {

/// 3x3 convs, then two 1x1 convs down to a 2-channel flow.
class FlowEstimatorImpl : public torch::nn::Module {
 public:
  FlowEstimatorImpl(int64_t in_channels, int64_t num_convs, int64_t num_filters);
  torch::Tensor forward(const torch::Tensor& features_a, const torch::Tensor& features_b);

 private:
  torch::nn::ModuleList _convs{nullptr};
};
TORCH_MODULE(FlowEstimator);

class PyramidFlowEstimatorImpl : public torch::nn::Module {
 public:
  PyramidFlowEstimatorImpl(int64_t filters, const std::vector<int64_t>& flow_convs,
                           const std::vector<int64_t>& flow_filters);
  /// Residual flow pyramid from A to B, finest first (the coarsest is absolute).
  Pyramid forward(const Pyramid& features_a, const Pyramid& features_b);

 private:
  FlowEstimator _predictor{nullptr};
  torch::nn::ModuleList _predictors{nullptr};  // finest first
};
TORCH_MODULE(PyramidFlowEstimator);

}  // namespace interp::film
