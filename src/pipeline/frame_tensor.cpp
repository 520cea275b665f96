/// uint8/uint16 HWC <-> float NCHW.
#include "interp/pipeline/frame_tensor.h"

#include <torch/torch.h>

#include <cstring>

namespace interp::pipeline {

torch::Tensor to_tensor(const io::Image& image, torch::Device device, torch::Dtype dtype) {
  const bool deep = image.bit_depth > 8;
  auto host = torch::from_blob(const_cast<uint8_t*>(image.data.data()), {image.height, image.width, image.channels},
                               deep ? torch::kUInt16 : torch::kUInt8);
  auto t = host.to(device, /*non_blocking=*/false, /*copy=*/true);  // own the data
  if (deep) t = t.to(torch::kInt32);  // uint16 arithmetic is limited; int32 holds it exactly
  const double scale = deep ? 65535.0 : 255.0;
  // HWC data viewed as NCHW is already channels-last, the layout the models convolve
  // in: no transpose here.
  return t.permute({2, 0, 1}).unsqueeze(0).to(dtype).div_(scale);
}

void to_image(const torch::Tensor& tensor, int bit_depth, io::Image& image) {
  const bool deep = bit_depth > 8;
  const double scale = deep ? 65535.0 : 255.0;
  auto t = tensor.squeeze(0).to(torch::kFloat32).clamp(0.0, 1.0).mul(scale).round_();
  t = t.permute({1, 2, 0}).to(deep ? torch::kInt32 : torch::kUInt8).to(torch::kCPU).contiguous();
  if (deep) t = t.to(torch::kUInt16);
  image.allocate(static_cast<int>(t.size(1)), static_cast<int>(t.size(0)), static_cast<int>(t.size(2)), deep ? 16 : 8);
  std::memcpy(image.data.data(), t.data_ptr(), image.data.size());
}

}  // namespace interp::pipeline
