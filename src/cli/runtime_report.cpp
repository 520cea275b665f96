/// `interp --runtime` and the CPU-fallback warning (see runtime_report.h).
#include "runtime_report.h"

#include "interp/core/cpu_threads.h"
#include "interp/core/cuda_status.h"
#include "interp/core/device.h"
#include "interp/core/precision.h"
#include "interp/pipeline/precision_verdicts.h"

#include <torch/version.h>

#include <cstdio>
#include <cstdlib>
#include <sstream>

namespace interp::cli {
namespace {

constexpr const char* kFixCommand = "INTERP_CUDA=1 scripts/setup.sh";

std::string gib(int64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.1f GiB", static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  return text;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

std::string cuda_fix_hint() {
  const CudaStatus status = cuda_status();
  // Without a driver the libraries alone would not make CUDA usable.
  if (status.driver.empty() || !status.has_libtorch_cuda || status.missing().empty()) return "";
  return "run " + std::string(kFixCommand) + " to install " + joined(status.missing());
}

std::string runtime_report() {
  const CudaStatus status = cuda_status();
  std::ostringstream out;
  out << "LibTorch " << TORCH_VERSION << "\n";
  const CpuCapabilities cpu = cpu_capabilities();
  const auto yes = [](bool b) { return b ? "yes" : "no"; };
  out << "CPU: AVX2 " << yes(cpu.avx2) << ", AVX-512 " << yes(cpu.avx512) << ", AVX-512-BF16 " << yes(cpu.avx512_bf16)
      << ", AMX-BF16 " << yes(cpu.amx_bf16) << "; bf16 convolutions: "
      << (cpu.bf16_instructions().empty()
              ? "emulated, slower than fp32 (--precision auto keeps fp32)"
              : "native (" + cpu.bf16_instructions() + "; --precision auto times them against fp32 once per model)")
      << "\n";
  const char* omp = std::getenv("OMP_NUM_THREADS");
  out << "CPU threads by default: " << default_cpu_threads() << " (" << available_cpus()
      << " CPU(s) this process may run on" << (omp ? std::string(", OMP_NUM_THREADS=") + omp : "") << ")\n";
  const pipeline::VerdictFile verdicts(pipeline::VerdictFile::default_path(), false);
  const auto kept = verdicts.all();
  out << "precision verdicts measured here (" << verdicts.path() << "):" << (kept.empty() ? " none yet" : "") << "\n";
  for (const auto& [key, verdict, date] : kept) {
    char ratio[32];
    std::snprintf(ratio, sizeof(ratio), "%.2fx", verdict.bf16_speedup);
    out << "  " << key << ": " << precision_name(verdict.faster()) << " (bf16 " << ratio << " fp32, " << date << ")\n";
  }
  out << "NVIDIA driver: " << (status.driver.empty() ? "none (no /proc/driver/nvidia/version)" : status.driver) << "\n";
  if (!status.has_libtorch_cuda) {
    out << "CUDA libraries: this LibTorch has no libtorch_cuda.so (a CPU-only build)\n";
  } else {
    out << "CUDA libraries (what libtorch_cuda.so needs):\n";
    for (const auto& lib : status.libraries)
      out << "  " << lib.name << "  " << (lib.path.empty() ? "MISSING" : lib.path) << "\n";
  }
  out << "CUDA: " << (status.usable ? "available" : "unavailable (" + status.why_not + ")") << "\n";
  if (!status.usable && !cuda_fix_hint().empty()) out << "  fix: " << cuda_fix_hint() << "\n";
  out << "devices:" << (status.devices.empty() ? " none" : "") << "\n";
  for (size_t i = 0; i < status.devices.size(); ++i)
    out << "  cuda:" << i << "  " << status.devices[i].name << ", " << gib(status.devices[i].memory_bytes) << "\n";
  std::string text = out.str();
  text.pop_back();  // the caller ends the last line
  return text;
}

std::string cpu_fallback_warning() {
  const std::string driver = nvidia_driver_version();
  if (driver.empty()) return "";
  std::string why;
  if (load_cuda_backend(&why)) return "";
  const std::string fix = cuda_fix_hint();
  return "NVIDIA driver " + driver + " found, but CUDA cannot be used (" + why + "): running on the CPU, far slower" +
         (fix.empty() ? "" : "; " + fix);
}

}  // namespace interp::cli
