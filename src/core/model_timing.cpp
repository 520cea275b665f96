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

torch::Tensor smooth_texture(int64_t batch, int64_t height, int64_t width, torch::Device device,
                             std::optional<at::Generator> generator) {
  const std::vector<int64_t> coarse_size{batch, 3, height / 8 + 2, width / 8 + 2};
  const auto coarse = generator ? torch::rand(coarse_size, *generator, torch::kFloat32).to(device)
                                : torch::rand(coarse_size, torch::TensorOptions().device(device));
  return torch::upsample_bicubic2d(coarse, {height, width}, /*align_corners=*/false);
}

std::pair<torch::Tensor, torch::Tensor> moving_pair(int64_t batch, int64_t width, int64_t height,
                                                    torch::TensorOptions options,
                                                    std::optional<at::Generator> generator) {
  const int64_t shift = std::max<int64_t>(2, width / 100);
  const auto canvas = smooth_texture(batch, height, width + shift, options.device(), generator).clamp(0, 1);
  return {canvas.slice(3, 0, width).to(options.dtype()).contiguous(),
          canvas.slice(3, shift, shift + width).to(options.dtype()).contiguous()};
}

ModelTiming time_model(FrameInterpolator& model, int64_t width, int64_t height, int64_t batch, int warmup,
                       int runs) {
  const auto options = torch::TensorOptions().device(model.device()).dtype(model.dtype());
  const auto [a, b] = moving_pair(batch, width, height, options);
  return time_model(model, a, b, warmup, runs);
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
