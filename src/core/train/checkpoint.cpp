/// Checkpoints (trainer.h) as safetensors files: read back by interp's own bounded,
/// fuzzed reader, never by LibTorch's archive reader, which trusts the sizes a file
/// claims. Every tensor — weights, buffers, AdamW's moments — and the run's state carry a
/// fingerprint in the header, so one flipped bit is found and named.
#include "interp/base/error.h"
#include "interp/base/fingerprint.h"
#include "interp/core/train/trainer.h"
#include "interp/core/weights/safetensors.h"

#include <torch/torch.h>

#include <sstream>

namespace interp::train {
namespace {

/// 3: safetensors with fingerprints (1: a LibTorch archive; 2 never left this change).
constexpr const char* kFormat = "3";
constexpr const char* kFormatKey = "interp.checkpoint.format";
constexpr const char* kStateKey = "interp.checkpoint.state";
const std::string kSumPrefix = "interp.checkpoint.sum.";

/// A tensor's type, shape and bytes: what a damaged file would change.
std::string fingerprint(const torch::Tensor& t) {
  const auto bytes = t.detach().to(torch::kCPU).contiguous();
  Fingerprint f;
  f.add(static_cast<int64_t>(bytes.scalar_type()));
  for (const int64_t side : bytes.sizes()) f.add(side);
  f.add(bytes.data_ptr(), bytes.nbytes());
  return f.hex();
}
std::string fingerprint(const std::string& text) {
  Fingerprint f;
  f.add(text);
  return f.hex();
}

/// The run's own values as one text: step, time and validation on a line each, the
/// identity's length on the next, then the identity and the sampler's state.
std::string state_text(const CheckpointState& s) {
  std::ostringstream text;
  text.precision(17);
  text << s.step << "\n" << s.seconds << "\n" << s.validation_psnr_before << "\n" << s.identity.size() << "\n"
       << s.identity << s.rng;
  return text.str();
}

CheckpointState parse_state(const std::string& text, const std::string& path) {
  std::istringstream in(text);
  std::string line;
  const auto next = [&] {
    if (!std::getline(in, line)) throw Error(path + ": a checkpoint whose run state cannot be read");
    return line;
  };
  CheckpointState state;
  try {
    state.step = std::stoll(next());
    state.seconds = std::stod(next());
    state.validation_psnr_before = std::stod(next());
    const size_t length = std::stoull(next()), at = static_cast<size_t>(in.tellg());
    if (at > text.size() || length > text.size() - at) throw Error(path + ": a checkpoint whose run state cannot be read");
    state.identity = text.substr(at, length);
    state.rng = text.substr(at + length);
  } catch (const std::logic_error&) {  // stoll/stod on a state that is not numbers
    throw Error(path + ": a checkpoint whose run state cannot be read");
  }
  return state;
}

/// What AdamW keeps per parameter, under the parameter's name.
std::vector<std::pair<std::string, torch::Tensor>> moments_of(const std::string& name,
                                                              const torch::optim::AdamWParamState& s) {
  std::vector<std::pair<std::string, torch::Tensor>> out = {
      {"adamw." + name + ".step", torch::tensor(s.step(), torch::kInt64)},
      {"adamw." + name + ".exp_avg", s.exp_avg()},
      {"adamw." + name + ".exp_avg_sq", s.exp_avg_sq()}};
  if (s.max_exp_avg_sq().defined()) out.emplace_back("adamw." + name + ".max_exp_avg_sq", s.max_exp_avg_sq());
  return out;
}

/// The file's tensor `key`, checked against its fingerprint and the shape it must have.
torch::Tensor checked(const weights::SafetensorsFile& file, const std::string& key, at::IntArrayRef shape,
                      const std::string& what, const std::string& path) {
  const auto tensor = file.tensors.find(key);
  const auto sum = file.metadata.find(kSumPrefix + key);
  if (tensor == file.tensors.end() || sum == file.metadata.end())
    throw Error(path + ": a checkpoint without " + what + " (of another model?)");
  if (fingerprint(tensor->second) != sum->second)
    throw Error(path + ": damaged checkpoint: " + what + " do not match the checksum written with them");
  if (!tensor->second.sizes().equals(shape)) throw Error(path + ": its " + what + " have another shape than the model's");
  return tensor->second;
}

}  // namespace

void save_checkpoint(const std::string& path, Trainer& trainer, const CheckpointState& state) {
  weights::StateDict tensors;
  torch::nn::Module& module = trainer.model().module();
  for (const auto& p : module.named_parameters()) tensors["model." + p.key()] = p.value().detach();
  for (const auto& b : module.named_buffers()) tensors["model." + b.key()] = b.value().detach();
  auto& moments = trainer.optimiser().state();
  for (const auto& p : module.named_parameters()) {
    const auto found = moments.find(p.value().unsafeGetTensorImpl());
    if (found == moments.end()) continue;  // no step taken yet
    for (auto& [key, t] : moments_of(p.key(), static_cast<const torch::optim::AdamWParamState&>(*found->second)))
      tensors[key] = t.detach();
  }
  weights::Metadata meta{{kFormatKey, kFormat}, {kStateKey, state_text(state)}};
  meta[kSumPrefix + kStateKey] = fingerprint(meta[kStateKey]);
  for (const auto& [key, t] : tensors) meta[kSumPrefix + key] = fingerprint(t);
  weights::write_safetensors(path, tensors, meta);
}

namespace {

CheckpointState load_checked(const std::string& path, Trainer& trainer, const std::string& identity) {
  weights::SafetensorsFile file;
  try {
    file = weights::read_safetensors(path);
  } catch (const Error& e) {
    throw Error(path + ": not a usable checkpoint (" + first_line(e.what()) + ")");
  }
  const auto format = file.metadata.find(kFormatKey);
  if (format == file.metadata.end() || format->second != kFormat)
    throw Error(path + ": a checkpoint of another format (an older interp's: -y starts over)");
  const auto text = file.metadata.find(kStateKey), sum = file.metadata.find(kSumPrefix + kStateKey);
  if (text == file.metadata.end() || sum == file.metadata.end() || fingerprint(text->second) != sum->second)
    throw Error(path + ": damaged checkpoint: the run's state (step, time, sampler) does not match its checksum");
  const CheckpointState state = parse_state(text->second, path);
  if (state.identity != identity)
    throw Error(path + ": a checkpoint of another run (" + state.identity + "), not of " + identity);

  // Everything is checked before anything is copied: a refusal leaves the trainer as it was.
  torch::nn::Module& module = trainer.model().module();
  std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;  // (target, value)
  for (const auto& p : module.named_parameters())
    copies.emplace_back(p.value(), checked(file, "model." + p.key(), p.value().sizes(), "the weights " + p.key(), path));
  for (const auto& b : module.named_buffers())
    copies.emplace_back(b.value(), checked(file, "model." + b.key(), b.value().sizes(), "the buffer " + b.key(), path));
  std::vector<std::pair<void*, std::unique_ptr<torch::optim::AdamWParamState>>> moments;
  for (const auto& p : module.named_parameters()) {
    const std::string prefix = "adamw." + p.key();
    if (!file.tensors.count(prefix + ".step")) continue;  // saved before its first step
    const auto what = [&](const char* part) { return "the optimiser's " + std::string(part) + " of " + p.key(); };
    auto s = std::make_unique<torch::optim::AdamWParamState>();
    s->step(checked(file, prefix + ".step", {}, what("step"), path).item<int64_t>());
    // Copies: the file's tensors map its bytes, which go when it closes.
    const auto moment = [&](const std::string& part) {
      return checked(file, prefix + part, p.value().sizes(), what("moments"), path).to(p.value().options(), false, true);
    };
    s->exp_avg(moment(".exp_avg"));
    s->exp_avg_sq(moment(".exp_avg_sq"));
    if (file.tensors.count(prefix + ".max_exp_avg_sq")) s->max_exp_avg_sq(moment(".max_exp_avg_sq"));
    moments.emplace_back(p.value().unsafeGetTensorImpl(), std::move(s));
  }
  for (const auto& [target, value] : copies)
    if (value.is_floating_point() && !torch::isfinite(value).all().item<bool>())
      throw Error(path + ": a checkpoint with non-finite weights");
  {
    torch::NoGradGuard no_grad;
    for (auto& [target, value] : copies) target.copy_(value);
  }
  auto& state_map = trainer.optimiser().state();
  state_map.clear();
  for (auto& [key, s] : moments) state_map[key] = std::move(s);
  trainer.set_steps_taken(state.step);
  return state;
}

}  // namespace

CheckpointState load_checkpoint(const std::string& path, Trainer& trainer, const std::string& identity) {
  try {
    return load_checked(path, trainer, identity);
  } catch (const c10::Error& e) {  // LibTorch refusing a value the file holds
    throw Error(path + ": not a usable checkpoint (" + first_line(e.what_without_backtrace()) + ")");
  }
}

}  // namespace interp::train
