#pragma once
/// What happens *between* IFNet's convolutions, behind one interface, so that the
/// coarse-to-fine loop itself (block order, scales, v3.9's large-motion restart, the
/// per-pair fallback in batches) is written once, in ifnet.cpp.
///
/// Two implementations compute the same thing:
///  - aten: torch ops on full-resolution tensors, exactly as the reference writes it
///    (any device, any dtype: the CUDA and fp16 path, and the reference for tests);
///  - fused CPU: float32 on the CPU, with cpu_glue's kernels resizing block inputs
///    straight into one low-resolution buffer and block outputs into the state in place.
///
/// A glue object lives for one forward pass and holds its state: the flow (N×4×H×W),
/// the merge mask, the features passed between blocks, and the inputs warped by the flow.
#include "interp/core/rife/backward_warp.h"
#include "interp/core/rife/ifblock.h"
#include "interp/core/rife/ifnet_variant.h"
#include "interp/core/rife/refine.h"

#include <torch/types.h>

#include <memory>
#include <vector>

namespace interp::rife {

/// One forward pass's inputs: images clamped to [0,1], Head features (undefined
/// without a Head) and the N×1×H×W timestep plane.
struct IFNetInputs {
  torch::Tensor img0, img1, feat0, feat1, timestep;
};

/// A block's output as the glue produced it (full resolution for aten, the block's own
/// grid for the fused path); only the glue that made it reads it.
struct BlockPrediction {
  int64_t block = 0;
  double scale = 1;
  IFBlockOutput full;  ///< aten
  torch::Tensor raw;   ///< fused CPU: IFBlock::predict(…, shuffle=false)
};

class IFNetGlue {
 public:
  virtual ~IFNetGlue() = default;

  /// Block `i` run at 1/`scale` on inputs built from the current state (block 0: the
  /// images, features and timestep; later blocks: warped images and features,
  /// timestep, mask, passed features and the flow). `swapped` runs it on the pair the
  /// other way round, as the reference's ensemble does: images (and features) swapped,
  /// 1−t, −mask and the flow's two directions swapped.
  virtual BlockPrediction predict(int64_t i, double scale, bool swapped) = 0;

  /// predict(i, scale, false) and predict(i, scale, true) as one batch of twice the
  /// pairs: the ensemble's two passes in one call to the block's convolutions.
  virtual std::pair<BlockPrediction, BlockPrediction> predict_both(int64_t i, double scale) = 0;

  /// The reference's ensemble average of a prediction and its swapped twin:
  /// flow (p + q with directions swapped) / 2, mask (p − q) / 2.
  virtual BlockPrediction average_swapped(const BlockPrediction& p, const BlockPrediction& swapped) = 0;

  /// The prediction's flow change at full resolution (v3.9's restart test reads it).
  virtual torch::Tensor flow_update(const BlockPrediction& p) = 0;

  /// Takes a prediction into the state: `first` sets flow and mask, otherwise the flow
  /// is added to and the mask added to when `add_mask`, else replaced. `update`, when
  /// defined, is flow_update(p) already computed.
  virtual void take(const BlockPrediction& p, bool first, bool add_mask, const torch::Tensor& update = {}) = 0;

  /// Warps the inputs (and Head features) by the current flow.
  virtual void warp() = 0;

  /// The current flow (N×4×H×W, in pixels, to input 0 then to input 1).
  virtual const torch::Tensor& flow() const = 0;

  /// The frame at t: both inputs warped by the final flow, blended by sigmoid(mask), or
  /// by sigmoid(mask + mask_shift) when that (N×1×H×W) is given (picture_edges.h). The
  /// state keeps the blocks' mask: the refinement net reads what it was trained on.
  virtual torch::Tensor merge(const torch::Tensor& mask_shift = {}) = 0;

  /// After merge(): what the refinement net reads (inputs, their final warps, mask
  /// logits, flow).
  virtual RefineInputs final_state() = 0;
};

/// N×4 flow with its two directions swapped (channels 2:4 then 0:2).
torch::Tensor swap_directions(const torch::Tensor& flow);

std::unique_ptr<IFNetGlue> make_aten_glue(const IFNetInputs& inputs, std::vector<IFBlock>& blocks,
                                          const IFNetVariant& variant, BackwardWarp& warp);

/// Only for float32 CPU inputs that cpu_glue::applicable() accepts.
std::unique_ptr<IFNetGlue> make_fused_cpu_glue(const IFNetInputs& inputs, std::vector<IFBlock>& blocks,
                                               const IFNetVariant& variant);

}  // namespace interp::rife
