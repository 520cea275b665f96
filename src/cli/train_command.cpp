/// `interp train --data CLIPS --out MODEL.safetensors`: fine-tunes a model (or goes on
/// training one) on the user's own footage and writes an ordinary interp model file
/// whose header says what it was trained from and how well it did on held-out frames.
/// Ctrl-C or the end of the budget leaves a checkpoint that --resume continues.
#include "commands.h"

#include "interp/base/error.h"
#include "interp/base/fingerprint.h"
#include "interp/io/output_file.h"
#include "interp/pipeline/training_run.h"
#include "log.h"
#include "train_progress.h"

#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>

namespace interp::cli {
namespace {
namespace fs = std::filesystem;

struct TrainSettings {
  std::vector<std::string> data;
  std::string output, checkpoint, progress;
  double minutes = 0;
  int64_t steps = 0;
  bool from_scratch = false;
  std::optional<double> learning_rate;  ///< unset: fine-tuning's default, or the family's from scratch
  pipeline::TrainingRunOptions run;
  pipeline::TrainingDataOptions data_options;
  int64_t cache_mb = 4096;
};

std::string fixed(double value, int digits) {
  std::ostringstream text;
  text.precision(digits);
  text << std::fixed << value;
  return text.str();
}

/// What makes two runs the same run: the base weights, the data and every setting
/// that changes what is learned (not the limits, which a resumed run may extend).
std::string run_identity(const std::string& base, const TrainSettings& t) {
  std::ostringstream text;
  text << base << " on";
  for (const auto& d : t.data) text << " " << d;
  text << " crop " << t.run.crop << " batch " << t.run.batch << " lr " << t.run.optimiser.learning_rate << " seed "
       << t.run.seed << " span " << t.data_options.max_span << " validation " << t.data_options.validation_share
       << " cuts " << t.data_options.skip.scene << " still " << t.data_options.skip.still << " cache " << t.cache_mb;
  return text.str();
}

int run_train(const SharedSettings& shared, TrainSettings t) {
  if (fs::path(t.output).extension() != ".safetensors") throw Error(t.output + ": the output must end in .safetensors");
  if (t.steps <= 0 && t.minutes <= 0) throw Error("say how long to train: --steps N or --minutes M");
  const std::optional<ModelWeights> scratch =
      t.from_scratch ? std::optional<ModelWeights>(initial_model_weights(shared.model.model.model, t.run.seed)) : std::nullopt;
  const std::string model_path = scratch ? "" : resolve_model_path(shared.model.model);
  const train::OptimiserSettings defaults = scratch ? family_named(scratch->arch)->scratch_optimiser() : t.run.optimiser;
  t.run.optimiser = defaults;
  if (t.learning_rate) t.run.optimiser.learning_rate = *t.learning_rate;
  std::vector<pipeline::JobInput> inputs;
  for (const auto& d : t.data)
    for (auto& input : pipeline::training_inputs(d)) inputs.push_back(std::move(input));
  std::vector<std::string> read;
  if (!model_path.empty()) read.push_back(model_path);
  for (const auto& input : inputs)
    for (const auto& path : input.paths()) read.push_back(path);

  // Every output checked before any work: the model, the checkpoint, the feed. The
  // checkpoint a run resumes is read too: an input to every other output.
  if (t.checkpoint.empty()) t.checkpoint = t.output + ".checkpoint";
  io::check_apart(t.output, t.checkpoint, "--checkpoint");
  if (t.run.resume && !fs::is_regular_file(t.checkpoint))
    throw Error(t.checkpoint + ": no checkpoint to resume (--resume continues a run stopped before)");
  if (!t.run.resume && fs::exists(t.checkpoint) && !shared.overwrite)
    throw Error(t.checkpoint + ": a checkpoint of an earlier run is there; --resume continues it, -y starts over");
  io::PendingOutput::check(t.checkpoint, io::PendingOutput::Kind::File, true, read);
  std::vector<std::string> read_all = read;
  if (t.run.resume) read_all.push_back(t.checkpoint);
  io::PendingOutput output(t.output, io::PendingOutput::Kind::File, shared.overwrite, read_all);
  if (t.progress == "-") io::check_standard_output(read_all);
  if (!t.progress.empty() && t.progress != "-") {
    io::check_apart(t.output, t.progress, "--progress");
    io::check_apart(t.checkpoint, t.progress, "--progress");
  }
  const ModelOptions where = model_options(shared.model);  // a device that cannot run: said before decoding
  TrainProgress progress(!shared.quiet, t.progress, shared.overwrite, read_all);
  try {
    const ModelWeights base = scratch ? *scratch : read_model_weights(model_path, shared.model.model.variant);
    t.data_options.decode = shared.decode;
    t.data_options.cancel = shared.cancel;
    t.data_options.cache_bytes = t.cache_mb << 20;
    const pipeline::TrainingData data(inputs, t.data_options, [](const std::string& note) { log::info(note); });
    log::info("data: " + data.summary());
    t.run.placement = where.placement;
    const PrecisionChoice precision = pipeline::place_training(where.placement).precision();
    if (!shared.model.quality.empty()) t.run.quality = where.quality;
    t.run.steps = t.steps;
    t.run.seconds = t.minutes * 60;
    t.run.checkpoint = t.checkpoint;
    t.run.replace_checkpoint = shared.overwrite;
    t.run.inputs = read;
    t.run.on_note = [](const std::string& note) { log::warn(note); };
    const std::string base_name =
        scratch ? base.variant + " from scratch (" + family_named(base.arch)->title() +
                      "'s own initialisation, seed " + std::to_string(t.run.seed) + ")"
                : fs::path(model_path).filename().string() + " (" + base.variant + ", sha256 " + hash_file(model_path) + ")";
    t.run.identity = run_identity(base_name, t);
    t.run.cancel = shared.cancel;
    t.run.on_progress = [&](const pipeline::TrainingProgress& p) { progress.update(p); };
    log::info("training " + base.variant + " on " + where.placement.device.str() + " in " + precision_name(precision.precision) +
              " (" + precision.why + ")" + (t.run.resume ? ", resuming " + t.checkpoint : ""));
    auto result = pipeline::run_training(base, data, t.run);
    if (result.interrupted)
      throw Error("interrupted at step " + std::to_string(result.steps) + "; " + t.checkpoint +
                  " holds it: the same command with --resume continues");
    auto& meta = result.weights.metadata;
    meta["interp.train.base"] = base_name;
    std::string names;
    for (const auto& input : inputs) names += (names.empty() ? "" : ", ") + fs::path(input.name).filename().string();
    meta["interp.train.data"] = names + " (" + data.summary() + ")";
    meta["interp.train.steps"] = std::to_string(result.steps);
    meta["interp.train.seconds"] = fixed(result.seconds, 1);
    meta["interp.train.device"] = where.placement.device.str();
    meta["interp.train.precision"] = precision_name(precision.precision);
    meta["interp.train.settings"] = "crop " + std::to_string(result.crop) + ", batch " + std::to_string(t.run.batch) +
                                    ", lr " + fixed(t.run.optimiser.learning_rate, 7) + ", seed " + std::to_string(t.run.seed);
    if (!data.validation_windows().empty()) {  // nothing held out: no score to record
      meta["interp.train.validation_psnr_before"] = fixed(result.validation_psnr_before, 3);
      meta["interp.train.validation_psnr_after"] = fixed(result.validation_psnr_after, 3);
    } else {
      meta["interp.train.validation"] = "none (--validation 0 or too few frames)";
    }
    write_model_file(output.temp_path(), result.weights, "interp train from " + meta["interp.train.base"]);
    output.commit();
    progress.finish("ok");
    const std::string validation = data.validation_windows().empty()
                                       ? "no validation"
                                       : "validation PSNR " + fixed(result.validation_psnr_before, 2) + " -> " +
                                             fixed(result.validation_psnr_after, 2) + " dB";
    log::info(t.output + ": " + base.variant + " trained " + std::to_string(result.steps) + " steps in " +
              fixed(result.seconds / 60, 1) + " min; " + validation + " (checkpoint " + t.checkpoint + ")");
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
  auto* train = root.add_subcommand("train", "fine-tune a model on your own footage");
  train->add_option("--data", t.data, "a clip, a folder of clips, or pictures (a folder, frames/%06d.png); repeatable")
      ->required();
  train->add_option("--out", t.output, "the trained model (.safetensors), usable as --model")
      ->required()
      ->group(kOutputGroup);
  train->add_option("--steps", t.steps, "optimiser steps to take")->check(within(int64_t{1}, int64_t{1} << 40));
  train->add_option("--minutes", t.minutes, "training time (with --steps: whichever ends first)")
      ->check(within(0.01, 1e6));
  train->add_option("--crop", t.run.crop, "square crop side in pixels (made a multiple of the model's)")
      ->capture_default_str()->check(within(64, 4096));
  train->add_option("--batch", t.run.batch, "samples per step")->capture_default_str()->check(within(1, 1024));
  train->add_option("--lr", t.learning_rate,
                    "peak learning rate (warm-up, then cosine to 1% of it); default 2e-05, from scratch the "
                    "authors' (ConvLSTM: a constant 1e-4, Adam)")
      ->check(within(1e-9, 1.0));
  train->add_flag("--from-scratch", t.from_scratch,
                  "start from the model's own random initialisation (seeded by --seed) instead of its file; "
                  "families without published weights (convlstm)");
  train->add_option("--validation", t.data_options.validation_share,
                    "share of every clip's end held out for validation, never trained on")
      ->capture_default_str()->check(within(0.0, 0.9));
  train->add_option("--max-span", t.data_options.max_span,
                    "windows of 2..N frame intervals: in-betweens of pairs up to N frames apart")
      ->capture_default_str()->check(within(2, 16));
  train->add_option("--seed", t.run.seed, "seed of crops, augmentations and order")
      ->capture_default_str()
      ->check(within(uint64_t{0}, uint64_t{1} << 63));
  train->add_option("--cache-mb", t.cache_mb, "memory for decoded frames, MiB")->capture_default_str()
      ->check(within(int64_t{16}, int64_t{1} << 30));
  train->add_flag("--resume", t.run.resume, "continue the run stopped before, from its checkpoint");
  train->add_option("--checkpoint", t.checkpoint, "where checkpoints go (default: OUT.checkpoint)")->group(kOutputGroup);
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
  add_skip_options(*train, t.data_options.skip);
  add_decode_options(*train, shared.decode);
  add_overwrite_options(*train, shared.overwrite);
  train->callback([&shared, &run, settings] { run = [&shared, settings] { return run_train(shared, *settings); }; });
}

}  // namespace interp::cli
