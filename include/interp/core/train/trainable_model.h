#pragma once
/// What training asks of a model, apart from the family table: a module whose
/// parameters train, its forward pass on a batch of frame windows, and its loss as
/// data. Families build one (ModelFamily::build_trainable); the trainer and the
/// sampler need only this file.
#include "interp/base/error.h"
#include "interp/core/frame_window.h"
#include "interp/core/model_traits.h"

#include <torch/nn/module.h>

#include <map>
#include <string>
#include <vector>

namespace interp {

/// Samples of one training step: the windows (the pairs with the neighbours the model's
/// traits read, N×3×H×W each in [0,1]) and the in-betweens gt at t (N values in (0,1)).
struct TrainingBatch {
  FrameWindow frames;
  torch::Tensor gt, t;
};

/// One term of a family's training loss: how far one of its outputs is from gt.
struct LossTerm {
  enum class Kind { LaplacianL1, L1 };
  std::string output;  ///< a key of TrainableModel::outputs()
  Kind kind = Kind::LaplacianL1;
  double weight = 1;
};

/// A model built for training: the family's module holding the file's weights, run
/// with plain ATen ops and autograd — no fused CPU glue, no inference-only weight
/// rewrites — so that every parameter gets its gradient.
class TrainableModel {
 public:
  virtual ~TrainableModel() = default;
  /// The parameters (under the reference's names) to optimise and save.
  virtual torch::nn::Module& module() = 0;
  /// img0, img1: N×3×H×W in [0,1], H and W multiples of alignment(W); t: N values in
  /// (0,1). Returns the N×3×H×W frames at t. Throws interp::Error for unaligned sizes.
  virtual torch::Tensor forward(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor& t) = 0;
  /// What the height and width of frames `width` pixels wide must be multiples of.
  virtual int64_t alignment(int64_t width) const = 0;
  /// Throws interp::Error unless `frames` (N×C×H×W) fit alignment(): what every
  /// forward() checks first. `who` names the model in the message.
  void require_aligned(const torch::Tensor& frames, const std::string& who) const {
    const int64_t m = alignment(frames.size(3));
    if (frames.size(2) % m || frames.size(3) % m)
      throw Error(who + " trains on frames whose sides are multiples of " + std::to_string(m));
  }
  /// The frames a sample holds and the times it learns (its family's, model_traits.h):
  /// any t = j/n of a window, or the midpoint only.
  virtual ModelTraits traits() const = 0;
  /// The frames it makes for a batch by name; "frame" is the result, the others are
  /// what loss_terms() also scores (ConvLSTM's "rough").
  virtual std::map<std::string, torch::Tensor> outputs(const TrainingBatch& batch) {
    return {{"frame", forward(batch.frames.left(), batch.frames.right(), batch.t)}};
  }
  /// The loss as data: RIFE's authors score the frame with a Laplacian-pyramid L1.
  virtual std::vector<LossTerm> loss_terms() const { return {{"frame", LossTerm::Kind::LaplacianL1, 1.0}}; }
  /// False for a parameter its forward never uses (kept because the reference's files
  /// hold it): it gets no gradient, and that is no fault.
  virtual bool uses_parameter(const std::string& name) const {
    (void)name;
    return true;
  }
};

}  // namespace interp
