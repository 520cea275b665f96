/// The arithmetic of a training step and its checkpoint (see trainer.h). The step is
/// the reference's `update()`: zero the gradients, forward, loss, backward, step.
#include "interp/core/train/trainer.h"

#include "interp/base/error.h"
#include "interp/core/train/laplacian_loss.h"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace interp::train {

std::string why_not_train_in_bf16() {
  // tests/training_test.cpp, Bf16GradientsFollowFp32: v4.6's gradient keeps its direction
  // (cosine 0.9999), v3.9's with the refinement net turns by cosine 0.970; other
  // families are unmeasured. Said so for every model, not as if measured on it.
  return "training runs in fp32 unless asked: bf16 gradients were measured on RIFE only, and v3.9's turned from "
         "fp32's (cosine 0.97); --precision bf16 to train in it";
}

double learning_rate_at(const OptimiserSettings& s, double progress) {
  if (s.schedule == RateSchedule::kConstant) return s.learning_rate;
  progress = std::clamp(progress, 0.0, 1.0);
  if (progress < s.warmup_share) return s.learning_rate * progress / s.warmup_share;
  const double along = s.warmup_share < 1 ? (progress - s.warmup_share) / (1 - s.warmup_share) : 1;
  const double floor = s.learning_rate * s.floor_share;
  return (s.learning_rate - floor) * (std::cos(along * M_PI) * 0.5 + 0.5) + floor;
}

Trainer::Trainer(TrainableModel& model, OptimiserSettings settings, Precision precision)
    : model_(model),
      settings_(settings),
      precision_(precision),
      optimiser_(model.module().parameters(),
                 torch::optim::AdamWOptions(settings.learning_rate).weight_decay(settings.weight_decay)) {}

torch::Tensor Trainer::loss(const TrainingBatch& b) {
  PrecisionScope scope(precision_, b.frames.left().device());
  const auto outputs = model_.outputs(b);
  torch::Tensor total;
  for (const auto& term : model_.loss_terms()) {
    const auto& frame = outputs.at(term.output);
    const auto value = term.kind == LossTerm::Kind::LaplacianL1 ? laplacian_loss(frame, b.gt)
                                                                 : torch::l1_loss(frame, b.gt);
    total = total.defined() ? total + term.weight * value : term.weight * value;
  }
  return total;
}

StepResult Trainer::step(const TrainingBatch& batch, double learning_rate) {
  for (auto& group : optimiser_.param_groups())
    static_cast<torch::optim::AdamWOptions&>(group.options()).lr(learning_rate);
  model_.module().train();
  optimiser_.zero_grad();
  const auto value = loss(batch);
  StepResult result;
  result.loss = value.item<double>();
  if (!std::isfinite(result.loss))
    throw Error("the training loss is not finite at step " + std::to_string(steps_ + 1) +
                " (a lower learning rate may help)");
  value.backward();
  if (!gradients_checked_) {  // a detached branch would otherwise train silently less
    for (const auto& p : model_.module().named_parameters())
      if (!p.value().grad().defined() && model_.uses_parameter(p.key())) throw Error("parameter " + p.key() + " receives no gradient");
    gradients_checked_ = true;
  }
  const auto params = model_.module().parameters();
  result.gradient_norm = settings_.gradient_clip > 0
                             ? torch::nn::utils::clip_grad_norm_(params, settings_.gradient_clip)
                             : torch::nn::utils::clip_grad_norm_(params, INFINITY);
  optimiser_.step();
  ++steps_;
  return result;
}

double Trainer::psnr(const TrainingBatch& b) {
  torch::NoGradGuard no_grad;
  model_.module().eval();
  PrecisionScope scope(precision_, b.frames.left().device());
  const auto frames = model_.outputs(b).at("frame").clamp(0, 1);
  const auto mse = (frames - b.gt).pow(2).flatten(1).mean(1).clamp_min(1e-10);
  return (-10 * torch::log10(mse)).mean().item<double>();
}

}  // namespace interp::train
