/// --adapt (adapt.h): interp train's loop on the input alone, in memory.
#include "adapt.h"

#include "interp/base/error.h"
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
  char line[256];
  std::snprintf(line, sizeof(line), "adapting %s to %s for %.3g min (%s)", base.variant.c_str(), input.name.c_str(),
                minutes, data->summary().c_str());
  log::info(line);
  auto result = pipeline::run_training(base, *data, run);
  if (result.interrupted) throw Error("interrupted");
  if (data->validation_windows().empty()) {
    log::info("adapted in " + std::to_string(result.steps) + " steps (too short to hold frames out: not checked)");
    return std::move(result.weights);
  }
  std::snprintf(line, sizeof(line), "adapted in %lld steps: held-out PSNR %.2f -> %.2f dB",
                static_cast<long long>(result.steps), result.validation_psnr_before, result.validation_psnr_after);
  if (result.validation_psnr_after <= result.validation_psnr_before) {
    log::info(std::string(line) + ": not better, the original weights run");
    return std::nullopt;
  }
  log::info(line);
  return std::move(result.weights);
}

}  // namespace interp::cli
