/// Sources and sinks assembled into interp's jobs.
#include "interp/pipeline/jobs.h"

#include "interp/base/error.h"
#include "interp/io/image_file.h"
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/memory_check.h"
#include "interp/pipeline/slot_loop.h"

#include <torch/torch.h>

#include <numeric>

namespace interp::pipeline {

namespace {

/// The input rate times the timeline's ratio, exact.
io::Rational output_rate(io::Rational in, const RateRatio& ratio) {
  int64_t num = static_cast<int64_t>(in.num) * ratio.num;
  int64_t den = static_cast<int64_t>(in.den) * ratio.den;
  const int64_t g = std::gcd(num, den);
  num /= g;
  den /= g;
  if (num > INT32_MAX || den > INT32_MAX) throw Error("output frame rate out of range");
  return {static_cast<int>(num), static_cast<int>(den)};
}

}  // namespace

VideoJobResult run_video_job(FrameInterpolator& model, const std::string& input, const std::string& output,
                             const RateRequest& rate, const io::EncoderOptions& encoder, bool overwrite,
                             const JobOptions& options) {
  io::PendingOutput::check(output, io::PendingOutput::Kind::File, overwrite, {input});
  VideoFileSource source(input, options.decode);
  const auto in_rate = source.frame_rate();
  const Timeline timeline(ratio_for(rate, in_rate.num, in_rate.den));
  const io::Rational out_rate = output_rate(in_rate, timeline.ratio());
  VideoFileSink sink(output, overwrite, input, encoder, source.reader(), out_rate);
  VideoJobResult result;
  static_cast<JobResult&>(result) = run_job(model, source, sink, timeline, options);
  result.output_rate = out_rate;
  result.pixel_format = sink.format();
  return result;
}

JobResult run_video_to_images_job(FrameInterpolator& model, const std::string& input, const std::string& output,
                                  const RateRequest& rate, bool overwrite, const JobOptions& options) {
  io::PendingOutput::check(output, io::PendingOutput::Kind::Folder, overwrite, {input});
  VideoFileSource source(input, options.decode);
  const auto in_rate = source.frame_rate();
  const Timeline timeline(ratio_for(rate, in_rate.num, in_rate.den));
  ImageFolderSink sink(output, overwrite, {input}, timeline.output_count(std::max<int64_t>(source.frame_count(), 2)));
  return run_job(model, source, sink, timeline, options);
}

JobResult run_images_job(FrameInterpolator& model, const std::vector<std::string>& images, const std::string& name,
                         const std::string& output, const RateRatio& ratio, bool overwrite, const JobOptions& options) {
  check_pictures(images, name, options.decode.max_pixels);
  ImageListSource source(images, name, options.decode);
  const Timeline timeline(ratio);
  const int64_t expected = timeline.output_count(static_cast<int64_t>(images.size()));
  ImageFolderSink sink(output, overwrite, images, expected);
  return run_job(model, source, sink, timeline, options);
}

io::DecodeDamage run_single_frame_job(FrameInterpolator& model, const std::string& a_path, const std::string& b_path, double t,
                          const std::string& output, bool overwrite, const io::DecodeOptions& decode) {
  check_pictures({a_path, b_path}, a_path, decode.max_pixels);
  ImageListSource source({a_path, b_path}, a_path, decode);
  io::PendingOutput::check(output, io::PendingOutput::Kind::File, overwrite, {a_path, b_path});
  if (const auto size = source.frame_size()) check_memory(model, size->width, size->height, 1);
  auto a = std::get<io::VideoFrame>(source.next({})).image;
  auto b = std::get<io::VideoFrame>(source.next({})).image;
  torch::InferenceMode guard;
  auto ta = to_tensor(a, model.device(), model.dtype());
  auto tb = to_tensor(b, model.device(), model.dtype());
  match_channels(ta, tb);
  const auto rgb = model.interpolate(ta.slice(1, 0, 3), tb.slice(1, 0, 3), {t});
  io::Image frame;
  to_image(with_alpha(rgb, ta, tb, t), std::max(a.bit_depth, b.bit_depth), frame);
  write_png_file(output, frame, overwrite, {a_path, b_path});
  return source.damage();
}

}  // namespace interp::pipeline
