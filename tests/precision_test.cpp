/// --precision's rule and its scopes: auto follows the CPU's capabilities (forced sets
/// here, so every machine checks every kind of CPU), bf16 reaches only what networks
/// mark with convolved(), and nothing leaks out of a scope.
#include "interp/base/error.h"
#include "interp/core/precision.h"

#include <ATen/Context.h>
#include <ATen/autocast_mode.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

namespace interp::test {
namespace {

CpuCapabilities avx2_only() {
  CpuCapabilities c;
  c.avx2 = true;
  return c;
}

TEST(Precision, NamesRoundTrip) {
  for (const auto& name : precision_names()) EXPECT_EQ(precision_name(*precision_by_name(name)), name);
  EXPECT_FALSE(precision_by_name("bfloat16"));
}

TEST(Precision, AutoNeverPicksBf16OnAnAvx2OnlyCpu) {
  const auto choice = choose_precision(Precision::kAuto, torch::kCPU, avx2_only());
  EXPECT_EQ(choice.precision, Precision::kFp32);
  EXPECT_NE(choice.why.find("no AMX-BF16 or AVX-512-BF16"), std::string::npos) << choice.why;
  CpuCapabilities avx512 = avx2_only();
  avx512.avx512 = true;  // AVX-512 without its BF16 extension is no better
  EXPECT_EQ(choose_precision(Precision::kAuto, torch::kCPU, avx512).precision, Precision::kFp32);
}

TEST(Precision, AutoPicksBf16WhereTheCpuHasTheInstructions) {
  CpuCapabilities avx512_bf16 = avx2_only();
  avx512_bf16.avx512 = avx512_bf16.avx512_bf16 = true;
  auto choice = choose_precision(Precision::kAuto, torch::kCPU, avx512_bf16);
  EXPECT_EQ(choice.precision, Precision::kBf16);
  EXPECT_NE(choice.why.find("AVX-512-BF16"), std::string::npos) << choice.why;
  CpuCapabilities amx = avx512_bf16;
  amx.amx_bf16 = true;
  choice = choose_precision(Precision::kAuto, torch::kCPU, amx);
  EXPECT_EQ(choice.precision, Precision::kBf16);
  EXPECT_NE(choice.why.find("AMX-BF16"), std::string::npos) << choice.why;
  // ... unless the model's mode was measured to lose quality in bf16.
  choice = choose_precision(Precision::kAuto, torch::kCPU, amx, {"it loses 0.1 dB"});
  EXPECT_EQ(choice.precision, Precision::kFp32);
  EXPECT_NE(choice.why.find("it loses 0.1 dB"), std::string::npos);
}

// On CUDA: fp16 where the family measured it within 0.05 dB of fp32, else IEEE fp32;
// bf16 never unless asked.
TEST(Precision, AutoOnCudaTakesFp16OnlyWhereMeasured) {
  const torch::Device cuda(torch::kCUDA, 0);
  CpuCapabilities amx = avx2_only();
  amx.amx_bf16 = amx.avx512_bf16 = true;
  auto choice = choose_precision(Precision::kAuto, cuda, amx, {"", ""});
  EXPECT_EQ(choice.precision, Precision::kFp16);
  EXPECT_NE(choice.why.find("measured within 0.05 dB"), std::string::npos) << choice.why;
  choice = choose_precision(Precision::kAuto, cuda, amx);  // a family that measured nothing
  EXPECT_EQ(choice.precision, Precision::kFp32);
  EXPECT_NE(choice.why.find("IEEE fp32"), std::string::npos) << choice.why;
  EXPECT_EQ(choose_precision(Precision::kTf32, cuda, amx).precision, Precision::kTf32);
}

// fp32 on CUDA means IEEE fp32 in cuDNN and cuBLAS, set by interp (LibTorch's default lets
// cuDNN convolutions run in TF32); tf32 turns TensorFloat-32 on for both.
TEST(Precision, Fp32AndTf32SetCudaMathAsStated) {
  auto& context = at::globalContext();
  const auto math = [&](at::Float32Op op) { return context.float32Precision(at::Float32Backend::CUDA, op); };
  apply_cuda_math(Precision::kTf32);
  EXPECT_EQ(math(at::Float32Op::CONV), at::Float32Precision::TF32);
  EXPECT_EQ(math(at::Float32Op::MATMUL), at::Float32Precision::TF32);
  EXPECT_TRUE(context.allowTF32CuDNN(at::Float32Op::CONV));
  EXPECT_TRUE(context.allowTF32CuBLAS());
  for (const auto p : {Precision::kFp32, Precision::kAuto, Precision::kFp16, Precision::kBf16}) {
    apply_cuda_math(p);
    EXPECT_NE(math(at::Float32Op::CONV), at::Float32Precision::TF32) << precision_name(p);
    EXPECT_NE(math(at::Float32Op::MATMUL), at::Float32Precision::TF32) << precision_name(p);
    EXPECT_FALSE(context.allowTF32CuDNN(at::Float32Op::CONV)) << precision_name(p);
    EXPECT_FALSE(context.allowTF32CuBLAS()) << precision_name(p);
  }
}

// The run's switches are set by its owner for a CUDA run and left alone for a CPU run.
TEST(Precision, RunSwitchesChangeNothingOffCuda) {
  auto& context = at::globalContext();
  apply_cuda_math(Precision::kFp32);
  const bool benchmark = context.benchmarkCuDNN();
  apply_run_switches(Precision::kTf32, torch::kCPU, !benchmark);
  EXPECT_FALSE(context.allowTF32CuDNN(at::Float32Op::CONV));
  EXPECT_EQ(context.benchmarkCuDNN(), benchmark);
  apply_run_switches(Precision::kTf32, torch::Device(torch::kCUDA, 0), !benchmark);  // a description: nothing runs
  EXPECT_TRUE(context.allowTF32CuDNN(at::Float32Op::CONV));
  EXPECT_EQ(context.benchmarkCuDNN(), !benchmark);
  apply_run_switches(Precision::kFp32, torch::Device(torch::kCUDA, 0), benchmark);
  EXPECT_FALSE(context.allowTF32CuDNN(at::Float32Op::CONV));
  EXPECT_EQ(context.benchmarkCuDNN(), benchmark);
}

TEST(Precision, WhatIsAskedIsWhatRuns) {
  EXPECT_EQ(choose_precision(Precision::kBf16, torch::kCPU, avx2_only()).precision, Precision::kBf16);
  EXPECT_EQ(choose_precision(Precision::kFp32, torch::kCPU, avx2_only()).precision, Precision::kFp32);
  EXPECT_EQ(choose_precision(Precision::kFp16, torch::Device(torch::kCUDA, 0), avx2_only()).precision,
            Precision::kFp16);
  EXPECT_THROW(choose_precision(Precision::kFp16, torch::kCPU, avx2_only()), Error);
  EXPECT_THROW(choose_precision(Precision::kTf32, torch::kCPU, avx2_only()), Error);
}

TEST(Precision, Bf16ReachesOnlyMarkedStacksAndHandsBackFp32) {
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 4, 3).padding(1));
  const auto x = torch::rand({1, 3, 8, 8});
  torch::Dtype inside = torch::kFloat32;
  const auto stack = [&] {
    auto y = conv->forward(x);
    inside = y.scalar_type();
    return y;
  };
  EXPECT_EQ(convolved(stack).scalar_type(), torch::kFloat32);
  EXPECT_EQ(inside, torch::kFloat32);  // no scope: as stored
  {
    PrecisionScope scope(Precision::kBf16, torch::kCPU);
    EXPECT_EQ(conv->forward(x).scalar_type(), torch::kFloat32);  // unmarked: fp32
    const auto y = convolved(stack);
    EXPECT_EQ(inside, torch::kBFloat16);
    EXPECT_EQ(y.scalar_type(), torch::kFloat32);
    EXPECT_LE((y - conv->forward(x)).abs().max().item<double>(), 0.05);
    EXPECT_FALSE(at::autocast::is_autocast_enabled(at::kCPU));  // left as found
    {
      PrecisionScope inner(Precision::kFp32, torch::kCPU);
      convolved(stack);
      EXPECT_EQ(inside, torch::kFloat32);
    }
    convolved(stack);
    EXPECT_EQ(inside, torch::kBFloat16);  // the outer scope is back
    const auto vector = convolved([&] { return std::vector<torch::Tensor>{stack(), stack()}; });
    for (const auto& t : vector) EXPECT_EQ(t.scalar_type(), torch::kFloat32);
  }
  convolved(stack);
  EXPECT_EQ(inside, torch::kFloat32);
}

}  // namespace
}  // namespace interp::test
