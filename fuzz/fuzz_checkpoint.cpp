// A training checkpoint -> load_checkpoint (what --resume reads): refused with
// interp::Error, or, when it loads, exactly the weights and state of the seed it was
// mutated from (every part carries its checksum). Never a crash.
// INTERP_FUZZ_MAKE_SEED=PATH writes that seed and exits (scripts/fuzz.sh).
#include "fuzz_support.h"
#include "interp/base/error.h"
#include "interp/core/train/trainer.h"

#include <torch/torch.h>

#include <cstdlib>
#include <iostream>

namespace {
using namespace interp;

constexpr const char* kIdentity = "fuzz run";

/// A one-convolution model: the checkpoint format does not depend on the family.
class TinyModel : public TrainableModel {
 public:
  TinyModel() { net_->register_module("conv", conv_); }
  torch::nn::Module& module() override { return *net_; }
  torch::Tensor forward(const torch::Tensor& a, const torch::Tensor& b, const torch::Tensor&) override {
    return conv_(torch::cat({a, b}, 1));
  }
  int64_t alignment(int64_t) const override { return 32; }
  interp::ModelTraits traits() const override { return {}; }

 private:
  std::shared_ptr<torch::nn::Module> net_ = std::make_shared<torch::nn::Module>();
  torch::nn::Conv2d conv_{torch::nn::Conv2dOptions(6, 3, 3).padding(1)};
};

struct Fixture {
  TinyModel model;
  train::Trainer trainer{model, {}};
  std::vector<torch::Tensor> seed_weights;
  Fixture() {
    torch::manual_seed(7);
    for (auto& p : model.module().parameters()) p.data().uniform_(-0.5, 0.5);
    const auto x = torch::rand({1, 3, 64, 64});
    trainer.step({FrameWindow({x, x.flip(3)}, 0), x, torch::tensor({0.5})}, 1e-3);  // the optimiser holds moments
    for (const auto& p : model.module().parameters()) seed_weights.push_back(p.detach().clone());
  }
  train::CheckpointState state() const { return {1, 2.5, kIdentity, "12345 678", 30.25}; }
};

Fixture& fixture() {
  static Fixture* f = new Fixture;
  return *f;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* seed = std::getenv("INTERP_FUZZ_MAKE_SEED")) {
    train::save_checkpoint(seed, fixture().trainer, fixture().state());
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  interp::fuzz::MemoryFile file(data, size);
  Fixture& f = fixture();
  try {
    const auto state = train::load_checkpoint(file.path(), f.trainer, kIdentity);
    const auto expected = f.state();
    bool same = state.step == expected.step && state.seconds == expected.seconds && state.rng == expected.rng &&
                state.validation_psnr_before == expected.validation_psnr_before;
    const auto params = f.model.module().parameters();
    for (size_t i = 0; i < params.size(); ++i) same = same && torch::equal(params[i], f.seed_weights[i]);
    if (!same) {
      std::cerr << "a damaged checkpoint loaded as something else than its seed\n";
      std::abort();
    }
  } catch (const interp::Error&) {
  }
  return 0;
}
