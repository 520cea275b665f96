/// Matching a StateDict against a module, with a readable report when they differ.
#include "interp/core/weights/state_dict.h"

#include "interp/base/error.h"

#include <torch/torch.h>

#include <sstream>
#include <vector>

namespace interp::weights {
namespace {

std::string shape_of(const torch::Tensor& t) {
  std::ostringstream os;
  os << t.sizes();
  return os.str();
}

std::string first_few(const std::vector<std::string>& names, size_t limit = 4) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < limit; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > limit) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

}  // namespace

StateDict module_state(const torch::nn::Module& module) {
  StateDict out;
  for (const auto& item : module.named_parameters(true)) out[item.key()] = item.value();
  for (const auto& item : module.named_buffers(true)) out[item.key()] = item.value();
  return out;
}

StateDict strip_prefix(const StateDict& dict, const std::string& prefix) {
  StateDict out;
  for (const auto& [name, tensor] : dict)
    out[name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name] = tensor;
  return out;
}

bool is_step_counter(const std::string& name) {
  const std::string tail = "num_batches_tracked";
  return name.size() >= tail.size() && name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
}

void load_into(torch::nn::Module& module, const StateDict& dict, const std::string& what) {
  StateDict expected = module_state(module);
  for (auto it = expected.begin(); it != expected.end();)
    it = is_step_counter(it->first) && !dict.count(it->first) ? expected.erase(it) : std::next(it);
  std::vector<std::string> missing, unexpected, misshaped;
  for (const auto& [name, tensor] : expected) {
    auto it = dict.find(name);
    if (it == dict.end())
      missing.push_back(name);
    else if (!it->second.sizes().equals(tensor.sizes()))
      misshaped.push_back(name + " " + shape_of(it->second) + " vs expected " + shape_of(tensor));
  }
  for (const auto& entry : dict)
    if (!expected.count(entry.first)) unexpected.push_back(entry.first);

  if (!missing.empty() || !unexpected.empty() || !misshaped.empty()) {
    std::string msg = what + " does not match the model:";
    if (!missing.empty()) msg += " missing [" + first_few(missing) + "]";
    if (!unexpected.empty()) msg += " unexpected [" + first_few(unexpected) + "]";
    if (!misshaped.empty()) msg += " wrong shape [" + first_few(misshaped, 2) + "]";
    throw Error(msg);
  }
  torch::NoGradGuard no_grad;
  for (const auto& [name, tensor] : expected) {
    tensor.copy_(dict.at(name));  // copy_ casts dtype (fp16 files into fp32 modules)
  }
}

}  // namespace interp::weights
