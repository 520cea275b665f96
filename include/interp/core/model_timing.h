#pragma once
/// Model-only throughput on synthetic frames, shared by `interp bench` and the core-only
/// benchmark that runs where FFmpeg is absent (a GPU box).
#include "interp/core/frame_interpolator.h"

namespace interp {

struct ModelTiming {
  double pairs_per_s = 0;
  double median_s = 0;       ///< per forward of `batch` pairs
  double peak_device_mib = -1;  ///< peak CUDA memory allocated by tensors; -1 on CPU
};

/// Waits for the device's queued work (no-op on CPU).
void synchronize(torch::Device device);

/// Median time of `runs` forwards of `batch` random w×h pairs at t=0.5 after `warmup`
/// untimed ones. Never asserts a time: it measures.
ModelTiming time_model(FrameInterpolator& model, int64_t width, int64_t height, int64_t batch, int warmup,
                       int runs);

}  // namespace interp
