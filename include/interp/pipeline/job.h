#pragma once
/// One interpolation job: source -> model -> sink as three named stages on their own
/// threads (decode, interpolate, write), joined by bounded queues so that decoding and
/// encoding overlap the model. Packets to stream-copy ride along in source order.
#include "interp/core/frame_interpolator.h"
#include "interp/pipeline/frame_sink.h"
#include "interp/pipeline/frame_source.h"
#include "interp/pipeline/pair_interpolator.h"
#include "interp/pipeline/timeline.h"

#include <atomic>
#include <functional>
#include <optional>

namespace interp::pipeline {

struct JobProgress {
  int64_t output_frames = 0;
  int64_t expected_output_frames = 0;  ///< 0 when the input's frame count is unknown
  double seconds = 0;                  ///< since the job started
  double output_fps = 0;               ///< the output's frame rate (0: untimed pictures)
};

/// A piece of the input, by input frame index, half-open: the output frames that belong
/// to frames first..end-1 (each frame and the in-betweens after it), numbered and timed
/// as in a run over the whole input, so pieces made apart join into that run's output.
/// Frame `end` is decoded (the last pair reaches it) but not written.
struct FrameRange {
  int64_t first = 0;
  int64_t end = 0;  ///< 0: to the end of the input (its last frame and tail written)
};

struct JobOptions {
  bool recursive = false;  ///< in-betweens by recursive midpoints even when the model takes any t
  int batch = 1;           ///< pairs per forward pass
  double scene_threshold = kDefaultSceneThreshold;  ///< <= 0: never treat a pair as a cut
  double static_threshold = kDefaultStaticThreshold;  ///< <= 0: always run the model on still pairs
  bool repeat_tail = true;  ///< repeat the last frame to the timeline's end (a pair: no)
  int64_t frame_limit = 0;  ///< read at most this many input frames (0: all)
  /// A piece of the input only; the caller has started the source at range->first
  /// (FrameSource::start_at, before a sink copies its streams).
  std::optional<FrameRange> range;
  io::DecodeOptions decode;  ///< strictness and the pixel limit of the inputs
  /// What the model was loaded with that its name does not say (weights' hash, flow
  /// scale), recorded in --range pieces so that join refuses pieces of other models.
  std::string model_settings;
  const std::atomic<bool>* cancel = nullptr;  ///< set (e.g. by SIGINT) to stop early
  std::function<void(const JobProgress&)> on_progress;
};

struct JobResult {
  int64_t input_frames = 0;
  int64_t announced_input_frames = 0;  ///< what the source's header said (0: unknown)
  io::DecodeDamage damage;
  int64_t repeated_frames = 0;  ///< lost frames the previous one stood in for
  int64_t output_frames = 0;
  int64_t scene_cuts = 0;
  int64_t still_pairs = 0;  ///< pairs that did not move: in-betweens copied, model not run
  double seconds = 0;        ///< wall time of the whole job
  double model_seconds = 0;  ///< time inside the model (interpolate stage)
  std::vector<io::StreamNote> stream_notes;  ///< the sink's: streams converted or dropped
};

/// Throws interp::Error (bad input, fewer than two frames, cancelled: "interrupted").
/// The sink is finished (its output put in place) only when everything succeeded.
JobResult run_job(FrameInterpolator& model, FrameSource& source, FrameSink& sink, const Timeline& timeline,
                  const JobOptions& options);

}  // namespace interp::pipeline
