#pragma once
/// The whole job timed without files: frames from memory go through the real job (the
/// decode stage's queue, upload to the model's device, the slot loop and its batching,
/// the scene-cut and still-pair checks, the model, download, the write stage) into a
/// sink that drops them, beside the model alone on the same frames. It needs LibTorch
/// alone (interp_job), so it runs where FFmpeg does not — a GPU box — and tells what the
/// job around the model costs there; what a real encoder adds is the sink's own pace.
#include "interp/core/model_timing.h"
#include "interp/pipeline/job.h"

#include <functional>

namespace interp::pipeline {

/// A textured picture sliding `step` pixels per frame: every pair moves by the same
/// small amount, so none is taken for a still pair or a scene cut and each reaches the
/// model, as a real shot's pairs do. Frames are copied out of one canvas made up front,
/// as a decoder writes into its buffer.
class SlidingTextureSource : public FrameSource {
 public:
  SlidingTextureSource(int width, int height, int64_t frames, int step = 1);
  SourceItem next(io::Image recycled) override;
  io::Rational frame_rate() const override { return {30, 1}; }
  int64_t frame_count() const override { return frames_; }
  std::string name() const override { return "sliding texture"; }
  std::optional<PictureSize> frame_size() const override { return PictureSize{width_, height_}; }
  void start_at(const PieceStart& start) override { next_ = start.frame; }
  io::SourceStreams streams() const override;

  /// Frame `index` as the source hands it out.
  io::Image frame(int64_t index) const;

 private:
  /// Frame `index` into `image`, reusing its buffer.
  void copy_frame(int64_t index, io::Image& image) const;

  int width_, height_, step_;
  int64_t frames_, next_ = 0;
  std::vector<uint8_t> canvas_;  ///< height × (width + step × frames) × RGB
};

/// Counts the frames it is given and keeps none; `inspect` (optional) sees each first.
class DiscardSink : public FrameSink {
 public:
  explicit DiscardSink(std::function<void(const io::Image&, int64_t)> inspect = {}) : inspect_(std::move(inspect)) {}
  void write(const io::Image& frame, int64_t index) override;
  void finish() override {}
  std::string format() const override { return "discarded"; }
  int64_t frames() const { return frames_; }

 private:
  std::function<void(const io::Image&, int64_t)> inspect_;
  int64_t frames_ = 0;
};

struct PipelineBenchOptions {
  int width = 1920, height = 1080;
  int64_t frames = 61;  ///< input frames of the timed job (frames - 1 pairs at 2x)
  int batch = 1;
  int model_runs = 10, warmup = 3;
};

struct PipelineTiming {
  JobResult job;             ///< the timed job's (a warm-up job ran before it)
  int64_t pairs = 0;         ///< pairs the model made in it
  double pairs_per_s = 0;    ///< end to end: pairs / the job's wall time
  double peak_device_mib = -1;  ///< peak CUDA memory of the timed job; -1 on CPU
  ModelTiming model_only;    ///< the model alone on the source's first pairs, already on the device
};

/// Times a 2x job of options.frames sliding-texture frames through `model` after a
/// short warm-up job, then the model alone on the same frames. Measures, never asserts.
PipelineTiming time_pipeline(FrameInterpolator& model, const PipelineBenchOptions& options);

}  // namespace interp::pipeline
