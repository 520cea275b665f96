#pragma once
/// The interface every interpolation model offers the pipeline: given batches of frame
/// pairs (N×3×H×W, RGB in [0,1], any H×W) — with their neighbours for models that read
/// a window of four frames (interpolate_window) — and one time per pair, return the
/// in-between frames at those times. Padding to the network's multiple happens inside.
#include "interp/core/precision.h"

#include <torch/types.h>

#include <string>
#include <vector>

namespace interp {

class FrameInterpolator {
 public:
  virtual ~FrameInterpolator() = default;

  /// img0, img1: N×3×H×W on device(), any floating dtype; times: N values in (0,1).
  /// Returns N×3×H×W in the model's dtype.
  virtual torch::Tensor interpolate(const torch::Tensor& img0, const torch::Tensor& img1,
                                    const std::vector<double>& times) = 0;

  /// Short model name, e.g. "rife-v4.6" or "film".
  virtual std::string name() const = 0;

  /// The quality mode it runs (quality.h's names); empty for models with one mode.
  virtual std::string mode() const { return ""; }

  /// Frames it reads for each in-between: 2 (the pair) or 4 (one frame before the pair,
  /// the pair, one after, evenly spaced in time; ConvLSTM).
  virtual int context_frames() const { return 2; }

  /// The in-betweens of windows (before, img0, img1, after: N×3×H×W each). Models of two
  /// frames ignore the neighbours; a four-frame model's interpolate() repeats the pair's
  /// ends as its neighbours, as at a clip's ends.
  virtual torch::Tensor interpolate_window(const torch::Tensor& before, const torch::Tensor& img0,
                                           const torch::Tensor& img1, const torch::Tensor& after,
                                           const std::vector<double>& times) {
    (void)before, (void)after;
    return interpolate(img0, img1, times);
  }

  /// True when any t in (0,1) is meaningful (RIFE v4); false when the network is trained
  /// for t=0.5 only and callers should recurse (FILM).
  virtual bool arbitrary_timestep() const = 0;

  virtual torch::Device device() const = 0;
  virtual torch::Dtype dtype() const = 0;
  /// The precision it computes in (bf16: convolutions only) and why it was chosen.
  virtual PrecisionChoice precision() const {
    return {dtype() == torch::kFloat16 ? Precision::kFp16 : Precision::kFp32, "as built"};
  }

  /// Peak memory a forward pass takes per input pixel of one pair (fp32), measured with
  /// `interp bench` on CPU; 0 when unknown. For the check that refuses frames that
  /// cannot fit before any work starts.
  virtual double bytes_per_pixel() const { return 0; }
};

}  // namespace interp
