#pragma once
/// UPR-Net as a FrameInterpolator, and recognising UPR-Net weight files: the authors'
/// checkpoints (upr-base.pkl, upr-large.pkl, upr-llarge.pkl: a DistributedDataParallel
/// state dict, every key prefixed "module.") and interp's safetensors.
#include "interp/core/frame_interpolator.h"
#include "interp/core/upr/upr_net.h"
#include "interp/core/weights/state_dict.h"

#include <optional>

namespace interp::upr {

/// The names our modules use: the reference's, without the "module." of its training
/// wrapper (its Pipeline.convert_state_dict strips it the same way).
weights::StateDict normalise_upr_keys(const weights::StateDict& dict);

/// True when the names are UPR-Net's ("feat_pyramid.conv_stage0.0.weight", ...).
bool looks_like_upr(const weights::StateDict& dict);

/// The size the first feature stage's width names (16, 24, 32 channels); nullopt for
/// any other. Every other name and shape is checked when the weights are loaded, which
/// lists each one that does not fit.
std::optional<UprConfig> detect_config(const weights::StateDict& dict);

struct UprOptions {
  Placement placement;  ///< device and storage (the precision is the wrapper's: precision_interpolator.h)
  /// Finest pyramid levels whose motion estimation is skipped (the reference's
  /// nr_lvl_skipped; 1-2 for 4K), capped at the depth less one.
  int64_t skipped_levels = 0;
};

class UprInterpolator : public FrameInterpolator {
 public:
  UprInterpolator(const UprConfig& config, const weights::StateDict& dict, UprOptions options);

  /// Each pair at its own t, with every level's flow (for parity tests and flow
  /// inspection); inputs padded right/bottom with 0.5 grey to the depth's multiple (as
  /// the authors' demo), the depth chosen from the width.
  UprOutput interpolate_with_flows(const torch::Tensor& img0, const torch::Tensor& img1,
                                   const std::vector<double>& times);

  std::string name() const override { return net_->config().name; }
  ModelTraits traits() const override { return net_->config().traits(); }
  torch::Device device() const override { return options_.placement.device; }
  torch::Dtype dtype() const override { return options_.placement.dtype; }
  /// Measured (`interp bench`, CPU): base ~1970 B/px, large ~2560, llarge ~4270.
  double bytes_per_pixel() const override;

 private:
  torch::Tensor make(const FrameWindow& window, const std::vector<double>& times) override {
    return interpolate_with_flows(window.left(), window.right(), times).frame;
  }

  UprNet net_;
  UprOptions options_;
};

}  // namespace interp::upr
