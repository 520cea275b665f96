#pragma once
/// FILM's cascaded feature extractor: a shallow sub-tree pyramid is extracted from
/// every image-pyramid level, and level i concatenates sub-tree features S_{i-j, j},
/// so that levels >= sub_levels-1 have the same channels with the same meaning and can
/// share one flow predictor.
#include "interp/core/film/util.h"

#include <torch/nn/modules/container/modulelist.h>

namespace interp::film {

/// Conventional conv+pool pyramid: [k, 2k, 4k, ...] filters, two 3x3 convs per level.
class SubTreeExtractorImpl : public torch::nn::Module {
 public:
  SubTreeExtractorImpl(int64_t in_channels, int64_t channels, int64_t levels);
  /// `n` <= levels: how many levels to extract.
  Pyramid forward(const torch::Tensor& image, int64_t n);

 private:
  torch::nn::ModuleList convs{nullptr};
};
TORCH_MODULE(SubTreeExtractor);

class FeatureExtractorImpl : public torch::nn::Module {
 public:
  FeatureExtractorImpl(int64_t in_channels, int64_t channels, int64_t sub_levels);
  Pyramid forward(const Pyramid& image_pyramid);

 private:
  SubTreeExtractor extract_sublevels{nullptr};
  int64_t sub_levels_;
};
TORCH_MODULE(FeatureExtractor);

}  // namespace interp::film
