#pragma once
/// A model's named tensors, and loading them into a torch::nn::Module with a report of
/// every missing, unexpected and mis-shaped name when they do not fit.
#include <torch/nn/module.h>

#include <map>
#include <string>

namespace interp::weights {

/// Parameter/buffer name -> tensor, sorted by name.
using StateDict = std::map<std::string, torch::Tensor>;

/// Free-form key/value metadata carried next to the tensors (variant, version, source).
using Metadata = std::map<std::string, std::string>;

/// Names and shapes of `module`'s parameters and buffers.
StateDict module_state(const torch::nn::Module& module);

/// Removes `prefix` from every key that starts with it (e.g. "module." of DataParallel).
StateDict strip_prefix(const StateDict& dict, const std::string& prefix);

/// Whether `name` is a BatchNorm step counter (`*.num_batches_tracked`): not a weight,
/// so files need not hold it and interp's do not.
bool is_step_counter(const std::string& name);

/// Copies `dict` into `module` (casting dtype); step counters it lacks stay as they are. Throws interp::Error listing the first
/// missing/unexpected/mis-shaped names unless the key sets and shapes match exactly.
void load_into(torch::nn::Module& module, const StateDict& dict, const std::string& what);

}  // namespace interp::weights
