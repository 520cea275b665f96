#pragma once
/// Reads a `torch.save` state dict (zip container, pickle protocol <= 5) without Python.
/// LibTorch's own torch::pickle_load rejects a collections.OrderedDict, which is exactly
/// what official RIFE `flownet.pkl` files hold; this reader understands the subset of
/// pickle that torch.save emits for tensors, dicts, lists and tuples.
#include "interp/core/weights/state_dict.h"

#include <string>

namespace interp::weights {

/// Every tensor reachable from the pickled root (nested dicts flatten to "a.b" names).
/// Throws interp::Error when the file is not a torch.save zip or holds no tensors.
/// Also reads a TorchScript archive's parameters (as data: its code never runs).
StateDict read_torch_state_dict(const std::string& path);

/// True for the pre-1.6 torch.save format (a bare pickle stream, not a zip).
bool is_legacy_torch_save(const std::string& path);
inline constexpr const char* kLegacyFormatHelp =
    "legacy torch.save format (before PyTorch 1.6), which interp does not read; re-save it with a "
    "current PyTorch: torch.save(torch.load('old.pkl'), 'new.pkl')";

}  // namespace interp::weights
