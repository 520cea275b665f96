/// The one rule that places a model (placement.h).
#include "interp/core/placement.h"

#include "interp/base/error.h"

namespace interp {

void check_placement(const Placement& placement, const std::string& asked_as) {
  if (placement.device.is_cuda()) return;
  const std::string asked = asked_as.empty() ? precision_name(placement.precision) : asked_as;
  if (placement.precision == Precision::kFp16)
    throw Error(asked + " needs a CUDA device (CPU half precision is slower than fp32; bf16 is the CPU's fast format)");
  if (placement.precision == Precision::kTf32)
    throw Error(asked + " needs a CUDA device (TensorFloat-32 is a format of NVIDIA's tensor cores)");
}

PlacementChoice place(const Placement& requested, const PrecisionGates& gates, const CpuCapabilities& cpu) {
  const PrecisionChoice chosen = choose_precision(requested.precision, requested.device, cpu, gates);
  PlacementChoice placed{requested, chosen.why};
  placed.placement.precision = chosen.precision;
  if (chosen.precision == Precision::kFp16) placed.placement.dtype = torch::kFloat16;
  return placed;
}

}  // namespace interp
