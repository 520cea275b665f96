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

struct ConvLstmOptions {
  torch::Device device = torch::kCPU;
  torch::Dtype dtype = torch::kFloat32;
};

class ConvLstmInterpolator : public FrameInterpolator {
 public:
  ConvLstmInterpolator(const ConvLstmConfig& config, const weights::StateDict& dict, ConvLstmOptions options);

  /// Midpoints of windows; sides padded at the right and bottom (edge pixels repeated)
  /// to the network's multiple, the result cropped back. Every time must be 0.5.
  torch::Tensor interpolate_window(const torch::Tensor& before, const torch::Tensor& img0, const torch::Tensor& img1,
                                   const torch::Tensor& after, const std::vector<double>& times) override;
  /// The same, with the rough frame too (for parity tests and the model card).
  ConvLstmOutput interpolate_both(const torch::Tensor& before, const torch::Tensor& img0, const torch::Tensor& img1,
                                  const torch::Tensor& after);
  /// A pair alone: its ends repeated as neighbours.
  torch::Tensor interpolate(const torch::Tensor& img0, const torch::Tensor& img1,
                            const std::vector<double>& times) override {
    return interpolate_window(img0, img0, img1, img1, times);
  }

  std::string name() const override { return net_->config().name; }
  int context_frames() const override { return static_cast<int>(net_->config().frames); }
  bool arbitrary_timestep() const override { return false; }  // trained for the midpoint only
  torch::Device device() const override { return options_.device; }
  torch::Dtype dtype() const override { return options_.dtype; }
  double bytes_per_pixel() const override;

 private:
  ConvLstmNet net_;
  ConvLstmOptions options_;
};

}  // namespace interp::convlstm
