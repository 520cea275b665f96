/// A FrameInterpolator that forwards to another inside a PrecisionScope.
#include "interp/core/precision_interpolator.h"

namespace interp {
namespace {

class PrecisionInterpolator final : public WrappedInterpolator {
 public:
  PrecisionInterpolator(std::unique_ptr<FrameInterpolator> model, PrecisionChoice choice)
      : WrappedInterpolator(std::move(model)), choice_(std::move(choice)) {}

  PrecisionChoice precision() const override { return choice_; }

 private:
  torch::Tensor make(const FrameWindow& window, const std::vector<double>& times) override {
    PrecisionScope scope(choice_.precision, device());
    return inner().interpolate(window, times);
  }

  PrecisionChoice choice_;
};

}  // namespace

std::unique_ptr<FrameInterpolator> with_precision(std::unique_ptr<FrameInterpolator> model, PrecisionChoice choice) {
  return std::make_unique<PrecisionInterpolator>(std::move(model), std::move(choice));
}

}  // namespace interp
