/// `interp train --data CLIPS --out MODEL.safetensors`: fine-tunes a model (or goes on
/// training one) on the user's own footage and writes an ordinary interp model file
/// whose header says what it was trained from and how well it did on held-out frames.
/// Ctrl-C or the end of the budget leaves a checkpoint that --resume continues.
#include "commands.h"

#include "interp/base/decimal.h"
#include "interp/base/error.h"
#include "interp/io/output_file.h"
#include "interp/pipeline/training_plan.h"
#include "log.h"
#include "train_progress.h"

#include <filesystem>
#include <memory>
#include <optional>

namespace interp::cli {
namespace {
namespace fs = std::filesystem;

struct TrainSettings {
  pipeline::TrainingRequest request;  ///< the flags (its model, overwrite and cancel from the shared settings)
  std::string progress;               ///< --progress: a feed of the run's state
  std::string schedule;               ///< --schedule: a name of train::kRateSchedules, "" unset
};

int run_train(const SharedSettings& shared, TrainSettings t) {
  pipeline::TrainingRequest& r = t.request;
  r.model = model_options(shared.model);  // a device that cannot run: said before decoding
  r.overwrite = shared.overwrite;
  r.data_options.decode = shared.decode;
  r.data_options.cancel = r.run.cancel = shared.cancel;
  if (!t.schedule.empty()) r.schedule = value_named(train::kRateSchedules, t.schedule);
  r.on_info = [](const std::string& line) { log::info(line); };
  r.run.on_note = [](const std::string& note) { log::warn(note); };
  pipeline::PlannedTraining plan = pipeline::plan_training(std::move(r));
  const auto& planned = plan.request;
  // The progress feed is an output too: apart from the model, its checkpoint and the inputs.
  if (!t.progress.empty() && t.progress != "-") {
    io::check_apart(planned.output, t.progress, "--progress");
    io::check_apart(planned.checkpoint, t.progress, "--progress");
  }
  TrainProgress progress(!shared.quiet, t.progress, shared.overwrite, plan.read);
  plan.request.run.on_progress = [&](const pipeline::TrainingProgress& p) { progress.update(p); };
  try {
    const pipeline::TrainedModel m = pipeline::run_planned_training(plan);
    progress.finish("ok");
    const std::string validation = m.validated ? "validation PSNR " + decimal(m.validation_psnr_before, 2) + " -> " +
                                                     decimal(m.validation_psnr_after, 2) + " dB"
                                               : "no validation";
    log::info(planned.output + ": " + m.variant + " trained " + std::to_string(m.steps) + " steps in " +
              decimal(m.seconds / 60, 1) + " min; " + validation + " (checkpoint " + planned.checkpoint + ")");
  } catch (const std::exception& e) {
    const bool cancelled = shared.cancel && shared.cancel->load();
    progress.finish(cancelled ? "interrupted" : "failed", first_line(e.what()));
    throw;
  }
  return 0;
}

}  // namespace

void add_train_command(CLI::App& root, SharedSettings& shared, Run& run) {
  const auto settings = std::make_shared<TrainSettings>();
  TrainSettings& t = *settings;
  pipeline::TrainingRequest& r = t.request;
  auto* train = root.add_subcommand("train", "fine-tune a model on your own footage");
  train->add_option("--data", r.data, "a clip, a folder of clips, or pictures (a folder, frames/%06d.png); repeatable")
      ->required();
  train->add_option("--out", r.output, "the trained model (.safetensors), usable as --model")
      ->required()
      ->group(kOutputGroup);
  train->add_option("--steps", r.steps, "optimiser steps to take")->check(within(int64_t{1}, int64_t{1} << 40));
  train->add_option("--minutes", r.minutes, "training time (with --steps: whichever ends first)")
      ->check(within(0.01, 1e6));
  train->add_option("--crop", r.run.crop, "square crop side in pixels (made a multiple of the model's)")
      ->capture_default_str()->check(within(64, 4096));
  train->add_option("--batch", r.run.batch, "samples per step")->capture_default_str()->check(within(1, 1024));
  train->add_option("--lr", r.learning_rate,
                    "learning rate (the peak with --schedule cosine); default 2e-05, from scratch the authors' "
                    "(ConvLSTM: a constant 1e-4, Adam)")
      ->check(within(1e-9, 1.0));
  train->add_option("--schedule", t.schedule,
                    "the learning rate's course: constant (the default: the rate all along), or cosine (the RIFE "
                    "authors': a warm-up over 5% of the run, then a cosine down to 1% of --lr)")
      ->check(CLI::IsMember(names_in(train::kRateSchedules)));
  train->add_flag("--from-scratch", r.from_scratch,
                  "start from the model's own random initialisation (seeded by --seed) instead of its file; "
                  "families without published weights (convlstm)");
  train->add_option("--validation", r.data_options.validation_share,
                    "share of every clip's end held out for validation, never trained on")
      ->capture_default_str()->check(within(0.0, 0.9));
  train->add_option("--max-span", r.data_options.max_span,
                    "windows of 2..N frame intervals: in-betweens of pairs up to N frames apart")
      ->capture_default_str()->check(within(2, 16));
  train->add_option("--seed", r.run.seed, "seed of crops, augmentations and order")
      ->capture_default_str()
      ->check(within(uint64_t{0}, uint64_t{1} << 63));
  train->add_option("--cache-mb", r.cache_mb, "memory for decoded frames, MiB")->capture_default_str()
      ->check(within(int64_t{16}, int64_t{1} << 30));
  train->add_flag("--resume", r.run.resume, "continue the run stopped before, from its checkpoint");
  train->add_option("--checkpoint", r.checkpoint, "where checkpoints go (default: OUT.checkpoint)")->group(kOutputGroup);
  train->add_option("--progress", t.progress,
                    "machine-readable progress to FILE or -: key=value blocks (step, total_steps, loss, lr, "
                    "samples_per_s, val_psnr, elapsed, eta; then status=ok|failed|interrupted)")
      ->group(kOutputGroup);
  add_model_choice_options(*train, shared.model);
  add_precision_option(*train, shared.model);
  train->add_option("--quality", shared.model.quality,
                    "the mode to train for: its networks train (default: every network the file holds; RIFE v3.9: "
                    "refine)")
      ->check(CLI::IsMember(quality_names()));
  add_skip_options(*train, r.data_options.skip);
  add_decode_options(*train, shared.decode);
  add_overwrite_options(*train, shared.overwrite);
  train->callback([&shared, &run, settings] { run = [&shared, settings] { return run_train(shared, *settings); }; });
}

}  // namespace interp::cli
