/// Sources and sinks assembled into interp's jobs: planned without a model, then run.
#include "interp/pipeline/jobs.h"

#include "interp/base/error.h"
#include "interp/pipeline/piece.h"

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

io::PendingOutput::Kind pending_kind(JobOutput::Kind kind) {
  return kind == JobOutput::Kind::Frames ? io::PendingOutput::Kind::Folder : io::PendingOutput::Kind::File;
}

}  // namespace

PlannedJob plan_job(const JobInput& input, const JobOutput& output, const RateRequest& rate, JobOptions options) {
  const auto inputs = input.paths();
  if (!input.pictures.empty()) check_pictures(input.pictures, input.name, options.decode.max_pixels);
  if (output.kind == JobOutput::Kind::Picture && !rate.one_frame_at)
    throw Error(output.path + ": one picture holds one frame; many frames need a folder");
  if (output.path != "-")
    io::PendingOutput::check(output.path, pending_kind(output.kind), output.overwrite, inputs);
  else
    io::check_standard_output(inputs);

  PlannedJob job{input, output, std::move(options), nullptr, Timeline({2, 1}), {0, 1}};
  const std::optional<FrameRange>& range = job.options.range;
  job.source = open_source(input, job.options.decode);
  // A piece of a video file is numbered by where its timestamps put it (a variable rate
  // skips slots): they are read before any frame is decoded, demuxing only, and once:
  // the seek to the piece's start takes that frame's from them.
  std::vector<std::optional<int64_t>> times;
  if (range && input.pictures.empty() && input.video != "-")
    times = io::presentation_times(input.video, range->end > 0 ? range->end + 1 : 0);
  if (range) job.source->start_at(piece_start(*range, times));
  const io::Rational in_rate = job.source->frame_rate();
  const bool timed = in_rate.num > 0 && in_rate.den > 0;
  if (!timed && (rate.target_fps || output.kind == JobOutput::Kind::Video))
    throw NeedsPictureRate(input.name + ": pictures have no frame rate, and " +
                           (rate.target_fps ? "a target rate" : "a video") + " needs one");
  if (range && !times.empty()) job.options.placement = place_piece(job.source->grid(), times, *range);
  job.timeline = timeline_for(rate, timed ? in_rate.num : 0, timed ? in_rate.den : 0);
  if (timed) job.output_rate = output_rate(in_rate, job.timeline.ratio());
  return job;
}

VideoJobResult run_planned_job(FrameInterpolator& model, PlannedJob& job) {
  const JobOutput& output = job.output;
  const auto inputs = job.input.paths();
  std::unique_ptr<FrameSink> sink;
  if (output.kind == JobOutput::Kind::Video) {
    io::EncoderOptions encoder = output.encoder;
    if (job.options.range)  // what `interp join` checks the piece by
      encoder.tags = describe_piece(job.input, *job.options.range, job.options.placement, job.timeline, job.output_rate,
                                    output_settings(model, job.timeline, job.options, output.encoder))
                         .tags();
    sink = std::make_unique<VideoFileSink>(output.path, output.overwrite, inputs, encoder, job.source->streams(),
                                           job.output_rate);
  } else if (output.kind == JobOutput::Kind::Picture) {
    sink = std::make_unique<PictureFileSink>(output.path, output.overwrite, inputs, /*index=*/1);
  } else {
    // The names' width: the slots a video spans (frame_source.h); the sink widens them if more come.
    const int64_t expected = job.timeline.output_count(std::max<int64_t>(job.source->expected_slots(), 2));
    sink = std::make_unique<ImageFolderSink>(output.path, output.overwrite, inputs, expected, output.frame_pattern);
  }
  // Codes outside a limited range survive only where the output writes them back.
  if (const auto swing = sink->full_swing(); swing && job.source->read_full_swing(*swing))
    job.options.pairs.luma = {swing->luma_gain, swing->black};
  VideoJobResult result;
  static_cast<JobResult&>(result) = run_job(model, *job.source, *sink, job.timeline, job.options);
  result.output_rate = job.output_rate;
  result.format = sink->format();
  return result;
}

VideoJobResult run_interpolation_job(FrameInterpolator& model, const JobInput& input, const JobOutput& output,
                                     const RateRequest& rate, const JobOptions& options) {
  PlannedJob job = plan_job(input, output, rate, options);
  return run_planned_job(model, job);
}

}  // namespace interp::pipeline
