/// Direct and recursive in-between frames, batched.
#include "interp/pipeline/pair_interpolator.h"

#include "interp/base/error.h"

#include <torch/torch.h>

#include <map>

namespace interp::pipeline {

double scene_change_score(const torch::Tensor& a, const torch::Tensor& b) {
  torch::NoGradGuard no_grad;
  const auto luma = [](const torch::Tensor& x) {
    auto rgb = x.slice(1, 0, 3).to(torch::kFloat32);
    auto y = rgb.select(1, 0) * 0.299 + rgb.select(1, 1) * 0.587 + rgb.select(1, 2) * 0.114;
    return torch::adaptive_avg_pool2d(y.unsqueeze(1), {36, 64});
  };
  return (luma(a) - luma(b)).abs().mean().item<double>();
}

TimingMode choose_timing(bool recursion_requested, const Timeline& timeline, const FrameInterpolator& model) {
  if (recursion_requested) return TimingMode::Recursive;  // --exp: always dyadic
  if (model.arbitrary_timestep()) return TimingMode::Direct;
  if (timeline.dyadic()) return TimingMode::Recursive;
  throw Error(model.name() + " only makes midpoints: ask for a factor that is a power of two");
}

PairInterpolator::PairInterpolator(FrameInterpolator& model, PairOptions options)
    : model_(model), options_(options) {
  if (options_.batch < 1) throw Error("the batch size must be at least 1");
  if (options_.mode == TimingMode::Direct && !model_.arbitrary_timestep())
    throw Error(model_.name() + " is trained for t=0.5 only: ask for a factor that is a power of two");
}

std::vector<torch::Tensor> PairInterpolator::between(const torch::Tensor& a, const torch::Tensor& b,
                                                     const std::vector<OutputSlot>& slots, bool* cut) {
  std::vector<OutputSlot> inner;
  for (const auto& s : slots)
    if (s.t_num != 0) inner.push_back(s);
  const bool is_cut = options_.scene_threshold > 0 && !inner.empty() &&
                      scene_change_score(a, b) > options_.scene_threshold;
  if (cut) *cut = is_cut;
  if (inner.empty()) return {};
  if (is_cut) return std::vector<torch::Tensor>(inner.size(), a);  // never blend across a cut
  if (options_.mode == TimingMode::Recursive) return recursive(a, b, inner);
  std::vector<double> times;
  for (const auto& s : inner) times.push_back(s.t);
  return direct(a, b, times);
}

void PairInterpolator::stop_if_cancelled() const {
  if (options_.cancel && options_.cancel->load()) throw Error("interrupted");
}

std::vector<torch::Tensor> PairInterpolator::direct(const torch::Tensor& a, const torch::Tensor& b,
                                                    const std::vector<double>& times) {
  std::vector<torch::Tensor> out;
  for (size_t start = 0; start < times.size(); start += options_.batch) {
    const size_t n = std::min<size_t>(options_.batch, times.size() - start);
    stop_if_cancelled();
    std::vector<double> chunk(times.begin() + start, times.begin() + start + n);
    auto result = model_.interpolate(a.expand({static_cast<int64_t>(n), -1, -1, -1}),
                                     b.expand({static_cast<int64_t>(n), -1, -1, -1}), chunk);
    for (int64_t i = 0; i < static_cast<int64_t>(n); ++i) out.push_back(result.slice(0, i, i + 1));
  }
  return out;
}

std::vector<torch::Tensor> PairInterpolator::recursive(const torch::Tensor& a, const torch::Tensor& b,
                                                       const std::vector<OutputSlot>& slots) {
  int64_t den = 1;
  for (const auto& s : slots) {
    if (s.t_den & (s.t_den - 1)) throw Error("time " + std::to_string(s.t) + " cannot be reached by recursion at 0.5");
    den = std::max(den, s.t_den);
  }
  // Nodes at k/den; fill midpoints level by level, each level in batches.
  std::map<int64_t, torch::Tensor> nodes{{0, a}, {den, b}};
  for (int64_t step = den / 2; step >= 1; step /= 2) {
    std::vector<int64_t> mids;
    for (int64_t k = step; k < den; k += 2 * step) mids.push_back(k);
    for (size_t start = 0; start < mids.size(); start += options_.batch) {
      const size_t n = std::min<size_t>(options_.batch, mids.size() - start);
      stop_if_cancelled();
      std::vector<torch::Tensor> left, right;
      for (size_t i = 0; i < n; ++i) {
        left.push_back(nodes.at(mids[start + i] - step));
        right.push_back(nodes.at(mids[start + i] + step));
      }
      auto result = model_.interpolate(torch::cat(left), torch::cat(right), std::vector<double>(n, 0.5));
      for (size_t i = 0; i < n; ++i) nodes[mids[start + i]] = result.slice(0, i, i + 1);
    }
  }
  std::vector<torch::Tensor> out;
  for (const auto& s : slots) out.push_back(nodes.at(s.t_num * (den / s.t_den)));
  return out;
}

}  // namespace interp::pipeline
