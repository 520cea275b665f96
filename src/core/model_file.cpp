/// The project's model file: interp's .safetensors with what the weights are in its
/// header, written only for weights that were shown to run (`interp convert`).
#include "interp/base/error.h"
#include "interp/core/model_loader.h"
#include "interp/core/weights/safetensors.h"

#include <torch/torch.h>

namespace interp {
namespace {

constexpr const char* kFormatVersion = "1";

}  // namespace

void check_model_runs(const ModelWeights& w, const std::string& path) {
  ModelOptions cpu;  // fp32 on the CPU: the reference configuration
  const auto model = load_model(w, cpu, path);
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
  const ModelFamily* family = family_named(w.arch);
  if (!family) throw Error("unknown model family '" + w.arch + "'");
  const std::vector<std::string> parts = family->parts(w);
  meta["interp.parts"] = parts.empty() ? w.arch : [&] {
    std::string list;
    for (const auto& part : parts) list += (list.empty() ? "" : ",") + part;
    return list;
  }();
  if (!source.empty()) meta["interp.source"] = source;
  weights::write_safetensors(path, w.tensors, meta);
}

}  // namespace interp
