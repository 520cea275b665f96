#pragma once
/// How a training run optimises: kept apart from the trainer so that a model family can
/// say how its authors train it from scratch (model_family.h) without the trainer.
#include "interp/base/name_table.h"

namespace interp::train {

/// The learning rate's course over a run. Fine-tuning for minutes wants the peak rate
/// all along (a warm-up and a cosine spend much of a short run at a fraction of it);
/// the RIFE authors' warm-up and cosine suit runs of many epochs.
enum class RateSchedule { kConstant, kWarmupCosine };
inline constexpr NamedValue<RateSchedule> kRateSchedules[] = {{RateSchedule::kConstant, "constant"},
                                                              {RateSchedule::kWarmupCosine, "cosine"}};

struct OptimiserSettings {
  /// The rate (a cosine's peak). The RIFE reference trains from scratch at 3e-4;
  /// fine-tuning a trained model wants far less, or the first steps undo what it knew
  /// (5x more, 1e-4, lost up to 0.46 dB in a 4-minute run; README).
  double learning_rate = 2e-5;
  RateSchedule schedule = RateSchedule::kConstant;
  double floor_share = 0.01;      ///< cosine: the rate ends at this share of the peak (reference: 3e-6 / 3e-4)
  double warmup_share = 0.05;     ///< cosine: the share of the run spent warming up (reference: 2000 steps)
  double weight_decay = 1e-3;     ///< RIFE reference's AdamW; 0 is Adam
  double gradient_clip = 1.0;     ///< largest global L2 norm of the gradients; 0: none
};

}  // namespace interp::train
