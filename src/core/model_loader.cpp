/// Model names, weight-file recognition and the project's model file format.
#include "interp/model_loader.h"

#include "interp/core/error.h"
#include "interp/rife/rife_interpolator.h"
#include "interp/weights/safetensors.h"
#include "interp/weights/torch_pickle.h"

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
    throw Error(path + ": RIFE weights of an unrecognised variant; name it with --variant (" +
                joined(rife::IFNetVariant::known_names()) + ")");
  w.variant = variant->name;
  w.tensors = rife::normalise_rife_keys(dict);
  return w;
}

bool looks_like_rife(const weights::StateDict& dict) {
  const auto plain = rife::normalise_rife_keys(dict);
  return plain.count("block0.conv0.0.0.weight") > 0;
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

ModelWeights read_model_weights(const std::string& path, const std::string& variant) {
  if (!fs::exists(path)) throw Error(path + ": no such model file");
  if (!fs::is_regular_file(path)) throw Error(path + ": not a file");
  const std::string ext = lower_extension(path);

  if (ext == ".safetensors") {
    auto file = weights::read_safetensors(path);
    const std::string arch = file.metadata.count("interp.arch") ? file.metadata.at("interp.arch") : "";
    const std::string stored = file.metadata.count("interp.variant") ? file.metadata.at("interp.variant") : "";
    if (arch == "rife" || (arch.empty() && looks_like_rife(file.tensors))) {
      auto w = as_rife(std::move(file.tensors), path, variant.empty() ? stored : variant);
      w.metadata = file.metadata;
      return w;
    }
    throw Error(path + ": safetensors file of unknown architecture '" + arch + "'");
  }
  if (!is_zip(path))
    throw Error(path + ": not a model file (expected .safetensors, a torch.save .pkl/.pth or a TorchScript .pt)");
  auto dict = weights::read_torch_state_dict(path);
  if (looks_like_rife(dict)) return as_rife(std::move(dict), path, variant);
  throw Error(path + ": holds no RIFE IFNet weights (first key: " + dict.begin()->first + ")");
}

void write_model_file(const std::string& path, const ModelWeights& w, const std::string& source) {
  weights::Metadata meta = w.metadata;
  meta["interp.arch"] = w.arch;
  meta["interp.variant"] = w.variant;
  meta["interp.format_version"] = kFormatVersion;
  if (!source.empty()) meta["interp.source"] = source;
  weights::write_safetensors(path, w.tensors, meta);
}

std::unique_ptr<FrameInterpolator> load_model(const ModelOptions& options) {
  std::string path = options.model;
  if (!fs::exists(path)) {
    const auto variant = rife::IFNetVariant::by_name(path);
    const std::string ext = lower_extension(path);
    const bool looks_like_path = path.find('/') != std::string::npos || ext == ".safetensors" ||
                                 ext == ".pkl" || ext == ".pth" || ext == ".pt";
    if (!variant && looks_like_path) throw Error(path + ": no such model file");
    if (!variant)
      throw Error("unknown model '" + path + "' (names: " + joined(rife::IFNetVariant::known_names()) +
                  ", film; or a weight file)");
    std::string found;
    for (const auto& dir : model_search_dirs(options.models_dir)) {
      const auto candidate = fs::path(dir) / (variant->name + ".safetensors");
      if (fs::is_regular_file(candidate)) {
        found = candidate.string();
        break;
      }
    }
    if (found.empty())
      throw Error("model " + variant->name + " not installed: no " + variant->name +
                  ".safetensors in the models folders (run scripts/fetch_models.sh, or "
                  "`interp convert flownet.pkl models/" + variant->name + ".safetensors`)");
    path = found;
  }
  auto w = read_model_weights(path, options.variant);
  rife::RifeOptions ro;
  ro.device = options.device;
  ro.dtype = options.dtype;
  ro.scale = options.scale;
  auto variant = rife::IFNetVariant::by_name(w.variant);
  return std::make_unique<rife::RifeInterpolator>(*variant, w.tensors, ro);
}

}  // namespace interp
