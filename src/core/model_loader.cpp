/// Model names, weight-file recognition and the project's model file format.
#include "interp/core/model_loader.h"

#include "interp/base/error.h"
#include "interp/core/auto_precision.h"
#include "interp/core/graph_replay.h"
#include "interp/core/model_family.h"
#include "interp/core/precision_interpolator.h"
#include "interp/core/weights/safetensors.h"
#include "interp/core/weights/torch_pickle.h"

#include <caffe2/serialize/inline_container.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace interp {
namespace fs = std::filesystem;

namespace {

std::string exe_dir() {
  std::error_code ec;
  auto exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : exe.parent_path().string();
}

std::string lower_extension(const std::string& path) {
  std::string ext = fs::path(path).extension().string();
  for (auto& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

bool is_zip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

/// TorchScript archives carry compiled code next to the pickled data.
bool is_torchscript(const std::string& path) {
  try {
    caffe2::serialize::PyTorchStreamReader reader(path);
    return reader.hasRecord("constants.pkl") || reader.hasRecord("code/__torch__.py");
  } catch (const c10::Error&) {
    return false;
  }
}

/// Weights from strangers: integer, boolean or non-finite tensors would run and give
/// black frames, so they are refused by name. BatchNorm's step counters are not
/// weights (inference never reads them): they are dropped.
void check_tensor_values(weights::StateDict& dict, const std::string& path) {
  for (auto it = dict.begin(); it != dict.end();)
    if (weights::is_step_counter(it->first) && !it->second.is_floating_point() && it->second.numel() == 1)
      it = dict.erase(it);
    else
      ++it;
  for (const auto& [name, tensor] : dict) {
    if (!tensor.is_floating_point())
      throw Error(path + ": tensor '" + name + "' holds " + c10::toString(tensor.scalar_type()) +
                  " values; model weights are floating point");
    if (!torch::isfinite(tensor).all().item<bool>())
      throw Error(path + ": tensor '" + name + "' holds NaN or infinite values");
  }
}

const ModelFamily& family_of(const ModelWeights& w) {
  const ModelFamily* family = family_named(w.arch);
  if (!family) throw Error("unknown model family '" + w.arch + "'");
  return *family;
}

/// Refuses a quality mode or a flow scale the family does not run.
void check_mode(const ModelFamily& family, Quality quality, std::optional<double> scale = std::nullopt) {
  std::vector<std::string> names;
  const auto qualities = family.qualities();
  for (Quality q : qualities) names.push_back(quality_name(q));
  if (std::find(qualities.begin(), qualities.end(), quality) == qualities.end())
    throw Error(family.title() + (qualities.size() == 1 ? " has a single quality mode (" : " has quality modes (") +
                joined_names(names) + "), not " + quality_name(quality));
  names.clear();
  const auto scales = family.scales();
  for (double s : scales) names.push_back(c10::str(s));
  if (scale && std::find(scales.begin(), scales.end(), *scale) == scales.end())
    throw Error(family.title() + " takes the flow scales " + joined_names(names) + ", not " + c10::str(*scale));
}

std::unique_ptr<FrameInterpolator> build_interpolator(const ModelWeights& w, ModelOptions options) {
  const ModelFamily& family = family_of(w);
  options.quality = options.quality.value_or(default_quality(w));
  check_mode(family, *options.quality, options.scale);
  const bool automatic = options.placement.precision == Precision::kAuto;
  const PlacementChoice placed = place(options.placement, {family.why_not_bf16(*options.quality), family.why_not_fp16(*options.quality)},
                                       cpu_capabilities());
  options.placement = placed.placement;
  PrecisionChoice precision = placed.precision();
  auto model = family.build(w, options);
  // On a CPU where bf16 is a candidate, auto takes what measures faster here.
  if (automatic && precision.precision == Precision::kBf16 && options.placement.device.is_cpu())
    precision = fastest_on_this_cpu(*model, options.verdicts);
  return with_precision(std::move(model), precision);
}

/// The interpolator for weights read from `path`; a refusal of the weights names the
/// file. Asked for, its calls are recorded as CUDA graphs (a refusal there is the
/// device's, not the file's).
std::unique_ptr<FrameInterpolator> make_interpolator(const ModelWeights& w, const ModelOptions& options,
                                                     const std::string& path) {
  std::shared_ptr<CallRecorder> recorder;
  if (std::string why; options.cuda_graphs && !(recorder = cuda_call_recorder(options.placement.device, &why)))
    throw Error("CUDA graphs are unavailable: " + why);
  std::unique_ptr<FrameInterpolator> model;
  try {
    model = build_interpolator(w, options);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
  return recorder ? with_replay(std::move(model), std::move(recorder)) : std::move(model);
}

}  // namespace

std::vector<std::string> model_search_dirs(const std::string& models_dir) {
  std::vector<std::string> dirs;
  if (!models_dir.empty()) dirs.push_back(models_dir);
  if (const char* env = std::getenv("INTERP_MODELS_DIR"); env && *env) dirs.push_back(env);
  const std::string exe = exe_dir();
  if (!exe.empty()) {
    dirs.push_back(exe + "/models");
    dirs.push_back(exe + "/../models");
  }
#ifdef INTERP_SOURCE_MODELS_DIR
  dirs.push_back(INTERP_SOURCE_MODELS_DIR);
#endif
  return dirs;
}

namespace {

/// "RIFE IFNet, UPR-Net, FILM or ConvLSTM".
std::string every_family() {
  std::string out;
  const auto& families = model_families();
  for (size_t i = 0; i < families.size(); ++i)
    out += (i == 0 ? "" : i + 1 == families.size() ? " or " : ", ") + families[i]->title();
  return out;
}

/// The one family whose names the tensors hold; `what` says what kind of file it is.
const ModelFamily& recognise(const weights::StateDict& tensors, const std::string& path, const std::string& what) {
  std::vector<const ModelFamily*> found;
  for (const ModelFamily* family : model_families())
    if (family->recognises(tensors)) found.push_back(family);
  if (found.size() > 1)
    throw Error(path + ": its tensors' names fit both " + found[0]->title() + " and " + found[1]->title());
  if (found.empty())
    throw Error(path + ": " + what + "holds no " + every_family() + " weights" +
                (tensors.empty() ? "" : " (first key: " + tensors.begin()->first + ")"));
  return *found.front();
}

ModelWeights recognise_weights(const std::string& path, const std::string& variant) {
  if (!fs::exists(path)) throw Error(path + ": no such model file");
  if (!fs::is_regular_file(path)) throw Error(path + ": not a file");
  if (lower_extension(path) == ".safetensors") {
    auto file = weights::read_safetensors(path);
    const auto stored = [&](const char* key) { return file.metadata.count(key) ? file.metadata.at(key) : ""; };
    const std::string arch = stored("interp.arch");
    const ModelFamily* family = arch.empty() ? &recognise(file.tensors, path, "") : family_named(arch);
    if (!family) throw Error(path + ": safetensors file of unknown architecture '" + arch + "'");
    if (!family->recognises(file.tensors))
      throw Error(path + ": its metadata says " + family->title() + " but it holds no " + family->title() +
                  " weights");
    auto w = family->adopt(std::move(file.tensors), variant.empty() ? stored("interp.variant") : variant, path);
    w.metadata = file.metadata;
    return w;
  }
  if (!is_zip(path) && weights::is_legacy_torch_save(path)) throw Error(path + ": " + weights::kLegacyFormatHelp);
  if (!is_zip(path))
    throw Error(path + ": not a model file (expected .safetensors, a torch.save .pkl/.pth or a TorchScript .pt)");
  // A TorchScript archive's parameters are read as data, like a pickle's: none of its code runs.
  auto dict = weights::read_torch_state_dict(path);
  const ModelFamily& family = recognise(dict, path, is_torchscript(path) ? "TorchScript archive that " : "");
  return family.adopt(std::move(dict), variant, path);
}

}  // namespace

ModelWeights read_model_weights(const std::string& path, const std::string& variant) {
  ModelWeights w = recognise_weights(path, variant);
  check_tensor_values(w.tensors, path);
  return w;
}

bool holds_refinement(const ModelWeights& w) {
  const auto parts = family_of(w).parts(w);
  return std::find(parts.begin(), parts.end(), "refine") != parts.end();
}

Quality default_quality(const ModelWeights& w) {
  return holds_refinement(w) ? Quality::kRefine : family_of(w).qualities().front();
}

ModelWeights initial_model_weights(const std::string& name, uint64_t seed) {
  const auto able = [] {  // for messages: the models that train from scratch
    std::vector<std::string> names;
    for (const ModelFamily* f : model_families())
      if (f->scratch_trainable()) names.push_back(f->model_names().front());
    return joined_names(names);
  };
  const ModelFamily* family = family_of_model(name);
  if (!family) throw Error("training from scratch needs a model name (" + able() + "), not '" + name + "'");
  auto weights = family->initial_weights(family->model_named(name), seed);
  if (!weights)
    throw Error(family->title() + " is fine-tuned from its published weights, not trained from scratch (from scratch: " +
                able() + ")");
  return *weights;
}

std::unique_ptr<TrainableModel> build_trainable(const ModelWeights& w, torch::Device device,
                                                std::optional<Quality> quality) {
  const ModelFamily& family = family_of(w);
  const Quality q = quality.value_or(default_quality(w));
  check_mode(family, q);
  return family.build_trainable(w, device, q);
}

namespace {

std::string find_installed_model(const std::string& name, const std::string& models_dir) {
  for (const auto& dir : model_search_dirs(models_dir)) {
    const auto candidate = fs::path(dir) / (name + ".safetensors");
    if (fs::is_regular_file(candidate)) return candidate.string();
  }
  return "";
}

}  // namespace

std::string resolve_model_path(const ModelOptions& options) {
  const std::string& path = options.model;
  if (fs::exists(path)) return path;
  for (const ModelFamily* family : model_families()) {  // a generic name: the first installed it stands for
    const auto preferred = family->preferred_models(path);
    if (preferred.empty()) continue;
    for (const auto& name : preferred)
      if (auto found = find_installed_model(name, options.models_dir); !found.empty()) return found;
    throw Error("no " + family->title() + " model installed (looked for " + joined_names(preferred) +
                " in the models folders): " + family->install_help(preferred.back()) + ", or give a weight file");
  }
  if (const ModelFamily* family = family_of_model(path)) {
    const std::string name = family->model_named(path);
    const std::string found = find_installed_model(name, options.models_dir);
    if (found.empty()) throw Error("model " + name + " not installed: " + family->install_help(name));
    return found;
  }
  for (const ModelFamily* family : model_families())  // "upr-huge": a family's name, a model it lacks
    if (path.rfind(family->name() + "-", 0) == 0)
      throw Error("unknown model '" + path + "' (" + family->models_are() + ": " +
                  joined_names(family->model_names()) + ")");
  const std::string ext = lower_extension(path);
  const bool looks_like_path = path.find('/') != std::string::npos || ext == ".safetensors" ||
                               ext == ".pkl" || ext == ".pth" || ext == ".pt";
  if (looks_like_path) throw Error(path + ": no such model file");
  throw Error("unknown model '" + path + "' (names: " + std::string(kDefaultRifeModel) + ", " +
              joined_names(all_model_names()) + "; or a weight file)");
}

std::unique_ptr<FrameInterpolator> load_model(const ModelOptions& options) {
  const std::string path = resolve_model_path(options);
  return make_interpolator(read_model_weights(path, options.variant), options, path);
}

std::unique_ptr<FrameInterpolator> load_model(const ModelWeights& weights, const ModelOptions& options,
                                              const std::string& name) {
  return make_interpolator(weights, options, name);
}

}  // namespace interp
