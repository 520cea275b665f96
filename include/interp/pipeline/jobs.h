#pragma once
/// The jobs interp runs, each a source and a sink around run_job():
///   a video or pictures -> a video (audio/subtitles copied from a video) or numbered PNGs
///   a pair              -> one PNG at one time t
#include "interp/io/video_writer.h"
#include "interp/pipeline/job.h"

#include <string>
#include <vector>

namespace interp::pipeline {

/// What a job reads: a video (a file, or "-" for standard input) or pictures in order.
struct JobInput {
  std::string video;                  ///< empty when the input is `pictures`
  std::vector<std::string> pictures;  ///< at least two, all of one size
  std::string name;                   ///< what messages call the input (a folder, a pattern)
  io::Rational picture_rate{0, 1};    ///< frames per second of the pictures (0: none given)
};

/// What a job writes: a video (a file, or "-" for standard output) or numbered PNGs.
struct JobOutput {
  enum class Kind { Video, Frames };
  Kind kind = Kind::Video;
  std::string path;           ///< the video, or the frames' folder
  std::string frame_pattern;  ///< frames: ffmpeg-style file names ("%06d.png", from 1); empty: 0000.png from 0
  io::EncoderOptions encoder;  ///< video
  bool overwrite = false;     ///< see io::PendingOutput
};

struct VideoJobResult : JobResult {
  io::Rational output_rate;  ///< 0/1 for pictures without a rate
  std::string format;        ///< the video's pixel format, or "PNG"
};

/// Interpolates `input` into `output` at `rate` (a target fps needs a video or a
/// picture rate). The output must differ from every input, must not exist unless
/// overwrite (see io::PendingOutput), and is written atomically (standard output as it
/// goes). Pictures become a video at input.picture_rate (required then).
VideoJobResult run_interpolation_job(FrameInterpolator& model, const JobInput& input, const JobOutput& output,
                                     const RateRequest& rate, const JobOptions& options);

/// One frame between pictures `a` and `b` at time t in (0,1), as a PNG (alpha blended
/// linearly in t, the deeper input's bit depth).
/// Returns the damage the picture decoders concealed.
io::DecodeDamage run_single_frame_job(FrameInterpolator& model, const std::string& a, const std::string& b, double t,
                          const std::string& output, bool overwrite, const io::DecodeOptions& decode = {});

}  // namespace interp::pipeline
