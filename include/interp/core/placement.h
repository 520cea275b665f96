#pragma once
/// Where a model's tensors live and the number format it computes in, as one value that
/// every family's options nest: the device, the storage type (fp32; half for fp16;
/// float64 in the parity tests' exact runs) and the precision of its operations
/// (precision.h). place() is the one rule that resolves a requested placement, for
/// inference and for training: what a device cannot run is refused there
/// (check_placement) and nowhere else, and the storage type follows the precision, so
/// that fp16 is said once.
#include "interp/core/precision.h"

#include <torch/types.h>

#include <string>

namespace interp {

struct Placement {
  torch::Device device = torch::kCPU;
  torch::Dtype dtype = torch::kFloat32;
  Precision precision = Precision::kFp32;  ///< as requested (kAuto too) or as place() resolved it
};

/// A placement resolved, and why its precision (for the log line).
struct PlacementChoice {
  Placement placement;
  std::string why;
  PrecisionChoice precision() const { return {placement.precision, why}; }
};

/// Throws interp::Error when the device cannot run the precision (fp16 and tf32 need
/// CUDA); `asked_as` names the request in the message (default: the precision's name).
void check_placement(const Placement& placement, const std::string& asked_as = "");

/// `requested` with its precision resolved (choose_precision: auto by the gates, the
/// device and this CPU) and the storage type that precision takes (half for fp16, else
/// the requested one). Throws interp::Error for what check_placement refuses.
PlacementChoice place(const Placement& requested, const PrecisionGates& gates, const CpuCapabilities& cpu);

}  // namespace interp
