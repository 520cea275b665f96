#pragma once
/// Host images <-> model tensors. Uploads the 8/16-bit samples as they are and converts
/// to float on the model's device (a quarter of the transfer of float frames on GPU).
#include "interp/io/image.h"

#include <torch/types.h>

namespace interp::pipeline {

/// 1×C×H×W in [0,1] on `device` as `dtype` (C = image.channels).
torch::Tensor to_tensor(const io::Image& image, torch::Device device, torch::Dtype dtype);

/// Writes a 1×C×H×W tensor in [0,1] (clamped, rounded) into `image` at `bit_depth`,
/// reusing image's buffer.
void to_image(const torch::Tensor& tensor, int bit_depth, io::Image& image);

}  // namespace interp::pipeline
