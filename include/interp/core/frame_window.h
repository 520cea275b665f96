#pragma once
/// The frames a model reads for the in-betweens of one pair, as one value: the pair and
/// its neighbours, evenly spaced in time, each N×C×H×W (N windows of one forward pass).
/// The slot loop and the training sampler build it where the frames are known; a model
/// asks it by offset from the pair's first frame, so nothing between them carries
/// "before" and "after" tensors or counts frames.
#include "interp/core/model_traits.h"

#include <torch/types.h>

#include <functional>
#include <vector>

namespace interp {

class FrameWindow {
 public:
  /// `frames` in time order; frames[before] and frames[before + 1] are the pair.
  FrameWindow(std::vector<torch::Tensor> frames, int before);
  /// The pair with the neighbours `traits` reads, each the pair's nearest end (what a
  /// clip's ends and scene cuts give a window).
  static FrameWindow of_pair(const torch::Tensor& a, const torch::Tensor& b, const ModelTraits& traits);
  /// Windows of one shape joined along the batch dimension.
  static FrameWindow cat(const std::vector<FrameWindow>& windows);

  const torch::Tensor& left() const { return frames_[before_]; }
  const torch::Tensor& right() const { return frames_[before_ + 1]; }
  /// The frame `offset` spacings from left(): -1 the one before, 2 the one after right().
  const torch::Tensor& at(int offset) const;
  int before() const { return before_; }
  int after() const { return static_cast<int>(frames_.size()) - before_ - 2; }
  bool fits(const ModelTraits& traits) const {
    return before() == traits.frames_before && after() == traits.frames_after;
  }
  int64_t batch() const { return left().size(0); }
  const std::vector<torch::Tensor>& frames() const { return frames_; }
  /// The same window with `change` applied to every frame (moved, padded, cropped).
  FrameWindow map(const std::function<torch::Tensor(const torch::Tensor&)>& change) const;

 private:
  std::vector<torch::Tensor> frames_;
  int before_ = 0;
};

}  // namespace interp
