/// Measured auto precision (auto_precision.h).
#include "interp/core/auto_precision.h"

#include "interp/core/model_timing.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

namespace interp {
namespace {

/// /proc/cpuinfo's first "model name" ("AMD EPYC 9454P 48-Core Processor").
std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  return "unknown CPU";
}

Clock or_steady(Clock clock) {
  if (clock) return clock;
  return [] { return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count(); };
}

double seconds_of_pass(FrameInterpolator& model, Precision precision, const torch::Tensor& a, const torch::Tensor& b,
                       const Clock& clock) {
  PrecisionScope scope(precision, model.device());
  const double start = clock();
  model.interpolate(a, b, std::vector<double>(a.size(0), 0.5));
  return clock() - start;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string fixed(double value, int digits) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.*f", digits, value);
  return text;
}

}  // namespace

std::string verdict_key(const std::string& model, const std::string& mode) {
  const char* isa = std::getenv("ONEDNN_MAX_CPU_ISA");
  return cpu_model() + " | isa " + (isa && *isa ? isa : "all") + " | LibTorch " + TORCH_VERSION + " | " +
         std::to_string(torch::get_num_threads()) + " threads | " + model + (mode.empty() ? "" : " " + mode);
}

SpeedVerdict measure_bf16_speedup(FrameInterpolator& model, int rounds, Clock clock) {
  clock = or_steady(std::move(clock));
  torch::InferenceMode guard;
  const auto gen = torch::make_generator<at::CPUGeneratorImpl>(11);
  const auto opts = torch::TensorOptions().device(model.device()).dtype(model.dtype());
  // A picture in motion, as a job's frames are (model_timing.h), not noise.
  const auto [a, b] = moving_pair(1, kVerdictTile, kVerdictTile, opts, gen);
  // The first pass of each creates its kernels, which a job's first pass would pay anyway.
  const double first_fp32 = seconds_of_pass(model, Precision::kFp32, a, b, clock);
  const double first_bf16 = seconds_of_pass(model, Precision::kBf16, a, b, clock);
  // A gap of 3x is no matter of noise: settled without costing the slow side more.
  if (first_bf16 > 3 * first_fp32 || first_fp32 > 3 * first_bf16) return {first_fp32 / first_bf16};
  const int affordable = static_cast<int>(kVerdictBudgetSeconds / (first_fp32 + first_bf16));
  std::vector<double> fp32, bf16;
  for (int i = 0; i < std::clamp(affordable, 1, rounds); ++i) {  // alternating: a drift in speed hits both
    fp32.push_back(seconds_of_pass(model, Precision::kFp32, a, b, clock));
    bf16.push_back(seconds_of_pass(model, Precision::kBf16, a, b, clock));
  }
  return {median(fp32) / median(bf16)};
}

PrecisionChoice fastest_on_this_cpu(FrameInterpolator& model, VerdictStore* store, Clock clock) {
  clock = or_steady(std::move(clock));
  const std::string key = verdict_key(model.name(), model.mode());
  std::optional<SpeedVerdict> verdict = store ? store->find(key) : std::nullopt;
  std::string when = "cached";
  if (!verdict) {
    const double start = clock();
    verdict = measure_bf16_speedup(model, 3, clock);
    when = "measured now in " + fixed(clock() - start, 1) + " s";
    if (store) store->keep(key, *verdict);
  }
  const std::string ratio = fixed(verdict->bf16_speedup, 2) + "x";
  if (verdict->faster() == Precision::kBf16)
    return {Precision::kBf16, "auto: bf16 ran " + ratio + " fp32's speed on this CPU (" + when + ")"};
  return {Precision::kFp32, "auto: bf16 ran only " + ratio + " fp32's speed on this CPU (" + when + ")"};
}

}  // namespace interp
