/// FILM inference: centred zero padding to a multiple of 64 (as the port's pad_batch),
/// fp16 files cast to the runtime dtype on load.
#include "interp/core/film/film_interpolator.h"

#include "interp/base/error.h"

#include "interp/core/weights/torch_pickle.h"
#include <torch/torch.h>

namespace interp::film {

weights::StateDict read_torchscript_weights(const std::string& path) {
  // Read as data with interp's own unpickler: torch::jit::load would run the archive's
  // TorchScript code (a stranger's file could loop forever or print), and parameters are
  // all FILM needs. Module attributes nest as "extract.extract_sublevels...weight".
  return weights::read_torch_state_dict(path);
}

bool looks_like_film(const weights::StateDict& dict) {
  return dict.count("extract.extract_sublevels.convs.0.0.0.weight") > 0 && dict.count("fuse.output_conv.weight") > 0;
}

FilmConfig infer_config(const weights::StateDict& dict) {
  const auto at = [&](const std::string& name) -> const torch::Tensor& {
    const auto it = dict.find(name);
    if (it == dict.end()) throw Error("FILM weights without " + name);
    return it->second;
  };
  FilmConfig c;
  c.filters = at("extract.extract_sublevels.convs.0.0.0.weight").size(0);
  c.sub_levels = 0;
  while (dict.count("extract.extract_sublevels.convs." + std::to_string(c.sub_levels) + ".0.0.weight")) ++c.sub_levels;
  int64_t specialised = 0;
  while (dict.count("predict_flow._predictors." + std::to_string(specialised) + "._convs.0.0.weight")) ++specialised;
  const auto count_convs = [&](const std::string& prefix) {
    int64_t n = 0;
    while (dict.count(prefix + "._convs." + std::to_string(n) + ".0.weight")) ++n;
    return n;
  };
  c.flow_convs.clear();
  c.flow_filters.clear();
  // Predictor order: finest specialised first (stored coarse-first), the shared one last.
  for (int64_t i = specialised - 1; i >= 0; --i) {
    const std::string prefix = "predict_flow._predictors." + std::to_string(i);
    c.flow_convs.push_back(count_convs(prefix) - 2);
    c.flow_filters.push_back(at(prefix + "._convs.0.0.weight").size(0));
  }
  c.flow_convs.push_back(count_convs("predict_flow._predictor") - 2);
  c.flow_filters.push_back(at("predict_flow._predictor._convs.0.0.weight").size(0));
  return c;
}

FilmInterpolator::FilmInterpolator(const FilmConfig& config, const weights::StateDict& dict, Placement placement)
    : net_(config), placement_(placement), filters_(config.filters) {
  weights::load_into(*net_, dict, "FILM weights");
  net_->eval();
  net_->to(placement_.device, placement_.dtype);
}

torch::Tensor FilmInterpolator::make(const FrameWindow& window, const std::vector<double>& times) {
  const auto &img0 = window.left(), &img1 = window.right();
  const int64_t n = img0.size(0), h = img0.size(2), w = img0.size(3);
  torch::InferenceMode guard;
  const int64_t m = net_->config().pad_multiple();
  const int64_t ph = (m - h % m) % m, pw = (m - w % m) % m;
  const std::vector<int64_t> pad{pw / 2, pw - pw / 2, ph / 2, ph - ph / 2};
  auto opts = torch::TensorOptions().device(placement_.device).dtype(placement_.dtype);
  auto a = torch::constant_pad_nd(img0.to(opts), pad, 0.0);
  auto b = torch::constant_pad_nd(img1.to(opts), pad, 0.0);
  auto t = times_tensor(times, opts).view({n, 1});
  auto out = net_->forward(a, b, t);
  return out.slice(2, ph / 2, ph / 2 + h).slice(3, pw / 2, pw / 2 + w);
}

}  // namespace interp::film
