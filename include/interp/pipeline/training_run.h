#pragma once
/// The training loop `interp train` and `--adapt` share: samples from the user's
/// footage (training_data.h, training_samples.h) through train::Trainer until a step
/// count or a time budget is reached or the user stops it, validated on the held-out
/// windows before, now and then, and after. A checkpoint (weights, optimiser moments,
/// step, time, the sampler's state) is written now and then, when the budget ends and
/// when the run is stopped, always atomically; a resumed run continues from its step
/// exactly as if it had not stopped. The checkpoint replaces only a file this run owns
/// (io/repeated_output.h): one that appears meanwhile is kept and the run stops.
#include "interp/core/model_family.h"
#include "interp/core/train/trainer.h"
#include "interp/pipeline/training_data.h"

#include <atomic>
#include <functional>
#include <optional>
#include <string>

namespace interp::pipeline {

struct TrainingProgress {
  int64_t step = 0;
  int64_t total_steps = 0;   ///< 0 when the run is limited by time only
  double loss = 0;           ///< of the last step
  double learning_rate = 0;
  double samples_per_second = 0;
  double validation_psnr = 0;  ///< the latest (0: none yet)
  double seconds = 0;          ///< of training, over every resumed part
  double eta_seconds = -1;     ///< -1: unknown
};

struct TrainingRunOptions {
  int64_t steps = 0;        ///< stop after this many steps (0: no step limit)
  double seconds = 0;       ///< or this much training time (0: no time limit); at least one is set
  int64_t crop = 256;       ///< square crops, made a multiple of the model's alignment
  int64_t batch = 4;        ///< twice the steps of 8 in the same minutes, and as much gained
  uint64_t seed = 1;
  train::OptimiserSettings optimiser;
  /// Validation runs spread over the run, besides before and after. Each is time a
  /// timed run does not train (16 held-out pairs at up to 512x512: 7.5 s on a 2-core
  /// CPU; four took 13% of a 4-minute run), so a timed run spends at most
  /// max_validation_share of its time on them and runs fewer, as many as the first one
  /// timed says fit.
  int validations = 4;
  double max_validation_share = 0.05;
  /// Validate at all (before, during, after)? --adapt judges its weights on its own.
  bool validate = true;
  /// Where it trains and in what, as requested: place_training() resolves it.
  Placement placement;
  /// The mode trained for: its networks train, the file's others are kept as they are
  /// (default: every network the file holds).
  std::optional<Quality> quality;
  /// Where checkpoints go ("" none), and whether to continue from the one there.
  std::string checkpoint;
  bool resume = false;
  /// An earlier run's checkpoint there may be replaced (the user's -y); resume implies it.
  bool replace_checkpoint = false;
  double checkpoint_interval_seconds = 600;
  std::vector<std::string> inputs;  ///< files read: a checkpoint is never one of them
  std::string identity;             ///< what the run is (base model, data, settings): resume checks it
  const std::atomic<bool>* cancel = nullptr;
  std::function<void(const TrainingProgress&)> on_progress;
  /// What the run adjusted of what it was asked (a crop larger than the frames), once.
  std::function<void(const std::string&)> on_note;
};

struct TrainingResult {
  ModelWeights weights;  ///< the base's tensors, those trained replaced
  int64_t steps = 0;
  double seconds = 0;
  double validation_psnr_before = 0, validation_psnr_after = 0;  ///< 0: no validation
  bool interrupted = false;  ///< stopped by the user (a checkpoint was written if asked)
  int64_t crop = 0;          ///< the crop side used
};

/// How many validations during the run `options` asks for fit it when one takes
/// `validation_seconds` (0 or less: not yet timed, all asked).
int validations_that_fit(const TrainingRunOptions& options, double validation_seconds);

/// place()'s rule for training: auto takes bf16 only where it was measured to follow
/// fp32's gradients (train::why_not_train_in_bf16), and fp16 is refused (it does not
/// train). Throws interp::Error.
PlacementChoice place_training(const Placement& requested);

/// Trains `base` (read with read_model_weights) on `data`, placed by place_training. Throws interp::Error for
/// options that cannot work, a checkpoint of another run, a diverging loss.
TrainingResult run_training(const ModelWeights& base, const TrainingData& data, const TrainingRunOptions& options);

}  // namespace interp::pipeline
