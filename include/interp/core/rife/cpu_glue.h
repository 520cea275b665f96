#pragma once
/// Fused CPU float32 kernels for the work IFNet does between its convolutions: bilinear
/// resizes, concatenation, flow accumulation and backward warping. Each computes what
/// the reference's chain of torch ops computes (same coordinate arithmetic, float32),
/// in one pass over memory, writing into preallocated views instead of new tensors.
/// Used by IFNet for CPU float32 tensors; other devices/dtypes take the torch-op path.
#include <torch/types.h>

namespace interp::rife::cpu_glue {

/// True when `t` can use these kernels (CPU, float32, 4-D).
bool applicable(const torch::Tensor& t);

/// dst = multiplier · resize(src) (or dst += … when accumulate): F.interpolate(src,
/// scale_factor=factor, mode="bilinear", align_corners=False) into dst (N×C×h×w, any
/// strides, e.g. a channel slice of a larger buffer). dst's size must be floor(size·factor).
void resize_into(const torch::Tensor& src, torch::Tensor& dst, double factor, float multiplier = 1.0f,
                 bool accumulate = false);

/// Same as resize_into, reading `src` as pixel_shuffle(src, 2) without materialising it.
void resize_shuffled_into(const torch::Tensor& src, torch::Tensor& dst, double factor, float multiplier = 1.0f,
                          bool accumulate = false);

/// grid_sample(image, base_grid + flow / ((W-1)/2, (H-1)/2)), bilinear, border,
/// align_corners=True, for both images at once: out0 from img0 and flow[:, 0:2], out1
/// from img1 and flow[:, 2:4]. Images N×C×H×W, flow N×4×H×W, outputs like the images.
void warp_both(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor& flow,
               torch::Tensor& out0, torch::Tensor& out1);

/// The final merge, fused with the last warp: w0·sigmoid(mask) + w1·(1 − sigmoid(mask))
/// where w0, w1 are warp_both's outputs. Returns N×C×H×W channels-last.
torch::Tensor warp_and_merge(const torch::Tensor& img0, const torch::Tensor& img1, const torch::Tensor& flow,
                             const torch::Tensor& mask);

}  // namespace interp::rife::cpu_glue
