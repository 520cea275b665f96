/// interp train's plan and run (training_plan.h).
#include "interp/pipeline/training_plan.h"

#include "interp/base/decimal.h"
#include "interp/base/error.h"
#include "interp/base/fingerprint.h"
#include "interp/core/model_loader.h"

#include <nlohmann/json.hpp>

#include <filesystem>

namespace interp::pipeline {
namespace {
namespace fs = std::filesystem;

/// Every setting that changes what a run learns (not its limits, which a resumed run may
/// extend): what a resumed checkpoint must match, and the model card's record of how
/// the model was trained.
nlohmann::json settings_of(const TrainingRequest& r) {
  return {
      {"quality", r.run.quality ? quality_name(*r.run.quality) : "every network"},
      {"crop", r.run.crop},
      {"batch", r.run.batch},
      {"learning_rate", r.run.optimiser.learning_rate},
      {"schedule", name_in(train::kRateSchedules, r.run.optimiser.schedule)},
      {"seed", r.run.seed},
      {"max_span", r.data_options.max_span},
      {"validation_share", r.data_options.validation_share},
      {"scene_threshold", r.data_options.skip.scene},
      {"still_threshold", r.data_options.skip.still},
      {"cache_mb", r.cache_mb},
  };
}

/// What makes two runs the same run, serialised: the base weights, the data, the settings.
std::string identity_of(const std::string& base, const TrainingRequest& r) {
  return nlohmann::json{{"base", base}, {"data", r.data}, {"settings", settings_of(r)}}.dump();
}

}  // namespace

PlannedTraining plan_training(TrainingRequest r) {
  if (fs::path(r.output).extension() != ".safetensors") throw Error(r.output + ": the output must end in .safetensors");
  if (r.steps <= 0 && r.minutes <= 0) throw Error("say how long to train: --steps N or --minutes M");
  PlannedTraining plan;
  if (r.from_scratch) plan.scratch = initial_model_weights(r.model.model, r.run.seed);
  plan.model_path = plan.scratch ? "" : resolve_model_path(r.model);
  if (plan.scratch) r.run.optimiser = family_named(plan.scratch->arch)->scratch_optimiser();
  if (r.learning_rate) r.run.optimiser.learning_rate = *r.learning_rate;
  if (r.schedule) r.run.optimiser.schedule = *r.schedule;
  for (const auto& d : r.data)
    for (auto& input : training_inputs(d)) plan.inputs.push_back(std::move(input));
  std::vector<std::string> read;
  if (!plan.model_path.empty()) read.push_back(plan.model_path);
  for (const auto& input : plan.inputs)
    for (const auto& path : input.paths()) read.push_back(path);

  // Every output checked before any work: the model and the checkpoint. The checkpoint
  // a run resumes is read too: an input to every other output.
  if (r.checkpoint.empty()) r.checkpoint = r.output + ".checkpoint";
  io::check_apart(r.output, r.checkpoint, "--checkpoint");
  // What the checkpoint's name is (an input, a device) is said before what lies there.
  io::PendingOutput::check(r.checkpoint, io::PendingOutput::Kind::File, true, read);
  if (r.run.resume && !fs::is_regular_file(r.checkpoint))
    throw Error(r.checkpoint + ": no checkpoint to resume (--resume continues a run stopped before)");
  if (!r.run.resume && fs::exists(r.checkpoint) && !r.overwrite)
    throw Error(r.checkpoint + ": a checkpoint of an earlier run is there; --resume continues it, -y starts over");
  plan.read = read;
  if (r.run.resume) plan.read.push_back(r.checkpoint);
  plan.output = std::make_unique<io::PendingOutput>(r.output, io::PendingOutput::Kind::File, r.overwrite, plan.read);

  plan.placement = place_training(r.model.placement);
  r.run.placement = r.model.placement;
  if (r.model.quality) r.run.quality = r.model.quality;
  r.run.steps = r.steps;
  r.run.seconds = r.minutes * 60;
  r.run.checkpoint = r.checkpoint;
  r.run.replace_checkpoint = r.overwrite;
  r.run.inputs = read;
  r.data_options.cache_bytes = r.cache_mb << 20;
  plan.request = std::move(r);
  return plan;
}

TrainedModel run_planned_training(PlannedTraining& plan) {
  TrainingRequest& r = plan.request;
  const auto info = [&](const std::string& line) {
    if (r.on_info) r.on_info(line);
  };
  const ModelWeights base = plan.scratch ? *plan.scratch : read_model_weights(plan.model_path, r.model.variant);
  const TrainingData data(plan.inputs, r.data_options, info);
  info("data: " + data.summary());
  const std::string base_name =
      plan.scratch ? base.variant + " from scratch (" + family_named(base.arch)->title() + "'s own initialisation, seed " +
                         std::to_string(r.run.seed) + ")"
                   : fs::path(plan.model_path).filename().string() + " (" + base.variant + ", sha256 " +
                         hash_file(plan.model_path) + ")";
  r.run.identity = identity_of(base_name, r);
  const Placement& where = plan.placement.placement;
  info("training " + base.variant + " on " + where.device.str() + " in " + precision_name(where.precision) + " (" +
       plan.placement.why + ")" + (r.run.resume ? ", resuming " + r.checkpoint : ""));
  auto result = run_training(base, data, r.run);
  if (result.interrupted)
    throw Error("interrupted at step " + std::to_string(result.steps) + "; " + r.checkpoint +
                " holds it: the same command with --resume continues");

  // The model card: what it was trained from, on what, how, and how well.
  auto& meta = result.weights.metadata;
  meta["interp.train.base"] = base_name;
  std::string names;
  for (const auto& input : plan.inputs) names += (names.empty() ? "" : ", ") + fs::path(input.name).filename().string();
  meta["interp.train.data"] = names + " (" + data.summary() + ")";
  meta["interp.train.steps"] = std::to_string(result.steps);
  meta["interp.train.seconds"] = decimal(result.seconds, 1);
  meta["interp.train.device"] = where.device.str();
  meta["interp.train.precision"] = precision_name(where.precision);
  auto settings = settings_of(r);
  settings["crop"] = result.crop;  // the side used: the asked one fitted to the frames
  meta["interp.train.settings"] = settings.dump();
  const bool validated = !data.validation_windows().empty();
  if (validated) {
    meta["interp.train.validation_psnr_before"] = decimal(result.validation_psnr_before, 3);
    meta["interp.train.validation_psnr_after"] = decimal(result.validation_psnr_after, 3);
  } else {
    meta["interp.train.validation"] = "none (--validation 0 or too few frames)";
  }
  write_model_file(plan.output->temp_path(), result.weights, "interp train from " + base_name);
  plan.output->commit();
  return {base.variant, result.steps, result.seconds, validated, result.validation_psnr_before,
          result.validation_psnr_after};
}

}  // namespace interp::pipeline
