/// Crops and augmentations of training samples (training_samples.h). The augmentations
/// follow ECCV2022-RIFE's dataset.py; they are applied to the float crop of all three
/// frames of a window at once, so the pair, its neighbours and its in-between always move
/// together.
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

SampleDrawer::SampleDrawer(const TrainingData& data, int64_t crop, int64_t multiple, const ModelTraits& traits,
                           uint64_t seed)
    : data_(data), crop_(fitted_crop(crop, data.smallest_side(), multiple)), traits_(traits), rng_(seed) {
  for (const auto& w : data.training_windows())
    if (traits.arbitrary_timestep || w.span % 2 == 0) windows_.push_back(w);
  if (windows_.empty()) throw Error("no usable triplets: this model learns midpoints only, and no window has one");
  if (crop_ < multiple || crop_ < 2 * (int64_t{1} << train::kLaplacianLevels))
    throw Error("frames of " + std::to_string(data.smallest_side()) + " pixels on a side are too small to train on (crops of " +
                std::to_string(crop) + " made a multiple of " + std::to_string(multiple) + ")");
}

train::TrainingBatch SampleDrawer::draw(int64_t count, torch::Device device) {
  const int fb = traits_.frames_before, frames = traits_.window_frames();
  std::vector<std::vector<torch::Tensor>> columns(frames);  // the window's frames, sample by sample
  std::vector<torch::Tensor> gt;
  std::vector<float> times;
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  for (int64_t s = 0; s < count; ++s) {
    const TrainingWindow& w = windows_[std::uniform_int_distribution<size_t>(0, windows_.size() - 1)(rng_)];
    const int j = traits_.arbitrary_timestep ? std::uniform_int_distribution<int>(1, w.span - 1)(rng_) : w.span / 2;
    const auto& clip = data_.clips()[w.clip].frames;
    const int64_t h = clip[w.first].size(1), wd = clip[w.first].size(2);
    const int64_t y = std::uniform_int_distribution<int64_t>(0, h - crop_)(rng_);
    const int64_t x = std::uniform_int_distribution<int64_t>(0, wd - crop_)(rng_);
    const auto cut = [&](int64_t i) { return clip[i].narrow(1, y, crop_).narrow(2, x, crop_); };
    // The window and the in-between as one stack that every augmentation moves
    // together: frames × 3 × crop × crop in [0,1], the in-between after the pair's first.
    auto indices = data_.window_frames(w, traits_);
    if (traits_.reads_neighbours()) {  // one time in ten a side's neighbours are the pair's end: clip ends, cuts
      if (coin(rng_) < 0.1) std::fill(indices.begin(), indices.begin() + fb, w.first);
      if (coin(rng_) < 0.1) std::fill(indices.begin() + fb + 2, indices.end(), w.first + w.span);
    }
    std::vector<torch::Tensor> stack;
    for (const auto i : indices) stack.push_back(cut(i));
    stack.insert(stack.begin() + fb + 1, cut(w.first + j));
    auto stacked = torch::stack(stack).to(torch::kFloat32) / 255.0;
    double t = static_cast<double>(j) / w.span;
    if (coin(rng_) < 0.5) stacked = stacked.flip({1});  // RGB <-> BGR
    if (coin(rng_) < 0.5) stacked = stacked.flip({2});  // upside down
    if (coin(rng_) < 0.5) stacked = stacked.flip({3});  // mirrored
    // Time reversed (a window of as many frames after its pair as before keeps its shape).
    if (coin(rng_) < 0.5 && traits_.frames_before == traits_.frames_after) {
      stacked = stacked.flip({0});
      t = 1 - t;
    }
    const double p = coin(rng_);
    if (p < 0.75) stacked = torch::rot90(stacked, p < 0.25 ? 3 : p < 0.5 ? 2 : 1, {2, 3});
    for (int f = 0, row = 0; f < frames; ++f, ++row) {
      if (row == fb + 1) gt.push_back(stacked[row++]);
      columns[f].push_back(stacked[row]);
    }
    times.push_back(static_cast<float>(t));
  }
  std::vector<torch::Tensor> window;
  for (const auto& column : columns) window.push_back(torch::stack(column).to(device));
  return {FrameWindow(std::move(window), fb), torch::stack(gt).to(device), torch::tensor(times).to(device)};
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
                                                     const ModelTraits& traits) {
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
    std::vector<torch::Tensor> window;
    for (const auto i : data.window_frames(w, traits)) window.push_back(cut(i));
    samples.push_back({FrameWindow(std::move(window), traits.frames_before), cut(w.first + w.span / 2),
                       torch::full({1}, 0.5, torch::TensorOptions(device))});
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
