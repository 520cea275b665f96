#pragma once
/// Host images <-> model tensors. Uploads the 8/16-bit samples as they are and converts
/// to float on the model's device (a quarter of the transfer of float frames on GPU).
#include "interp/io/image.h"

#include <torch/types.h>

#include <optional>

namespace interp::pipeline {

/// 1×C×H×W in [0,1] on `device` as `dtype` (C = image.channels): the samples as they
/// are, full swing's too (full_swing.h: what models see of such a video).
torch::Tensor to_tensor(const io::Image& image, torch::Device device, torch::Dtype dtype);

/// Writes a 1×C×H×W tensor in [0,1] (clamped, rounded) into `image` at `bit_depth`,
/// reusing image's buffer, marked as samples of `full_swing` when given (the frames it
/// was made from were).
void to_image(const torch::Tensor& tensor, int bit_depth, io::Image& image,
              const std::optional<io::FullSwing>& full_swing = std::nullopt);

}  // namespace interp::pipeline
