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
  // (cosine 0.9999), v3.9's with the refinement net turns by cosine 0.970.
  return "bf16 gradients were measured to turn from fp32's (cosine 0.97 on v3.9); --precision bf16 to train in it";
}

double learning_rate_at(const OptimiserSettings& s, double progress) {
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
  PrecisionScope scope(precision_, b.img0.device());
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
  PrecisionScope scope(precision_, b.img0.device());
  const auto frames = model_.outputs(b).at("frame").clamp(0, 1);
  const auto mse = (frames - b.gt).pow(2).flatten(1).mean(1).clamp_min(1e-10);
  return (-10 * torch::log10(mse)).mean().item<double>();
}

namespace {
constexpr int64_t kCheckpointFormat = 1;

torch::Tensor text_tensor(const std::string& text) {
  return torch::from_blob(const_cast<char*>(text.data()), {static_cast<int64_t>(text.size())}, torch::kUInt8).clone();
}
/// Archive keys may not hold dots; parameter names do.
std::string archive_key(std::string name) {
  std::replace(name.begin(), name.end(), '.', '|');
  return name;
}

/// The module's parameters and buffers by name (module.save/load would rebind them to
/// new storage, which weights loaded from a mapped file cannot take).
void save_tensors(torch::nn::Module& module, torch::serialize::OutputArchive& archive) {
  for (const auto& p : module.named_parameters()) archive.write(archive_key(p.key()), p.value().detach());
  for (const auto& b : module.named_buffers()) archive.write(archive_key(b.key()), b.value().detach(), true);
}

void load_tensors(torch::nn::Module& module, torch::serialize::InputArchive& archive, const std::string& path) {
  torch::NoGradGuard no_grad;
  const auto take = [&](const std::string& name, torch::Tensor target, bool buffer) {
    torch::Tensor value;
    archive.read(archive_key(name), value, buffer);
    if (!value.sizes().equals(target.sizes()))
      throw Error(path + ": its " + name + " has another shape than the model's");
    target.copy_(value);
  };
  for (const auto& p : module.named_parameters()) take(p.key(), p.value(), false);
  for (const auto& b : module.named_buffers()) take(b.key(), b.value(), true);
}

std::string tensor_text(const torch::Tensor& t) {
  const auto bytes = t.contiguous();
  return std::string(static_cast<const char*>(bytes.data_ptr()), static_cast<size_t>(bytes.numel()));
}
}  // namespace

void save_checkpoint(const std::string& path, Trainer& trainer, const CheckpointState& state) {
  torch::serialize::OutputArchive archive, weights, optimiser;
  archive.write("format", torch::tensor(kCheckpointFormat));
  archive.write("step", torch::tensor(state.step));
  archive.write("seconds", torch::tensor(state.seconds, torch::kFloat64));
  archive.write("psnr_before", torch::tensor(state.validation_psnr_before, torch::kFloat64));
  archive.write("identity", text_tensor(state.identity));
  archive.write("rng", text_tensor(state.rng));
  save_tensors(trainer.model().module(), weights);
  archive.write("model", weights);
  trainer.optimiser().save(optimiser);
  archive.write("optimiser", optimiser);
  archive.save_to(path);
}

CheckpointState load_checkpoint(const std::string& path, Trainer& trainer, const std::string& identity) {
  CheckpointState state;
  try {
    torch::serialize::InputArchive archive, weights, optimiser;
    archive.load_from(path);
    const auto read = [&](const char* key) {
      torch::Tensor value;  // a fresh one each time: read() rebinds a defined tensor in place
      archive.read(key, value);
      return value;
    };
    if (read("format").item<int64_t>() != kCheckpointFormat) throw Error(path + ": a checkpoint of another format");
    state.identity = tensor_text(read("identity"));
    if (state.identity != identity)
      throw Error(path + ": a checkpoint of another run (" + state.identity + "), not of " + identity);
    state.step = read("step").item<int64_t>();
    state.seconds = read("seconds").item<double>();
    state.validation_psnr_before = read("psnr_before").item<double>();
    state.rng = tensor_text(read("rng"));
    archive.read("model", weights);
    load_tensors(trainer.model().module(), weights, path);
    archive.read("optimiser", optimiser);
    trainer.optimiser().load(optimiser);
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    const auto* torch_error = dynamic_cast<const c10::Error*>(&e);
    throw Error(path + ": not a usable checkpoint (" +
                first_line(torch_error ? torch_error->what_without_backtrace() : e.what()) + ")");
  }
  for (const auto& p : trainer.model().module().parameters())
    if (!torch::isfinite(p).all().item<bool>()) throw Error(path + ": a checkpoint with non-finite weights");
  trainer.set_steps_taken(state.step);
  return state;
}

}  // namespace interp::train
