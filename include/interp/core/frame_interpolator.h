#pragma once
/// The interface every interpolation model offers the pipeline: given a batch of frame
/// windows (frame_window.h: each pair with the neighbours its traits() read; RGB in
/// [0,1], any H×W) and one time per window, return the in-between frames at those
/// times. Padding to the network's multiple happens inside. One entry point: a model
/// implements make(); callers go through interpolate(), which checks the window.
#include "interp/core/frame_window.h"
#include "interp/core/model_traits.h"
#include "interp/core/placement.h"
#include "interp/core/precision.h"

#include <torch/types.h>

#include <memory>
#include <string>
#include <vector>

namespace interp {

/// Pairs a model judged for a choice of its own, and how many it chose it for.
struct PairChoices {
  std::string choice;  ///< what was chosen: "were doubtful and ran again as an ensemble ..."
  int64_t judged = 0;
  int64_t chosen = 0;
};

/// "D of P pairs <choice>" for the pairs judged between `before` and `now`; empty when none.
std::string choices_since(const PairChoices& before, const PairChoices& now);

class FrameInterpolator {
 public:
  virtual ~FrameInterpolator() = default;

  /// window: the frames traits() reads, N×3×H×W each on device(), any floating dtype;
  /// times: N values in (0,1). Returns N×3×H×W in the model's dtype. Throws
  /// interp::Error for a window of another shape or a count of times that does not fit.
  torch::Tensor interpolate(const FrameWindow& window, const std::vector<double>& times);
  /// A pair alone, its ends repeated as the neighbours a window model reads (a clip's
  /// ends): FrameWindow::of_pair.
  torch::Tensor interpolate(const torch::Tensor& img0, const torch::Tensor& img1, const std::vector<double>& times) {
    return interpolate(FrameWindow::of_pair(img0, img1, traits()), times);
  }

  /// Short model name, e.g. "rife-v4.6" or "film".
  virtual std::string name() const = 0;

  /// The quality mode it runs (quality.h's names); empty for models with one mode.
  virtual std::string mode() const { return ""; }

  /// The frames it reads and the times it makes (model_traits.h), as its family states.
  virtual ModelTraits traits() const = 0;

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

  /// Whether a pass does the same work for every input of one shape (it reads no value
  /// back to the host to choose a path), so that it can be recorded once and replayed
  /// (graph_replay.h).
  virtual bool replayable() const { return true; }

  /// What it chose pair by pair so far (RIFE: how many doubtful pairs ran again as an
  /// ensemble); judged 0 when it chooses nothing. Counts since it was built, so a job
  /// reports the difference (choices_since): auto's verdict runs passes of its own.
  virtual PairChoices choices() const { return {}; }

 protected:
  /// The in-betweens of a window that fits traits(), one time per window (checked).
  virtual torch::Tensor make(const FrameWindow& window, const std::vector<double>& times) = 0;
};

/// A model around another (with_precision, with_replay): whatever it is asked is the
/// inner model's unless it overrides it, so a question added to FrameInterpolator reaches
/// the inner model through every wrapper.
class WrappedInterpolator : public FrameInterpolator {
 public:
  explicit WrappedInterpolator(std::unique_ptr<FrameInterpolator> inner) : inner_(std::move(inner)) {}

  std::string name() const override { return inner_->name(); }
  std::string mode() const override { return inner_->mode(); }
  ModelTraits traits() const override { return inner_->traits(); }
  torch::Device device() const override { return inner_->device(); }
  torch::Dtype dtype() const override { return inner_->dtype(); }
  PrecisionChoice precision() const override { return inner_->precision(); }
  double bytes_per_pixel() const override { return inner_->bytes_per_pixel(); }
  bool replayable() const override { return inner_->replayable(); }
  PairChoices choices() const override { return inner_->choices(); }

 protected:
  FrameInterpolator& inner() { return *inner_; }

 private:
  std::unique_ptr<FrameInterpolator> inner_;
};

/// The N times as an N-element tensor made on the device by fills: no host-to-device
/// copy, which a recorded pass (graph_replay.h) cannot contain.
torch::Tensor times_tensor(const std::vector<double>& times, const torch::TensorOptions& options);

}  // namespace interp
