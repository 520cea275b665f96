/// Scene cuts and still pairs, measured for many pairs with one copy to the host.
#include "interp/pipeline/pair_judge.h"

#include "interp/base/error.h"

#include <torch/torch.h>

#include <algorithm>

namespace interp::pipeline {
namespace {

/// Luminance (Rec. 601 weights) of the RGB channels, N×1×H×W float.
torch::Tensor luma(const torch::Tensor& x) {
  const auto rgb = x.slice(1, 0, 3).to(torch::kFloat32);
  return (rgb.select(1, 0) * 0.299 + rgb.select(1, 1) * 0.587 + rgb.select(1, 2) * 0.114).unsqueeze(1);
}

torch::Tensor thumbnail(const torch::Tensor& y) { return torch::adaptive_avg_pool2d(y, {36, 64}); }

/// The share of pixels in each of 32 luma bins of [0, 1] (1 in the last; outside, in
/// none), as torch::histc(y, 32, 0, 1) counts them, without the host reads histc makes
/// on the CPU: bin edges k/32 are exact in float, so floor(32·y) is the bin.
torch::Tensor shares(const torch::Tensor& y) {
  constexpr int64_t kBins = 32;
  const auto inside = (y >= 0).logical_and_(y <= 1);
  auto bin = (y * kBins).floor_().clamp_max_(kBins - 1).masked_fill_(inside.logical_not(), kBins);
  bin = bin.to(torch::kLong).flatten();
  const auto counts = torch::zeros({kBins + 1}, bin.options()).scatter_add_(0, bin, torch::ones_like(bin));
  return counts.slice(0, 0, kBins).to(y.scalar_type()) / static_cast<double>(y.numel());
}

/// The standard deviation (n - 1), written out: the CPU's std() of a whole tensor reads
/// its mean back as a number.
torch::Tensor spread(const torch::Tensor& y) {
  const auto centred = y - y.mean();
  return (centred * centred).sum().div(std::max<int64_t>(y.numel() - 1, 1)).sqrt();
}

torch::Tensor scene_score_of(const torch::Tensor& thumb_a, const torch::Tensor& thumb_b) {
  return (thumb_a - thumb_b).abs().mean();
}

/// Twice histogram_change: the host halves it in double, as it always has.
torch::Tensor twice_histogram_change_of(const torch::Tensor& shares_a, const torch::Tensor& shares_b) {
  return (shares_a - shares_b).abs().sum();
}

torch::Tensor still_score_of(const torch::Tensor& ya, const torch::Tensor& yb) {
  const auto diff = (ya - yb).abs();
  return torch::avg_pool2d(diff, 16, 16, 0, /*ceil_mode=*/true, /*count_include_pad=*/false).max();
}

/// What the rules read of one frame, computed once however many pairs it is in.
struct FrameMeasures {
  torch::Tensor y, thumb, shares, spread;
};

/// A pair's numbers, in the order judge() copies them.
enum Number { kScene, kTwiceHistogram, kStill, kSpreadA, kSpreadB, kNumbers };

}  // namespace

double scene_change_score(const torch::Tensor& a, const torch::Tensor& b) {
  torch::NoGradGuard no_grad;
  return scene_score_of(thumbnail(luma(a)), thumbnail(luma(b))).item<double>();
}

double histogram_change(const torch::Tensor& a, const torch::Tensor& b) {
  torch::NoGradGuard no_grad;
  return twice_histogram_change_of(shares(luma(a)), shares(luma(b))).item<double>() / 2;
}

double still_score(const torch::Tensor& a, const torch::Tensor& b) {
  torch::NoGradGuard no_grad;
  return still_score_of(luma(a), luma(b)).item<double>();
}

bool is_scene_cut(const torch::Tensor& a, const torch::Tensor& b, double threshold) {
  PairJudge judge({threshold, 0}, {});
  judge.add(a, b);
  judge.judge();
  return judge.verdict(a, b).cut;
}

void PairJudge::add(const torch::Tensor& a, const torch::Tensor& b) {
  const Key key{a.data_ptr(), b.data_ptr()};
  if (verdicts_.count(key)) return;
  for (const auto& [qa, qb] : queued_)  // a batch's few pairs and their windows
    if (Key{qa.data_ptr(), qb.data_ptr()} == key) return;
  queued_.emplace_back(a, b);
}

void PairJudge::judge() {
  const bool cuts = skip_.scene > 0, stills = skip_.still > 0;
  if (!cuts && !stills) {  // every pair moves on
    for (const auto& [a, b] : queued_) verdicts_[{a.data_ptr(), b.data_ptr()}] = {};
    return queued_.clear();
  }
  if (queued_.empty()) return;
  torch::NoGradGuard no_grad;
  std::map<const void*, FrameMeasures> frames;
  const auto measures = [&](const torch::Tensor& x) -> const FrameMeasures& {
    auto [it, added] = frames.try_emplace(x.data_ptr());
    FrameMeasures& m = it->second;
    if (!added) return m;
    m.y = luma(x);
    if (luma_.gain != 1 || luma_.offset != 0) m.y = m.y * luma_.gain - luma_.offset;
    if (cuts) {
      m.thumb = thumbnail(m.y);
      m.shares = shares(m.y);
      m.spread = spread(m.y);
    }
    return m;
  };
  // The numbers of a rule switched off, one zero for all (both on: none is made).
  const torch::Tensor unused =
      cuts && stills ? torch::Tensor() : torch::zeros({}, measures(queued_.front().first).y.options());
  std::vector<torch::Tensor> rows;
  for (const auto& [a, b] : queued_) {
    const FrameMeasures &ma = measures(a), &mb = measures(b);
    std::vector<torch::Tensor> row(kNumbers, unused);
    if (cuts) {
      row[kScene] = scene_score_of(ma.thumb, mb.thumb);
      row[kTwiceHistogram] = twice_histogram_change_of(ma.shares, mb.shares);
      row[kSpreadA] = ma.spread;
      row[kSpreadB] = mb.spread;
    }
    if (stills) row[kStill] = still_score_of(ma.y, mb.y);
    rows.push_back(torch::stack(row));
  }
  // The one wait for the device.
  const auto numbers = torch::stack(rows).to(torch::kCPU).contiguous();
  const float* n = numbers.data_ptr<float>();
  for (const auto& [a, b] : queued_) {
    PairVerdict& v = verdicts_[{a.data_ptr(), b.data_ptr()}];
    v.cut = cuts && double(n[kScene]) > skip_.scene && double(n[kTwiceHistogram]) / 2 > kCutHistogramChange;
    v.still = !v.cut && stills && double(n[kStill]) <= skip_.still;
    v.midpoint_takes_b = v.cut && double(n[kSpreadA]) < kFlatLuma && !(double(n[kSpreadB]) < kFlatLuma);
    n += kNumbers;
  }
  queued_.clear();
}

const PairVerdict& PairJudge::verdict(const torch::Tensor& a, const torch::Tensor& b) const {
  const auto it = verdicts_.find({a.data_ptr(), b.data_ptr()});
  if (it == verdicts_.end()) throw Error("internal: a pair of frames was not judged");
  return it->second;
}

}  // namespace interp::pipeline
