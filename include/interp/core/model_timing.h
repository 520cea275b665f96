#pragma once
/// Model-only throughput on synthetic frames, shared by `interp bench` and the core-only
/// benchmark that runs where FFmpeg is absent (a GPU box).
#include "interp/core/frame_interpolator.h"

#include <optional>
#include <utility>

namespace interp {

struct ModelTiming {
  double pairs_per_s = 0;
  double median_s = 0;       ///< per forward of `batch` pairs
  double peak_device_mib = -1;  ///< peak CUDA memory allocated by tensors; -1 on CPU
};

/// Waits for the device's queued work (no-op on CPU).
void synchronize(torch::Device device);

/// Starts counting the peak of CUDA memory held by tensors on `device` afresh (no-op
/// on CPU); peak_device_mib() reads it: -1 on CPU.
void reset_peak_device_memory(torch::Device device);
double peak_device_mib(torch::Device device);

/// N×3×H×W float32 on `device`: random values 8 px apart, bicubically interpolated
/// (mostly within [0,1]; it overshoots a little): smooth structure a flow can follow.
/// With a (CPU) generator the same every time.
torch::Tensor smooth_texture(int64_t batch, int64_t height, int64_t width, torch::Device device,
                             std::optional<at::Generator> generator = std::nullopt);

/// `batch` pairs of a smooth_texture() w×h picture and the same picture moved sideways
/// by a hundredth of its width (at least 2 px): a pair in motion, as a video's are.
/// Independent noise is a pair no flow explains and takes other paths: v3.9 restarts
/// at half resolution, and refine runs a doubtful pair again as an ensemble.
std::pair<torch::Tensor, torch::Tensor> moving_pair(int64_t batch, int64_t width, int64_t height,
                                                    torch::TensorOptions options,
                                                    std::optional<at::Generator> generator = std::nullopt);

/// Median time of `runs` forwards of moving_pair() at t=0.5 after `warmup` untimed
/// ones. Never asserts a time: it measures.
ModelTiming time_model(FrameInterpolator& model, int64_t width, int64_t height, int64_t batch, int warmup,
                       int runs);

/// The same on given pairs (N×3×H×W each, on the model's device): the model alone on
/// the frames a timed job reads, for a like-for-like figure beside it.
ModelTiming time_model(FrameInterpolator& model, const torch::Tensor& img0, const torch::Tensor& img1, int warmup,
                       int runs);

}  // namespace interp
