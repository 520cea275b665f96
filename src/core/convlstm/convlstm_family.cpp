/// The ConvLSTM residual interpolator as a model family: one model, four frames per
/// in-between, no published weights — interp trains them (`interp train --model
/// convlstm --from-scratch`) and ships the result, models/convlstm.safetensors.
#include "interp/base/error.h"
#include "interp/core/convlstm/blocks.h"
#include "interp/core/convlstm/convlstm_interpolator.h"
#include "interp/core/model_family.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <functional>
#include <mutex>

namespace interp {
namespace {

using convlstm::ConvLstmConfig;

/// ConvLstmNet with the file's weights in training mode (BatchNorm on batch statistics,
/// updating its running ones, as the reference's train.py). Its loss is the
/// reference's: 0.5 x L1 of the rough frame + L1 of the refined one.
class TrainableConvLstm : public TrainableModel {
 public:
  TrainableConvLstm(const weights::StateDict& tensors, torch::Device device) : net_(ConvLstmConfig{}) {
    weights::load_into(*net_, convlstm::normalise_convlstm_keys(tensors), "convlstm weights");
    net_->to(device);
    net_->train();
  }
  torch::nn::Module& module() override { return *net_; }
  /// A pair alone: its ends repeated as neighbours (a clip's ends).
  torch::Tensor forward(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor&) override {
    require_aligned(img0, "convlstm");
    return net_->forward_frames(img0, img0, img1, img1).refined;
  }
  std::map<std::string, torch::Tensor> outputs(const TrainingBatch& b) override {
    require_aligned(b.frames.left(), "convlstm");
    auto out = net_->forward_frames(b.frames.at(-1), b.frames.left(), b.frames.right(), b.frames.at(2));
    return {{"rough", out.rough}, {"frame", out.refined}};
  }
  std::vector<LossTerm> loss_terms() const override {
    return {{"rough", LossTerm::Kind::L1, 0.5}, {"frame", LossTerm::Kind::L1, 1.0}};
  }
  int64_t alignment(int64_t) const override { return net_->config().size_multiple(); }
  ModelTraits traits() const override { return net_->config().traits(); }
  bool uses_parameter(const std::string& name) const override { return !convlstm::is_unused_parameter(name); }

 private:
  convlstm::ConvLstmNet net_;
};

class ConvLstmFamily : public ModelFamily {
 public:
  std::string name() const override { return "convlstm"; }
  std::string title() const override { return "ConvLSTM"; }
  std::vector<std::string> model_names() const override { return {ConvLstmConfig{}.name}; }
  std::string model_named(const std::string& name) const override {
    return name == ConvLstmConfig{}.name ? name : "";
  }

  bool recognises(const weights::StateDict& tensors) const override { return convlstm::looks_like_convlstm(tensors); }
  ModelWeights adopt(weights::StateDict tensors, const std::string& model_name, const std::string&) const override {
    if (!model_name.empty() && model_name != ConvLstmConfig{}.name)
      throw Error("unknown ConvLSTM model '" + model_name + "' (known: " + ConvLstmConfig{}.name + ")");
    // Names and shapes are checked when the weights load, which lists every misfit.
    return {name(), ConvLstmConfig{}.name, convlstm::normalise_convlstm_keys(tensors), {}};
  }
  std::vector<std::string> parts(const ModelWeights&) const override { return {"synthesis", "refinement"}; }

  ModelTraits traits() const override { return ConvLstmConfig{}.traits(); }
  std::unique_ptr<FrameInterpolator> build(const ModelWeights& w, const ModelOptions& options) const override {
    return std::make_unique<convlstm::ConvLstmInterpolator>(ConvLstmConfig{}, w.tensors,
                                                            options.placement);
  }
  std::unique_ptr<TrainableModel> build_trainable(const ModelWeights& w, torch::Device device, Quality) const override {
    return std::make_unique<TrainableConvLstm>(w.tensors, device);
  }

  /// PyTorch's default initialisation (LibTorch's modules share it) under `seed`, but
  /// for the last convolution of each residual branch, which starts at zero: an
  /// untrained model is then exactly frame blending and learns only what improves on
  /// it. (The reference's default start is ~9 dB below blending, far more steps than
  /// a CPU run affords — measured, README "ConvLSTM".)
  std::optional<ModelWeights> initial_weights(const std::string& model_name, uint64_t seed) const override {
    // The modules draw from LibTorch's default generator: seeded for this build alone,
    // and given back as it was, so that building leaves no global change behind.
    auto generator = at::detail::getDefaultCPUGenerator();
    const auto seeded = [&](const std::function<void()>& change) {  // as torch::manual_seed: under its lock
      std::lock_guard<std::mutex> lock(generator.mutex());
      change();
    };
    torch::Tensor was;
    seeded([&] {
      was = generator.get_state();
      generator.set_current_seed(seed);
    });
    convlstm::ConvLstmNet net(ConvLstmConfig{});  // draws under the lock itself
    seeded([&] { generator.set_state(was); });
    ModelWeights w{name(), model_name, {}, {}};
    for (const auto& p : net->named_parameters()) {
      auto value = p.value().detach().clone();
      if (p.key().rfind("synthesis.conv_block_2.1.", 0) == 0 || p.key().rfind("refinement.conv_out.", 0) == 0)
        value.zero_();
      w.tensors[p.key()] = value;
    }
    for (const auto& b : net->named_buffers())
      if (!weights::is_step_counter(b.key())) w.tensors[b.key()] = b.value().detach().clone();
    return w;
  }
  bool scratch_trainable() const override { return true; }
  /// The reference's train.py: Adam at a constant 1e-4, no weight decay, no clipping.
  train::OptimiserSettings scratch_optimiser() const override {
    train::OptimiserSettings adam;
    adam.learning_rate = 1e-4;
    adam.schedule = train::RateSchedule::kConstant;
    adam.weight_decay = 0.0;  // AdamW without decay is Adam
    adam.gradient_clip = 0.0;
    return adam;
  }

  std::string install_help(const std::string&) const override {
    return "no trained weights are published; scripts/setup.sh installs interp's (models/convlstm.safetensors), and "
           "`interp train --model convlstm --from-scratch --data CLIPS --out MODEL.safetensors` makes your own";
  }
  std::vector<double> scales() const override { return {1.0}; }
  std::string scale_help() const override { return "ConvLSTM 1 (it has no flow scale)"; }
};

}  // namespace

const ModelFamily& convlstm_family() {
  static const ConvLstmFamily family;
  return family;
}

}  // namespace interp
