#pragma once
/// Training samples from the cached windows (training_data.h): a random square crop of
/// one window's ends and in-between, with the augmentations of the RIFE authors'
/// dataset code — channel order swapped, vertical and horizontal flips, the pair's
/// order reversed (t -> 1-t), rotations by 90, 180 or 270 degrees — each with the
/// reference's probability. One seeded generator draws everything, and its state goes
/// into checkpoints, so a resumed run draws exactly what an uninterrupted one would.
#include "interp/core/train/trainer.h"
#include "interp/pipeline/training_data.h"

#include <random>
#include <string>
#include <vector>

namespace interp::pipeline {

/// Validation crops are centred and at most this large on each side.
inline constexpr int64_t kValidationCropLimit = 512;

class SampleDrawer {
 public:
  /// The model's traits: in-betweens at any j/n of a window when it takes any t,
  /// otherwise only the midpoints of windows of even span; samples hold the frames it
  /// reads (TrainingData::window_frames), the neighbours of each side replaced by the
  /// pair's end one time in ten so that the model also learns the clip ends and cuts
  /// where a job repeats that frame. `multiple`: what crop sides must be multiples of.
  /// Throws interp::Error when no window suits, or the frames cannot hold one crop.
  SampleDrawer(const TrainingData& data, int64_t crop, int64_t multiple, const ModelTraits& traits, uint64_t seed);

  /// `count` samples, N×3×crop×crop, on `device`.
  train::TrainingBatch draw(int64_t count, torch::Device device);
  /// The crop side used (the asked one, made a multiple and fitted to the frames).
  int64_t crop() const { return crop_; }

  std::string state() const;
  void restore(const std::string& state);

 private:
  const TrainingData& data_;
  std::vector<TrainingWindow> windows_;
  int64_t crop_;
  ModelTraits traits_;
  std::mt19937_64 rng_;
};

/// The held-out windows as samples of one each (clips differ in size): centred crops
/// of at most kValidationCropLimit, sides a multiple of `multiple`, at t = 0.5, with
/// the frames `traits` reads.
std::vector<train::TrainingBatch> validation_samples(const TrainingData& data, int64_t multiple, torch::Device device,
                                                     const ModelTraits& traits);

/// Mean PSNR of the model over `samples` (0 when there are none).
double validation_psnr(train::Trainer& trainer, const std::vector<train::TrainingBatch>& samples);

}  // namespace interp::pipeline
