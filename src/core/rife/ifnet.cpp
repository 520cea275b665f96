/// IFNet's coarse-to-fine loop, written once for every variant and both glues
/// (ifnet_glue.h): block order, scales, v3.9's large-motion restart, the ensemble average,
/// the refinement, the per-pair rerun, the fallback toward the blend and its second
/// opinion on doubtful pairs, the warps' average where they differ by grain alone.
#include "interp/core/rife/ifnet.h"

#include "interp/base/error.h"
#include "interp/core/rife/cpu_glue.h"
#include "interp/core/rife/ifnet_glue.h"
#include "interp/core/rife/motion_confidence.h"
#include "interp/core/rife/noise_average.h"

#include <torch/torch.h>

#include <functional>
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

namespace {

/// A batch made two ways: the rows where `chosen` (N, bool) is true by `when_chosen`, the
/// others by `otherwise`, each given its rows' index; every row back in its place.
torch::Tensor split_rows(const torch::Tensor& chosen, const std::function<torch::Tensor(const torch::Tensor&)>& when_chosen,
                         const std::function<torch::Tensor(const torch::Tensor&)>& otherwise) {
  const auto yes = chosen.nonzero().squeeze(1), no = chosen.logical_not().nonzero().squeeze(1);
  const auto made_yes = when_chosen(yes), made_no = otherwise(no);
  auto all = torch::empty({chosen.size(0), made_no.size(1), made_no.size(2), made_no.size(3)}, made_no.options());
  return all.index_copy_(0, yes, made_yes.to(made_no.scalar_type())).index_copy_(0, no, made_no);
}

}  // namespace

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
  torch::Tensor restarting;
  auto out = coarse_to_fine(*glue, scale, mode, restarting);
  // The rows of a batch, with the pair's other inputs, for a pass of their own.
  const auto pass_of_rows = [&](const IFNetMode& as) {
    return [&, as](const torch::Tensor& index) {
      return forward_with_features(rows(img0, index), rows(img1, index), rows(feat0, index), rows(feat1, index),
                                   rows(timestep, index), scale, as);
    };
  };
  // v3.9's restart is decided per pair; a batch whose pairs disagree runs as two.
  if (!out.defined()) return split_rows(restarting, pass_of_rows(mode), pass_of_rows(mode));
  if (!mode.refine && !mode.fallback) return out;
  const RefineInputs state = glue->final_state();
  torch::Tensor weight;
  if (mode.fallback) weight = blend_weight(state);
  if (seeks_second_opinion(mode)) {
    // Decided before the refinement, so that a doubtful pair refines once.
    const auto doubt = doubtful(weight, mode.picture);
    const int64_t count = doubt.sum().item<int64_t>();
    doubts_.judged += img0.size(0);
    doubts_.doubtful += count;
    IFNetMode as_ensemble = mode;
    as_ensemble.ensemble = true;
    if (count == img0.size(0)) return forward_with_features(img0, img1, feat0, feat1, timestep, scale, as_ensemble);
    // In a mixed batch the doubtful pairs run again together, the others go on together.
    if (count > 0)
      return split_rows(doubt, pass_of_rows(as_ensemble), [&](const torch::Tensor& index) {
        return finish(rows(out, index), state.rows(index), rows(timestep, index), rows(weight, index), mode);
      });
  }
  return finish(out, state, timestep, weight, mode);
}

torch::Tensor IFNetImpl::finish(torch::Tensor merged, const RefineInputs& state, const torch::Tensor& timestep,
                                const torch::Tensor& weight, IFNetMode mode) {
  if (mode.refine) merged = refine_merged(contextnet_, unet_, state, merged);
  if (!mode.fallback) return merged;
  // After the refinement, whose residual follows the grain too (noise_average.h).
  merged = average_warps(merged, state, timestep, noise_weight(state, mode.picture));
  return fall_back_to_blend(merged, state, timestep, weight);
}

torch::Tensor IFNetImpl::coarse_to_fine(IFNetGlue& glue, double scale, const IFNetMode& mode,
                                        torch::Tensor& restarting) {
  const bool ensemble = mode.ensemble;
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
        if (count > 0 && count < update.size(0)) {  // the pairs disagree
          restarting = restart;
          return {};
        }
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
  return glue.merge(mode.seen_side_at_edges ? mask_shift_toward_seen_side(glue.flow(), mode.picture) : torch::Tensor());
}

}  // namespace interp::rife
