#include "interp/core/convlstm/convlstm_interpolator.h"

#include "interp/base/error.h"
#include "interp/core/padding.h"

#include <torch/torch.h>

#include <cmath>

namespace interp::convlstm {

weights::StateDict normalise_convlstm_keys(const weights::StateDict& dict) {
  return weights::strip_prefix(dict, "module.");
}

bool looks_like_convlstm(const weights::StateDict& dict) {
  const auto names = normalise_convlstm_keys(dict);
  return names.count("synthesis.encoding_block1.conv_lstm.conv_lstm.conv.weight") > 0 &&
         names.count("refinement.conv_out.weight") > 0;
}

ConvLstmInterpolator::ConvLstmInterpolator(const ConvLstmConfig& config, const weights::StateDict& dict,
                                           Placement placement)
    : net_(config), placement_(placement) {
  weights::load_into(*net_, normalise_convlstm_keys(dict), config.name + " weights");
  net_->eval();  // BatchNorm with its running statistics
  net_->to(placement_.device, placement_.dtype);
}

ConvLstmOutput ConvLstmInterpolator::interpolate_both(const torch::Tensor& before, const torch::Tensor& img0,
                                                      const torch::Tensor& img1, const torch::Tensor& after) {
  torch::InferenceMode guard;
  const int64_t h = img0.size(2), w = img0.size(3), m = net_->config().size_multiple();
  const auto prepare = [&](const torch::Tensor& f) {
    const auto x = f.to(placement_.device, placement_.dtype);
    // Edge pixels repeated: the padding continues the picture instead of adding an edge.
    return torch::replication_pad2d(x, {0, round_up(w, m) - w, 0, round_up(h, m) - h});
  };
  auto out = net_->forward_frames(prepare(before), prepare(img0), prepare(img1), prepare(after));
  return {crop_to(out.rough, h, w), crop_to(out.refined, h, w)};
}

torch::Tensor ConvLstmInterpolator::make(const FrameWindow& window, const std::vector<double>& times) {
  for (double t : times)
    if (std::abs(t - 0.5) > 1e-9) throw Error(name() + " makes midpoints only (t = 0.5), not t = " + std::to_string(t));
  return interpolate_both(window.at(-1), window.left(), window.right(), window.at(2)).refined;
}

// Peak RSS per input pixel of one window, `interp bench --size 1280x720` on CPU (fp32):
// 2250-2630 MiB for 0.92 Mpx, the process itself included.
double ConvLstmInterpolator::bytes_per_pixel() const { return 2600.0; }

}  // namespace interp::convlstm
