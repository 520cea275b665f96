#pragma once
/// IFNet: RIFE's intermediate-flow network, built from an IFNetVariant. Blocks refine a
/// bidirectional flow and a merge mask coarse to fine; the output blends both inputs
/// backward-warped to time t.
#include "interp/core/rife/backward_warp.h"
#include "interp/core/rife/ifblock.h"
#include "interp/core/rife/ifnet_variant.h"
#include "interp/core/rife/picture_edges.h"
#include "interp/core/rife/refine.h"

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <vector>

namespace interp::rife {

class IFNetGlue;

/// The reference's quality switches (its `fastmode=False` and `ensemble=True`).
struct IFNetMode {
  bool refine = false;    ///< run the refinement net on the merged frame (refine.h)
  bool ensemble = false;  ///< average every block with its pass on the swapped pair
  /// give way to the blend where the warped frames disagree (motion_confidence.h), and
  /// take their average where they differ by grain alone (noise_average.h); not the
  /// reference's, so off unless asked (interp's models turn it on: ModelOptions)
  bool fallback = false;
  /// with the fallback and without the ensemble: a pair whose flow is doubtful on the
  /// whole (motion_confidence.h: doubtful()) is run again as an ensemble, whose pass on
  /// the swapped pair catches flow that both warps agree on wrongly
  bool ensemble_when_doubtful = false;
  /// near the picture's edges, merge from the input that still shows the spot where the
  /// other's warp samples beyond its picture (picture_edges.h); not the reference's
  bool seen_side_at_edges = false;
  /// the picture (width, height) within inputs padded to the network's multiple
  /// (picture_edges.h)
  PictureSize picture;
};

class IFNetImpl : public torch::nn::Module {
 public:
  /// `with_refinement` registers v3.9's refinement net ("contextnet", "unet"); only for
  /// variants whose architecture has one.
  explicit IFNetImpl(IFNetVariant variant, bool with_refinement = false);

  /// img0, img1: N×3×H×W with H, W multiples of max(M, M/scale); timestep: N×1×H×W.
  /// scale < 1 estimates flow at reduced resolution (for large frames). Throws
  /// interp::Error for a mode this network cannot run.
  torch::Tensor forward(const torch::Tensor& img0, const torch::Tensor& img1,
                        const torch::Tensor& timestep, double scale = 1.0, IFNetMode mode = {});

  /// Per-image features of the Head encoder (v4.25+), reusable across pairs that share a
  /// frame; undefined for variants without a Head.
  torch::Tensor encode(const torch::Tensor& image);

  /// forward() with the Head features supplied by the caller.
  torch::Tensor forward_with_features(const torch::Tensor& img0, const torch::Tensor& img1,
                                      const torch::Tensor& feat0, const torch::Tensor& feat1,
                                      const torch::Tensor& timestep, double scale = 1.0, IFNetMode mode = {});

  const IFNetVariant& variant() const { return variant_; }
  bool has_refinement() const { return static_cast<bool>(contextnet_); }
  /// Empty when this network can run `mode`, else why not (one line).
  std::string unsupported(IFNetMode mode) const;

  /// Inference-only weight rewrites (IFBlock::prepare_for_inference); call once the
  /// weights, device and dtype are final.
  void prepare_for_inference();

  /// CPU float32 runs take the fused glue path (cpu_glue.h) unless switched off here;
  /// both paths compute the same result (tests compare them).
  void use_fused_cpu(bool on) { fused_cpu_ = on; }

  /// Whether `mode` runs doubtful pairs again as an ensemble: it asks to, with the
  /// fallback and without the ensemble, and this variant has one.
  bool seeks_second_opinion(IFNetMode mode) const {
    return mode.ensemble_when_doubtful && mode.fallback && !mode.ensemble && variant_.ensemble;
  }

  /// Pairs judged by IFNetMode::ensemble_when_doubtful so far, and how many of them
  /// were doubtful (ran again as an ensemble).
  struct Doubts {
    int64_t judged = 0;
    int64_t doubtful = 0;
  };
  Doubts doubts() const { return doubts_; }

 private:
  /// The merged frame refined and fallen back to the blend, as `mode` asks.
  torch::Tensor finish(torch::Tensor merged, const RefineInputs& state, const torch::Tensor& timestep,
                       const torch::Tensor& weight, IFNetMode mode);

  /// The loop over the blocks. Undefined when a batch's pairs take different paths at
  /// v3.9's restart; `restarting` (N, bool) then says which restart.
  torch::Tensor coarse_to_fine(IFNetGlue& glue, double scale, const IFNetMode& mode, torch::Tensor& restarting);
  bool fused_cpu_applies(const torch::Tensor& image) const;

  IFNetVariant variant_;
  bool fused_cpu_ = true;
  std::vector<IFBlock> blocks_;
  Head head_{nullptr};
  Contextnet contextnet_{nullptr};
  Unet unet_{nullptr};
  BackwardWarp warp_;
  Doubts doubts_;
};
TORCH_MODULE(IFNet);

/// Per pair (N): does the N×4×H×W flow update exceed `px` pixels towards both images?
torch::Tensor moves_more_than(const torch::Tensor& flow_update, double px);

}  // namespace interp::rife
