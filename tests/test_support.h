#pragma once
/// Helpers shared by the test files: locating ../shared and installed models (a failure
/// under CI=true, a skip elsewhere), loading golden case files, and comparing tensors.
#include "interp/base/error.h"
#include "interp/core/device.h"
#include "interp/core/model_loader.h"
#include "temp_dir.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace interp::test {

inline bool running_in_ci() {
  const char* ci = std::getenv("CI");
  return ci && (std::string(ci) == "true" || std::string(ci) == "1");
}

/// Path of a file under the shared data folder, or empty (after FAIL/SKIP) when absent.
inline std::string shared_file(const std::string& relative) {
  const std::filesystem::path path = std::filesystem::path(INTERP_SHARED_DIR) / relative;
  return std::filesystem::exists(path) ? path.string() : std::string();
}

#define INTERP_REQUIRE_SHARED(var, relative)                                               \
  const std::string var = ::interp::test::shared_file(relative);                           \
  if (var.empty()) {                                                                        \
    if (::interp::test::running_in_ci()) FAIL() << "shared data missing under CI: " << relative; \
    GTEST_SKIP() << "shared data not found: " << relative;                                  \
  }

/// The installed model file of a name ("rife-v3.9"), or FAIL (under CI) / SKIP when
/// set-up has not installed it.
#define INTERP_REQUIRE_MODEL(var, name)                                                    \
  std::string var;                                                                         \
  try {                                                                                    \
    ::interp::ModelOptions model_options_;                                                 \
    model_options_.model = name;                                                           \
    var = ::interp::resolve_model_path(model_options_);                                    \
  } catch (const ::interp::Error& e) {                                                     \
    if (::interp::test::running_in_ci()) FAIL() << "model missing under CI: " << e.what(); \
    GTEST_SKIP() << e.what();                                                              \
  }

/// torch.save'd dict of tensors (the golden *_cases.pt files).
inline c10::Dict<c10::IValue, c10::IValue> load_cases(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
  return torch::pickle_load(bytes).toGenericDict();
}

inline torch::Tensor case_tensor(const c10::Dict<c10::IValue, c10::IValue>& cases, const std::string& key) {
  return cases.at(key).toTensor();
}

inline double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) {
  return (a.detach().cpu().to(torch::kFloat64) - b.detach().cpu().to(torch::kFloat64)).abs().max().item<double>();
}

/// The parity tests' second comparison, in float64. LibTorch and PyTorch run these
/// networks in double on the CPU, where the kernels the CPU picks change results only
/// by rounding of about 1e-13; a port error (another interpolation, axis or constant)
/// moves them by 1e-4 or more. So this bound holds on every machine and separates the
/// two, while the float32 comparisons carry tolerances measured across CPUs.
inline constexpr double kFloat64Tolerance = 1e-9;

inline std::string test_data(const std::string& name) { return std::string(INTERP_TEST_DATA_DIR) + "/" + name; }

/// max |a - b| over max(|b|, 1): absolute for frames in [0,1], relative for flows and gradients.
inline double scaled_error(const torch::Tensor& a, const torch::Tensor& b) {
  const auto expected = b.detach().cpu().to(torch::kFloat64);
  return max_abs_diff(a, expected) / std::max(1.0, expected.abs().max().item<double>());
}

/// The float64 reference files keep, per case, a crop whose corner is (top, left), a 16x16
/// average pool (ceil mode) of the whole frame, per-channel means and mean |x - 0.5|.
inline void expect_summary_near(const torch::Tensor& out, const c10::Dict<c10::IValue, c10::IValue>& ref,
                                const std::string& key, int64_t top, int64_t left) {
  const auto expected_crop = case_tensor(ref, key + "_crop");
  const auto crop = out.slice(2, top, top + expected_crop.size(2)).slice(3, left, left + expected_crop.size(3));
  EXPECT_EQ(out.scalar_type(), torch::kFloat64) << key;
  EXPECT_LE(scaled_error(crop, expected_crop), kFloat64Tolerance) << key << " crop";
  EXPECT_LE(scaled_error(torch::avg_pool2d(out, 16, 16, 0, true), case_tensor(ref, key + "_pool")), kFloat64Tolerance)
      << key << " pool";
  EXPECT_LE(scaled_error(out.mean({2, 3}), case_tensor(ref, key + "_mean")), kFloat64Tolerance) << key << " mean";
  EXPECT_LE(scaled_error((out - 0.5).abs().mean({2, 3}), case_tensor(ref, key + "_absdev")), kFloat64Tolerance)
      << key << " absdev";
}

/// Where the parity tests run their models: the CPU, unless INTERP_TEST_DEVICE names
/// another ("cuda": what scripts/gpu_check.sh sets on a GPU machine). The references
/// stay on the CPU; max_abs_diff compares across devices. On CUDA the models compute in
/// IEEE fp32, as interp's fp32 does (LibTorch's default would run cuDNN in TF32).
inline torch::Device test_device() {
  const char* spec = std::getenv("INTERP_TEST_DEVICE");
  const auto device = ::interp::parse_device(spec && *spec ? spec : "cpu");
  if (device.is_cuda()) ::interp::apply_cuda_math(::interp::Precision::kFp32);
  return device;
}

/// A model file loaded twice on test_device() in fp32, its default mode: with interp's
/// fallback rules (ModelOptions::fallback) and without, the network as published.
inline std::pair<std::unique_ptr<FrameInterpolator>, std::unique_ptr<FrameInterpolator>> with_and_without_fallback(
    const std::string& path) {
  ModelOptions options;
  options.model = path;
  options.placement.device = test_device();
  options.fallback = true;
  auto with = load_model(options);
  options.fallback = false;
  return {std::move(with), load_model(options)};
}

}  // namespace interp::test
