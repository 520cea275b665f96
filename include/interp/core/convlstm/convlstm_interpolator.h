#pragma once
/// The ConvLSTM network as a FrameInterpolator, and recognising its weight files: a
/// state dict saved by the reference (`torch.save(model.state_dict())`, names as in its
/// net.Net), the whole pickled module its train.py saves (`torch.save(model)`: read as
/// data by weights/torch_pickle.h, nothing in it runs), and interp's safetensors.
#include "interp/core/convlstm/convlstm_net.h"
#include "interp/core/frame_interpolator.h"
#include "interp/core/weights/state_dict.h"

namespace interp::convlstm {

/// The names our modules use: the reference's, without a DataParallel "module.".
weights::StateDict normalise_convlstm_keys(const weights::StateDict& dict);
/// True when the names are the ConvLSTM interpolator's.
bool looks_like_convlstm(const weights::StateDict& dict);

class ConvLstmInterpolator : public FrameInterpolator {
 public:
  ConvLstmInterpolator(const ConvLstmConfig& config, const weights::StateDict& dict, Placement placement);

  /// The midpoints of windows with the rough frame too (for parity tests and the model
  /// card); sides padded at the right and bottom (edge pixels repeated) to the
  /// network's multiple, the result cropped back.
  ConvLstmOutput interpolate_both(const torch::Tensor& before, const torch::Tensor& img0, const torch::Tensor& img1,
                                  const torch::Tensor& after);

  std::string name() const override { return net_->config().name; }
  ModelTraits traits() const override { return net_->config().traits(); }
  torch::Device device() const override { return placement_.device; }
  torch::Dtype dtype() const override { return placement_.dtype; }
  double bytes_per_pixel() const override;

 private:
  /// The refined midpoints (interpolate_both); every time must be 0.5.
  torch::Tensor make(const FrameWindow& window, const std::vector<double>& times) override;

  ConvLstmNet net_;
  Placement placement_;
};

}  // namespace interp::convlstm
