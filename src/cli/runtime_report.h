#pragma once
/// What `interp --runtime` prints, and the one line a GPU owner gets when `--device auto`
/// falls back to the CPU: both from core's CUDA probe (cuda_status.h), with the command
/// that fixes what is missing.
#include <string>

namespace interp::cli {

/// LibTorch's version, the driver, each CUDA library (found where / missing), whether
/// CUDA is usable and why not, and each device with its memory. Several lines.
std::string runtime_report();

/// The command that installs the CUDA libraries this machine's driver is waiting for,
/// or "" when set-up cannot help (no driver, a CPU-only LibTorch, nothing missing).
std::string cuda_fix_hint();

/// For `--device auto` that chose the CPU: one warning line when this machine has an
/// NVIDIA driver (so a GPU was there to use), else "".
std::string cpu_fallback_warning();

}  // namespace interp::cli
