#pragma once
/// Turns a user's --model (a name like "rife-v4.6" or a weight file) into a ready
/// FrameInterpolator, and converts official weight files into the project's format.
/// What differs between families is asked of the family table (model_family.h).
#include "interp/core/model_family.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace interp {

/// Folders searched for model names, in order: options.models_dir, $INTERP_MODELS_DIR,
/// the models/ folder beside the executable's build tree and the source tree's models/.
std::vector<std::string> model_search_dirs(const std::string& models_dir);

/// The weight file options.model names: a path as given, "rife" (the preferred installed
/// RIFE model), or a model name looked up in model_search_dirs(). Throws interp::Error
/// naming what is missing.
std::string resolve_model_path(const ModelOptions& options);

/// Throws interp::Error with a one-line reason (unknown name, missing file, wrong kind
/// of file, weights that do not fit the architecture).
std::unique_ptr<FrameInterpolator> load_model(const ModelOptions& options);

/// The model from weights already in memory (trained by `--adapt`); options.model and
/// .variant are not used, `name` is what a refusal calls the weights.
std::unique_ptr<FrameInterpolator> load_model(const ModelWeights& weights, const ModelOptions& options,
                                              const std::string& name);

/// Reads any supported weight file (.safetensors, torch.save .pkl/.pth/.pt, FILM
/// TorchScript .pt, all read as data) and recognises its architecture; `variant`
/// overrides detection. Refuses non-floating and non-finite tensors.
ModelWeights read_model_weights(const std::string& path, const std::string& variant = "");

/// Whether the weights hold a refinement net (RIFE v3.9's: the refine and best modes).
bool holds_refinement(const ModelWeights& weights);

/// The mode a model runs unless asked: `refine` where the weights hold the refinement
/// net (measured: the one mode above ffmpeg's mci on every clip tried, README "Quality
/// modes"), else the family's first (fast).
Quality default_quality(const ModelWeights& weights);

/// The weights' model built for training (model_family.h, TrainableModel), fp32 on
/// `device`, as it runs in `quality` (default: default_quality(), which runs every
/// network the file holds; those then all train).
std::unique_ptr<TrainableModel> build_trainable(const ModelWeights& weights, torch::Device device = torch::kCPU,
                                                std::optional<Quality> quality = std::nullopt);

/// Weights of the model `name` as its family's code initialises them under `seed`, to
/// train from scratch. Throws interp::Error for a name that is no model, or a family
/// that is only fine-tuned from published weights.
ModelWeights initial_model_weights(const std::string& name, uint64_t seed);

/// Builds the model from `weights` and runs one small frame pair through it (CPU,
/// fp32); throws interp::Error naming `path` unless a finite frame of the right size
/// comes out. `interp convert` calls it so that a file that cannot run never lands in
/// models/, where it would become a default.
void check_model_runs(const ModelWeights& weights, const std::string& path);

/// Writes `weights` as the project's .safetensors with its metadata.
void write_model_file(const std::string& path, const ModelWeights& weights, const std::string& source);

}  // namespace interp
