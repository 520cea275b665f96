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

 private:
  std::vector<torch::Tensor> frames_;
  int before_ = 0;
};

/// The rule every window builder shares for one side of a pair: walking outward from the
/// pair's end, step j (1..wanted) is taken while reaches(j) says the frame j steps out
/// is there and in the pair's shot; past the first refusal the farthest frame reached
/// stands in, as a job repeats a clip's end. Returns, for each j, the step whose frame
/// fills it (0: the end itself).
std::vector<int> steps_reached(int wanted, const std::function<bool(int)>& reaches);

}  // namespace interp
