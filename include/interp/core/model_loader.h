#pragma once
/// Turns a user's --model (a name like "rife-v4.6" or a weight file) into a ready
/// FrameInterpolator, and converts official weight files into the project's format.
#include "interp/core/frame_interpolator.h"
#include "interp/core/quality.h"
#include "interp/core/weights/state_dict.h"

#include <memory>
#include <string>
#include <vector>

namespace interp {

/// The default --model: the first installed of kDefaultRifePreference.
inline constexpr const char* kDefaultRifeModel = "rife";
/// `--model rife` takes the first of these that is installed: the v4 models (trained for
/// any timestep) before v3.9, the one scripts/fetch_models.sh installs. A preference
/// order, not the order of release (v4.26 is newer than v4.6).
inline constexpr const char* kDefaultRifePreference[] = {"rife-v4.6", "rife-v4.26", "rife-v4.25", "rife-v3.9"};

struct ModelOptions {
  std::string model = kDefaultRifeModel;  ///< name (resolved under the models dirs) or file path
  std::string variant;              ///< forces the architecture variant of a .pkl ("rife-v4.25")
  std::string models_dir;           ///< searched first for names (also $INTERP_MODELS_DIR)
  torch::Device device = torch::kCPU;
  torch::Dtype dtype = torch::kFloat32;
  double scale = 1.0;               ///< RIFE flow scale; UPR-Net: 0.5/0.25 skip its finest 1/2 levels
  /// fast unless asked: refine and ensemble each cost about 2x the time (README, "Quality
  /// modes"), above what a default may cost.
  Quality quality = Quality::kFast;
};

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

/// A weight file read into memory with what it is: architecture ("rife"/"film"),
/// variant name and the tensors under the names our modules use.
struct ModelWeights {
  std::string arch;
  std::string variant;
  weights::StateDict tensors;
  weights::Metadata metadata;
};

/// Reads any supported weight file (.safetensors, torch.save .pkl/.pth/.pt, FILM
/// TorchScript .pt, all read as data) and recognises its architecture; `variant`
/// overrides detection. Refuses non-floating and non-finite tensors.
ModelWeights read_model_weights(const std::string& path, const std::string& variant = "");

/// Whether RIFE weights hold v3.9's refinement net (the refine and best modes).
bool holds_refinement(const ModelWeights& weights);

/// Builds the model from `weights` and runs one small frame pair through it (CPU,
/// fp32); throws interp::Error naming `path` unless a finite frame of the right size
/// comes out. `interp convert` calls it so that a file that cannot run never lands in
/// models/, where it would become a default.
void check_model_runs(const ModelWeights& weights, const std::string& path);

/// Writes `weights` as the project's .safetensors with its metadata.
void write_model_file(const std::string& path, const ModelWeights& weights, const std::string& source);

}  // namespace interp
