/// --adapt (adapt.h): interp train's loop on the input alone, in memory.
#include "adapt.h"

#include "interp/base/error.h"
#include "interp/core/model_loader.h"
#include "interp/pipeline/held_out_check.h"
#include "interp/pipeline/training_run.h"
#include "log.h"

#include <cstdio>

namespace interp::cli {

std::optional<ModelWeights> adapt_to_input(const SharedSettings& shared, const ModelOptions& where,
                                           const pipeline::JobInput& input, double minutes,
                                           const pipeline::SkipThresholds& skip) {
  const std::string path = resolve_model_path(shared.model.model);
  const ModelWeights base = read_model_weights(path, shared.model.model.variant);
  pipeline::TrainingDataOptions data_options;
  data_options.decode = shared.decode;
  data_options.skip = skip;
  // The guard asks whether the adapted weights are better on the whole clip they will
  // interpolate, not on its end alone: the held-out frames are spread over it.
  data_options.held_out = pipeline::HeldOut::kSpread;
  // A fifth of the clip, not train's tenth: the verdict needs pairs more than a minute's
  // training needs the frames (a 125-frame clip holds out 8 pairs, not 3).
  data_options.validation_share = 0.2;
  data_options.cancel = shared.cancel;
  std::optional<pipeline::TrainingData> data;
  try {
    data.emplace(std::vector<pipeline::JobInput>{input}, data_options, [](const std::string& note) { log::info(note); });
  } catch (const Error& e) {
    throw Error(std::string("--adapt: ") + e.what());
  }
  pipeline::TrainingRunOptions run;
  run.seconds = minutes * 60;
  run.placement = {where.placement.device, torch::kFloat32, Precision::kFp32};  // fp32 unless asked: train's default
  run.quality = where.quality;  // the networks that will run
  run.cancel = shared.cancel;
  run.validate = false;  // the held-out check below is the verdict; validating too would spend the minutes
  char line[256];
  std::snprintf(line, sizeof(line), "adapting %s to %s for %.3g min (%s)", base.variant.c_str(), input.name.c_str(),
                minutes, data->summary().c_str());
  log::info(line);
  auto result = pipeline::run_training(base, *data, run);
  if (result.interrupted) throw Error("interrupted");
  const std::string steps = "adapted in " + std::to_string(result.steps) + " steps";
  if (data->held_out_windows().empty()) {
    log::info(steps + ", but no pair could be held out to tell whether it helps: the original weights run");
    return std::nullopt;
  }
  // Both weights as the job would run them, on the same held-out pairs.
  const auto errors = [&](const ModelWeights& weights, const std::string& name) {
    return pipeline::held_out_errors(*load_model(weights, where, name), *data, shared.cancel);
  };
  const auto verdict = pipeline::compare_held_out(errors(base, path), errors(result.weights, "the adapted weights"));
  if (!verdict.better) {
    log::info(steps + ": " + verdict.summary() + ": not surely better, the original weights run");
    return std::nullopt;
  }
  log::info(steps + ": " + verdict.summary());
  return std::move(result.weights);
}

}  // namespace interp::cli
