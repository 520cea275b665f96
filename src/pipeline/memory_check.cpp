/// Model memory per frame size against /proc/meminfo.
#include "interp/pipeline/memory_check.h"

#include "interp/base/error.h"
#include "interp/core/device.h"

#include <cstdio>
#include <fstream>
#include <string>

namespace interp::pipeline {

int64_t available_memory_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  int64_t kib = 0;
  std::string unit;
  while (in >> key >> kib >> unit)
    if (key == "MemAvailable:") return kib * 1024;
  return -1;
}

double bytes_needed(const FrameInterpolator& model, int64_t width, int64_t height, int batch) {
  // Activations scale with the element size; fp32 is what bytes_per_pixel() measured.
  const double element_share = static_cast<double>(c10::elementSize(model.dtype())) / 4.0;
  const double device_share = model.device().is_cuda() ? kCudaShareOfCpuCost : 1.0;
  return model.bytes_per_pixel() * element_share * device_share * static_cast<double>(width * height) * batch;
}

void check_memory(const FrameInterpolator& model, int64_t width, int64_t height, int batch) {
  const double needed = bytes_needed(model, width, height, batch);
  if (needed <= 0) return;
  const bool on_gpu = model.device().is_cuda();
  const int64_t available = on_gpu ? cuda_free_memory_bytes(model.device()) : available_memory_bytes();
  if (available < 0 || needed <= static_cast<double>(available)) return;
  char line[320];
  std::snprintf(line, sizeof(line), "%s on %lldx%lld frames needs about %.1f GiB; %.1f GiB of %s is %s",
                model.name().c_str(), static_cast<long long>(width), static_cast<long long>(height),
                needed / (1 << 30), static_cast<double>(available) / (1 << 30),
                on_gpu ? (model.device().str() + "'s memory").c_str() : "memory", on_gpu ? "free" : "available");
  throw OutOfMemory(line);
}

}  // namespace interp::pipeline
