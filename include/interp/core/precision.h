#pragma once
/// The number format a model computes in, and where bf16 applies. Convolutions hold
/// nearly all of a model's multiply-adds, and CPUs with AMX-BF16 or AVX-512-BF16 run
/// them 2-7x faster in bfloat16 (oneDNN accumulates in fp32); what is sensitive to
/// rounding — flows, warps, masks, merges, the layers that output them — stays fp32.
/// Networks mark their convolution stacks with convolved(); a PrecisionScope opened
/// around a forward pass decides whether those run in bf16 (autocast) or as stored.
#include <torch/types.h>

#include <optional>
#include <string>
#include <vector>

namespace interp {

enum class Precision {
  kAuto,  ///< CPU: the faster of fp32 and bf16, measured here (auto_precision.h); CUDA: fp16 where measured, else fp32
  kFp32,  ///< IEEE single precision, on CUDA too (TF32 off in cuDNN and cuBLAS)
  kBf16,  ///< convolution stacks in bf16, the rest fp32 (CPU or CUDA)
  kFp16,  ///< the whole model stored and run in half precision (CUDA only)
  kTf32,  ///< fp32 storage, convolutions and matmuls in TensorFloat-32 (CUDA only: cuDNN/cuBLAS)
};

const char* precision_name(Precision precision);
std::optional<Precision> precision_by_name(const std::string& name);
std::vector<std::string> precision_names();

/// The CPU features that decide bf16's speed (from LibTorch's cpuinfo).
struct CpuCapabilities {
  bool amx_bf16 = false;
  bool avx512_bf16 = false;
  bool avx512 = false;
  bool avx2 = false;
  /// What runs bf16 convolutions natively: "AMX-BF16", "AVX-512-BF16", or "" (emulated: slower than fp32).
  std::string bf16_instructions() const;
};
/// This machine's.
CpuCapabilities cpu_capabilities();

/// The type rounding-sensitive steps (warps, splatting, losses) compute in: fp32 for
/// fp32 and the reduced formats, float64 for float64 (the parity tests' exact runs,
/// which a step that forced fp32 would round back to float32).
torch::ScalarType at_least_fp32(torch::ScalarType type);

/// A precision resolved for one model, and why (for the log line).
struct PrecisionChoice {
  Precision precision = Precision::kFp32;
  std::string why;
};

/// What auto may not pick for one model and mode, and why; "" where it was measured to
/// keep the quality (within 0.05 dB of fp32 on real frames).
struct PrecisionGates {
  std::string why_not_bf16;  ///< bf16 convolutions on the CPU (never auto on CUDA)
  std::string why_not_fp16 = "its fp16 quality is unmeasured";  ///< fp16 on CUDA
};

/// Resolves `requested` for a model on `device`, the one rule for inference and
/// training. Auto: on CUDA fp16 where the gate allows it, else IEEE fp32; on a CPU with
/// bf16 instructions and an open gate, bf16 *as a candidate* — whether it pays is
/// measured next (auto_precision.h); elsewhere fp32. Throws interp::Error for fp16 or
/// tf32 off CUDA.
PrecisionChoice choose_precision(Precision requested, torch::Device device, const CpuCapabilities& cpu,
                                 const PrecisionGates& gates = {});

/// cuDNN's and cuBLAS's float32 math for `precision` on CUDA: TensorFloat-32 for tf32,
/// IEEE for every other (LibTorch's default lets cuDNN convolutions run in TF32, which
/// moves RIFE's frames by up to 0.028). A process-wide setting: the caller that owns the
/// run applies it once it knows the precision.
void apply_cuda_math(Precision precision);

/// The process-wide switches of a run on `device`, set once by the caller that owns the
/// run (the CLI, a bench) after the model is built, never by a builder: on CUDA the
/// float32 math of `precision` (apply_cuda_math) and whether cuDNN times its
/// convolution algorithms per frame size (`cudnn_benchmark`); nothing elsewhere.
void apply_run_switches(Precision precision, torch::Device device, bool cudnn_benchmark);

/// While alive, convolved() stacks on this thread run in bf16 when `choice` is bf16 (on
/// `device`'s autocast); otherwise it changes nothing. Nests; restores what it found.
class PrecisionScope {
 public:
  PrecisionScope(Precision precision, torch::Device device);
  ~PrecisionScope();
  PrecisionScope(const PrecisionScope&) = delete;
  PrecisionScope& operator=(const PrecisionScope&) = delete;

 private:
  bool previous_bf16_;
  c10::DeviceType previous_device_;
};

namespace precision_detail {
/// Enters bf16 autocast for the open PrecisionScope (if it asks for bf16) until destroyed.
class ConvolutionGuard {
 public:
  ConvolutionGuard();
  ~ConvolutionGuard();
  ConvolutionGuard(const ConvolutionGuard&) = delete;
  ConvolutionGuard& operator=(const ConvolutionGuard&) = delete;
  bool active() const { return active_; }

 private:
  bool active_ = false;
  bool was_enabled_ = false;
  c10::ScalarType was_dtype_ = c10::ScalarType::Float;
};
torch::Tensor to_fp32(const torch::Tensor& t);
template <class T>
T to_fp32(T tensors) {  // vectors and arrays of tensors
  for (auto& t : tensors) t = to_fp32(t);
  return tensors;
}
}  // namespace precision_detail

/// Runs `stack` (convolutions and the activations between them) in bf16 inside a bf16
/// PrecisionScope and hands its tensors back as fp32; elsewhere runs it as it is.
template <class Stack>
auto convolved(Stack&& stack) -> decltype(stack()) {
  precision_detail::ConvolutionGuard guard;
  if (!guard.active()) return stack();
  return precision_detail::to_fp32(stack());
}

}  // namespace interp
