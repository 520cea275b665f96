/// The training loop (training_run.h). Progress is measured as the larger of the step
/// share and the time share of the run, so the learning-rate schedule fits either kind
/// of limit; a resumed run carries its earlier time and steps on.
#include "interp/pipeline/training_run.h"

#include "interp/base/error.h"
#include "interp/core/model_loader.h"
#include "interp/core/train/laplacian_loss.h"
#include "interp/io/repeated_output.h"
#include "interp/pipeline/training_samples.h"

#include <torch/torch.h>

#include <chrono>
#include <numeric>
#include <optional>

namespace interp::pipeline {
namespace {
using Clock = std::chrono::steady_clock;

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void write_checkpoint(std::optional<io::RepeatedOutput>& file, train::Trainer& trainer,
                      const train::CheckpointState& state) {
  if (file) file->write([&](const std::string& temp) { train::save_checkpoint(temp, trainer, state); });
}

/// `base` with what `module` trained in place of its tensors of the same names.
weights::StateDict trained_tensors(const weights::StateDict& base, torch::nn::Module& module) {
  weights::StateDict tensors = base;
  for (const auto& p : module.named_parameters()) tensors[p.key()] = p.value().detach().to(torch::kCPU).clone();
  for (const auto& b : module.named_buffers())
    if (!weights::is_step_counter(b.key())) tensors[b.key()] = b.value().detach().to(torch::kCPU).clone();
  return tensors;
}

}  // namespace

int validations_that_fit(const TrainingRunOptions& options, double validation_seconds) {
  const int asked = options.validate ? std::max(options.validations, 0) : 0;
  if (options.seconds <= 0 || validation_seconds <= 0) return asked;
  return std::min(asked, static_cast<int>(options.max_validation_share * options.seconds / validation_seconds));
}

PlacementChoice place_training(const Placement& requested) {
  const PlacementChoice placed = place(requested, {train::why_not_train_in_bf16(), "fp16 does not train"}, cpu_capabilities());
  if (placed.placement.precision == Precision::kFp16) throw Error("fp16 does not train (fp32 or bf16 do)");
  return placed;
}

TrainingResult run_training(const ModelWeights& base, const TrainingData& data, const TrainingRunOptions& options) {
  if (options.steps <= 0 && options.seconds <= 0) throw Error("training needs a number of steps or a time budget");
  if (options.batch < 1) throw Error("the training batch must hold at least one sample");
  if (options.resume && options.checkpoint.empty()) throw Error("nothing to resume from: no checkpoint named");
  const Placement placement = place_training(options.placement).placement;
  if (placement.device.is_cuda()) apply_cuda_math(placement.precision);  // the run owns the device's math
  auto model = build_trainable(base, placement.device, options.quality);
  // Crops are multiples of the model's alignment and of what the Laplacian pyramid halves.
  const int64_t pyramid = int64_t{1} << train::kLaplacianLevels;
  SampleDrawer drawer(data, options.crop, std::lcm(model->alignment(options.crop), pyramid),
                      model->traits(), options.seed);
  const auto validation = options.validate ? validation_samples(data, model->alignment(kValidationCropLimit),
                                                                  placement.device, model->traits())
                                           : std::vector<train::TrainingBatch>{};
  train::Trainer trainer(*model, options.optimiser, placement.precision);
  if (options.crop > data.smallest_side() && options.on_note)
    options.on_note("crops of " + std::to_string(drawer.crop()) + " pixels, not " + std::to_string(options.crop) +
                    ": the smallest frames are " + std::to_string(data.smallest_side()) + " pixels on a side");
  // The checkpoint replaces only what this run owns: the one it resumes (or the user's
  // -y allowed), then each version it wrote itself.
  std::optional<io::RepeatedOutput> checkpoint_file;
  if (!options.checkpoint.empty())
    checkpoint_file.emplace(options.checkpoint, options.resume || options.replace_checkpoint, options.inputs);

  train::CheckpointState state;
  state.identity = options.identity;
  if (options.resume) {
    state = train::load_checkpoint(options.checkpoint, trainer, options.identity);
    try {
      drawer.restore(state.rng);
    } catch (const Error& e) {
      throw Error(options.checkpoint + ": " + e.what());
    }
  }
  // How many validations fit the run, decided once from the first one timed (the one
  // before, or a resumed run's first) so that they stay evenly spread.
  std::optional<int> fitting;
  const auto timed_validation = [&] {
    const auto began = Clock::now();
    const double psnr = validation_psnr(trainer, validation);
    if (!fitting) fitting = validations_that_fit(options, since(began));
    return psnr;
  };
  if (!options.resume) state.validation_psnr_before = timed_validation();
  TrainingProgress progress;
  progress.total_steps = options.steps;
  progress.validation_psnr = state.validation_psnr_before;
  progress.step = state.step;
  progress.seconds = state.seconds;

  const auto share = [&](int64_t step, double seconds) {
    return std::max(options.steps > 0 ? static_cast<double>(step) / options.steps : 0.0,
                    options.seconds > 0 ? seconds / options.seconds : 0.0);
  };
  const auto validations = [&] {  // spread at the run's k/(n+1) marks
    return validation.empty() ? 0 : fitting.value_or(validations_that_fit(options, 0));
  };
  int validated = static_cast<int>(share(state.step, state.seconds) * (validations() + 1));
  const auto start = Clock::now();
  auto last_checkpoint = start;
  double validating = 0;  // seconds of this part spent on validation, not on samples
  const int64_t first_step = state.step;
  const double earlier_seconds = state.seconds;  // of the parts before a resume
  bool interrupted = false;
  for (;;) {
    const double seconds = earlier_seconds + since(start);
    if ((options.steps > 0 && progress.step >= options.steps) || (options.seconds > 0 && seconds >= options.seconds))
      break;
    if (options.cancel && options.cancel->load()) {
      interrupted = true;
      break;
    }
    // The rate of the step about to be taken (the reference's first step has rate 0).
    progress.learning_rate = train::learning_rate_at(options.optimiser, share(progress.step + 1, seconds));
    const auto batch = drawer.draw(options.batch, placement.device);
    progress.loss = trainer.step(batch, progress.learning_rate).loss;
    progress.step = trainer.steps_taken();
    progress.seconds = earlier_seconds + since(start);
    const double part = since(start) - validating;
    progress.samples_per_second = part > 0 ? (progress.step - first_step) * options.batch / part : 0;
    const double done = share(progress.step, progress.seconds);
    progress.eta_seconds = done > 0 ? progress.seconds * (1 - done) / done : -1;
    if (static_cast<int>(done * (validations() + 1)) > validated && done < 1) {
      validated = static_cast<int>(done * (validations() + 1));
      const auto began = Clock::now();
      progress.validation_psnr = timed_validation();
      validating += since(began);
    }
    if (!options.checkpoint.empty() && since(last_checkpoint) >= options.checkpoint_interval_seconds) {
      state.step = progress.step;
      state.seconds = progress.seconds;
      state.rng = drawer.state();
      write_checkpoint(checkpoint_file, trainer, state);
      last_checkpoint = Clock::now();
    }
    if (options.on_progress) options.on_progress(progress);
  }
  state.step = trainer.steps_taken();
  state.seconds = earlier_seconds + since(start);
  state.rng = drawer.state();
  write_checkpoint(checkpoint_file, trainer, state);

  TrainingResult result;
  result.steps = state.step;
  result.seconds = state.seconds;
  result.interrupted = interrupted;
  result.crop = drawer.crop();
  result.validation_psnr_before = state.validation_psnr_before;
  if (!interrupted) {
    result.validation_psnr_after = validation_psnr(trainer, validation);
    progress.validation_psnr = result.validation_psnr_after;
    progress.eta_seconds = 0;
    if (options.on_progress) options.on_progress(progress);
  }
  result.weights = {base.arch, base.variant, trained_tensors(base.tensors, model->module()), base.metadata};
  return result;
}

}  // namespace interp::pipeline
