/// Sources and sinks assembled into interp's jobs.
#include "interp/pipeline/jobs.h"

#include "interp/base/error.h"
#include "interp/io/image_file.h"
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/memory_check.h"
#include "interp/pipeline/piece.h"
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

namespace {

/// How pictures go into a video: their size and depth (from the first), sRGB as BT.709,
/// 4:2:0 (10-bit for 16-bit pictures) unless the encoder or --pix-fmt says otherwise.
io::VideoInfo picture_stream(const std::string& first, io::Rational rate, int64_t max_pixels) {
  const io::Image image = io::read_image(first, max_pixels);
  io::VideoInfo info;
  info.width = image.width;
  info.height = image.height;
  info.bit_depth = image.bit_depth > 8 ? 10 : 8;
  info.pixel_format = image.bit_depth > 8 ? "yuv420p10le" : "yuv420p";
  info.frame_rate = rate;
  info.time_base = {rate.den, rate.num};
  info.color_primaries = info.color_trc = info.colorspace = 1;  // BT.709
  info.color_range = 1;                                         // limited, what players assume
  return info;
}

}  // namespace

VideoJobResult run_interpolation_job(FrameInterpolator& model, const JobInput& input, const JobOutput& output,
                                     const RateRequest& rate, const JobOptions& options) {
  const bool video_in = input.pictures.empty();
  const auto inputs = video_in ? std::vector<std::string>{input.video} : input.pictures;
  if (!video_in) check_pictures(input.pictures, input.name, options.decode.max_pixels);
  if (output.path != "-")
    io::PendingOutput::check(output.path,
                             output.kind == JobOutput::Kind::Video ? io::PendingOutput::Kind::File
                                                                   : io::PendingOutput::Kind::Folder,
                             output.overwrite, inputs);
  else
    io::check_standard_output(inputs);
  std::unique_ptr<VideoFileSource> video;
  std::unique_ptr<ImageListSource> pictures;
  if (video_in)
    video = std::make_unique<VideoFileSource>(input.video, options.decode);
  else
    pictures = std::make_unique<ImageListSource>(input.pictures, input.name, options.decode, input.picture_rate);
  FrameSource& source = video_in ? static_cast<FrameSource&>(*video) : *pictures;
  if (options.range) source.start_at(options.range->first);  // before the sink copies any stream

  const io::Rational in_rate = source.frame_rate();
  const bool timed = in_rate.num > 0 && in_rate.den > 0;
  if (!timed && (rate.target_fps || output.kind == JobOutput::Kind::Video))
    throw Error(input.name + ": pictures have no frame rate, and a video or a target rate needs one");
  const Timeline timeline(timed ? ratio_for(rate, in_rate.num, in_rate.den) : rate.factor);
  const io::Rational out_rate = timed ? output_rate(in_rate, timeline.ratio()) : io::Rational{0, 1};

  std::unique_ptr<FrameSink> sink;
  if (output.kind == JobOutput::Kind::Video) {
    const io::VideoInfo picture =
        video_in ? video->reader().info() : picture_stream(input.pictures.front(), in_rate, options.decode.max_pixels);
    io::EncoderOptions encoder = output.encoder;
    if (options.range)  // what `interp join` checks the piece by
      encoder.tags = describe_piece(input, *options.range, timeline, out_rate,
                                    output_settings(model, timeline, options, output.encoder))
                         .tags();
    sink = std::make_unique<VideoFileSink>(output.path, output.overwrite, inputs, encoder, picture,
                                           video_in ? &video->reader() : nullptr, out_rate);
  } else {
    const int64_t expected = timeline.output_count(std::max<int64_t>(source.frame_count(), 2));  // names' width
    sink = std::make_unique<ImageFolderSink>(output.path, output.overwrite, inputs, expected, output.frame_pattern);
  }
  VideoJobResult result;
  static_cast<JobResult&>(result) = run_job(model, source, *sink, timeline, options);
  result.output_rate = out_rate;
  result.format = sink->format();
  return result;
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
