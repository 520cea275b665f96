#pragma once
/// Choosing where models run: CPU, or CUDA when LibTorch can reach a GPU.
#include <torch/types.h>

#include <string>

namespace interp {

/// Makes LibTorch's CUDA backend available when this build links only libtorch_cpu
/// (the default with PyPI's wheel): loads libtorch_cuda beside it if its dependencies
/// resolve. Returns true when CUDA devices are usable. Safe to call repeatedly.
bool load_cuda_backend(std::string* why_not = nullptr);

/// The folder of the libtorch_cpu.so this process runs with ("" if unknown): where
/// libtorch_cuda.so is looked for.
std::string libtorch_library_dir();

/// Bytes the CUDA driver reports free on `device` (cudaMemGetInfo), or -1 when unknown
/// (no CUDA backend, a CPU device). Memory this process's allocator keeps cached counts
/// as used. Never throws.
int64_t cuda_free_memory_bytes(torch::Device device);

/// "cpu", "cuda", "cuda:1", "auto" (CUDA if available, else CPU). Throws interp::Error
/// naming the problem when a CUDA device is requested but unavailable.
torch::Device parse_device(const std::string& spec);

/// "LibTorch 2.11.0, CUDA: available (1 device: NVIDIA H100)" or "CUDA: unavailable (...)".
std::string runtime_summary();

}  // namespace interp
