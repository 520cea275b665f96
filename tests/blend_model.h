#pragma once
/// (1-t)·a + t·b as a model: an in-between whose every value can be computed by hand,
/// for the tests of what runs around a model (slot loop, batching, devices, the held-out
/// check). It counts its calls and batch sizes and checks the frames are on its device.
#include "interp/core/frame_interpolator.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <vector>

namespace interp::test {

class BlendModel : public FrameInterpolator {
 public:
  /// `traits`: the window it asks for (the neighbours are handed over and not used).
  explicit BlendModel(torch::Device device = torch::kCPU, ModelTraits traits = {})
      : device_(device), traits_(traits) {}
  std::string name() const override { return "blend"; }
  ModelTraits traits() const override { return traits_; }
  torch::Device device() const override { return device_; }
  torch::Dtype dtype() const override { return torch::kFloat32; }
  int calls = 0;
  std::vector<int64_t> batch_sizes;

 protected:
  torch::Tensor make(const FrameWindow& window, const std::vector<double>& times) override {
    const auto &a = window.left(), &b = window.right();
    EXPECT_EQ(a.device(), device_);
    ++calls;
    batch_sizes.push_back(a.size(0));
    const auto t = torch::tensor(times, a.options()).view({-1, 1, 1, 1});
    return a * (1 - t) + b * t;
  }

 private:
  torch::Device device_;
  ModelTraits traits_;
};

}  // namespace interp::test
