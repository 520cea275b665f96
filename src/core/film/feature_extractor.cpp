/// Cascaded feature pyramid (Trinidad et al., Multi-view Image Fusion).
#include "interp/core/film/feature_extractor.h"

#include "interp/core/precision.h"

#include <torch/torch.h>

namespace interp::film {

SubTreeExtractorImpl::SubTreeExtractorImpl(int64_t in_channels, int64_t channels, int64_t levels) {
  convs = register_module("convs", torch::nn::ModuleList());
  for (int64_t i = 0; i < levels; ++i) {
    const int64_t out = channels << i;
    convs->push_back(torch::nn::Sequential(Conv(in_channels, out, 3), Conv(out, out, 3)));
    in_channels = out;
  }
}

Pyramid SubTreeExtractorImpl::forward(const torch::Tensor& image, int64_t n) {
  Pyramid pyramid;
  torch::Tensor head = image;
  for (int64_t i = 0; i < n; ++i) {
    head = convs[i]->as<torch::nn::Sequential>()->forward(head);
    pyramid.push_back(head);
    if (i < n - 1) head = torch::avg_pool2d(head, 2, 2);
  }
  return pyramid;
}

FeatureExtractorImpl::FeatureExtractorImpl(int64_t in_channels, int64_t channels, int64_t sub_levels)
    : extract_sublevels(register_module("extract_sublevels", SubTreeExtractor(in_channels, channels, sub_levels))),
      sub_levels_(sub_levels) {}

Pyramid FeatureExtractorImpl::forward(const Pyramid& image_pyramid) {
  const int64_t levels = static_cast<int64_t>(image_pyramid.size());
  std::vector<Pyramid> sub(levels);
  for (int64_t i = 0; i < levels; ++i)
    sub[i] = convolved([&] { return extract_sublevels->forward(image_pyramid[i], std::min(levels - i, sub_levels_)); });
  Pyramid features;
  for (int64_t i = 0; i < levels; ++i) {
    std::vector<torch::Tensor> parts{sub[i][0]};
    for (int64_t j = 1; j < sub_levels_ && j <= i; ++j) parts.push_back(sub[i - j][j]);
    features.push_back(parts.size() == 1 ? parts[0] : torch::cat(parts, 1));
  }
  return features;
}

}  // namespace interp::film
