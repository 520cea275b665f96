/// Fusion decoder with the reference's channel arithmetic.
#include "interp/core/film/fusion.h"

#include "interp/core/precision.h"

#include <torch/torch.h>

namespace interp::film {

int64_t fusion_channels_at_level(int64_t level, int64_t filters) {
  int64_t features = 0;
  for (int64_t i = 0; i < level; ++i) features += filters << i;
  return (features + 3 /*rgb*/ + 2 /*flow*/) * 2 /*images*/;
}

FusionImpl::FusionImpl(int64_t levels, int64_t specialized_levels, int64_t filters) {
  output_conv = register_module("output_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(filters, 3, 1)));
  convs = register_module("convs", torch::nn::ModuleList());
  int64_t in_channels = fusion_channels_at_level(levels, filters);
  int64_t increase = 0;
  for (int64_t i = levels - 1; i >= 0; --i) {
    const int64_t num_filters = i < specialized_levels ? filters << i : filters << specialized_levels;
    auto level = torch::nn::ModuleList();
    level->push_back(Conv(in_channels, num_filters, 2, /*activation=*/false));
    level->push_back(Conv(in_channels + (increase ? increase : num_filters), num_filters, 3));
    level->push_back(Conv(num_filters, num_filters, 3));
    convs->push_back(level);
    in_channels = num_filters;
    increase = fusion_channels_at_level(i, filters) - num_filters / 2;
  }
}

torch::Tensor FusionImpl::forward(Pyramid pyramid) {
  torch::Tensor net = pyramid.back();
  pyramid.back() = torch::Tensor();
  const int64_t n = static_cast<int64_t>(convs->size());
  for (int64_t k = 0; k < n; ++k) {
    const int64_t i = n - 1 - k;
    auto level = convs[k]->as<torch::nn::ModuleList>();
    net = convolved([&] {
      auto x = torch::upsample_nearest2d(net, {pyramid[i].size(2), pyramid[i].size(3)});
      x = (*level)[0]->as<Conv>()->forward(x);
      x = torch::cat({pyramid[i], x}, 1);
      pyramid[i] = torch::Tensor();
      x = (*level)[1]->as<Conv>()->forward(x);
      return (*level)[2]->as<Conv>()->forward(x);
    });
  }
  return output_conv->forward(net);  // the frame: fp32 in every precision
}

}  // namespace interp::film
