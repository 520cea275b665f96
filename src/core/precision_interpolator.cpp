/// A FrameInterpolator that forwards to another inside a PrecisionScope.
#include "interp/core/precision_interpolator.h"

namespace interp {
namespace {

class PrecisionInterpolator final : public FrameInterpolator {
 public:
  PrecisionInterpolator(std::unique_ptr<FrameInterpolator> model, PrecisionChoice choice)
      : model_(std::move(model)), choice_(std::move(choice)) {}

  std::string name() const override { return model_->name(); }
  std::string mode() const override { return model_->mode(); }
  ModelTraits traits() const override { return model_->traits(); }
  torch::Device device() const override { return model_->device(); }
  torch::Dtype dtype() const override { return model_->dtype(); }
  PrecisionChoice precision() const override { return choice_; }
  double bytes_per_pixel() const override { return model_->bytes_per_pixel(); }
  bool replayable() const override { return model_->replayable(); }

 private:
  torch::Tensor make(const FrameWindow& window, const std::vector<double>& times) override {
    PrecisionScope scope(choice_.precision, model_->device());
    return model_->interpolate(window, times);
  }

  std::unique_ptr<FrameInterpolator> model_;
  PrecisionChoice choice_;
};

}  // namespace

std::unique_ptr<FrameInterpolator> with_precision(std::unique_ptr<FrameInterpolator> model, PrecisionChoice choice) {
  return std::make_unique<PrecisionInterpolator>(std::move(model), std::move(choice));
}

}  // namespace interp
