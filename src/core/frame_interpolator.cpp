/// The checks every model's entry point makes before its own work.
#include "interp/core/frame_interpolator.h"

#include "interp/base/error.h"

namespace interp {

torch::Tensor FrameInterpolator::interpolate(const FrameWindow& window, const std::vector<double>& times) {
  const ModelTraits t = traits();
  if (!window.fits(t))
    throw Error(name() + " reads " + std::to_string(t.frames_before) + " frame(s) before a pair and " +
                std::to_string(t.frames_after) + " after it, not " + std::to_string(window.before()) + " and " +
                std::to_string(window.after()));
  if (static_cast<int64_t>(times.size()) != window.batch()) throw Error("one timestep per pair is required");
  return make(window, times);
}

torch::Tensor times_tensor(const std::vector<double>& times, const torch::TensorOptions& options) {
  auto t = torch::empty({static_cast<int64_t>(times.size())}, options);
  for (size_t i = 0; i < times.size(); ++i) t.narrow(0, static_cast<int64_t>(i), 1).fill_(times[i]);
  return t;
}

std::string choices_since(const PairChoices& before, const PairChoices& now) {
  const int64_t judged = now.judged - before.judged;
  if (judged <= 0) return "";
  return std::to_string(now.chosen - before.chosen) + " of " + std::to_string(judged) + " pairs " + now.choice;
}

}  // namespace interp
