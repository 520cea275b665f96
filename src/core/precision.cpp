/// Precision names, the CPU's bf16 capabilities, the auto rule and the bf16 scopes.
#include "interp/core/precision.h"

#include "interp/core/placement.h"

#include "interp/base/error.h"
#include "interp/base/name_table.h"

#include <ATen/Context.h>
#include <ATen/autocast_mode.h>
#include <ATen/cpu/Utils.h>

namespace interp {
namespace {

constexpr NamedValue<Precision> kPrecisions[] = {{Precision::kAuto, "auto"}, {Precision::kFp32, "fp32"},
                                                {Precision::kBf16, "bf16"}, {Precision::kFp16, "fp16"},
                                                {Precision::kTf32, "tf32"}};

// What the innermost PrecisionScope on this thread asks for.
thread_local bool scope_bf16 = false;
thread_local c10::DeviceType scope_device = c10::DeviceType::CPU;

bool capability(const std::unordered_map<std::string, c10::IValue>& caps, const char* name) {
  const auto it = caps.find(name);
  return it != caps.end() && it->second.isBool() && it->second.toBool();
}

}  // namespace

const char* precision_name(Precision precision) { return name_in(kPrecisions, precision); }
std::optional<Precision> precision_by_name(const std::string& name) { return value_named(kPrecisions, name); }
std::vector<std::string> precision_names() { return names_in(kPrecisions); }

std::string CpuCapabilities::bf16_instructions() const {
  if (amx_bf16) return "AMX-BF16";
  if (avx512_bf16) return "AVX-512-BF16";
  return "";
}

CpuCapabilities cpu_capabilities() {
  const auto caps = at::cpu::get_cpu_capabilities();
  CpuCapabilities c;
  c.amx_bf16 = capability(caps, "amx_bf16");
  c.avx512_bf16 = capability(caps, "avx512_bf16");
  c.avx512 = capability(caps, "avx512_f");
  c.avx2 = capability(caps, "avx2");
  return c;
}

torch::ScalarType at_least_fp32(torch::ScalarType type) {
  return type == torch::kFloat64 ? torch::kFloat64 : torch::kFloat32;
}

PrecisionChoice choose_precision(Precision requested, torch::Device device, const CpuCapabilities& cpu,
                                 const PrecisionGates& gates) {
  check_placement({device, torch::kFloat32, requested});
  if (requested != Precision::kAuto) return {requested, "as asked"};
  if (device.is_cuda()) {
    if (gates.why_not_fp16.empty())
      return {Precision::kFp16, "auto: fp16 on CUDA, measured within 0.05 dB of fp32 for this model"};
    return {Precision::kFp32, "auto: IEEE fp32 on CUDA (" + gates.why_not_fp16 + "; --precision fp16 or tf32 to ask)"};
  }
  const std::string instructions = cpu.bf16_instructions();
  if (instructions.empty())
    return {Precision::kFp32, "auto: this CPU has no AMX-BF16 or AVX-512-BF16, where bf16 would be slower"};
  if (!gates.why_not_bf16.empty()) return {Precision::kFp32, "auto: " + gates.why_not_bf16};
  return {Precision::kBf16, "auto: this CPU has " + instructions};
}

void apply_cuda_math(Precision precision) {
  // These two setters keep LibTorch's older flags and its per-operation table in step
  // (setting the table alone makes its own consistency checks throw).
  const bool tf32 = precision == Precision::kTf32;
  at::globalContext().setAllowTF32CuDNN(tf32);
  at::globalContext().setFloat32MatmulPrecision(tf32 ? "high" : "highest");
}

void apply_run_switches(Precision precision, torch::Device device, bool cudnn_benchmark) {
  if (!device.is_cuda()) return;
  apply_cuda_math(precision);  // fp32 means IEEE fp32; tf32 only when chosen
  at::globalContext().setBenchmarkCuDNN(cudnn_benchmark);
}

PrecisionScope::PrecisionScope(Precision precision, torch::Device device)
    : previous_bf16_(scope_bf16), previous_device_(scope_device) {
  scope_bf16 = precision == Precision::kBf16;
  scope_device = device.type();
}

PrecisionScope::~PrecisionScope() {
  scope_bf16 = previous_bf16_;
  scope_device = previous_device_;
}

namespace precision_detail {

ConvolutionGuard::ConvolutionGuard() {
  if (!scope_bf16) return;
  active_ = true;
  was_enabled_ = at::autocast::is_autocast_enabled(scope_device);
  was_dtype_ = at::autocast::get_autocast_dtype(scope_device);
  at::autocast::set_autocast_enabled(scope_device, true);
  at::autocast::set_autocast_dtype(scope_device, at::kBFloat16);
  at::autocast::increment_nesting();
}

ConvolutionGuard::~ConvolutionGuard() {
  if (!active_) return;
  // Weight casts are cached while training (leaf tensors that need grad); released
  // when the outermost stack ends, as torch.autocast does.
  if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
  at::autocast::set_autocast_enabled(scope_device, was_enabled_);
  at::autocast::set_autocast_dtype(scope_device, was_dtype_);
}

torch::Tensor to_fp32(const torch::Tensor& t) {
  return t.defined() && t.scalar_type() == torch::kBFloat16 ? t.to(torch::kFloat32) : t;
}

}  // namespace precision_detail
}  // namespace interp
