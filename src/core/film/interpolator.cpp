/// film_net's forward pass; large intermediates are released as soon as consumed.
#include "interp/core/film/interpolator.h"

#include <torch/torch.h>

namespace interp::film {

InterpolatorImpl::InterpolatorImpl(FilmConfig config) : config_(std::move(config)) {
  extract = register_module("extract", FeatureExtractor(3, config_.filters, config_.sub_levels));
  predict_flow = register_module("predict_flow",
                                 PyramidFlowEstimator(config_.filters, config_.flow_convs, config_.flow_filters));
  fuse = register_module("fuse", Fusion(config_.sub_levels, config_.specialized_levels, config_.filters));
}

torch::Tensor InterpolatorImpl::forward(const torch::Tensor& x0, const torch::Tensor& x1, const torch::Tensor& time,
                                        FilmDebug* debug) {
  const int64_t fusion_levels = config_.fusion_pyramid_levels;
  Pyramid images0 = build_image_pyramid(x0, config_.pyramid_levels);
  Pyramid images1 = build_image_pyramid(x1, config_.pyramid_levels);
  Pyramid features0 = extract->forward(images0);
  Pyramid features1 = extract->forward(images1);

  Pyramid forward_flow = flow_pyramid_synthesis(predict_flow->forward(features0, features1));
  Pyramid backward_flow = flow_pyramid_synthesis(predict_flow->forward(features1, features0));
  if (debug) {
    debug->forward_flow = forward_flow;
    debug->backward_flow = backward_flow;
    debug->features0 = features0;
  }

  const auto t = time.view({-1, 1, 1, 1});
  Pyramid aligned(fusion_levels);
  for (int64_t i = 0; i < fusion_levels; ++i) {
    // Flows towards t: B->A scaled by t warps A, A->B scaled by 1-t warps B.
    auto flow_to_a = backward_flow[i] * t;
    auto flow_to_b = forward_flow[i] * (1 - t);
    auto warped0 = warp(torch::cat({images0[i], features0[i]}, 1), flow_to_a);
    auto warped1 = warp(torch::cat({images1[i], features1[i]}, 1), flow_to_b);
    aligned[i] = torch::cat({warped0, warped1, flow_to_a, flow_to_b}, 1);
    // This level's inputs are no longer needed: free them before the next level.
    images0[i] = images1[i] = features0[i] = features1[i] = torch::Tensor();
    forward_flow[i] = backward_flow[i] = torch::Tensor();
  }
  images0.clear();
  images1.clear();
  features0.clear();
  features1.clear();
  forward_flow.clear();
  backward_flow.clear();
  return fuse->forward(std::move(aligned));
}

}  // namespace interp::film
