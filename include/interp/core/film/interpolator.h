#pragma once
/// film_net: image pyramids -> cascaded features -> bidirectional residual flows ->
/// flows scaled by t and 1-t -> both inputs' images+features backward-warped to t ->
/// fusion decoder.
#include "interp/core/film/feature_extractor.h"
#include "interp/core/film/film_config.h"
#include "interp/core/film/fusion.h"
#include "interp/core/film/pyramid_flow_estimator.h"

namespace interp::film {

/// Intermediate results, for parity checks while porting.
struct FilmDebug {
  Pyramid forward_flow;   ///< full flow pyramid A->B (all levels)
  Pyramid backward_flow;  ///< B->A
  Pyramid features0;      ///< cascaded features of x0
};

class InterpolatorImpl : public torch::nn::Module {
 public:
  explicit InterpolatorImpl(FilmConfig config = {});

  /// x0, x1: N×3×H×W (H, W multiples of 2^(pyramid_levels-1)); time: N×1.
  torch::Tensor forward(const torch::Tensor& x0, const torch::Tensor& x1, const torch::Tensor& time,
                        FilmDebug* debug = nullptr);

  const FilmConfig& config() const { return config_; }

 private:
  FilmConfig config_;
  FeatureExtractor extract{nullptr};
  PyramidFlowEstimator predict_flow{nullptr};
  Fusion fuse{nullptr};
};
TORCH_MODULE(Interpolator);

}  // namespace interp::film
