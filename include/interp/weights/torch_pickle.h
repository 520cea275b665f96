#pragma once
/// Reads a `torch.save` state dict (zip container, pickle protocol <= 5) without Python.
/// LibTorch's own torch::pickle_load rejects a collections.OrderedDict, which is exactly
/// what official RIFE `flownet.pkl` files hold; this reader understands the subset of
/// pickle that torch.save emits for tensors, dicts, lists and tuples.
#include "interp/weights/state_dict.h"

#include <string>

namespace interp::weights {

/// Every tensor reachable from the pickled root (nested dicts flatten to "a.b" names).
/// Throws interp::Error when the file is not a torch.save zip or holds no tensors.
StateDict read_torch_state_dict(const std::string& path);

}  // namespace interp::weights
