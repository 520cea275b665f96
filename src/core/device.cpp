/// CUDA discovery at run time and device parsing.
#include "interp/core/device.h"

#include "interp/base/error.h"
#include "interp/core/cuda_status.h"

#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <c10/core/DeviceGuard.h>

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <optional>

namespace interp {
std::string libtorch_library_dir() {
  Dl_info info{};
  // Any symbol of libtorch_cpu tells where LibTorch's libraries live.
  if (dladdr(reinterpret_cast<void*>(&torch::cuda::is_available), &info) && info.dli_fname)
    return std::filesystem::path(info.dli_fname).parent_path().string();
  return {};
}

bool load_cuda_backend(std::string* why_not) {
  static std::once_flag once;
  static std::string failure;
  std::call_once(once, [] {
#ifndef INTERP_LINKED_CUDA
    const std::string dir = libtorch_library_dir();
    const std::string lib = (dir.empty() ? std::string() : dir + "/") + "libtorch_cuda.so";
    if (!std::filesystem::exists(lib)) {
      failure = "this LibTorch has no CUDA support";
      return;
    }
    if (!dlopen(lib.c_str(), RTLD_NOW | RTLD_GLOBAL)) {
      const char* err = dlerror();
      failure = std::string("libtorch_cuda could not be loaded: ") + (err ? err : "unknown error");
      if (nvidia_driver_version().empty()) failure = "no NVIDIA driver on this machine; " + failure;
      return;
    }
#endif
    if (torch::cuda::is_available()) return;
    const std::string driver = nvidia_driver_version();
    failure = driver.empty() ? "no NVIDIA driver on this machine" : "no CUDA device visible (NVIDIA driver " + driver + ")";
  });
  if (why_not) *why_not = failure;
  return failure.empty();
}

int64_t cuda_free_memory_bytes(torch::Device device) {
  if (!device.is_cuda() || !load_cuda_backend()) return -1;
  // The CUDA runtime came in with libtorch_cuda (loaded globally); interp has no CUDA
  // headers of its own, so the one call it needs is looked up by name.
  using MemGetInfo = int (*)(size_t* free, size_t* total);
  static const auto mem_get_info = reinterpret_cast<MemGetInfo>(dlsym(RTLD_DEFAULT, "cudaMemGetInfo"));
  if (!mem_get_info) return -1;
  try {
    c10::DeviceGuard on(device.has_index() ? device : torch::Device(torch::kCUDA, 0));
    size_t free = 0, total = 0;
    return mem_get_info(&free, &total) == 0 ? static_cast<int64_t>(free) : -1;
  } catch (const std::exception&) {
    return -1;
  }
}

torch::Device parse_device(const std::string& spec) {
  if (spec == "auto") return load_cuda_backend() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
  std::optional<torch::Device> device;
  try {
    device = torch::Device(spec);  // LibTorch's own grammar: "cpu", "cuda", "cuda:1"
  } catch (const std::exception&) {
  }
  if (!device || !(device->is_cpu() || device->is_cuda()))
    throw Error("'" + spec + "' is not a device (cpu, cuda, cuda:N or auto)");
  if (device->is_cpu()) return *device;
  std::string why;
  if (!load_cuda_backend(&why)) throw Error(spec + ": CUDA unavailable (" + why + ")");
  const int count = static_cast<int>(torch::cuda::device_count());
  if (device->has_index() && device->index() >= count)
    throw Error(spec + ": only " + std::to_string(count) + " CUDA device(s)");
  return device->has_index() ? *device : torch::Device(torch::kCUDA, 0);
}

std::string runtime_summary() {
  std::string out = std::string("LibTorch ") + TORCH_VERSION + ", ";
  std::string why;
  if (load_cuda_backend(&why)) {
    out += "CUDA: available (" + std::to_string(torch::cuda::device_count()) + " device(s))";
  } else {
    out += "CUDA: unavailable (" + why + ")";
  }
  return out;
}

}  // namespace interp
