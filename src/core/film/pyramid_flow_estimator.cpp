/// Residual flow estimation over the feature pyramid.
#include "interp/core/film/pyramid_flow_estimator.h"

#include "interp/core/precision.h"

#include <torch/torch.h>

namespace interp::film {

FlowEstimatorImpl::FlowEstimatorImpl(int64_t in_channels, int64_t num_convs, int64_t num_filters) {
  _convs = register_module("_convs", torch::nn::ModuleList());
  for (int64_t i = 0; i < num_convs; ++i) {
    _convs->push_back(Conv(in_channels, num_filters, 3));
    in_channels = num_filters;
  }
  _convs->push_back(Conv(in_channels, num_filters / 2, 1));
  _convs->push_back(Conv(num_filters / 2, 2, 1, /*activation=*/false));
}

torch::Tensor FlowEstimatorImpl::forward(const torch::Tensor& features_a, const torch::Tensor& features_b) {
  const auto net = convolved([&] {
    auto x = torch::cat({features_a, features_b}, 1);
    for (size_t i = 0; i + 1 < _convs->size(); ++i) x = _convs[i]->as<Conv>()->forward(x);
    return x;
  });
  // The last 1x1 convolution outputs the flow residual: fp32 in every precision.
  return _convs[_convs->size() - 1]->as<Conv>()->forward(net);
}

PyramidFlowEstimatorImpl::PyramidFlowEstimatorImpl(int64_t filters, const std::vector<int64_t>& flow_convs,
                                                   const std::vector<int64_t>& flow_filters) {
  std::vector<FlowEstimator> predictors;
  int64_t in_channels = filters << 1;
  for (size_t i = 0; i < flow_convs.size(); ++i) {
    predictors.push_back(FlowEstimator(in_channels, flow_convs[i], flow_filters[i]));
    in_channels += filters << (i + 2);
  }
  _predictor = register_module("_predictor", predictors.back());
  _predictors = register_module("_predictors", torch::nn::ModuleList());
  // The reference stores the specialised predictors coarse-first.
  for (int64_t i = static_cast<int64_t>(predictors.size()) - 2; i >= 0; --i) _predictors->push_back(predictors[i]);
}

Pyramid PyramidFlowEstimatorImpl::forward(const Pyramid& features_a, const Pyramid& features_b) {
  const int64_t levels = static_cast<int64_t>(features_a.size());
  const int64_t specialised = static_cast<int64_t>(_predictors->size());
  Pyramid residuals(levels);
  auto v = _predictor->forward(features_a.back(), features_b.back());
  residuals.back() = v;
  for (int64_t i = levels - 2; i >= 0; --i) {
    v = upsample_flow(v, features_a[i]);
    auto warped = warp(features_b[i], v);
    // Levels below `specialised` use their own predictor (index k counts coarse-first).
    auto residual = i >= specialised
                        ? _predictor->forward(features_a[i], warped)
                        : _predictors[specialised - 1 - i]->as<FlowEstimator>()->forward(features_a[i], warped);
    residuals[i] = residual;
    v = residual + v;
  }
  return residuals;
}

}  // namespace interp::film
