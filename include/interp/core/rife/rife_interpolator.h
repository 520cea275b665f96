#pragma once
/// RIFE as a FrameInterpolator: padding, the timestep plane, batching and device/dtype.
#include "interp/core/frame_interpolator.h"
#include "interp/core/rife/ifnet.h"
#include "interp/core/weights/state_dict.h"

#include <optional>

namespace interp::rife {

/// The flow resolutions IFNet runs at (0.5 for 4K): the reference's scale list.
inline constexpr double kFlowScales[] = {0.25, 0.5, 1.0, 2.0, 4.0};

struct RifeOptions {
  double scale = 1.0;  ///< flow resolution factor: 0.25, 0.5, 1, 2 or 4 (0.5 for 4K)
  Placement placement;  ///< device and storage (the precision is the wrapper's: precision_interpolator.h)
  IFNetMode mode;  ///< refinement / ensemble (IFNet::unsupported says what a file allows)
};

/// The variant whose parameter names and shapes the state dict holds exactly (after
/// dropping the variant's unused sub-networks); nullopt when none fits.
std::optional<IFNetVariant> detect_variant(const weights::StateDict& dict);

/// Accepts "module."-prefixed official dicts and plain ones.
weights::StateDict normalise_rife_keys(const weights::StateDict& dict);

/// normalise_rife_keys() without the sub-networks `variant` never runs.
weights::StateDict used_weights(const weights::StateDict& dict, const IFNetVariant& variant);

/// Whether `dict` holds the refinement net of a variant that has one.
bool holds_refinement(const weights::StateDict& dict, const IFNetVariant& variant);
/// Whether a (normalised) tensor name is the refinement net's.
bool is_refinement_weight(const std::string& name);

class RifeInterpolator : public FrameInterpolator {
 public:
  /// Throws interp::Error when `dict` does not fit `variant` or options are invalid.
  RifeInterpolator(const IFNetVariant& variant, const weights::StateDict& dict, RifeOptions options);

  std::string name() const override { return net_->variant().name; }
  std::string mode() const override;
  ModelTraits traits() const override { return net_->variant().traits(); }
  torch::Device device() const override { return options_.placement.device; }
  torch::Dtype dtype() const override { return options_.placement.dtype; }
  /// v3.9/v4.6 ~264 B/px, v4.25+ (with the Head encoder) ~441 B/px at scale 1; flow at
  /// half resolution takes about half (bench: 1920x1080 minus 640x360, peak RSS). The
  /// refinement net adds ~500 B/px at any scale (bench: 1280x720 minus 854x480, refine
  /// minus fast); the ensemble adds nothing measurable.
  double bytes_per_pixel() const override {
    return (net_->variant().head_channels > 0 ? 441.0 : 264.0) * (options_.scale < 1 ? 0.55 : 1.0) +
           (options_.mode.refine ? 500.0 : 0.0);
  }

  /// v3.9 chooses per pair whether to restart at half resolution, and a doubtful pair
  /// runs again as an ensemble (ifnet.cpp): values read back to the host, so such
  /// passes cannot be recorded.
  bool replayable() const override {
    return net_->variant().large_motion_restart_px <= 0 && !net_->seeks_second_opinion(options_.mode);
  }

  /// The doubtful pairs that ran again as an ensemble (IFNetMode::ensemble_when_doubtful).
  PairChoices choices() const override;

  IFNet& net() { return net_; }

 private:
  torch::Tensor make(const FrameWindow& window, const std::vector<double>& times) override;

  IFNet net_;
  RifeOptions options_;
};

}  // namespace interp::rife
