/// The held-out check of fine-tuned weights (held_out_check.h).
#include "interp/pipeline/held_out_check.h"

#include "interp/base/decimal.h"
#include "interp/base/error.h"

#include <torch/torch.h>

#include <cmath>
#include <iterator>
#include <limits>
#include <numeric>

namespace interp::pipeline {
namespace {

double psnr_of(double mse) { return 10 * std::log10(255.0 * 255.0 / std::max(mse, 1e-10)); }

}  // namespace

double sure_gain(size_t pairs) {
  // t(0.975, df) for df = 1..30 (the standard table), then the Cornish-Fisher expansion
  // around the normal's 1.96, within 0.001 of t beyond 30 degrees of freedom.
  static constexpr double kTable[] = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                                      2.201,  2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
                                      2.080,  2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};
  if (pairs < 2) return std::numeric_limits<double>::infinity();
  const size_t df = pairs - 1;
  if (df <= std::size(kTable)) return kTable[df - 1];
  const double z = 1.959964, v = static_cast<double>(df);
  return z + (z * z * z + z) / (4 * v) + (5 * std::pow(z, 5) + 16 * z * z * z + 3 * z) / (96 * v * v);
}

std::vector<double> held_out_errors(FrameInterpolator& model, const TrainingData& data,
                                    const std::atomic<bool>* cancel) {
  torch::NoGradGuard no_grad;
  const auto held_out = data.held_out_sample(kHeldOutCheckPairs);
  const ModelTraits traits = model.traits();
  const auto on_device = [&](const torch::Tensor& frame) {
    return (frame.unsqueeze(0).to(torch::kFloat32) / 255.0).to(model.device());
  };
  std::vector<double> errors;
  for (const TrainingWindow& w : held_out) {
    if (cancel && cancel->load()) throw Error("interrupted");
    const auto& frames = data.clips()[w.clip].frames;
    std::vector<torch::Tensor> window;
    for (const auto f : data.window_frames(w, traits)) window.push_back(on_device(frames[f]));
    const auto made = model.interpolate(FrameWindow(std::move(window), traits.frames_before), {0.5});
    // The frame the job would write: 8-bit levels.
    const auto written = (made.to(torch::kCPU, torch::kFloat32).clamp(0, 1) * 255).round().squeeze(0);
    const auto truth = frames[w.first + w.span / 2].to(torch::kFloat32);
    errors.push_back((written - truth).pow(2).mean().item<double>());
  }
  return errors;
}

HeldOutVerdict compare_held_out(const std::vector<double>& before, const std::vector<double>& after) {
  if (before.size() != after.size()) throw Error("held-out errors of different pairs compared");
  HeldOutVerdict v;
  v.pairs = before.size();
  if (v.pairs == 0) return v;
  const auto n = static_cast<double>(v.pairs);
  v.psnr_before = psnr_of(std::accumulate(before.begin(), before.end(), 0.0) / n);
  v.psnr_after = psnr_of(std::accumulate(after.begin(), after.end(), 0.0) / n);
  std::vector<double> gains;
  for (size_t i = 0; i < v.pairs; ++i) gains.push_back(psnr_of(after[i]) - psnr_of(before[i]));
  v.mean_gain = std::accumulate(gains.begin(), gains.end(), 0.0) / n;
  if (v.pairs < 2) return v;
  double squares = 0;
  for (const double g : gains) squares += (g - v.mean_gain) * (g - v.mean_gain);
  v.standard_error = std::sqrt(squares / (n - 1) / n);
  v.better = v.psnr_after > v.psnr_before && v.mean_gain >= sure_gain(v.pairs) * v.standard_error;
  return v;
}

std::string HeldOutVerdict::summary() const {
  const auto signed_db = [](double value) { return (value >= 0 ? "+" : "") + decimal(value, 2); };
  return "held-out PSNR as the job runs " + decimal(psnr_before, 2) + " -> " + decimal(psnr_after, 2) + " dB over " +
         std::to_string(pairs) + (pairs == 1 ? " pair" : " pairs") + " (per pair " + signed_db(mean_gain) +
         " ± " + decimal(standard_error, 2) + " dB)";
}

}  // namespace interp::pipeline
