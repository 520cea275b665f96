#include "interp/core/upr/upr_net.h"

#include <torch/torch.h>

namespace interp::upr {
namespace {

/// Bilinear resize by `factor` (align_corners=false, as the reference's F.interpolate;
/// the factor itself maps coordinates, not the rounded output size).
torch::Tensor resize(const torch::Tensor& x, double factor) {
  namespace F = torch::nn::functional;
  return F::interpolate(x, F::InterpolateFuncOptions()
                               .scale_factor(std::vector<double>{factor, factor})
                               .mode(torch::kBilinear)
                               .align_corners(false)
                               .recompute_scale_factor(false));
}

}  // namespace

UprNetImpl::UprNetImpl(const UprConfig& config)
    : config_(config),
      feat_pyramid(register_module("feat_pyramid", FeatPyramid(config))),
      motion_estimator(register_module("motion_estimator", MotionEstimator(config))),
      synthesis_network(register_module("synthesis_network", SynthesisNetwork(config))) {}

UprNetImpl::LevelResult UprNetImpl::forward_level(const torch::Tensor& img0, const torch::Tensor& img1,
                                                  const torch::Tensor& last_feat, const torch::Tensor& last_flow,
                                                  const torch::Tensor& last_frame, const torch::Tensor& t,
                                                  bool estimate_motion) {
  auto c0 = feat_pyramid->forward(img0);
  auto c1 = feat_pyramid->forward(img1);
  LevelResult r{last_flow, last_feat, {}};
  if (estimate_motion) std::tie(r.flow, r.feature) = motion_estimator->forward(c0[2], c1[2], last_feat, last_flow);

  // Flows are estimated at 1/4 resolution in pixels of the level's image: upsampled
  // without rescaling they are full-resolution flows; each halving halves them.
  FlowStages flows;
  flows[0] = resize(r.flow, 4.0);
  for (int i = 1; i < 3; ++i) flows[i] = resize(flows[i - 1], 0.5) * 0.5;

  r.frame = synthesis_network->forward(last_frame, img0, img1, std::move(c0), std::move(c1), flows, t);
  return r;
}

UprOutput UprNetImpl::forward(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor& t,
                              int64_t levels, int64_t skipped) {
  const int64_t n = img0.size(0), h = img0.size(2), w = img0.size(3);
  UprOutput out;
  LevelResult last;
  // Level 0 is the input resolution; level l is halved l times.
  for (int64_t level = levels - 1; level >= 0; --level) {
    const bool coarsest = level == levels - 1;
    // Levels 1 .. skipped-1 are not run at all; level 0 reuses the upsampled flow.
    if (!coarsest && level > 0 && level < skipped) continue;
    const auto a = level == 0 ? img0 : resize(img0, 1.0 / static_cast<double>(int64_t{1} << level));
    const auto b = level == 0 ? img1 : resize(img1, 1.0 / static_cast<double>(int64_t{1} << level));
    torch::Tensor feat, flow, frame;
    bool estimate = true;
    if (coarsest) {
      const int64_t fh = h >> (level + 2), fw = w >> (level + 2);
      flow = torch::zeros({n, 4, fh, fw}, img0.options());
      feat = torch::zeros({n, config_.stage_channels(2), fh, fw}, img0.options());
    } else {
      // From the last level run: 2x finer, or 2^skipped finer when levels were skipped.
      const int64_t gap = level == 0 && skipped > 0 ? skipped : 1;
      const double factor = static_cast<double>(int64_t{1} << gap);
      flow = resize(last.flow, factor) * factor;
      frame = resize(last.frame, factor);
      estimate = !(level == 0 && skipped > 0);
      feat = estimate ? resize(last.feature, factor) * factor : last.feature;
    }
    last = forward_level(a, b, feat, flow, frame, t, estimate);
    out.level_flows.push_back(last.flow);
  }
  out.frame = last.frame;
  return out;
}

}  // namespace interp::upr
