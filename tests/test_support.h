#pragma once
/// Helpers shared by the test files: locating ../shared and installed models (a failure
/// under CI=true, a skip elsewhere), loading golden case files, and comparing tensors.
#include "interp/base/error.h"
#include "interp/core/device.h"
#include "interp/core/model_loader.h"
#include "temp_dir.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

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

/// Where the parity tests run their models: the CPU, unless INTERP_TEST_DEVICE names
/// another ("cuda": what scripts/gpu_check.sh sets on a GPU machine). The references
/// stay on the CPU; max_abs_diff compares across devices.
inline torch::Device test_device() {
  const char* spec = std::getenv("INTERP_TEST_DEVICE");
  return ::interp::parse_device(spec && *spec ? spec : "cpu");
}

}  // namespace interp::test
