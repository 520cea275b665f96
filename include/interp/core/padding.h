#pragma once
/// Zero padding at the right/bottom to a multiple of the network's stride, and the crop back.
#include <torch/types.h>

#include <cstdint>

namespace interp {

/// Smallest multiple of `multiple` that is >= size.
inline int64_t round_up(int64_t size, int64_t multiple) {
  return (size + multiple - 1) / multiple * multiple;
}

/// Pads an N×C×H×W tensor with zeros at the right and bottom to multiples of `multiple`.
torch::Tensor pad_to_multiple(const torch::Tensor& x, int64_t multiple);

/// Crops an N×C×H'×W' tensor back to its top-left H×W.
torch::Tensor crop_to(const torch::Tensor& x, int64_t height, int64_t width);

}  // namespace interp
