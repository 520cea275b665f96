#pragma once
/// `interp train` as a job in two steps, as plan_job() and run_planned_job() are for
/// interpolation: plan_training() checks everything that needs no frame — the base
/// model found, the outputs (the model and its checkpoint: never an input, never an
/// earlier run's unless allowed), the placement — so that a bad run is refused before
/// any decoding; run_planned_training() reads the base, decodes the data, trains
/// (run_training) and writes the model file with its card: what it was trained from,
/// on what, with which settings and how well it did on held-out frames.
#include "interp/io/output_file.h"
#include "interp/pipeline/training_run.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace interp::pipeline {

struct TrainingRequest {
  std::vector<std::string> data;  ///< clips, folders of clips, pictures (training_inputs)
  /// The model trained: a name or file, resolved as --model is (ModelOptions::model),
  /// with its variant; from scratch, the name of the model its family initialises.
  ModelOptions model;
  bool from_scratch = false;
  std::string output;      ///< the trained model (.safetensors)
  std::string checkpoint;  ///< "": output + ".checkpoint"
  bool overwrite = false;  ///< -y: the output and an earlier run's checkpoint may be replaced
  int64_t steps = 0;       ///< at least one of steps and minutes
  double minutes = 0;
  std::optional<double> learning_rate;  ///< unset: fine-tuning's default, or the family's from scratch
  std::optional<train::RateSchedule> schedule;  ///< unset: as learning_rate
  int64_t cache_mb = 4096;              ///< memory for decoded frames
  TrainingRunOptions run;               ///< its placement, quality, limits, checkpoint and identity are planned
  TrainingDataOptions data_options;
  std::function<void(const std::string&)> on_info;  ///< what it found and does (the data, the placement)
};

struct PlannedTraining {
  TrainingRequest request;
  std::vector<JobInput> inputs;
  std::string model_path;              ///< "" from scratch
  std::optional<ModelWeights> scratch;  ///< the family's initial weights, from scratch
  /// Every file the run reads (the data, the base model, a resumed checkpoint): what no
  /// other output of the caller's (a progress feed) may be.
  std::vector<std::string> read;
  PlacementChoice placement;
  std::unique_ptr<io::PendingOutput> output;
};

/// Checks and resolves: throws interp::Error naming the problem.
PlannedTraining plan_training(TrainingRequest request);

/// What run_planned_training() made, for the caller's last line.
struct TrainedModel {
  std::string variant;
  int64_t steps = 0;
  double seconds = 0;
  bool validated = false;  ///< frames were held out
  double validation_psnr_before = 0, validation_psnr_after = 0;
};

/// Trains the planned run and puts the model file in place. Throws interp::Error (the
/// checkpoint kept when interrupted: the same request with resume continues).
TrainedModel run_planned_training(PlannedTraining& plan);

}  // namespace interp::pipeline
