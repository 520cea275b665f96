#pragma once
/// One optimisation step of a TrainableModel as RIFE's authors train IFNet: the model's
/// own loss (TrainableModel::loss_terms: RIFE's Laplacian-pyramid L1, ConvLSTM's L1 of
/// its two frames), AdamW (weight decay 1e-3, the reference's guard against NaN
/// losses; a family's from-scratch settings may differ), a learning rate that stays at
/// its peak or (the authors') warms up linearly and then follows a cosine down to a
/// floor, and (our addition, for fine-tuning on small, odd data) a cap on the gradient's
/// global norm. The loop around it (data, time budget, checkpoints) is the pipeline's;
/// this is the arithmetic.
#include "interp/core/precision.h"
#include "interp/core/train/trainable_model.h"
#include "interp/core/train/optimiser_settings.h"

#include <torch/optim/adamw.h>
#include <torch/serialize/archive.h>

#include <string>

namespace interp::train {

using interp::TrainingBatch;

/// Empty when training with bf16 convolutions was measured to follow fp32's gradients
/// closely enough for --precision auto to pick it, else why not.
std::string why_not_train_in_bf16();

/// The rate `progress` (0..1) of the way through a run: the peak throughout, or a
/// linear warm-up and then a cosine down to the floor.
double learning_rate_at(const OptimiserSettings& settings, double progress);

struct StepResult {
  double loss = 0;
  double gradient_norm = 0;  ///< before clipping
};

class Trainer {
 public:
  /// `precision` bf16: the forward's convolution stacks in bf16 (autocast; the
  /// backward follows the forward's casts, parameters and optimiser stay fp32).
  Trainer(TrainableModel& model, OptimiserSettings settings, Precision precision = Precision::kFp32);

  /// The loss of the model's frames for `batch` (with its graph).
  torch::Tensor loss(const TrainingBatch& batch);
  /// Forward, backward, clip, AdamW at `learning_rate`. Throws interp::Error when the
  /// loss is not finite, or (first step) when a parameter received no gradient.
  StepResult step(const TrainingBatch& batch, double learning_rate);
  /// Mean PSNR (dB) of the model's frames (clamped to [0,1]) against gt, no gradients.
  double psnr(const TrainingBatch& batch);

  TrainableModel& model() { return model_; }
  torch::optim::AdamW& optimiser() { return optimiser_; }
  int64_t steps_taken() const { return steps_; }
  void set_steps_taken(int64_t steps) { steps_ = steps; }

 private:
  TrainableModel& model_;
  OptimiserSettings settings_;
  Precision precision_;
  torch::optim::AdamW optimiser_;
  int64_t steps_ = 0;
  bool gradients_checked_ = false;
};

/// What a checkpoint holds beside the weights and the optimiser's moments.
struct CheckpointState {
  int64_t step = 0;
  double seconds = 0;     ///< training time spent so far
  std::string identity;   ///< what the run was (model, data, settings): resume refuses another
  std::string rng;        ///< the data sampler's state
  double validation_psnr_before = 0;
};

/// Writes the checkpoint to `path` (the caller makes it atomic: a temporary name): a
/// safetensors file of the weights, buffers and AdamW's moments, every part and the
/// state fingerprinted in its header (src/core/train/checkpoint.cpp).
void save_checkpoint(const std::string& path, Trainer& trainer, const CheckpointState& state);
/// Reads `path` into `trainer` (weights, optimiser) and returns its state. Throws
/// interp::Error for a file that is not a checkpoint, is damaged (naming the part whose
/// checksum fails), or was made for a run whose identity differs from `identity`; the
/// trainer is left as it was then.
CheckpointState load_checkpoint(const std::string& path, Trainer& trainer, const std::string& identity);

}  // namespace interp::train
