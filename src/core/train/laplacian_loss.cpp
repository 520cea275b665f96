/// The reference builds the pyramid with a reflect-padded depthwise binomial blur,
/// decimation by taking every second sample, and upsampling by inserting zeros and
/// blurring with 4x the kernel (the zeros carry three quarters of the weight). Each step
/// is kept exactly so that loss values and gradients match the reference's.
#include "interp/core/train/laplacian_loss.h"

#include "interp/base/error.h"

#include <torch/torch.h>

namespace interp::train {
namespace {
namespace F = torch::nn::functional;
using torch::indexing::None;
using torch::indexing::Slice;

torch::Tensor binomial_kernel(int64_t channels, const torch::TensorOptions& options) {
  const auto row = torch::tensor({1.0, 4.0, 6.0, 4.0, 1.0}, options.dtype(torch::kFloat32));
  const auto kernel = torch::outer(row, row) / 256.0;
  return kernel.to(options).view({1, 1, 5, 5}).repeat({channels, 1, 1, 1});
}

torch::Tensor blur(const torch::Tensor& image, const torch::Tensor& kernel) {
  const auto padded = F::pad(image, F::PadFuncOptions({2, 2, 2, 2}).mode(torch::kReflect));
  return F::conv2d(padded, kernel, F::Conv2dFuncOptions().groups(image.size(1)));
}

torch::Tensor decimate(const torch::Tensor& image) {
  return image.index({Slice(), Slice(), Slice(None, None, 2), Slice(None, None, 2)});
}

/// Every sample at (2i, 2j), zeros between, then blurred with 4x the kernel.
torch::Tensor upsample(const torch::Tensor& image, const torch::Tensor& kernel) {
  const int64_t n = image.size(0), c = image.size(1), h = image.size(2), w = image.size(3);
  const auto columns = torch::stack({image, torch::zeros_like(image)}, -1).view({n, c, h, 2 * w});
  const auto rows = torch::stack({columns, torch::zeros_like(columns)}, 3).view({n, c, 2 * h, 2 * w});
  return blur(rows, kernel * 4);
}

}  // namespace

std::vector<torch::Tensor> laplacian_pyramid(const torch::Tensor& image, int levels) {
  // Every level halves evenly, and the coarsest still takes the blur's reflect padding.
  const int64_t multiple = int64_t{1} << levels, smallest = 2 * multiple;
  const auto fits = [&](int64_t side) { return side % multiple == 0 && side >= smallest; };
  if (image.dim() != 4 || !fits(image.size(2)) || !fits(image.size(3)))
    throw Error("a " + std::to_string(levels) + "-level Laplacian pyramid needs sides that are multiples of " +
                std::to_string(multiple) + ", at least " + std::to_string(smallest));
  const auto kernel = binomial_kernel(image.size(1), image.options());
  std::vector<torch::Tensor> pyramid;
  auto current = image;
  for (int level = 0; level < levels; ++level) {
    const auto down = decimate(blur(current, kernel));
    pyramid.push_back(current - upsample(down, kernel));
    current = down;
  }
  return pyramid;
}

torch::Tensor laplacian_loss(const torch::Tensor& prediction, const torch::Tensor& target, int levels) {
  const auto a = laplacian_pyramid(prediction, levels), b = laplacian_pyramid(target, levels);
  auto loss = torch::zeros({}, prediction.options());
  for (size_t i = 0; i < a.size(); ++i) loss = loss + F::l1_loss(a[i], b[i]);
  return loss;
}

}  // namespace interp::train
