/// UPR-Net as a model family: its three published sizes are UprConfig data, told apart
/// by the width of the first feature stage.
#include "interp/base/error.h"
#include "interp/core/model_family.h"
#include "interp/core/upr/upr_interpolator.h"

#include <torch/torch.h>

#include <cmath>

namespace interp {
namespace {

/// UprNet with the file's weights in training mode; the pyramid depth follows the width
/// as in inference.
class TrainableUpr : public TrainableModel {
 public:
  TrainableUpr(const upr::UprConfig& config, const weights::StateDict& tensors, torch::Device device) : net_(config) {
    weights::load_into(*net_, upr::normalise_upr_keys(tensors), config.name + " weights");
    net_->to(device);
    net_->train();
  }
  torch::nn::Module& module() override { return *net_; }
  torch::Tensor forward(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor& t) override {
    require_aligned(img0, "UPR-Net");
    const int64_t n = img0.size(0), w = img0.size(3);
    return net_->forward(img0, img1, t.to(img0.options()).view({n, 1, 1, 1}), upr::pyramid_levels_for_width(w)).frame;
  }
  int64_t alignment(int64_t width) const override {
    return upr::pad_multiple(upr::pyramid_levels_for_width(width));
  }
  ModelTraits traits() const override { return net_->config().traits(); }

 private:
  upr::UprNet net_;
};

upr::UprConfig config_of(const ModelWeights& w) {
  const auto config = upr::UprConfig::by_name(w.variant);
  if (!config) throw Error("unknown UPR-Net size '" + w.variant + "'");
  return *config;
}

/// Where UPR-Net's trained weights come from (README, "Models", has the model card).
std::string upr_help(const std::string& name) {
  return "its trained weights are checkpoints/" + name +
         ".pkl in the authors' repository (github.com/srcn-ivl/UPR-Net, licence CC BY-NC-ND 4.0); install yours "
         "with `interp convert " + name + ".pkl models/" + name + ".safetensors`, or give that file as the model";
}

class UprFamily : public ModelFamily {
 public:
  std::string name() const override { return "upr"; }
  std::string title() const override { return "UPR-Net"; }
  std::string models_are() const override { return "UPR-Net sizes"; }
  std::vector<std::string> model_names() const override { return upr::UprConfig::known_names(); }
  std::string model_named(const std::string& name) const override {
    const auto config = upr::UprConfig::by_name(name);
    return config ? config->name : "";
  }

  bool recognises(const weights::StateDict& tensors) const override { return upr::looks_like_upr(tensors); }
  ModelWeights adopt(weights::StateDict tensors, const std::string& model_name,
                     const std::string& path) const override {
    const auto config = model_name.empty() ? upr::detect_config(tensors) : upr::UprConfig::by_name(model_name);
    if (!model_name.empty() && !config)
      throw Error("unknown UPR-Net size '" + model_name + "' (known: " + joined_names(model_names()) + ")");
    ModelWeights w{name(), "", upr::normalise_upr_keys(tensors), {}};
    if (!config) {
      const auto& first = w.tensors.at("feat_pyramid.conv_stage0.0.weight");
      throw Error(path + ": UPR-Net weights of no published size (feat_pyramid.conv_stage0.0.weight is " +
                  c10::str(first.sizes()) + "; upr-base, upr-large, upr-llarge have 16, 24, 32 output channels there)");
    }
    w.variant = config->name;
    return w;
  }

  ModelTraits traits() const override { return upr::UprConfig::base().traits(); }
  std::unique_ptr<FrameInterpolator> build(const ModelWeights& w, const ModelOptions& options) const override {
    upr::UprOptions uo;
    uo.placement = options.placement;
    // scale 0.5 / 0.25: the finest 1 / 2 levels skip motion estimation, as the authors
    // run 4K.
    uo.skipped_levels = static_cast<int64_t>(std::lround(-std::log2(options.scale)));
    return std::make_unique<upr::UprInterpolator>(config_of(w), w.tensors, uo);
  }
  std::unique_ptr<TrainableModel> build_trainable(const ModelWeights& w, torch::Device device, Quality) const override {
    return std::make_unique<TrainableUpr>(config_of(w), w.tensors, device);
  }

  std::string install_help(const std::string& model_name) const override { return upr_help(model_name); }
  std::vector<double> scales() const override { return {0.25, 0.5, 1.0}; }
  /// Measured on an H200 (2026-12-04, ../shared/gpu): base in fp16 within 0.001 dB of fp32.
  std::string why_not_fp16(Quality) const override { return ""; }
  std::string scale_help() const override {
    return "UPR-Net 1 0.5 0.25 (skips motion estimation on its finest 1 or 2 pyramid levels)";
  }
};

}  // namespace

const ModelFamily& upr_family() {
  static const UprFamily family;
  return family;
}

}  // namespace interp
