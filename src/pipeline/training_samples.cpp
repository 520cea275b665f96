/// Crops and augmentations of training samples (training_samples.h). The augmentations
/// follow ECCV2022-RIFE's dataset.py; they are applied to the float crop of all three
/// frames at once, so the pair and its in-between always move together.
#include "interp/pipeline/training_samples.h"

#include "interp/base/error.h"
#include "interp/core/train/laplacian_loss.h"

#include <torch/torch.h>

#include <sstream>

namespace interp::pipeline {
namespace {

int64_t fitted_crop(int64_t asked, int64_t side, int64_t multiple) {
  return std::min(asked, side) / multiple * multiple;
}

}  // namespace

SampleDrawer::SampleDrawer(const TrainingData& data, int64_t crop, int64_t multiple, bool arbitrary_t, uint64_t seed,
                           int context_frames)
    : data_(data),
      crop_(fitted_crop(crop, data.smallest_side(), multiple)),
      arbitrary_t_(arbitrary_t),
      context_(context_frames > 2),
      rng_(seed) {
  for (const auto& w : data.training_windows())
    if (arbitrary_t || w.span % 2 == 0) windows_.push_back(w);
  if (windows_.empty()) throw Error("no usable triplets: this model learns midpoints only, and no window has one");
  if (crop_ < multiple || crop_ < 2 * (int64_t{1} << train::kLaplacianLevels))
    throw Error("frames of " + std::to_string(data.smallest_side()) + " pixels on a side are too small to train on (crops of " +
                std::to_string(crop) + " made a multiple of " + std::to_string(multiple) + ")");
}

train::TrainingBatch SampleDrawer::draw(int64_t count, torch::Device device) {
  std::vector<torch::Tensor> img0, img1, gt, before, after;
  std::vector<float> times;
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  for (int64_t s = 0; s < count; ++s) {
    const FrameWindow& w = windows_[std::uniform_int_distribution<size_t>(0, windows_.size() - 1)(rng_)];
    const int j = arbitrary_t_ ? std::uniform_int_distribution<int>(1, w.span - 1)(rng_) : w.span / 2;
    const auto& frames = data_.clips()[w.clip].frames;
    const int64_t h = frames[w.first].size(1), wd = frames[w.first].size(2);
    const int64_t y = std::uniform_int_distribution<int64_t>(0, h - crop_)(rng_);
    const int64_t x = std::uniform_int_distribution<int64_t>(0, wd - crop_)(rng_);
    const auto cut = [&](int64_t i) { return frames[i].narrow(1, y, crop_).narrow(2, x, crop_); };
    // The pair, its in-between and (four-frame models) the neighbours, as one stack that
    // every augmentation moves together: frames × 3 × crop × crop, in [0,1].
    std::vector<torch::Tensor> stack{cut(w.first), cut(w.first + j), cut(w.first + w.span)};
    if (context_) {
      auto [b, a] = data_.neighbours(w);
      if (coin(rng_) < 0.1) b = w.first;
      if (coin(rng_) < 0.1) a = w.first + w.span;
      stack.insert(stack.begin(), cut(b));
      stack.push_back(cut(a));
    }
    auto stacked = torch::stack(stack).to(torch::kFloat32) / 255.0;
    double t = static_cast<double>(j) / w.span;
    if (coin(rng_) < 0.5) stacked = stacked.flip({1});  // RGB <-> BGR
    if (coin(rng_) < 0.5) stacked = stacked.flip({2});  // upside down
    if (coin(rng_) < 0.5) stacked = stacked.flip({3});  // mirrored
    if (coin(rng_) < 0.5) {                       // time reversed
      stacked = stacked.flip({0});
      t = 1 - t;
    }
    const double p = coin(rng_);
    if (p < 0.75) stacked = torch::rot90(stacked, p < 0.25 ? 3 : p < 0.5 ? 2 : 1, {2, 3});
    const int64_t o = context_ ? 1 : 0;
    img0.push_back(stacked[o]);
    gt.push_back(stacked[o + 1]);
    img1.push_back(stacked[o + 2]);
    if (context_) {
      before.push_back(stacked[0]);
      after.push_back(stacked[4]);
    }
    times.push_back(static_cast<float>(t));
  }
  train::TrainingBatch batch{torch::stack(img0).to(device), torch::stack(img1).to(device), torch::stack(gt).to(device),
                             torch::tensor(times).to(device), {}, {}};
  if (context_) {
    batch.before = torch::stack(before).to(device);
    batch.after = torch::stack(after).to(device);
  }
  return batch;
}

std::string SampleDrawer::state() const {
  std::ostringstream text;
  text << rng_;
  return text.str();
}

void SampleDrawer::restore(const std::string& state) {
  std::istringstream text(state);
  text >> rng_;
  if (!text) throw Error("a checkpoint whose sampler state cannot be read");
}

std::vector<train::TrainingBatch> validation_samples(const TrainingData& data, int64_t multiple, torch::Device device,
                                                     int context_frames) {
  std::vector<train::TrainingBatch> samples;
  for (const auto& w : data.validation_windows()) {
    const auto& frames = data.clips()[w.clip].frames;
    const int64_t h = frames[w.first].size(1), wd = frames[w.first].size(2);
    const int64_t ch = fitted_crop(kValidationCropLimit, h, multiple), cw = fitted_crop(kValidationCropLimit, wd, multiple);
    if (ch == 0 || cw == 0) continue;
    const auto cut = [&](int64_t i) {
      return (frames[i].narrow(1, (h - ch) / 2, ch).narrow(2, (wd - cw) / 2, cw).unsqueeze(0).to(torch::kFloat32) / 255.0)
          .to(device);
    };
    samples.push_back({cut(w.first), cut(w.first + w.span), cut(w.first + w.span / 2),
                       torch::full({1}, 0.5, torch::TensorOptions(device)), {}, {}});
    if (context_frames > 2) {
      const auto [before, after] = data.neighbours(w);
      samples.back().before = cut(before);
      samples.back().after = cut(after);
    }
  }
  return samples;
}

double validation_psnr(train::Trainer& trainer, const std::vector<train::TrainingBatch>& samples) {
  if (samples.empty()) return 0;
  double sum = 0;
  for (const auto& s : samples) sum += trainer.psnr(s);
  return sum / static_cast<double>(samples.size());
}

}  // namespace interp::pipeline
