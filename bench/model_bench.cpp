// Model-only throughput with nothing but LibTorch: the benchmark that runs on a GPU box
// without FFmpeg (scripts/gpu_build.sh builds it). Prints, never asserts.
//
//   interp_model_bench MODEL [--device cpu|cuda[:N]] [--precision auto|fp32|bf16|fp16|tf32] [--fp16]
//                      [--quality fast|refine|ensemble|best] [--cudnn-benchmark on|off] [--cuda-graphs on|off]
//                      [--size WxH]... [--batch N]...
//                      [--runs N] [--warmup N] [--scale S]
// MODEL: a weight file or a model name (rife, rife-v4.6, film, ...). One line per size ×
// batch, then a JSON line per result.
#include "bench_args.h"
#include "interp/base/error.h"
#include "interp/core/host_memory.h"
#include "interp/core/model_timing.h"

#include <torch/torch.h>

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  interp::keep_freed_memory_for_reuse();
  try {
    auto a = interp::bench::parse_bench_args(argc, argv, "interp_model_bench",
                                             "[--device D] [--precision P] [--quality Q] [--cudnn-benchmark on|off] [--cuda-graphs on|off] "
                                             "[--size WxH]... [--batch N]... [--runs N] [--warmup N] [--scale S]",
                                             /*frames=*/false);
    auto model = interp::bench::load_and_describe(a);
    const char* precision = interp::precision_name(model->precision().precision);
    std::vector<std::string> json;
    for (const auto& [w, h] : a.sizes) {
      for (const int64_t batch : a.batches) {
        const auto t = interp::time_model(*model, w, h, batch, a.warmup, a.runs);
        std::printf("%lldx%lld batch %lld: %.3f pairs/s (median %.4f s of %d runs), peak CUDA memory %s\n",
                    static_cast<long long>(w), static_cast<long long>(h), static_cast<long long>(batch),
                    t.pairs_per_s, t.median_s, a.runs,
                    interp::bench::mib(t.peak_device_mib).c_str());
        char line[256];
        std::snprintf(line, sizeof line,
                      "{\"model\":\"%s\",\"mode\":\"%s\",\"device\":\"%s\",\"dtype\":\"%s\",\"size\":\"%lldx%lld\","
                      "\"batch\":%lld,\"pairs_per_s\":%.4f,\"peak_cuda_mib\":%.0f}",
                      model->name().c_str(), model->mode().c_str(), a.model.placement.device.str().c_str(),
                      precision, static_cast<long long>(w),
                      static_cast<long long>(h), static_cast<long long>(batch), t.pairs_per_s, t.peak_device_mib);
        json.push_back(line);
      }
    }
    if (const auto replays = interp::replay_summary(*model); !replays.empty()) std::printf("%s\n", replays.c_str());
    for (const auto& line : json) std::printf("%s\n", line.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "interp_model_bench: error: %s\n", interp::first_line(e.what()).c_str());
    return 1;
  }
}
