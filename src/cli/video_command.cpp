/// The root command: `interp [options] INPUT OUTPUT`. The input is a video (a file, or
/// "-" for standard input), a folder of pictures or a numbered pattern (frames/%06d.png);
/// the output a video (a file, or "-" with --format), a folder or a pattern of PNG frames.
/// Every input and output is checked before the model loads.
#include "commands.h"

#include "adapt.h"

#include "interp/base/error.h"
#include "interp/core/graph_replay.h"
#include "interp/io/image_file.h"
#include "interp/io/image_sequence.h"
#include "interp/io/live_output.h"
#include "interp/io/output_file.h"
#include "interp/pipeline/jobs.h"
#include "log.h"
#include "output_kind.h"
#include "progress.h"
#include "report.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

namespace interp::cli {
namespace fs = std::filesystem;
namespace {

struct VideoSettings {
  std::string input, output;
  io::EncoderOptions encoder;
  pipeline::SkipThresholds skip;
  std::string fps_in;    ///< the pictures' frame rate
  std::string progress;  ///< --progress FILE|-
  std::string range;     ///< --range A:B
  double adapt = 0;      ///< --adapt MINUTES
};

/// The input as the job takes it: pictures listed, a video by name. plan_job checks them.
pipeline::JobInput resolve_input(const VideoSettings& v) {
  pipeline::JobInput in;
  in.name = v.input;
  const bool missing = v.input != "-" && !fs::exists(v.input);  // a pattern, or a mistake
  const bool pattern = missing && io::is_sequence_pattern(v.input);
  if (missing && !pattern) throw Error(v.input + ": no such file");
  if (pattern)
    in.pictures = io::list_sequence(v.input);
  else if (fs::is_directory(v.input))
    in.pictures = io::list_images(v.input);
  else
    in.video = v.input;
  if (in.pictures.empty() && !v.fps_in.empty())
    throw Error("--fps-in is for pictures; a video carries its own frame rate");
  if (!v.fps_in.empty()) {
    const auto rate = pipeline::parse_rate(v.fps_in);
    if (rate.num > INT32_MAX || rate.den > INT32_MAX) throw Error("--fps-in " + v.fps_in + ": out of range");
    in.picture_rate = {static_cast<int>(rate.num), static_cast<int>(rate.den)};
  }
  return in;
}

/// The output as the flags describe it; plan_job checks it against the inputs.
pipeline::JobOutput resolve_output(const VideoSettings& v, const SharedSettings& shared) {
  pipeline::JobOutput out;
  out.path = v.output;
  out.encoder = v.encoder;
  out.overwrite = shared.overwrite;
  const OutputKind kind = output_kind(v.output, !v.encoder.container.empty());
  if (kind == OutputKind::Picture)
    throw Error(v.output + ": many frames need a video, a folder or a pattern (out/%06d.png), not one picture");
  const bool video = kind == OutputKind::Video || kind == OutputKind::Pipe;
  out.kind = video ? pipeline::JobOutput::Kind::Video : pipeline::JobOutput::Kind::Frames;
  if (kind == OutputKind::Pipe && v.encoder.container.empty())
    throw Error("-: standard output needs --format (nut, matroska, yuv4mpegpipe, mpegts)");
  if (kind == OutputKind::Pipe && ::isatty(STDOUT_FILENO))
    throw Error("-: standard output is a terminal; pipe it into a program (| ffmpeg -i - ..., | mpv -)");
  if (!v.encoder.container.empty()) {
    if (!video) throw Error("--format is for video outputs; " + v.output + " names frames");
    out.encoder.container = io::check_video_container(v.encoder.container, kind == OutputKind::Pipe);
  }
  if (kind == OutputKind::Sequence) {
    out.path = sequence_folder(v.output);
    out.frame_pattern = fs::path(v.output).filename().string();
  }
  if (kind == OutputKind::Pipe && v.progress == "-")
    throw Error("--progress -: standard output carries the video; give the progress a file");
  return out;
}

/// The job, checked and opened before the model loads; a rate the pictures lack is
/// asked for by its flag.
pipeline::PlannedJob plan(const VideoSettings& v, const SharedSettings& shared) {
  auto input = resolve_input(v);
  input.also_read.push_back(resolve_model_path(shared.model.model));  // no output may be the model either
  const auto output = resolve_output(v, shared);
  auto options = job_options(shared, v.skip);
  if (!v.range.empty()) options.range = parse_range(v.range);
  try {
    return pipeline::plan_job(input, output, shared.rate.request(), options);
  } catch (const pipeline::NeedsPictureRate& e) {
    throw Error(std::string(e.what()) + "; give it with --fps-in (e.g. --fps-in 24)");
  }
}

/// --progress FILE is an output too: never an input, not the video, -y/-n.
void check_progress(const VideoSettings& v, const SharedSettings& shared, const pipeline::PlannedJob& job) {
  if (v.progress.empty() || v.progress == "-") return;
  if (job.output.path != "-") io::check_apart(job.output.path, v.progress, "--progress");
  try {
    io::LiveOutput::check(v.progress, shared.overwrite, job.input.paths());
  } catch (const Error& e) {
    throw Error(std::string("--progress ") + e.what());
  }
}

std::string summary(const VideoSettings& v, const pipeline::VideoJobResult& r) {
  char line[512];
  const auto n = [](int64_t x) { return static_cast<long long>(x); };
  std::string skipped = std::to_string(r.scene_cuts) + " scene cuts, " + std::to_string(r.still_pairs) + " still pairs";
  if (r.output_rate.num > 0)
    std::snprintf(line, sizeof(line),
                  "%s: %lld -> %lld frames at %d/%d fps (%s, %s) in %.1f s (%.2f output fps; model %.1f s)",
                  v.output.c_str(), n(r.input_frames), n(r.output_frames), r.output_rate.num, r.output_rate.den,
                  r.format.c_str(), skipped.c_str(), r.seconds, r.output_frames / r.seconds, r.model_seconds);
  else
    std::snprintf(line, sizeof(line), "%s: %lld -> %lld frames as %s (%s) in %.1f s", v.output.c_str(),
                  n(r.input_frames), n(r.output_frames), r.format.c_str(), skipped.c_str(), r.seconds);
  return line;
}

int run_video(const SharedSettings& shared, const VideoSettings& v) {
  if (v.input.empty() || v.output.empty()) throw Error("INPUT and OUTPUT are required (see --help)");
  pipeline::PlannedJob job = plan(v, shared);
  check_progress(v, shared, job);
  if (!v.range.empty() && job.input.video == "-")
    log::warn("frames " + v.range + " of standard input: interp join cannot check this piece's source by content, "
              "nor put back audio/subtitles (unless given the video with --source)");
  else if (!v.range.empty() && job.input.pictures.empty())
    log::info("frames " + v.range + " of " + v.input + ", without audio/subtitles (interp join puts them back)");
  if (v.adapt > 0 && job.options.range)
    throw Error("--adapt with --range: each piece would adapt apart; adapt once with interp train and give its model");
  if (v.adapt > 0 && job.input.video == "-") throw Error("--adapt reads the input twice: standard input cannot be");
  ProgressFeed feed(v.progress, shared.overwrite, job.input.paths());
  pipeline::VideoJobResult result;
  std::string replays;  // what CUDA graphs did, with --cuda-graphs on
  std::string choices;  // what the model chose pair by pair
  try {
    const ModelOptions where = model_options(shared.model);  // once: threads, the device's warning
    const auto adapted = v.adapt > 0 ? adapt_to_input(shared, where, job.input, v.adapt, v.skip) : std::nullopt;
    auto model = load_model_with(where, adapted ? &*adapted : nullptr);
    const PairChoices before = model->choices();  // auto's verdict ran passes of its own
    Progress progress(v.output == "-" ? "stdout" : fs::path(v.output).filename().string(), !shared.quiet);
    if (job.options.range) job.options.model_settings = model_settings(shared.model);
    job.options.on_progress = [&](const pipeline::JobProgress& p) {
      progress.update(p);
      feed.update(p);
    };
    result = pipeline::run_planned_job(*model, job);
    replays = replay_summary(*model);
    choices = choices_since(before, model->choices());
    progress.finish();
  } catch (const std::exception& e) {
    const bool cancelled = shared.cancel && shared.cancel->load();
    feed.finish(cancelled ? "interrupted" : "failed", first_line(e.what()));
    throw;
  }
  feed.finish("ok");
  report_input(v.input, result);
  log::info(summary(v, result));
  if (!replays.empty()) log::info(replays);
  if (!choices.empty()) log::info(choices);
  return 0;
}

}  // namespace

void add_video_command(CLI::App& root, SharedSettings& shared, Run& run) {
  const auto settings = std::make_shared<VideoSettings>();  // lives as long as `run`
  VideoSettings& v = *settings;
  root.add_option("INPUT", v.input,
                  "input video (any format FFmpeg reads; - for standard input), folder of numbered pictures, or a "
                  "pattern like frames/%06d.png");
  root.add_option("OUTPUT", v.output,
                  "output video (" + video_extensions() + "; - for standard output, with --format), folder of PNG "
                  "frames (existing, ending in '/', or without an extension) or a pattern like out/%06d.png "
                  "(numbered from 1)")
      ->group(kOutputGroup);
  root.add_option("--fps-in", v.fps_in, "frame rate of picture inputs (24, 23.976, 24000/1001); needed for a video")
      ->check(rate_validator());
  root.add_option("--format", v.encoder.container,
                  "output container by FFmpeg's name (nut, matroska, yuv4mpegpipe, mpegts, ...): needed for "
                  "standard output, else taken from the extension");
  root.add_option("--progress", v.progress,
                  "machine-readable progress to FILE or - (standard output): key=value blocks like ffmpeg's "
                  "-progress (frame, total, fps, elapsed, out_time, speed, eta; then status=ok|failed|interrupted)")
      ->group(kOutputGroup);
  root.add_option("--range", v.range,
                  "only input frames A to B-1 (A: to the end), frame-exact, each with the in-betweens after it, timed "
                  "as in the whole output: pieces made apart (see split-plan) join into it (see join)")
      ->check(range_validator());
  root.add_option("--adapt", v.adapt,
                  "first fine-tune the model on the input's own frames for MINUTES (kept only if it scores better on "
                  "held-out stretches spread over the input)")
      ->check(within(0.01, 1e4));
  add_rate_options(root, shared.rate, /*with_fps=*/true);
  add_model_options(root, shared.model);
  add_skip_options(root, v.skip);
  add_encoder_options(root, v.encoder);
  add_overwrite_options(root, shared.overwrite);
  add_decode_options(root, shared.decode);
  run = [&shared, settings] { return run_video(shared, *settings); };
}

}  // namespace interp::cli
