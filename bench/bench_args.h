#pragma once
// The benches' command line (model_bench.cpp, pipeline_bench.cpp): one parser, so the
// two take a model, a device, a precision and sizes the same way.
#include "interp/core/cpu_threads.h"
#include "interp/core/device.h"
#include "interp/core/frame_interpolator.h"
#include "interp/core/graph_replay.h"
#include "interp/core/model_loader.h"
#include "interp/core/quality.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

namespace interp::bench {

struct BenchArgs {
  ModelOptions model;
  std::string device = "cpu";
  std::vector<std::pair<int64_t, int64_t>> sizes;
  std::vector<int64_t> batches;
  int runs = 10, warmup = 3;
  int64_t frames = 61;  ///< the pipeline bench's input frames
};

[[noreturn]] inline void usage(const char* program, const std::string& why, const char* options) {
  std::fprintf(stderr, "%s: %s\nusage: %s MODEL %s\n", program, why.c_str(), program, options);
  std::exit(2);
}

/// Parses argv; `options` is the usage line's options; `frames`: whether --frames is one.
inline BenchArgs parse_bench_args(int argc, char** argv, const char* program, const char* options, bool frames) {
  BenchArgs a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(program, arg + " needs a value", options);
      return argv[++i];
    };
    auto number = [&](long long low) -> long long {
      const std::string text = value();
      char* end = nullptr;
      const long long n = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end || n < low) usage(program, arg + " takes a whole number from " + std::to_string(low), options);
      return n;
    };
    if (arg == "--device") a.device = value();
    else if (arg == "--fp16") a.model.placement.precision = Precision::kFp16;
    else if (arg == "--precision") {
      const auto p = precision_by_name(value());
      if (!p) usage(program, "--precision takes auto, fp32, bf16, fp16 or tf32", options);
      a.model.placement.precision = *p;
    } else if (arg == "--quality") {
      const auto q = quality_by_name(value());
      if (!q) usage(program, "--quality takes fast, refine, ensemble or best", options);
      a.model.quality = *q;
    } else if (arg == "--cudnn-benchmark") {
      const std::string v = value();
      if (v != "on" && v != "off") usage(program, "--cudnn-benchmark takes on or off", options);
      a.model.cudnn_benchmark = v == "on";
    } else if (arg == "--cuda-graphs") {
      const std::string v = value();
      if (v != "on" && v != "off") usage(program, "--cuda-graphs takes on or off", options);
      a.model.cuda_graphs = v == "on";
    } else if (arg == "--fallback") {
      const std::string v = value();
      if (v != "on" && v != "off") usage(program, "--fallback takes on or off", options);
      a.model.fallback = v == "on";
    } else if (arg == "--runs") a.runs = static_cast<int>(number(1));
    else if (arg == "--warmup") a.warmup = static_cast<int>(number(0));
    else if (arg == "--scale") a.model.scale = std::stod(value());
    else if (arg == "--batch") a.batches.push_back(number(1));
    else if (arg == "--frames" && frames) a.frames = number(2);
    else if (arg == "--size") {
      int w = 0, h = 0;
      if (std::sscanf(value().c_str(), "%dx%d", &w, &h) != 2 || w < 8 || h < 8)
        usage(program, "--size must look like 1920x1080", options);
      a.sizes.emplace_back(w, h);
    } else if (!arg.empty() && arg[0] == '-') usage(program, "unknown option " + arg, options);
    else a.model.model = arg;
  }
  if (a.sizes.empty()) a.sizes = {{1920, 1080}};
  if (a.batches.empty()) a.batches = {1};
  return a;
}

/// Loads the model the arguments name, on their device, and prints what runs and why.
inline std::unique_ptr<FrameInterpolator> load_and_describe(BenchArgs& a) {
  configure_cpu_threads(0);
  a.model.placement.device = parse_device(a.device);
  auto model = load_model(a.model);
  apply_run_switches(model->precision().precision, a.model.placement.device, a.model.cudnn_benchmark);
  const std::string mode = model->mode().empty() ? "" : " (" + model->mode() + ")";
  std::printf("%s%s on %s (%s: %s), %s\n", model->name().c_str(), mode.c_str(), a.model.placement.device.str().c_str(),
              precision_name(model->precision().precision), model->precision().why.c_str(), runtime_summary().c_str());
  return model;
}

/// "1234 MiB", or "n/a" off CUDA (-1).
inline std::string mib(double value) {
  return value >= 0 ? std::to_string(static_cast<long long>(value)) + " MiB" : "n/a";
}

}  // namespace interp::bench
