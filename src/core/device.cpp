/// CUDA discovery at run time and device parsing.
#include "interp/core/device.h"

#include "interp/core/error.h"

#include <torch/cuda.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <dlfcn.h>

#include <filesystem>
#include <mutex>
#include <thread>

namespace interp {
namespace {

std::string lib_dir_of_torch() {
  Dl_info info{};
  // Any symbol of libtorch_cpu tells where LibTorch's libraries live.
  if (dladdr(reinterpret_cast<void*>(&torch::cuda::is_available), &info) && info.dli_fname)
    return std::filesystem::path(info.dli_fname).parent_path().string();
  return {};
}

}  // namespace

bool load_cuda_backend(std::string* why_not) {
  static std::once_flag once;
  static std::string failure;
  std::call_once(once, [] {
#ifndef INTERP_LINKED_CUDA
    const std::string dir = lib_dir_of_torch();
    const std::string lib = (dir.empty() ? std::string() : dir + "/") + "libtorch_cuda.so";
    if (!std::filesystem::exists(lib)) {
      failure = "this LibTorch has no CUDA support";
      return;
    }
    if (!dlopen(lib.c_str(), RTLD_NOW | RTLD_GLOBAL)) {
      const char* err = dlerror();
      failure = std::string("libtorch_cuda could not be loaded: ") + (err ? err : "unknown error");
      return;
    }
#endif
    if (!torch::cuda::is_available()) failure = "no CUDA device visible";
  });
  if (why_not) *why_not = failure;
  return failure.empty();
}

torch::Device parse_device(const std::string& spec) {
  if (spec == "cpu") return torch::kCPU;
  std::string why;
  if (spec == "auto") return load_cuda_backend() ? torch::Device(torch::kCUDA, 0) : torch::Device(torch::kCPU);
  if (spec.rfind("cuda", 0) != 0) throw Error("--device must be cpu, cuda, cuda:N or auto (got '" + spec + "')");
  int index = 0;
  if (spec.size() > 4) {
    if (spec[4] != ':' || spec.size() == 5 || spec.find_first_not_of("0123456789", 5) != std::string::npos)
      throw Error("--device must be cpu, cuda, cuda:N or auto (got '" + spec + "')");
    index = std::stoi(spec.substr(5));
  }
  if (!load_cuda_backend(&why)) throw Error("--device " + spec + ": CUDA unavailable (" + why + ")");
  if (index >= static_cast<int>(torch::cuda::device_count()))
    throw Error("--device " + spec + ": only " + std::to_string(torch::cuda::device_count()) + " CUDA device(s)");
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

void configure_cpu_threads(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  torch::set_num_threads(threads);
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
