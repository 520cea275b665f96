/// The job on frames from memory, timed beside the model alone (pipeline_timing.h).
#include "interp/pipeline/pipeline_timing.h"

#include "interp/base/error.h"
#include "interp/pipeline/frame_tensor.h"

#include <ATen/CPUGeneratorImpl.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstring>

namespace interp::pipeline {

SlidingTextureSource::SlidingTextureSource(int width, int height, int64_t frames, int step)
    : width_(width), height_(height), step_(step), frames_(frames) {
  if (width < 8 || height < 8 || frames < 2 || step < 0) throw Error("sliding texture: bad size, frame count or step");
  torch::NoGradGuard no_grad;
  // Smooth blobs (random values 8 px apart, interpolated) with fine random detail on
  // top: structure at several scales for the flow to follow, in the colours' mid range.
  const int64_t canvas_width = width + static_cast<int64_t>(step) * frames;
  const auto generator = at::detail::createCPUGenerator(/*seed=*/2026);
  auto picture = smooth_texture(1, height, canvas_width, torch::kCPU, generator);
  picture = picture * 0.75 + torch::rand({1, 3, height, canvas_width}, generator, torch::kFloat32) * 0.04 + 0.1;
  const auto hwc = picture.clamp(0, 1).mul(255).round().to(torch::kUInt8).squeeze(0).permute({1, 2, 0}).contiguous();
  canvas_.assign(hwc.data_ptr<uint8_t>(), hwc.data_ptr<uint8_t>() + hwc.numel());
}

io::Image SlidingTextureSource::frame(int64_t index) const {
  io::Image image;
  copy_frame(index, image);
  return image;
}

void SlidingTextureSource::copy_frame(int64_t index, io::Image& image) const {
  image.allocate(width_, height_, 3, 8);
  const size_t canvas_row = (static_cast<size_t>(width_) + static_cast<size_t>(step_) * frames_) * 3;
  const size_t offset = static_cast<size_t>(step_) * static_cast<size_t>(index) * 3;
  for (int y = 0; y < height_; ++y)
    std::memcpy(image.data.data() + y * image.row_bytes(), canvas_.data() + y * canvas_row + offset, image.row_bytes());
}

SourceItem SlidingTextureSource::next(io::Image recycled) {
  if (next_ >= frames_) return io::EndOfStream{};
  io::VideoFrame out;
  out.image = std::move(recycled);
  copy_frame(next_, out.image);  // a decoder's write into the frame's buffer
  out.pts = next_++;
  return out;
}

io::SourceStreams SlidingTextureSource::streams() const {
  io::SourceStreams streams;
  streams.picture.width = width_;
  streams.picture.height = height_;
  streams.picture.frame_rate = frame_rate();
  return streams;
}

void DiscardSink::write(const io::Image& frame, int64_t index) {
  if (inspect_) inspect_(frame, index);
  ++frames_;
}

PipelineTiming time_pipeline(FrameInterpolator& model, const PipelineBenchOptions& options) {
  if (options.frames < 2 || options.batch < 1 || options.model_runs < 1 || options.warmup < 0)
    throw Error("pipeline timing: needs 2 or more frames, a batch and a run");
  const Timeline twice(RateRatio{2, 1});
  JobOptions job_options;
  job_options.pairs.batch = options.batch;
  {  // warm-up: first calls pick kernels and fill the allocator's caches
    SlidingTextureSource source(options.width, options.height, 2 * options.batch + 2);
    DiscardSink sink;
    run_job(model, source, sink, twice, job_options);
  }
  synchronize(model.device());
  reset_peak_device_memory(model.device());
  SlidingTextureSource source(options.width, options.height, options.frames);
  DiscardSink sink;
  PipelineTiming timing;
  timing.job = run_job(model, source, sink, twice, job_options);
  timing.peak_device_mib = peak_device_mib(model.device());
  timing.pairs = options.frames - 1 - timing.job.scene_cuts - timing.job.still_pairs;
  timing.pairs_per_s = static_cast<double>(timing.pairs) / timing.job.seconds;

  torch::InferenceMode inference;
  std::vector<torch::Tensor> firsts, seconds;
  for (int64_t k = 0; k < options.batch; ++k) {
    firsts.push_back(to_tensor(source.frame(k % (options.frames - 1)), model.device(), model.dtype()));
    seconds.push_back(to_tensor(source.frame(k % (options.frames - 1) + 1), model.device(), model.dtype()));
  }
  timing.model_only = time_model(model, torch::cat(firsts), torch::cat(seconds), options.warmup, options.model_runs);
  return timing;
}

}  // namespace interp::pipeline
