#pragma once
/// The jobs interp runs, each a source and a sink around run_job():
///   video  -> video file (audio/subtitles copied, rate from a RateRequest)
///   images -> folder of numbered PNGs (a sequence, or a pair's in-betweens)
///   a pair -> one PNG at one time t
#include "interp/io/video_writer.h"
#include "interp/pipeline/job.h"

#include <string>
#include <vector>

namespace interp::pipeline {

struct VideoJobResult : JobResult {
  io::Rational output_rate;
  std::string pixel_format;
};

/// `output` must differ from `input`, must not exist unless `overwrite` (see
/// io::PendingOutput), and is written atomically.
VideoJobResult run_video_job(FrameInterpolator& model, const std::string& input, const std::string& output,
                             const RateRequest& rate, const io::EncoderOptions& encoder, bool overwrite,
                             const JobOptions& options);

/// A video's frames and in-betweens as numbered PNGs in the folder `output` (8 or 16-bit
/// by the source's depth).
JobResult run_video_to_images_job(FrameInterpolator& model, const std::string& input, const std::string& output,
                                  const RateRequest& rate, bool overwrite, const JobOptions& options);

/// The pictures `images`, in order, into the folder `output`. For a sequence, keep
/// options.repeat_tail; for a pair's in-betweens, turn it off.
JobResult run_images_job(FrameInterpolator& model, const std::vector<std::string>& images, const std::string& name,
                         const std::string& output, const RateRatio& ratio, bool overwrite, const JobOptions& options);

/// One frame between pictures `a` and `b` at time t in (0,1), as a PNG (alpha blended
/// linearly in t, the deeper input's bit depth).
/// Returns the damage the picture decoders concealed.
io::DecodeDamage run_single_frame_job(FrameInterpolator& model, const std::string& a, const std::string& b, double t,
                          const std::string& output, bool overwrite, const io::DecodeOptions& decode = {});

}  // namespace interp::pipeline
