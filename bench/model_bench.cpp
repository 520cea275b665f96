// Model-only throughput with nothing but LibTorch: the benchmark that runs on a GPU box
// without FFmpeg (scripts/gpu_build.sh builds it). Prints, never asserts.
//
//   interp_model_bench MODEL [--device cpu|cuda[:N]] [--precision auto|fp32|bf16|fp16|tf32] [--fp16]
//                      [--quality fast|refine|ensemble|best] [--cudnn-benchmark on|off]
//                      [--size WxH]... [--batch N]...
//                      [--runs N] [--warmup N] [--scale S]
// MODEL: a weight file or a model name (rife, rife-v4.6, film, ...). One line per size ×
// batch, then a JSON line per result.
#include "interp/core/device.h"
#include "interp/base/error.h"
#include "interp/core/host_memory.h"
#include "interp/core/model_timing.h"
#include "interp/core/model_loader.h"
#include "interp/core/quality.h"

#include <torch/torch.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

struct Args {
  interp::ModelOptions model;
  std::string device = "cpu";
  std::vector<std::pair<int64_t, int64_t>> sizes;
  std::vector<int64_t> batches;
  int runs = 10, warmup = 3;
};

[[noreturn]] void usage(const std::string& why) {
  std::fprintf(stderr, "interp_model_bench: %s\nusage: interp_model_bench MODEL [--device D] [--precision P] "
               "[--quality Q] [--cudnn-benchmark on|off] [--size WxH]... [--batch N]... [--runs N] [--warmup N] "
               "[--scale S]\n", why.c_str());
  std::exit(2);
}

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--device") a.device = value();
    else if (arg == "--fp16") a.model.precision = interp::Precision::kFp16;
    else if (arg == "--precision") {
      const auto p = interp::precision_by_name(value());
      if (!p) usage("--precision takes auto, fp32, bf16, fp16 or tf32");
      a.model.precision = *p;
    } else if (arg == "--quality") {
      const auto q = interp::quality_by_name(value());
      if (!q) usage("--quality takes fast, refine, ensemble or best");
      a.model.quality = *q;
    } else if (arg == "--cudnn-benchmark") {
      const std::string v = value();
      if (v != "on" && v != "off") usage("--cudnn-benchmark takes on or off");
      a.model.cudnn_benchmark = v == "on";
    }
    else if (arg == "--runs") a.runs = std::stoi(value());
    else if (arg == "--warmup") a.warmup = std::stoi(value());
    else if (arg == "--scale") a.model.scale = std::stod(value());
    else if (arg == "--batch") a.batches.push_back(std::stoll(value()));
    else if (arg == "--size") {
      int w = 0, h = 0;
      if (std::sscanf(value().c_str(), "%dx%d", &w, &h) != 2 || w < 8 || h < 8) usage("--size must look like 1920x1080");
      a.sizes.emplace_back(w, h);
    } else if (!arg.empty() && arg[0] == '-') usage("unknown option " + arg);
    else a.model.model = arg;
  }
  if (a.sizes.empty()) a.sizes = {{1920, 1080}};
  if (a.batches.empty()) a.batches = {1};
  if (a.runs < 1) usage("--runs must be at least 1");
  return a;
}

}  // namespace

int main(int argc, char** argv) {
  interp::keep_freed_memory_for_reuse();
  try {
    Args a = parse(argc, argv);
    interp::configure_cpu_threads(0);
    a.model.device = interp::parse_device(a.device);
    auto model = interp::load_model(a.model);
    const char* precision = interp::precision_name(model->precision().precision);
    const std::string mode = model->mode().empty() ? "" : " (" + model->mode() + ")";
    std::printf("%s%s on %s (%s: %s), %s\n", model->name().c_str(), mode.c_str(), a.model.device.str().c_str(),
                precision, model->precision().why.c_str(), interp::runtime_summary().c_str());
    std::vector<std::string> json;
    for (const auto& [w, h] : a.sizes) {
      for (const int64_t batch : a.batches) {
        const auto t = interp::time_model(*model, w, h, batch, a.warmup, a.runs);
        std::printf("%lldx%lld batch %lld: %.3f pairs/s (median %.4f s of %d runs), peak CUDA memory %s\n",
                    static_cast<long long>(w), static_cast<long long>(h), static_cast<long long>(batch),
                    t.pairs_per_s, t.median_s, a.runs,
                    t.peak_device_mib >= 0 ? (std::to_string(static_cast<long long>(t.peak_device_mib)) + " MiB").c_str()
                                           : "n/a");
        char line[256];
        std::snprintf(line, sizeof line,
                      "{\"model\":\"%s\",\"mode\":\"%s\",\"device\":\"%s\",\"dtype\":\"%s\",\"size\":\"%lldx%lld\","
                      "\"batch\":%lld,\"pairs_per_s\":%.4f,\"peak_cuda_mib\":%.0f}",
                      model->name().c_str(), model->mode().c_str(), a.model.device.str().c_str(),
                      precision, static_cast<long long>(w),
                      static_cast<long long>(h), static_cast<long long>(batch), t.pairs_per_s, t.peak_device_mib);
        json.push_back(line);
      }
    }
    for (const auto& line : json) std::printf("%s\n", line.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "interp_model_bench: error: %s\n", interp::first_line(e.what()).c_str());
    return 1;
  }
}
