/// Model memory per frame size against /proc/meminfo.
#include "interp/pipeline/memory_check.h"

#include "interp/base/error.h"

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

void check_memory(const FrameInterpolator& model, int64_t width, int64_t height, int batch) {
  if (!model.device().is_cpu() || model.bytes_per_pixel() <= 0) return;
  const double needed = model.bytes_per_pixel() * static_cast<double>(width * height) * batch;
  const int64_t available = available_memory_bytes();
  if (available < 0 || needed <= static_cast<double>(available)) return;
  char line[256];
  std::snprintf(line, sizeof(line), "%s on %lldx%lld frames needs about %.1f GiB; %.1f GiB of memory is available",
                model.name().c_str(), static_cast<long long>(width), static_cast<long long>(height),
                needed / (1 << 30), static_cast<double>(available) / (1 << 30));
  throw OutOfMemory(line);
}

}  // namespace interp::pipeline
