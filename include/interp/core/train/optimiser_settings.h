#pragma once
/// How a training run optimises: kept apart from the trainer so that a model family can
/// say how its authors train it from scratch (model_family.h) without the trainer.
namespace interp::train {

struct OptimiserSettings {
  /// The peak rate. The RIFE reference trains from scratch at 3e-4; fine-tuning a
  /// trained model wants far less, or the first steps undo what it knew.
  double learning_rate = 2e-5;
  double floor_share = 0.01;      ///< the rate ends at this share of the peak (reference: 3e-6 / 3e-4)
  double warmup_share = 0.05;     ///< of the run spent warming up (reference: 2000 steps)
  double weight_decay = 1e-3;     ///< RIFE reference's AdamW; 0 is Adam
  double gradient_clip = 1.0;     ///< largest global L2 norm of the gradients; 0: none
};

}  // namespace interp::train
