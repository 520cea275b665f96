/// Benchmark: model-only pairs/s, end-to-end fps, peak RSS.
#include "bench.h"

#include "interp/core/error.h"
#include "interp/core/model_timing.h"
#include "interp/io/output_file.h"
#include "interp/io/video_reader.h"
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/video_job.h"
#include "log.h"

#include <sys/resource.h>
#include <unistd.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace interp::cli {
namespace {

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss / 1024.0;  // kilobytes on Linux
}

std::pair<int64_t, int64_t> parse_size(const std::string& text) {
  int w = 0, h = 0;
  char x = 0;
  if (std::sscanf(text.c_str(), "%d%c%d", &w, &x, &h) != 3 || (x != 'x' && x != 'X') || w < 8 || h < 8)
    throw Error("--size must look like 1280x720 (got '" + text + "')");
  return {w, h};
}

/// Model-only pairs/s on a clip's own consecutive frames (t = 0.5), decoded and
/// converted to tensors before timing: the model's share of an --exp=1 run.
double clip_model_only(FrameInterpolator& model, const std::string& clip) {
  io::VideoReader reader(clip);
  std::vector<io::Image> frames;
  io::Image image;
  int64_t pts = 0;
  for (;;) {
    const auto kind = reader.next(image, pts, nullptr);
    if (kind == io::VideoReader::Item::End) break;
    if (kind == io::VideoReader::Item::Frame) frames.push_back(image);
  }
  if (frames.size() < 2) throw Error(clip + ": fewer than 2 frames");
  torch::InferenceMode guard;
  double seconds = 0;
  auto previous = pipeline::to_tensor(frames[0], model.device(), model.dtype());
  for (size_t i = 1; i < frames.size(); ++i) {
    auto next = pipeline::to_tensor(frames[i], model.device(), model.dtype());
    synchronize(model.device());
    const auto t0 = std::chrono::steady_clock::now();
    model.interpolate(previous, next, {0.5});
    synchronize(model.device());
    seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    previous = next;
  }
  return static_cast<double>(frames.size() - 1) / seconds;
}

}  // namespace

int run_bench(CommonSettings& s, const BenchSettings& b) {
  if (b.runs < 1) throw Error("--runs must be at least 1");
  const auto [w, h] = parse_size(b.size);
  auto model = prepare_model(s);
  const int64_t n = s.batch;
  const auto timing = time_model(*model, w, h, n, b.warmup, b.runs);
  const double pairs_per_s = timing.pairs_per_s, median = timing.median_s;

  char line[512];
  std::snprintf(line, sizeof(line), "model-only: %s %s %s %s batch %lld: %.3f pairs/s (median %.3f s of %d runs)",
                model->name().c_str(), b.size.c_str(), model->device().str().c_str(),
                model->dtype() == torch::kFloat16 ? "fp16" : "fp32", static_cast<long long>(n), pairs_per_s, median,
                b.runs);
  std::printf("%s\n", line);

  double e2e_input_fps = 0, e2e_output_fps = 0, clip_pairs_per_s = 0;
  std::string clip_size;
  if (!b.clip.empty()) {
    namespace fs = std::filesystem;
    const fs::path tmp = fs::temp_directory_path() / ("interp_bench_" + std::to_string(::getpid()));
    fs::create_directories(tmp);
    const std::string cut = (tmp / "clip.mkv").string();
    // The clip's first frames, stream-copied by our own reader/writer would re-encode;
    // ffmpeg's CLI keeps this a pure cut.
    const std::string cmd = "ffmpeg -v error -y -i '" + b.clip + "' -frames:v " + std::to_string(b.clip_frames) +
                            " -an -c copy '" + cut + "'";
    if (std::system(cmd.c_str()) != 0) throw Error(b.clip + ": cannot cut the first frames (is ffmpeg installed?)");
    pipeline::VideoJobOptions job;
    job.input = cut;
    job.output = (tmp / "out.mkv").string();
    job.exp = 1;
    job.batch = s.batch;
    job.scene_threshold = s.scene_threshold;
    job.encoder = s.encoder;
    const auto result = pipeline::run_video_job(*model, job);
    clip_pairs_per_s = clip_model_only(*model, cut);
    fs::remove_all(tmp);
    e2e_input_fps = result.input_frames / result.seconds;
    e2e_output_fps = result.output_frames / result.seconds;
    std::snprintf(line, sizeof(line),
                  "end-to-end --exp=1: %lld frames in %.2f s: %.3f input frames/s (%.3f output fps); model %.2f s",
                  static_cast<long long>(result.input_frames), result.seconds, e2e_input_fps, e2e_output_fps,
                  result.model_seconds);
    std::printf("%s\n", line);
    std::printf("model-only on the same frames: %.3f pairs/s; end-to-end / model-only = %.0f%%\n", clip_pairs_per_s,
                100.0 * e2e_input_fps / clip_pairs_per_s);
  }
  const double rss = peak_rss_mib();
  std::printf("peak host RSS: %.0f MiB\n", rss);
  if (timing.peak_device_mib >= 0) std::printf("peak CUDA memory (model-only runs): %.0f MiB\n", timing.peak_device_mib);

  if (!b.json.empty()) {
    std::ofstream out(b.json);
    out << "{\"model\":\"" << model->name() << "\",\"size\":\"" << b.size << "\",\"device\":\""
        << model->device().str() << "\",\"dtype\":\"" << (model->dtype() == torch::kFloat16 ? "fp16" : "fp32")
        << "\",\"batch\":" << n << ",\"threads\":" << torch::get_num_threads() << ",\"runs\":" << b.runs
        << ",\"model_pairs_per_s\":" << pairs_per_s << ",\"model_median_s\":" << median
        << ",\"e2e_input_fps\":" << e2e_input_fps << ",\"e2e_output_fps\":" << e2e_output_fps
        << ",\"clip_model_pairs_per_s\":" << clip_pairs_per_s
        << ",\"peak_rss_mib\":" << rss << ",\"peak_cuda_mib\":" << timing.peak_device_mib << "}\n";
    if (!out) throw Error(b.json + ": cannot write");
  }
  return 0;
}

}  // namespace interp::cli
