/// Model-only timing (see model_timing.h).
#include "interp/core/model_timing.h"

#include <torch/cuda.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include <c10/core/CachingDeviceAllocator.h>

namespace interp {

void synchronize(torch::Device device) {
  // Through ATen's CUDA hooks: works whether libtorch_cuda is linked or loaded at run time.
  if (device.is_cuda()) torch::cuda::synchronize(device.has_index() ? device.index() : -1);
}

// The device allocator is reached through c10's generic interface, so this works
// whether CUDA is linked or loaded at run time.
void reset_peak_device_memory(torch::Device device) {
  if (!device.is_cuda()) return;
  c10::getDeviceAllocator(c10::DeviceType::CUDA)->resetPeakStats(device.has_index() ? device.index() : 0);
}

double peak_device_mib(torch::Device device) {
  if (!device.is_cuda()) return -1;
  const auto stats = c10::getDeviceAllocator(c10::DeviceType::CUDA)->getDeviceStats(device.has_index() ? device.index() : 0);
  const auto all = static_cast<size_t>(c10::CachingAllocator::StatType::AGGREGATE);
  return static_cast<double>(stats.allocated_bytes[all].peak) / (1024.0 * 1024.0);
}

ModelTiming time_model(FrameInterpolator& model, int64_t width, int64_t height, int64_t batch, int warmup,
                       int runs) {
  const auto opts = torch::TensorOptions().device(model.device()).dtype(model.dtype());
  return time_model(model, torch::rand({batch, 3, height, width}, opts), torch::rand({batch, 3, height, width}, opts),
                    warmup, runs);
}

ModelTiming time_model(FrameInterpolator& model, const torch::Tensor& a, const torch::Tensor& b, int warmup,
                       int runs) {
  const int64_t batch = a.size(0);
  const std::vector<double> times(batch, 0.5);
  reset_peak_device_memory(model.device());
  std::vector<double> seconds;
  for (int i = 0; i < warmup + runs; ++i) {
    synchronize(model.device());
    const auto t0 = std::chrono::steady_clock::now();
    model.interpolate(a, b, times);
    synchronize(model.device());
    if (i >= warmup) seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  std::sort(seconds.begin(), seconds.end());
  ModelTiming timing;
  timing.median_s = seconds[seconds.size() / 2];
  timing.pairs_per_s = static_cast<double>(batch) / timing.median_s;
  timing.peak_device_mib = peak_device_mib(model.device());
  return timing;
}

}  // namespace interp
