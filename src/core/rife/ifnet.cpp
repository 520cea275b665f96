/// IFNet's coarse-to-fine loop, written once for every variant and both glues
/// (ifnet_glue.h): block order, scales, v3.9's large-motion restart, the ensemble average,
/// the refinement, the per-pair rerun, the fallback toward the blend and its second
/// opinion on doubtful pairs.
#include "interp/core/rife/ifnet.h"

#include "interp/base/error.h"
#include "interp/core/rife/cpu_glue.h"
#include "interp/core/rife/ifnet_glue.h"
#include "interp/core/rife/motion_confidence.h"

#include <torch/torch.h>

#include <optional>

namespace interp::rife {

IFNetImpl::IFNetImpl(IFNetVariant variant, bool with_refinement) : variant_(std::move(variant)) {
  for (int64_t i = 0; i < variant_.num_blocks(); ++i) {
    IFBlockOptions options;
    options.in_channels = variant_.block_inputs(i);
    options.width = variant_.block_widths[i];
    options.out_channels = variant_.block_outputs;
    options.activation = variant_.activation;
    options.trunk = variant_.trunk;
    options.head = variant_.block_head;
    blocks_.push_back(register_module("block" + std::to_string(i), IFBlock(options)));
  }
  if (variant_.head_channels > 0) head_ = register_module("encode", Head(variant_.head_channels));
  if (with_refinement) {
    if (!variant_.refinement) throw Error(variant_.name + " has no refinement network");
    contextnet_ = register_module("contextnet", Contextnet());
    unet_ = register_module("unet", Unet());
  }
}

std::string IFNetImpl::unsupported(IFNetMode mode) const {
  if (mode.refine && !variant_.refinement)
    return variant_.name + " has no refinement network (the refine and best modes need one)";
  if (mode.refine && !has_refinement())
    return "these " + variant_.name + " weights hold no refinement network (contextnet.*, unet.*) that the refine "
           "and best modes need";
  if (mode.ensemble && !variant_.ensemble) return variant_.name + " has no ensemble mode (its reference refuses it)";
  return "";
}

void IFNetImpl::prepare_for_inference() {
  for (auto& block : blocks_) block->prepare_for_inference();
}

torch::Tensor IFNetImpl::encode(const torch::Tensor& image) {
  return head_ ? head_->forward(image) : torch::Tensor();
}

torch::Tensor IFNetImpl::forward(const torch::Tensor& img0, const torch::Tensor& img1,
                                 const torch::Tensor& timestep, double scale, IFNetMode mode) {
  return forward_with_features(img0, img1, encode(img0), encode(img1), timestep, scale, mode);
}

torch::Tensor moves_more_than(const torch::Tensor& flow_update, double px) {
  auto reach = [&](int64_t from) { return flow_update.slice(1, from, from + 2).abs().amax({1, 2, 3}); };
  return torch::logical_and(reach(0) > px, reach(2) > px);
}

bool IFNetImpl::fused_cpu_applies(const torch::Tensor& image) const {
  return fused_cpu_ && cpu_glue::applicable(image) && !blocks_.empty() &&
         blocks_.front()->parameters().front().scalar_type() == torch::kFloat32;
}

torch::Tensor IFNetImpl::forward_with_features(const torch::Tensor& img0, const torch::Tensor& img1,
                                               const torch::Tensor& feat0, const torch::Tensor& feat1,
                                               const torch::Tensor& timestep, double scale, IFNetMode mode) {
  if (const auto why = unsupported(mode); !why.empty()) throw Error(why);
  const IFNetInputs inputs{img0.clamp(0.0, 1.0), img1.clamp(0.0, 1.0), feat0, feat1, timestep};
  auto glue = fused_cpu_applies(img0) ? make_fused_cpu_glue(inputs, blocks_, variant_)
                                      : make_aten_glue(inputs, blocks_, variant_, warp_);
  auto out = coarse_to_fine(*glue, scale, mode.ensemble);
  // v3.9's restart is decided per pair; a batch whose pairs disagree runs pair by pair.
  if (!out.defined()) return forward_each(img0, img1, feat0, feat1, timestep, scale, mode);
  if (!mode.refine && !mode.fallback) return out;
  const RefineInputs state = glue->final_state();
  torch::Tensor weight;
  if (mode.fallback) weight = blend_weight(state);
  if (seeks_second_opinion(mode)) {
    // Decided before the refinement, so that a doubtful pair refines once.
    const int64_t count = doubtful(weight).sum().item<int64_t>();
    if (count == 0 || count == img0.size(0)) {  // a mixed batch is counted pair by pair
      doubts_.judged += img0.size(0);
      doubts_.doubtful += count;
    }
    if (count == img0.size(0)) {
      IFNetMode as_ensemble = mode;
      as_ensemble.ensemble = true;
      return forward_with_features(img0, img1, feat0, feat1, timestep, scale, as_ensemble);
    }
    if (count > 0) return forward_each(img0, img1, feat0, feat1, timestep, scale, mode);  // the pairs disagree
  }
  if (mode.refine) out = refine_merged(contextnet_, unet_, state, out);
  return mode.fallback ? fall_back_to_blend(out, state, timestep, weight) : out;
}

torch::Tensor IFNetImpl::coarse_to_fine(IFNetGlue& glue, double scale, bool ensemble) {
  std::vector<double> scales;
  for (int64_t i = 0; i < variant_.num_blocks(); ++i) scales.push_back(variant_.base_scale(i) / scale);
  // Block i's prediction and, in ensemble mode, its swapped twin: one batch of two.
  const auto predict = [&](int64_t i) {
    if (!ensemble) return std::pair{glue.predict(i, scales[i], false), std::optional<BlockPrediction>()};
    auto [direct, twin] = glue.predict_both(i, scales[i]);
    return std::pair{direct, std::optional<BlockPrediction>(twin)};
  };
  const auto averaged = [&](const std::pair<BlockPrediction, std::optional<BlockPrediction>>& p) {
    return p.second ? glue.average_swapped(p.first, *p.second) : p.first;
  };
  for (int64_t i = 0; i < variant_.num_blocks(); ++i) {
    if (i == 0) {
      glue.take(averaged(predict(0)), /*first=*/true, false);
    } else {
      auto prediction = predict(i);
      torch::Tensor update;
      if (i == 1 && variant_.large_motion_restart_px > 0 && !is_training()) {
        // v3.9 restarts at half resolution when block 1 still sees large motion (not in
        // training, where the reference passes training=True), judged
        // on the full-resolution flow update (before any ensemble average) as the
        // reference does.
        update = glue.flow_update(prediction.first);
        const auto restart = moves_more_than(update, variant_.large_motion_restart_px);
        const int64_t count = restart.sum().item<int64_t>();
        if (count > 0 && count < update.size(0)) return {};  // the pairs disagree
        if (count > 0) {
          for (auto& s : scales) s *= 2;
          // The reference reruns block 0 here without its ensemble twin, even in
          // ensemble mode; matched for parity.
          glue.take(glue.predict(0, scales[0], false), /*first=*/true, false);
          glue.warp();
          prediction = predict(i);
          update = torch::Tensor();
        }
      }
      if (ensemble) update = torch::Tensor();  // it was the unaveraged update
      glue.take(averaged(prediction), /*first=*/false, variant_.mask_accumulates, update);
    }
    if (i + 1 < variant_.num_blocks()) glue.warp();
  }
  return glue.merge();
}

torch::Tensor IFNetImpl::forward_each(const torch::Tensor& img0, const torch::Tensor& img1,
                                      const torch::Tensor& feat0, const torch::Tensor& feat1,
                                      const torch::Tensor& timestep, double scale, IFNetMode mode) {
  std::vector<torch::Tensor> outputs;
  for (int64_t k = 0; k < img0.size(0); ++k) {
    auto one = [k](const torch::Tensor& t) { return t.defined() ? t.narrow(0, k, 1) : t; };
    outputs.push_back(forward_with_features(one(img0), one(img1), one(feat0), one(feat1), one(timestep), scale, mode));
  }
  return torch::cat(outputs, 0);
}

}  // namespace interp::rife
