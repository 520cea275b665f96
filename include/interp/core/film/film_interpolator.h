#pragma once
/// FILM as a FrameInterpolator, and reading FILM weight files: the PyTorch port's
/// TorchScript exports (fp32 or fp16), plain state dicts and interp's safetensors.
#include "interp/core/frame_interpolator.h"
#include "interp/core/film/interpolator.h"
#include "interp/core/weights/state_dict.h"

namespace interp::film {

/// Reads the parameters of a TorchScript-exported Interpolator (torch.jit.script(...).save)
/// as data: none of the archive's code runs.
weights::StateDict read_torchscript_weights(const std::string& path);

/// True when the names are FILM's ("extract.extract_sublevels...").
bool looks_like_film(const weights::StateDict& dict);

/// The configuration the weights were trained with (filters, sub_levels, flow
/// predictors from the shapes; pyramid depths at their defaults).
FilmConfig infer_config(const weights::StateDict& dict);

class FilmInterpolator : public FrameInterpolator {
 public:
  FilmInterpolator(const FilmConfig& config, const weights::StateDict& dict, Placement placement);

  std::string name() const override { return "film"; }
  ModelTraits traits() const override { return net_->config().traits(); }
  torch::Device device() const override { return placement_.device; }
  torch::Dtype dtype() const override { return placement_.dtype; }
  /// ~1180 B/px with 16 base filters (the golden small file), ~2800 with the released
  /// 64 (1080p peak RSS); in between by filter count.
  double bytes_per_pixel() const override { return 1180.0 + (filters_ - 16) * (2800.0 - 1180.0) / 48.0; }

  Interpolator& net() { return net_; }

 private:
  torch::Tensor make(const FrameWindow& window, const std::vector<double>& times) override;

  Interpolator net_;
  Placement placement_;
  int64_t filters_;
};

}  // namespace interp::film
