/// The root command: `interp [options] INPUT OUTPUT`. A video becomes a video (audio and
/// subtitles copied) or a folder of frames; a folder of pictures becomes a folder.
#include "commands.h"

#include "interp/base/error.h"
#include "interp/io/image_file.h"
#include "interp/io/output_file.h"
#include "interp/pipeline/frame_source.h"
#include "interp/pipeline/jobs.h"
#include "log.h"
#include "output_kind.h"
#include "progress.h"
#include "report.h"

#include <cstdio>
#include <filesystem>

namespace interp::cli {
namespace fs = std::filesystem;
namespace {

struct VideoSettings {
  std::string input, output;
  io::EncoderOptions encoder;
  double scene_threshold = pipeline::kDefaultSceneThreshold;
};

pipeline::JobOptions job_options(const SharedSettings& shared, const VideoSettings& v, Progress& progress) {
  pipeline::JobOptions o;
  o.recursive = shared.rate.recursive();
  o.batch = shared.model.batch;
  o.scene_threshold = v.scene_threshold;
  o.decode = shared.decode;
  o.cancel = shared.cancel;
  o.on_progress = [&progress](const pipeline::JobProgress& p) {
    progress.update(p.output_frames, p.expected_output_frames, p.seconds);
  };
  return o;
}

int run_video(const SharedSettings& shared, const VideoSettings& v) {
  if (v.input.empty() || v.output.empty()) throw Error("INPUT and OUTPUT are required (see --help)");
  if (!fs::exists(v.input)) throw Error(v.input + ": no such file");
  const bool from_pictures = fs::is_directory(v.input);
  const OutputKind kind = output_kind(v.output);
  if (kind == OutputKind::Picture)
    throw Error(v.output + ": many frames need a video file or a folder, not one picture");
  if (from_pictures && kind == OutputKind::Video)
    throw Error(v.output + ": pictures become pictures; a video from an image folder is not supported yet "
                           "(write frames to a folder, then encode them with ffmpeg)");
  if (from_pictures && !shared.rate.fps.empty())
    throw Error("--fps needs an input frame rate, which pictures have not; use --exp or --multi");
  // Refuse a bad output before spending seconds loading the model.
  const auto pending_kind = kind == OutputKind::Video ? io::PendingOutput::Kind::File : io::PendingOutput::Kind::Folder;
  const auto images = from_pictures ? io::list_images(v.input) : std::vector<std::string>{};
  io::PendingOutput::check(v.output, pending_kind, shared.overwrite, from_pictures ? images : std::vector{v.input});
  if (from_pictures) pipeline::check_pictures(images, v.input, shared.decode.max_pixels);
  auto model = load_model(shared.model);
  Progress progress(fs::path(v.output).filename().string(), !shared.quiet);
  const auto options = job_options(shared, v, progress);
  char line[512];
  pipeline::JobResult result;
  if (from_pictures) {
    const auto r = pipeline::run_images_job(*model, images, v.input, v.output, shared.rate.request().factor,
                                            shared.overwrite, options);
    result = r;
    std::snprintf(line, sizeof(line), "%s: %lld frames from %lld images (%lld scene cuts) in %.1f s",
                  v.output.c_str(), static_cast<long long>(r.output_frames), static_cast<long long>(r.input_frames),
                  static_cast<long long>(r.scene_cuts), r.seconds);
  } else if (kind == OutputKind::Folder) {
    const auto r = pipeline::run_video_to_images_job(*model, v.input, v.output, shared.rate.request(),
                                                     shared.overwrite, options);
    result = r;
    std::snprintf(line, sizeof(line), "%s: %lld -> %lld frames as PNG (%lld scene cuts) in %.1f s", v.output.c_str(),
                  static_cast<long long>(r.input_frames), static_cast<long long>(r.output_frames),
                  static_cast<long long>(r.scene_cuts), r.seconds);
  } else {
    const auto r = pipeline::run_video_job(*model, v.input, v.output, shared.rate.request(), v.encoder,
                                           shared.overwrite, options);
    result = r;
    std::snprintf(line, sizeof(line),
                  "%s: %lld -> %lld frames at %d/%d fps (%s, %lld scene cuts) in %.1f s (%.2f output fps; model %.1f s)",
                  v.output.c_str(), static_cast<long long>(r.input_frames), static_cast<long long>(r.output_frames),
                  r.output_rate.num, r.output_rate.den, r.pixel_format.c_str(), static_cast<long long>(r.scene_cuts),
                  r.seconds, r.output_frames / r.seconds, r.model_seconds);
  }
  progress.finish();
  report_input(v.input, result);
  log::info(line);
  return 0;
}

}  // namespace

void add_video_command(CLI::App& root, SharedSettings& shared, Run& run) {
  static VideoSettings v;
  root.add_option("INPUT", v.input, "input video (any format FFmpeg reads) or folder of numbered pictures");
  root.add_option("OUTPUT", v.output,
                  "output video (" + video_extensions() + ") or folder of PNG frames (existing, ending in '/', "
                  "or without an extension)");
  add_rate_options(root, shared.rate, /*with_fps=*/true);
  add_model_options(root, shared.model);
  add_scene_option(root, v.scene_threshold);
  add_encoder_options(root, v.encoder);
  add_overwrite_options(root, shared.overwrite);
  add_decode_options(root, shared.decode);
  run = [&shared] { return run_video(shared, v); };
}

}  // namespace interp::cli
