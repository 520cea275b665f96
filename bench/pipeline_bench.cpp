// The whole job's pace with nothing but LibTorch: frames from memory through interp's
// real job (queues and threads, upload, slot loop and batching, the pair checks, the
// model, download) into a sink that drops them, beside the model alone on the same
// frames. Runs on a GPU box without FFmpeg (scripts/gpu_build.sh builds it); on a CPU
// as well. Prints, never asserts.
//
//   interp_pipeline_bench MODEL [--device cpu|cuda[:N]] [--precision P] [--fp16] [--quality Q]
//                         [--cudnn-benchmark on|off] [--cuda-graphs on|off] [--size WxH]... [--batch N]...
//                         [--frames N] [--runs N] [--warmup N] [--scale S]
// One line per size × batch (job and model-only pairs/s, their ratio), then a JSON line
// per result.
#include "bench_args.h"
#include "interp/base/error.h"
#include "interp/core/host_memory.h"
#include "interp/pipeline/pipeline_timing.h"

#include <cstdio>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  interp::keep_freed_memory_for_reuse();
  try {
    auto a = interp::bench::parse_bench_args(
        argc, argv, "interp_pipeline_bench",
        "[--device D] [--precision P] [--quality Q] [--cudnn-benchmark on|off] [--cuda-graphs on|off] [--size WxH]... [--batch N]... "
        "[--frames N] [--runs N] [--warmup N] [--scale S]",
        /*frames=*/true);
    auto model = interp::bench::load_and_describe(a);
    std::vector<std::string> json;
    for (const auto& [w, h] : a.sizes) {
      for (const int64_t batch : a.batches) {
        interp::pipeline::PipelineBenchOptions options;
        options.width = static_cast<int>(w);
        options.height = static_cast<int>(h);
        options.frames = a.frames;
        options.batch = static_cast<int>(batch);
        options.model_runs = a.runs;
        options.warmup = a.warmup;
        const auto t = interp::pipeline::time_pipeline(*model, options);
        const double share = t.pairs_per_s / t.model_only.pairs_per_s;
        std::printf("%lldx%lld batch %lld: job %.3f pairs/s (%lld pairs in %.3f s, %.3f s in the model; "
                    "%lld cut, %lld still), model alone %.3f pairs/s: job at %.1f%% of the model's pace; "
                    "peak CUDA memory job %s, model %s\n",
                    static_cast<long long>(w), static_cast<long long>(h), static_cast<long long>(batch), t.pairs_per_s,
                    static_cast<long long>(t.pairs), t.job.seconds, t.job.model_seconds,
                    static_cast<long long>(t.job.scene_cuts), static_cast<long long>(t.job.still_pairs),
                    t.model_only.pairs_per_s, 100.0 * share, interp::bench::mib(t.peak_device_mib).c_str(),
                    interp::bench::mib(t.model_only.peak_device_mib).c_str());
        char line[320];
        std::snprintf(line, sizeof line,
                      "{\"model\":\"%s\",\"mode\":\"%s\",\"device\":\"%s\",\"dtype\":\"%s\",\"size\":\"%lldx%lld\","
                      "\"batch\":%lld,\"frames\":%lld,\"job_pairs_per_s\":%.4f,\"model_pairs_per_s\":%.4f,"
                      "\"job_share\":%.4f,\"peak_cuda_mib\":%.0f}",
                      model->name().c_str(), model->mode().c_str(), a.model.placement.device.str().c_str(),
                      interp::precision_name(model->precision().precision), static_cast<long long>(w),
                      static_cast<long long>(h), static_cast<long long>(batch), static_cast<long long>(a.frames),
                      t.pairs_per_s, t.model_only.pairs_per_s, share, t.peak_device_mib);
        json.push_back(line);
      }
    }
    if (const auto replays = interp::replay_summary(*model); !replays.empty()) std::printf("%s\n", replays.c_str());
    for (const auto& line : json) std::printf("%s\n", line.c_str());
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "interp_pipeline_bench: error: %s\n", interp::first_line(e.what()).c_str());
    return 1;
  }
}
