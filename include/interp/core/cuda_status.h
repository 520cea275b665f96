#pragma once
/// What stands between this machine and a CUDA run, piece by piece: the NVIDIA driver,
/// each library libtorch_cuda.so needs (found where, by the loader's own search order,
/// or missing), whether the backend loaded, and the devices. Why: a GPU owner whose run
/// falls back to the CPU must be told which piece is missing, not just "unavailable".
#include <cstdint>
#include <string>
#include <vector>

namespace interp {

struct CudaLibrary {
  std::string name;  ///< as libtorch_cuda.so names it ("libcudnn.so.9")
  std::string path;  ///< where the loader finds it; empty: missing
};

struct CudaDevice {
  std::string name;
  int64_t memory_bytes = 0;
};

struct CudaStatus {
  std::string driver;   ///< the kernel module's version ("580.82.07"); empty: no NVIDIA driver
  bool has_libtorch_cuda = false;      ///< this LibTorch ships libtorch_cuda.so (or links it)
  std::vector<CudaLibrary> libraries;  ///< libtorch_cuda.so's CUDA dependencies
  bool usable = false;  ///< load_cuda_backend() succeeded: CUDA devices can be used
  std::string why_not;  ///< load_cuda_backend()'s reason when not usable
  std::vector<CudaDevice> devices;

  /// The libraries that are missing (what set-up's CUDA step installs).
  std::vector<std::string> missing() const;
};

/// The NVIDIA driver's version from /proc/driver/nvidia/version; empty when none.
std::string nvidia_driver_version();

/// Probes everything above (loads the CUDA backend if it can). Never throws.
CudaStatus cuda_status();

}  // namespace interp
