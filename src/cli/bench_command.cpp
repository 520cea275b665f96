/// `interp bench`: model-only throughput (median of timed runs after warm-up),
/// end-to-end throughput on the first frames of a real clip, peak memory. It reports;
/// it never asserts.
#include "commands.h"

#include "interp/base/error.h"
#include "interp/core/model_timing.h"
#include "interp/io/output_file.h"
#include "interp/io/video_reader.h"
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/jobs.h"
#include "log.h"

#include <nlohmann/json.hpp>

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
double clip_model_only(FrameInterpolator& model, const std::string& clip, int64_t limit) {
  io::VideoReader reader(clip);
  std::vector<io::Image> frames;
  while (static_cast<int64_t>(frames.size()) < limit) {
    auto item = reader.next();
    if (std::holds_alternative<io::EndOfStream>(item)) break;
    if (auto* frame = std::get_if<io::VideoFrame>(&item)) frames.push_back(std::move(frame->image));
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

/// A private scratch folder, removed with what is in it.
class ScratchFolder {
 public:
  ScratchFolder() {
    std::string pattern = (std::filesystem::temp_directory_path() / "interp_bench_XXXXXX").string();
    if (!::mkdtemp(pattern.data())) throw Error("cannot create a scratch folder in " + pattern);
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

struct BenchSettings {
  std::string size = "640x480";  ///< WxH of the model-only runs
  int runs = 5;
  int warmup = 1;
  std::string clip;              ///< end-to-end run on this clip (skipped when empty)
  int clip_frames = 60;
  std::string json;              ///< also write the figures here
  pipeline::SkipThresholds skip;
  io::EncoderOptions encoder;
};

int run_bench(const SharedSettings& shared, const BenchSettings& b) {
  const auto [w, h] = parse_size(b.size);
  // --json is an output like any other: checked before the work, written aside, put in
  // place (or into a FIFO or device). The model file is read like the clip.
  std::vector<std::string> inputs{resolve_model_path(shared.model.model)};
  if (!b.clip.empty()) inputs.push_back(b.clip);
  io::check_standard_output(inputs);  // the figures go there
  const auto json_kind = io::PendingOutput::Kind::FileOrStream;
  if (!b.json.empty()) io::PendingOutput::check(b.json, json_kind, shared.overwrite, inputs);
  auto model = load_model(shared.model);
  const int64_t n = shared.model.batch;
  const auto timing = time_model(*model, w, h, n, b.warmup, b.runs);
  const double pairs_per_s = timing.pairs_per_s, median = timing.median_s;

  const std::string mode = model->mode().empty() ? "" : " (" + model->mode() + ")";
  char line[512];
  std::snprintf(line, sizeof(line), "model-only: %s%s %s %s %s batch %lld: %.3f pairs/s (median %.3f s of %d runs)",
                model->name().c_str(), mode.c_str(), b.size.c_str(), model->device().str().c_str(),
                precision_name(model->precision().precision), static_cast<long long>(n), pairs_per_s, median,
                b.runs);
  std::printf("%s\n", line);

  double e2e_input_fps = 0, e2e_output_fps = 0, clip_pairs_per_s = 0;
  std::string clip_size;
  if (!b.clip.empty()) {
    ScratchFolder scratch;
    pipeline::JobOptions job = job_options(shared, b.skip);
    job.frame_limit = b.clip_frames;
    pipeline::RateRequest twice;  // --exp=1
    pipeline::JobInput input;
    input.video = input.name = b.clip;
    pipeline::JobOutput output;
    output.path = scratch / "out.mkv";
    output.encoder = b.encoder;
    const auto result = pipeline::run_interpolation_job(*model, input, output, twice, job);
    clip_pairs_per_s = clip_model_only(*model, b.clip, b.clip_frames);
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
    const nlohmann::json figures = {
        {"model", model->name()},
        {"quality", model->mode()},
        {"size", b.size},
        {"device", model->device().str()},
        {"dtype", precision_name(model->precision().precision)},
        {"batch", n},
        {"threads", torch::get_num_threads()},
        {"runs", b.runs},
        {"model_pairs_per_s", pairs_per_s},
        {"model_median_s", median},
        {"e2e_input_fps", e2e_input_fps},
        {"e2e_output_fps", e2e_output_fps},
        {"clip_model_pairs_per_s", clip_pairs_per_s},
        {"peak_rss_mib", rss},
        {"peak_cuda_mib", timing.peak_device_mib}};
    io::PendingOutput pending(b.json, json_kind, shared.overwrite, inputs);
    std::ofstream out(pending.temp_path());
    out << figures.dump() << "\n";
    out.close();
    if (!out) throw Error(b.json + ": cannot write");
    pending.commit();
  }
  return 0;
}

}  // namespace

void add_bench_command(CLI::App& root, SharedSettings& shared, Run& run) {
  const auto settings = std::make_shared<BenchSettings>();  // lives as long as the callback
  BenchSettings& b = *settings;
  auto* bench = root.add_subcommand("bench", "measure model-only and end-to-end throughput");
  bench->add_option("--size", b.size, "WxH of the model-only runs")->capture_default_str();
  bench->add_option("--runs", b.runs, "timed runs (median reported)")->capture_default_str()->check(within(1, 1000));
  bench->add_option("--warmup", b.warmup, "untimed runs first")->capture_default_str()->check(within(0, 1000));
  bench->add_option("--clip", b.clip, "also run --exp=1 end to end on this clip's first frames")
      ->check(CLI::ExistingFile);
  bench->add_option("--frames", b.clip_frames, "frames of --clip")->capture_default_str()->check(within(2, 100000));
  bench->add_option("--json", b.json, "write the figures as JSON too (a file, or a FIFO or device written into)")
      ->group(kOutputGroup);
  add_model_options(*bench, shared.model);
  add_skip_options(*bench, b.skip);
  add_encoder_options(*bench, b.encoder);
  add_overwrite_options(*bench, shared.overwrite);
  bench->fallthrough();
  bench->callback([&shared, &run, settings] { run = [&shared, settings] { return run_bench(shared, *settings); }; });
}

}  // namespace interp::cli
