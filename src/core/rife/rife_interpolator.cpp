/// Padding, timestep planes and weights for IFNet inference.
#include "interp/core/rife/rife_interpolator.h"

#include "interp/base/error.h"
#include "interp/core/padding.h"
#include "interp/core/quality.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace interp::rife {

weights::StateDict normalise_rife_keys(const weights::StateDict& dict) {
  return weights::strip_prefix(dict, "module.");
}

weights::StateDict used_weights(const weights::StateDict& dict, const IFNetVariant& variant) {
  weights::StateDict used;
  for (const auto& [name, tensor] : normalise_rife_keys(dict)) {
    bool unused = false;
    for (const auto& prefix : variant.unused_weight_prefixes) unused = unused || name.rfind(prefix, 0) == 0;
    if (!unused) used.emplace(name, tensor);
  }
  return used;
}

bool is_refinement_weight(const std::string& name) {
  return name.rfind("contextnet.", 0) == 0 || name.rfind("unet.", 0) == 0;
}

bool holds_refinement(const weights::StateDict& dict, const IFNetVariant& variant) {
  if (!variant.refinement) return false;
  for (const auto& [name, tensor] : normalise_rife_keys(dict))
    if (is_refinement_weight(name)) return true;
  return false;
}

std::optional<IFNetVariant> detect_variant(const weights::StateDict& raw) {
  for (const auto& candidate : IFNetVariant::all()) {
    const auto expected = weights::module_state(*IFNet(candidate, holds_refinement(raw, candidate)));
    const auto dict = used_weights(raw, candidate);
    if (dict.size() != expected.size()) continue;
    bool fits = true;
    for (const auto& [name, tensor] : expected) {
      const auto it = dict.find(name);
      fits = fits && it != dict.end() && it->second.sizes() == tensor.sizes();
    }
    if (fits) return candidate;
  }
  return std::nullopt;
}

RifeInterpolator::RifeInterpolator(const IFNetVariant& variant, const weights::StateDict& dict,
                                   RifeOptions options)
    : net_(variant, holds_refinement(dict, variant)), options_(options) {
  if (std::find(std::begin(kFlowScales), std::end(kFlowScales), options_.scale) == std::end(kFlowScales))
    throw Error("the flow scale must be one of 0.25, 0.5, 1, 2, 4 (got " + std::to_string(options_.scale) + ")");
  if (const auto why = net_->unsupported(options_.mode); !why.empty()) throw Error(why);
  weights::load_into(*net_, used_weights(dict, variant), variant.name + " weights");
  net_->eval();
  net_->to(options_.placement.device, options_.placement.dtype);
  {
    // Channels-last convolutions measured 3-8% faster on CPU (oneDNN); cuDNN prefers
    // them for fp16 too.
    torch::NoGradGuard no_grad;
    for (auto& p : net_->parameters())
      if (p.dim() == 4) p.set_data(p.contiguous(torch::MemoryFormat::ChannelsLast));
  }
  net_->prepare_for_inference();
}

PairChoices RifeInterpolator::choices() const {
  const auto doubts = net_->doubts();
  return {"were doubtful and ran again as an ensemble (the fallback's second opinion)", doubts.judged,
          doubts.doubtful};
}

std::string RifeInterpolator::mode() const {
  return quality_name(quality_of(options_.mode.refine, options_.mode.ensemble));
}

torch::Tensor RifeInterpolator::make(const FrameWindow& window, const std::vector<double>& times) {
  const auto &img0 = window.left(), &img1 = window.right();
  const int64_t n = img0.size(0), h = img0.size(2), w = img0.size(3);
  torch::InferenceMode guard;
  const int64_t m = net_->variant().pad_multiple;
  const int64_t multiple = std::max<int64_t>(m, static_cast<int64_t>(m / options_.scale));
  auto opts = torch::TensorOptions().device(options_.placement.device).dtype(options_.placement.dtype);
  auto a = pad_to_multiple(img0.to(opts), multiple);
  auto b = pad_to_multiple(img1.to(opts), multiple);
  a = a.contiguous(torch::MemoryFormat::ChannelsLast);
  b = b.contiguous(torch::MemoryFormat::ChannelsLast);
  auto t = times_tensor(times, opts)
               .view({n, 1, 1, 1})
               .expand({n, 1, a.size(2), a.size(3)});
  auto mode = options_.mode;
  mode.picture = {w, h};  // what lies beyond it is padding (picture_edges.h)
  return crop_to(net_->forward(a, b, t, options_.scale, mode), h, w);
}

}  // namespace interp::rife
