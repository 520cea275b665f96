/// One placement (device, storage type, precision) resolved by one rule for inference
/// and training: what a device cannot run is refused in one place, naming how it was
/// asked; fp16 is said once (the storage follows it); training refuses fp16.
#include "interp/base/error.h"
#include "interp/core/placement.h"
#include "interp/pipeline/training_run.h"

#include <gtest/gtest.h>

namespace interp::test {
namespace {

std::string refusal(const Placement& p, const std::string& asked_as = "") {
  try {
    check_placement(p, asked_as);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(Placement, WhatACpuCannotRunIsRefusedNamingHowItWasAsked) {
  EXPECT_EQ(refusal({torch::kCPU, torch::kFloat32, Precision::kFp32}), "");
  EXPECT_EQ(refusal({torch::kCPU, torch::kFloat32, Precision::kBf16}), "");
  EXPECT_EQ(refusal({torch::kCPU, torch::kFloat32, Precision::kAuto}), "");
  EXPECT_EQ(refusal({torch::kCPU, torch::kFloat32, Precision::kFp16}).rfind("fp16 needs a CUDA device", 0), 0u);
  EXPECT_EQ(refusal({torch::kCPU, torch::kFloat32, Precision::kFp16}, "--fp16").rfind("--fp16 needs a CUDA device", 0), 0u);
  EXPECT_EQ(refusal({torch::kCPU, torch::kFloat32, Precision::kTf32}).rfind("tf32 needs a CUDA device", 0), 0u);
  const torch::Device cuda(torch::kCUDA, 0);  // a description: nothing runs on it here
  EXPECT_EQ(refusal({cuda, torch::kFloat32, Precision::kFp16}), "");
  EXPECT_EQ(refusal({cuda, torch::kFloat32, Precision::kTf32}), "");
  // choose_precision refuses through the same check.
  EXPECT_THROW(choose_precision(Precision::kFp16, torch::kCPU, {}), Error);
}

TEST(Placement, TheStorageTypeFollowsThePrecision) {
  const torch::Device cuda(torch::kCUDA, 0);
  const auto half = place({cuda, torch::kFloat32, Precision::kFp16}, {}, {});
  EXPECT_EQ(half.placement.dtype, torch::kFloat16);
  EXPECT_EQ(half.placement.precision, Precision::kFp16);
  // auto on CUDA: fp16 only where the family's gate is open.
  const auto gated = place({cuda, torch::kFloat32, Precision::kAuto}, {"", "unmeasured"}, {});
  EXPECT_EQ(gated.placement.dtype, torch::kFloat32);
  EXPECT_EQ(gated.placement.precision, Precision::kFp32);
  EXPECT_NE(gated.why.find("unmeasured"), std::string::npos) << gated.why;
  const auto open = place({cuda, torch::kFloat32, Precision::kAuto}, {"", ""}, {});
  EXPECT_EQ(open.placement.dtype, torch::kFloat16);
  // Storage asked for stays where the precision does not set it (the parity tests' float64).
  const auto exact = place({torch::kCPU, torch::kFloat64, Precision::kFp32}, {}, {});
  EXPECT_EQ(exact.placement.dtype, torch::kFloat64);
  EXPECT_EQ(exact.precision().precision, Precision::kFp32);
}

TEST(Placement, TrainingTakesTheSameRuleAndRefusesFp16) {
  const torch::Device cuda(torch::kCUDA, 0);
  EXPECT_THROW(pipeline::place_training({cuda, torch::kFloat32, Precision::kFp16}), Error);
  EXPECT_THROW(pipeline::place_training({torch::kCPU, torch::kFloat32, Precision::kFp16}), Error);
  EXPECT_EQ(pipeline::place_training({torch::kCPU, torch::kFloat32, Precision::kFp32}).placement.precision,
            Precision::kFp32);
  // auto never trains in fp16, even on CUDA.
  EXPECT_EQ(pipeline::place_training({cuda, torch::kFloat32, Precision::kAuto}).placement.precision, Precision::kFp32);
}

}  // namespace
}  // namespace interp::test
