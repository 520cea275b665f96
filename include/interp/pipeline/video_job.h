#pragma once
/// Video -> video frame-rate multiplication. Three threads joined by bounded queues:
/// decode (FFmpeg) -> interpolate (model) -> encode+mux (FFmpeg, this thread), so
/// decoding and encoding overlap the model. Audio/subtitle packets ride along in order.
#include "interp/core/frame_interpolator.h"
#include "interp/io/video_writer.h"
#include "interp/pipeline/pair_interpolator.h"

#include <atomic>
#include <functional>
#include <string>

namespace interp::pipeline {

struct VideoJobOptions {
  std::string input;
  std::string output;
  bool overwrite = false;
  io::EncoderOptions encoder;
  int exp = 0;            ///< 2^exp x by recursion at t=0.5
  int multi = 0;          ///< integer factor
  std::string fps;        ///< target rate
  int batch = 1;
  double scene_threshold = kDefaultSceneThreshold;
  const std::atomic<bool>* cancel = nullptr;  ///< set (e.g. by SIGINT) to stop early
};

struct VideoJobProgress {
  int64_t output_frames = 0;
  int64_t expected_output_frames = 0;  ///< 0 when the input's frame count is unknown
  double seconds = 0;
};

struct VideoJobResult {
  int64_t input_frames = 0;
  int64_t output_frames = 0;
  io::Rational output_rate;
  int64_t scene_cuts = 0;
  double seconds = 0;        ///< wall time of the whole job
  double model_seconds = 0;  ///< time spent inside the model thread's interpolation
  std::string pixel_format;
};

/// Throws interp::Error (bad input, unwritable output, cancelled). On any failure the
/// output path is left untouched (the temporary file is removed).
VideoJobResult run_video_job(FrameInterpolator& model, const VideoJobOptions& options,
                             const std::function<void(const VideoJobProgress&)>& on_progress = {});

}  // namespace interp::pipeline
