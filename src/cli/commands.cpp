/// Video, pair, folder and convert commands.
#include "commands.h"

#include "interp/core/device.h"
#include "interp/core/error.h"
#include "interp/io/image_file.h"
#include "interp/io/output_file.h"
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/pair_interpolator.h"
#include "interp/pipeline/video_job.h"
#include "log.h"
#include "progress.h"

#include <cstdio>
#include <torch/torch.h>

#include <filesystem>
#include <sstream>

namespace interp::cli {
namespace fs = std::filesystem;

namespace {

std::string frame_name(int64_t index, int64_t count) {
  const int width = std::max<int>(4, static_cast<int>(std::to_string(std::max<int64_t>(count - 1, 0)).size()));
  std::string digits = std::to_string(index);
  return std::string(width - std::min<int>(width, digits.size()), '0') + digits + ".png";
}

/// RGB channels for the model; alpha (if any) handled by the caller.
torch::Tensor rgb_of(const torch::Tensor& t) { return t.slice(1, 0, 3); }

/// Interpolated frame with alpha: colour from the model, alpha blended linearly in t
/// (the model only predicts colour; a linear alpha never invents coverage).
torch::Tensor with_alpha(const torch::Tensor& rgb, const torch::Tensor& a, const torch::Tensor& b, double t) {
  if (a.size(1) < 4) return rgb;
  auto alpha = a.slice(1, 3, 4) * (1.0 - t) + b.slice(1, 3, 4) * t;
  return torch::cat({rgb, alpha.to(rgb.scalar_type())}, 1);
}

/// Writes a PNG beside its target and renames it into place.
void save_png(const std::string& path, const torch::Tensor& frame, int bit_depth, bool overwrite,
              const std::vector<std::string>& inputs) {
  io::PendingOutput pending(path, io::PendingOutput::Kind::File, overwrite, inputs);
  io::Image image;
  pipeline::to_image(frame, bit_depth, image);
  io::write_png(pending.temp_path(), image);
  pending.commit();
}

pipeline::Timeline timeline_for(const CommonSettings& s) {
  return pipeline::Timeline(pipeline::make_ratio(s.exp, s.multi, s.fps, 1, 1));
}

/// `detect_cuts`: sequences may contain cuts; an explicit pair is always interpolated.
pipeline::PairOptions pair_options(const CommonSettings& s, const FrameInterpolator& model,
                                   const pipeline::Timeline& timeline, bool detect_cuts,
                                   const std::atomic<bool>& cancel) {
  pipeline::PairOptions o;
  o.cancel = &cancel;
  o.batch = s.batch;
  o.scene_threshold = detect_cuts ? s.scene_threshold : 0;
  o.mode = pipeline::choose_timing(s.exp != 0, timeline, model);
  return o;
}

}  // namespace

std::unique_ptr<FrameInterpolator> prepare_model(CommonSettings& s) {
  configure_cpu_threads(s.threads);
  s.model.device = parse_device(s.device);
  if (s.fp16) {
    if (!s.model.device.is_cuda()) throw Error("--fp16 needs a CUDA device (CPU half precision is slower than fp32)");
    s.model.dtype = torch::kFloat16;
  }
  auto model = load_model(s.model);
  log::info("model " + model->name() + " on " + s.model.device.str() + (s.fp16 ? " (fp16)" : " (fp32)"));
  return model;
}

int run_video(CommonSettings& s, const std::string& input, const std::string& output, const std::atomic<bool>& cancel) {
  if (!fs::exists(input)) throw Error(input + ": no such file");
  // Refuse a bad output before spending seconds loading the model.
  io::PendingOutput::check(output, io::PendingOutput::Kind::File, s.overwrite, {input});
  auto model = prepare_model(s);
  pipeline::VideoJobOptions options;
  options.input = input;
  options.output = output;
  options.overwrite = s.overwrite;
  options.encoder = s.encoder;
  options.exp = s.exp;
  options.multi = s.multi;
  options.fps = s.fps;
  options.batch = s.batch;
  options.scene_threshold = s.scene_threshold;
  options.cancel = &cancel;
  Progress progress(fs::path(output).filename().string(), !s.quiet);
  const auto result = pipeline::run_video_job(*model, options, [&](const pipeline::VideoJobProgress& p) {
    progress.update(p.output_frames, p.expected_output_frames, p.seconds);
  });
  progress.finish();
  char line[512];
  std::snprintf(line, sizeof(line),
                "%s: %lld -> %lld frames at %d/%d fps (%s, %lld scene cuts) in %.1f s (%.2f output fps; model %.1f s)",
                output.c_str(), static_cast<long long>(result.input_frames),
                static_cast<long long>(result.output_frames), result.output_rate.num, result.output_rate.den,
                result.pixel_format.c_str(), static_cast<long long>(result.scene_cuts), result.seconds,
                result.output_frames / result.seconds, result.model_seconds);
  log::info(line);
  return 0;
}

int run_pair(CommonSettings& s, const std::string& a_path, const std::string& b_path, const std::string& output,
             const std::atomic<bool>& cancel) {
  const io::Image a = io::read_image(a_path);
  const io::Image b = io::read_image(b_path);
  if (a.width != b.width || a.height != b.height)
    throw Error("images differ in size: " + a_path + " is " + std::to_string(a.width) + "x" + std::to_string(a.height) +
                ", " + b_path + " is " + std::to_string(b.width) + "x" + std::to_string(b.height));
  // "interp pair a.png b.png mid.png" means the midpoint image, not a folder named mid.png.
  const bool png_target = fs::path(output).extension() == ".png" && !fs::is_directory(output);
  if (s.timestep < 0 && png_target && !s.exp && !s.multi && s.fps.empty()) s.timestep = 0.5;
  const bool single = s.timestep >= 0;
  if (single && (s.exp || s.multi || !s.fps.empty())) throw Error("--timestep makes one frame; drop --exp/--multi/--fps");
  if (single && !(s.timestep > 0 && s.timestep < 1)) throw Error("--timestep must be strictly between 0 and 1");
  if (!single && !s.fps.empty()) throw Error("--fps applies to videos; use --exp or --multi for a pair");
  if (!single && !s.exp && !s.multi) s.exp = 1;  // default: the midpoint
  const auto kind = single ? io::PendingOutput::Kind::File : io::PendingOutput::Kind::Folder;
  io::PendingOutput::check(output, kind, s.overwrite, {a_path, b_path});  // before seconds of model loading

  auto model = prepare_model(s);
  const int depth = std::max(a.bit_depth, b.bit_depth);
  const auto ta = pipeline::to_tensor(a, model->device(), model->dtype());
  const auto tb = pipeline::to_tensor(b, model->device(), model->dtype());
  const auto opaque = [](const torch::Tensor& t) {  // RGB -> RGBA with alpha 1 where the other has alpha
    return torch::cat({t, torch::ones_like(t.slice(1, 0, 1))}, 1);
  };
  const auto fa = a.channels == b.channels ? ta : (a.channels == 4 ? ta : opaque(ta));
  const auto fb = a.channels == b.channels ? tb : (b.channels == 4 ? tb : opaque(tb));

  if (single) {
    torch::InferenceMode guard;
    auto rgb = model->interpolate(rgb_of(fa), rgb_of(fb), {s.timestep});
    if (cancel) throw Error("interrupted");
    save_png(output, with_alpha(rgb, fa, fb, s.timestep), depth, s.overwrite, {a_path, b_path});
    std::ostringstream t;
    t << s.timestep;  // 0.5, 0.25, 0.333333: no trailing zeros
    log::info(output + ": frame at t=" + t.str() + " written");
    return 0;
  }

  const auto timeline = timeline_for(s);
  pipeline::PairInterpolator pairs(*model, pair_options(s, *model, timeline, false, cancel));
  const auto slots = timeline.slots_for_pair(0);
  io::PendingOutput folder(output, io::PendingOutput::Kind::Folder, s.overwrite, {a_path, b_path});
  std::vector<torch::Tensor> middles;
  {
    torch::InferenceMode guard;
    middles = pairs.between(rgb_of(fa), rgb_of(fb), slots);
  }
  const int64_t count = static_cast<int64_t>(slots.size()) + 1;
  size_t m = 0;
  for (const auto& slot : slots) {
    const auto frame = slot.t_num == 0 ? fa : with_alpha(middles[m++], fa, fb, slot.t);
    io::Image image;
    pipeline::to_image(frame, depth, image);
    io::write_png((fs::path(folder.temp_path()) / frame_name(slot.index, count)).string(), image);
  }
  io::Image last;
  pipeline::to_image(fb, depth, last);
  io::write_png((fs::path(folder.temp_path()) / frame_name(count - 1, count)).string(), last);
  folder.commit();
  log::info(output + ": " + std::to_string(count) + " frames written");
  return 0;
}

int run_folder(CommonSettings& s, const std::string& input, const std::string& output, const std::atomic<bool>& cancel) {
  const auto files = io::list_images(input);
  if (files.size() < 2) throw Error(input + ": holds " + std::to_string(files.size()) + " image(s); at least 2 are needed");
  if (!s.fps.empty()) throw Error("--fps applies to videos; use --exp or --multi for an image sequence");
  io::PendingOutput folder(output, io::PendingOutput::Kind::Folder, s.overwrite, {input});
  auto model = prepare_model(s);
  const auto timeline = timeline_for(s);
  pipeline::PairInterpolator pairs(*model, pair_options(s, *model, timeline, true, cancel));
  const int64_t total = timeline.output_count(static_cast<int64_t>(files.size()));
  Progress progress(fs::path(output).filename().string(), !s.quiet);
  const auto start = std::chrono::steady_clock::now();

  io::Image first = io::read_image(files[0]);
  torch::Tensor previous = pipeline::to_tensor(first, model->device(), model->dtype());
  int depth = first.bit_depth;
  int64_t written = 0;
  io::Image image;
  const auto write = [&](const torch::Tensor& frame, int64_t index) {
    pipeline::to_image(frame, depth, image);
    io::write_png((fs::path(folder.temp_path()) / frame_name(index, total)).string(), image);
    progress.update(++written, total, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  };
  for (size_t i = 0; i < files.size(); ++i) {
    if (cancel) throw Error("interrupted");
    torch::Tensor next;
    if (i + 1 < files.size()) {
      const io::Image img = io::read_image(files[i + 1]);
      if (img.width != first.width || img.height != first.height)
        throw Error(files[i + 1] + ": size " + std::to_string(img.width) + "x" + std::to_string(img.height) +
                    " differs from the sequence's " + std::to_string(first.width) + "x" + std::to_string(first.height));
      next = pipeline::to_tensor(img, model->device(), model->dtype());
      if (next.size(1) != previous.size(1)) {  // alpha on some frames only: keep colour alone
        next = rgb_of(next);
        previous = rgb_of(previous);
      }
    }
    const auto slots = timeline.slots_for_pair(static_cast<int64_t>(i));
    std::vector<torch::Tensor> middles;
    if (next.defined()) {
      torch::InferenceMode guard;
      middles = pairs.between(rgb_of(previous), rgb_of(next), slots);
    }
    size_t m = 0;
    for (const auto& slot : slots) {
      if (slot.t_num == 0 || !next.defined())
        write(previous, slot.index);
      else
        write(with_alpha(middles[m++], previous, next, slot.t), slot.index);
    }
    previous = next;
  }
  progress.finish();
  folder.commit();
  log::info(output + ": " + std::to_string(written) + " frames from " + std::to_string(files.size()) + " images");
  return 0;
}

int run_convert(const CommonSettings& s, const std::string& input, const std::string& output,
                const std::string& source) {
  if (fs::path(output).extension() != ".safetensors") throw Error(output + ": the output must end in .safetensors");
  io::PendingOutput pending(output, io::PendingOutput::Kind::File, s.overwrite, {input});
  const auto weights = read_model_weights(input, s.model.variant);
  check_model_runs(weights, input);  // a file that cannot run must never land in models/
  write_model_file(pending.temp_path(), weights, source.empty() ? fs::path(input).filename().string() : source);
  pending.commit();
  log::info(output + ": " + weights.arch + " " + weights.variant + " (" + std::to_string(weights.tensors.size()) +
            " tensors)");
  return 0;
}

}  // namespace interp::cli
