#pragma once
/// A model family (RIFE, UPR-Net, FILM, ConvLSTM) as one entry in one table: everything the
/// rest of interp asks of a family — which weight files are its own, how to build it for
/// inference or for training, what it is called, how to install it, which quality modes
/// and flow scales it takes — answered in the family's own
/// file. Nothing outside those files compares family names, so adding a family is its
/// file plus its line in model_families.cpp.
#include "interp/core/frame_interpolator.h"
#include "interp/core/precision.h"
#include "interp/core/quality.h"
#include "interp/core/train/optimiser_settings.h"
#include "interp/core/train/trainable_model.h"
#include "interp/core/weights/state_dict.h"
#include "interp/base/error.h"

#include <torch/nn/module.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace interp {

class VerdictStore;  // auto_precision.h

/// The default --model: a family's generic name, standing for the first of its
/// preferred models that is installed (ModelFamily::preferred_models).
inline constexpr const char* kDefaultRifeModel = "rife";

struct ModelOptions {
  std::string model = kDefaultRifeModel;  ///< name (resolved under the models dirs) or file path
  std::string variant;              ///< forces the model of a .pkl that names none ("rife-v4.25")
  std::string models_dir;           ///< searched first for names (also $INTERP_MODELS_DIR)
  /// Where it runs and in what, as requested (precision kAuto too); the loader resolves
  /// it with place() before a family builds, so build() receives it resolved.
  Placement placement;
  double scale = 1.0;               ///< RIFE flow scale; UPR-Net: 0.5/0.25 skip its finest 1/2 levels
  /// Unset: the weights' default_quality() (model_loader.h). Families' build() receive
  /// it set.
  std::optional<Quality> quality;
  /// Where auto keeps the speeds it measured on this CPU (auto_precision.h); null:
  /// measured each time, kept nowhere.
  VerdictStore* verdicts = nullptr;
  /// CUDA: cuDNN times its convolution algorithms once per frame size and keeps the
  /// fastest. Its trials' workspaces count in the peak memory: the GPU check measures
  /// both ways (scripts/gpu_check.sh). A process-wide switch: the caller that owns the
  /// run applies it with the model's precision (apply_run_switches), not the loader.
  bool cudnn_benchmark = true;
  /// CUDA: each frame size and set of times is recorded once as a CUDA graph and
  /// replayed (graph_replay.h). Off until the GPU check measures it faster. The loader
  /// refuses it by name off CUDA and where the build or machine has no plugin.
  bool cuda_graphs = false;
  /// Frames give way to the pair's blend where the model's motion cannot be trusted,
  /// in RIFE's refine a pair doubtful on the whole runs again as an ensemble
  /// (rife/motion_confidence.h), where RIFE's warps differ by grain alone it takes their
  /// average (rife/noise_average.h), and at the picture's edges RIFE merges from the
  /// input that still shows a spot (rife/picture_edges.h); off: the network's frame as
  /// published.
  bool fallback = true;
};

/// A weight file read into memory with what it is: its family ("rife", "upr", "film"),
/// its model ("rife-v4.6") and the tensors under the names our modules use.
struct ModelWeights {
  std::string arch;
  std::string variant;
  weights::StateDict tensors;
  weights::Metadata metadata;
};

class ModelFamily {
 public:
  virtual ~ModelFamily() = default;

  /// What interp's model files record as interp.arch: "rife", "upr", "film".
  virtual std::string name() const = 0;
  /// What messages call it: "RIFE IFNet", "UPR-Net", "FILM".
  virtual std::string title() const = 0;
  /// Its models' names as --model and --variant take them ("rife-v4.6", ...).
  virtual std::vector<std::string> model_names() const = 0;
  /// What its models are, for messages: "RIFE versions", "UPR-Net sizes".
  virtual std::string models_are() const { return title() + " models"; }
  /// The model `name` stands for (aliases such as "v4.6" too); "" when not this family's.
  virtual std::string model_named(const std::string& name) const = 0;
  /// The models a generic `name` ("rife") stands for, the first installed one taken;
  /// empty when `name` is no generic name of this family.
  virtual std::vector<std::string> preferred_models(const std::string& name) const {
    (void)name;
    return {};
  }

  /// Whether a file's tensors are this family's, from their names.
  virtual bool recognises(const weights::StateDict& tensors) const = 0;
  /// The file's tensors as this family's weights: names as our modules use them, the
  /// model `model_name` (from names and shapes when empty). Throws interp::Error naming
  /// `path` when they fit none of its models.
  virtual ModelWeights adopt(weights::StateDict tensors, const std::string& model_name,
                             const std::string& path) const = 0;
  /// Sub-networks the weights hold ("ifnet", "refine"), for people reading a model
  /// file's header; "refine" is what the refine and best modes run.
  virtual std::vector<std::string> parts(const ModelWeights&) const { return {name()}; }

  /// For inference where options.placement says (resolved: its device and storage
  /// type). Throws interp::Error for weights that do not fit or options it does not take.
  virtual std::unique_ptr<FrameInterpolator> build(const ModelWeights& weights, const ModelOptions& options) const = 0;
  /// For training (fp32, on `device`) as it runs in `quality` (one of qualities()): only
  /// the networks that mode runs are built, and train. Throws interp::Error for a mode
  /// the weights cannot run.
  virtual std::unique_ptr<TrainableModel> build_trainable(const ModelWeights& weights, torch::Device device,
                                                          Quality quality) const = 0;

  /// Weights of `model_name` as the family's own code initialises them (seeded), to
  /// train from scratch; nullopt when the family is only fine-tuned from published files.
  virtual std::optional<ModelWeights> initial_weights(const std::string& model_name, uint64_t seed) const {
    (void)model_name, (void)seed;
    return std::nullopt;
  }
  /// Whether initial_weights() gives weights (without building them).
  virtual bool scratch_trainable() const { return false; }
  /// How its authors train it from scratch (optimiser, rate, schedule).
  virtual train::OptimiserSettings scratch_optimiser() const { return {}; }

  /// How a user gets model `model_name` when it is not installed (one sentence).
  virtual std::string install_help(const std::string& model_name) const = 0;
  /// Quality modes it runs (its default first) and --scale values it takes.
  virtual std::vector<Quality> qualities() const { return {Quality::kFast}; }
  /// Empty when `quality` run with bf16 convolutions scores within 0.05 dB of fp32 on
  /// the real frames and clips (measured; README, Precision), else what it loses:
  /// --precision auto's gate.
  virtual std::string why_not_bf16(Quality quality) const {
    (void)quality;
    return "";
  }
  /// The same for fp16 on CUDA (auto's GPU gate): "" where `quality` in fp16 was
  /// measured within 0.05 dB of fp32 on a GPU, else why it stays fp32.
  virtual std::string why_not_fp16(Quality quality) const {
    (void)quality;
    return "its fp16 quality is unmeasured";
  }
  virtual std::vector<double> scales() const = 0;
  /// What --scale does for it, for --help.
  virtual std::string scale_help() const = 0;
  /// What its quality modes do, for --help ("" for a family of one mode).
  virtual std::string quality_help() const { return ""; }
  /// What its models read and make (model_traits.h; the widest window of its models), for
  /// plans made before a model is loaded: how far before a --range piece its source opens.
  virtual ModelTraits traits() const = 0;
};

/// Every family, in the order recognition and --help list them.
const std::vector<const ModelFamily*>& model_families();
/// The family interp.arch `arch` names; null when none.
const ModelFamily* family_named(const std::string& arch);
/// The family with a model called `model_name` (aliases too); null when none.
const ModelFamily* family_of_model(const std::string& model_name);
/// Every family's model names, in table order.
std::vector<std::string> all_model_names();
/// Every --scale value some family takes, ascending.
std::vector<double> all_scales();

/// "a, b, c": for messages.
std::string joined_names(const std::vector<std::string>& names);

}  // namespace interp
