/// FILM as a model family: one published model, its configuration read from the
/// shapes its file holds; the PyTorch port's TorchScript exports are read as data.
#include "interp/base/error.h"
#include "interp/core/film/film_interpolator.h"
#include "interp/core/model_family.h"

#include <torch/torch.h>

namespace interp {
namespace {

/// FILM's Interpolator with the file's weights in training mode.
class TrainableFilm : public TrainableModel {
 public:
  TrainableFilm(const weights::StateDict& tensors, torch::Device device) : net_(film::infer_config(tensors)) {
    weights::load_into(*net_, tensors, "FILM weights");
    net_->to(device);
    net_->train();
  }
  torch::nn::Module& module() override { return *net_; }
  torch::Tensor forward(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor& t) override {
    require_aligned(img0, "FILM");
    return net_->forward(img0, img1, t.to(img0.options()).view({img0.size(0), 1}));
  }
  int64_t alignment(int64_t) const override { return net_->config().pad_multiple(); }
  ModelTraits traits() const override { return net_->config().traits(); }

 private:
  film::Interpolator net_;
};

class FilmFamily : public ModelFamily {
 public:
  std::string name() const override { return "film"; }
  std::string title() const override { return "FILM"; }
  std::vector<std::string> model_names() const override { return {"film"}; }
  std::string model_named(const std::string& name) const override { return name == "film" ? name : ""; }

  bool recognises(const weights::StateDict& tensors) const override { return film::looks_like_film(tensors); }
  ModelWeights adopt(weights::StateDict tensors, const std::string&, const std::string&) const override {
    return {name(), "film", std::move(tensors), {}};
  }

  ModelTraits traits() const override { return film::FilmConfig{}.traits(); }
  std::unique_ptr<FrameInterpolator> build(const ModelWeights& w, const ModelOptions& options) const override {
    return std::make_unique<film::FilmInterpolator>(film::infer_config(w.tensors), w.tensors, options.placement);
  }
  std::unique_ptr<TrainableModel> build_trainable(const ModelWeights& w, torch::Device device, Quality) const override {
    return std::make_unique<TrainableFilm>(w.tensors, device);
  }

  std::string install_help(const std::string&) const override {
    return "FILM's trained weights come from its authors' release (google-research/frame-interpolation) and the "
           "PyTorch port's exported film_net_fp32.pt / film_net_fp16.pt (dajes/frame-interpolation-pytorch "
           "releases); give one as the model file, or install it with `interp convert film_net_fp32.pt "
           "models/film.safetensors`";
  }
  // FILM sees the whole frame at every pyramid level: a flow scale has nothing to change.
  std::vector<double> scales() const override { return {1.0}; }
  std::string why_not_fp16(Quality) const override {
    return "FILM's activations overflowed fp16 on its test weights and trained weights are unmeasured";
  }
  std::string scale_help() const override { return "FILM 1"; }
};

}  // namespace

const ModelFamily& film_family() {
  static const FilmFamily family;
  return family;
}

}  // namespace interp
