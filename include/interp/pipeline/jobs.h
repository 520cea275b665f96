#pragma once
/// The jobs interp runs, each a source and a sink around run_job(), in two steps:
/// plan_job() opens and checks everything that needs no model (the inputs, the outputs,
/// the rates, a --range piece's place), so that a bad job is refused before seconds of
/// model loading; run_planned_job() then runs it with the model.
///   a video or pictures -> a video (audio/subtitles copied from a video) or numbered PNGs
///   two pictures        -> their in-betweens as PNGs, or the one at a time t as a PNG
#include "interp/base/error.h"
#include "interp/io/video_writer.h"
#include "interp/pipeline/job.h"

#include <memory>
#include <string>
#include <vector>

namespace interp::pipeline {

/// What a job writes: a video (a file, or "-" for standard output), numbered PNGs, or
/// one PNG (the in-between of RateRequest::one_frame_at).
struct JobOutput {
  enum class Kind { Video, Frames, Picture };
  Kind kind = Kind::Video;
  std::string path;           ///< the video, the frames' folder or the picture
  std::string frame_pattern;  ///< frames: ffmpeg-style file names ("%06d.png", from 1); empty: 0000.png from 0
  io::EncoderOptions encoder;  ///< video
  bool overwrite = false;     ///< see io::PendingOutput
};

/// Pictures without a frame rate asked to become a video or to reach a target rate.
struct NeedsPictureRate : Error {
  using Error::Error;
};

/// A job checked and ready but for the model.
struct PlannedJob {
  JobInput input;
  JobOutput output;
  JobOptions options;
  std::unique_ptr<FrameSource> source;  ///< opened; a piece's at piece_source_start()
  Timeline timeline{RateRatio{2, 1}};
  io::Rational output_rate;             ///< 0/1 for pictures without a rate
};

/// Checks and opens: the pictures' headers (count, sizes, pixel limit), the output
/// (never an input, not there unless overwrite: io::PendingOutput), the source, the
/// rates. Throws interp::Error naming the problem (NeedsPictureRate for pictures that
/// need a rate they were not given).
PlannedJob plan_job(const JobInput& input, const JobOutput& output, const RateRequest& rate, JobOptions options);

struct VideoJobResult : JobResult {
  io::Rational output_rate;  ///< 0/1 for pictures without a rate
  std::string format;        ///< the video's pixel format, or "PNG"
};

/// Interpolates the planned job with `model` (the output written atomically; standard
/// output as it goes). A --range piece records what `interp join` checks.
VideoJobResult run_planned_job(FrameInterpolator& model, PlannedJob& job);

/// plan_job() and run_planned_job() in one.
VideoJobResult run_interpolation_job(FrameInterpolator& model, const JobInput& input, const JobOutput& output,
                                     const RateRequest& rate, const JobOptions& options);

}  // namespace interp::pipeline
