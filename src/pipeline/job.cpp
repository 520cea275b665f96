/// The three stages of a job and the threads that run them.
#include "interp/pipeline/job.h"

#include "interp/base/error.h"
#include "interp/pipeline/bounded_queue.h"
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/memory_check.h"
#include "interp/pipeline/slot_loop.h"

#include <torch/torch.h>

#include <chrono>
#include <exception>
#include <mutex>
#include <thread>
#include <variant>

namespace interp::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

/// A thread joined when it goes out of scope, however the scope is left.
class JoiningThread {
 public:
  template <class F>
  explicit JoiningThread(F&& body) : thread_(std::forward<F>(body)) {}
  ~JoiningThread() {
    if (thread_.joinable()) thread_.join();
  }
  JoiningThread(const JoiningThread&) = delete;
  JoiningThread& operator=(const JoiningThread&) = delete;

 private:
  std::thread thread_;
};

/// Recycles picture buffers so steady-state frames reuse their allocations.
class ImagePool {
 public:
  io::Image acquire() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) return {};
    io::Image image = std::move(free_.back());
    free_.pop_back();
    return image;
  }
  void release(io::Image image) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.size() < 16 && !image.data.empty()) free_.push_back(std::move(image));
  }

 private:
  std::mutex mutex_;
  std::vector<io::Image> free_;
};

/// What reaches the sink, in order.
struct IndexedImage {
  io::Image image;
  int64_t index = 0;
};
using SinkItem = std::variant<IndexedImage, io::Packet>;

/// Shared by the stages: the first failure, and whether to stop.
class JobControl {
 public:
  explicit JobControl(const std::atomic<bool>* cancel) : cancel_(cancel) {}
  void fail(std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = e;
    stop_ = true;
  }
  bool stopping() const { return stop_ || cancelled(); }
  bool cancelled() const { return cancel_ && cancel_->load(); }
  void rethrow() {
    if (error_) std::rethrow_exception(error_);
    if (cancelled()) throw Error("interrupted");
  }

 private:
  const std::atomic<bool>* cancel_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::exception_ptr error_;
};

/// Stage 1: the source's items, in order, until its end or the frame limit; `frames`
/// counts the frames pushed.
void decode_stage(FrameSource& source, int64_t frame_limit, ImagePool& pool, BoundedQueue<SourceItem>& out,
                  JobControl& control, int64_t& frames) {
  while (!control.stopping() && (frame_limit <= 0 || frames < frame_limit)) {
    SourceItem item = source.next(pool.acquire());
    if (std::holds_alternative<io::EndOfStream>(item)) break;
    frames += std::holds_alternative<io::VideoFrame>(item);
    if (!out.push(std::move(item))) break;
  }
}

/// Stage 2: frames to tensors, through the slot loop; packets pass straight on.
void interpolate_stage(FrameInterpolator& model, SlotLoop& loop, ImagePool& input_pool, ImagePool& output_pool,
                       BoundedQueue<SourceItem>& in, BoundedQueue<SinkItem>& out, JobControl& control,
                       const std::string& input_name, int batch, double step, int64_t& repeated,
                       const std::function<bool()>& at_boundary, int64_t min_frames) {
  torch::InferenceMode inference;
  int64_t last_pts = 0;
  const SlotLoop::Emit emit = [&](OutputFrame&& frame) {
    IndexedImage item{std::move(frame.made), frame.index};
    if (frame.copy) {
      item.image = output_pool.acquire();
      item.image.allocate(frame.copy->width, frame.copy->height, frame.copy->channels, frame.copy->bit_depth);
      std::copy(frame.copy->data.begin(), frame.copy->data.end(), item.image.data.begin());
    }
    return out.push(std::move(item));
  };
  SourceItem item;
  while (!control.stopping() && in.pop(item)) {
    if (auto* packet = std::get_if<io::Packet>(&item)) {
      if (!out.push(std::move(*packet))) return;
      continue;
    }
    auto& frame = std::get<io::VideoFrame>(item);
    // Frames lost to damaged packets leave a gap in the timestamps: fill it with the
    // previous frame so that everything after (and the audio) keeps its time.
    if (frame.dropped_before > 0 && step > 0 && loop.input_frames() > 0) {
      const auto lost = std::llround(static_cast<double>(frame.pts - last_pts) / step) - 1;
      for (int64_t i = 0; i < std::min<int64_t>(lost, frame.dropped_before + 1); ++i) {
        if (!loop.push_repeat(emit)) return;
        ++repeated;
      }
    }
    last_pts = frame.pts;
    // Again with the decoded size: not every source can tell it before decoding.
    if (loop.input_frames() == 0) check_memory(model, frame.image.width, frame.image.height, batch);
    InputFrame input{std::move(frame.image), torch::Tensor()};
    input.tensor = to_tensor(input.image, model.device(), model.dtype());
    if (!loop.push(std::move(input), emit)) return;
    for (auto& spare : loop.take_spares()) input_pool.release(std::move(spare));
  }
  if (control.stopping()) return;
  if (loop.input_frames() - repeated < min_frames)
    throw Error(input_name + ": has " + std::to_string(loop.input_frames() - repeated) + " frame(s); at least " +
                std::to_string(min_frames) + " are needed");
  loop.finish(emit, at_boundary());
}

/// Stage 3 (the calling thread): everything into the sink, in order.
int64_t write_stage(FrameSink& sink, ImagePool& output_pool, BoundedQueue<SinkItem>& in, JobProgress progress,
                    const JobOptions& options, Clock::time_point start) {
  SinkItem item;
  while (in.pop(item)) {
    if (auto* packet = std::get_if<io::Packet>(&item)) {
      sink.write_packet(std::move(*packet));
      continue;
    }
    auto& frame = std::get<IndexedImage>(item);
    sink.write(frame.image, frame.index);
    output_pool.release(std::move(frame.image));
    ++progress.output_frames;
    if (options.on_progress) {
      progress.seconds = std::chrono::duration<double>(Clock::now() - start).count();
      options.on_progress(progress);
    }
  }
  return progress.output_frames;
}

}  // namespace

JobResult run_job(FrameInterpolator& model, FrameSource& source, FrameSink& sink, const Timeline& timeline,
                  const JobOptions& options) {
  const auto start = Clock::now();
  PairOptions pair_options;
  pair_options.mode = choose_timing(options.recursive, timeline, model);
  pair_options.batch = options.batch;
  pair_options.scene_threshold = options.scene_threshold;
  pair_options.static_threshold = options.static_threshold;
  pair_options.cancel = options.cancel;
  PairInterpolator pairs(model, pair_options);

  ImagePool input_pool, output_pool;
  SlotLoop loop(pairs, timeline, options.repeat_tail, [&] { return output_pool.acquire(); });
  const FrameRange range = options.range.value_or(FrameRange{});
  int64_t frame_limit = options.frame_limit;
  if (options.range) {
    loop.number_from(range.first);
    if (range.end > 0 && (frame_limit <= 0 || frame_limit > range.end - range.first + 1))
      frame_limit = range.end - range.first + 1;  // frame `end` closes the last pair
  }
  int64_t decoded_frames = 0;
  // Read after the decoder closed its queue, which orders its last write before.
  const auto at_boundary = [&] { return range.end > 0 && decoded_frames == range.end - range.first + 1; };
  BoundedQueue<SourceItem> decoded(4);
  BoundedQueue<SinkItem> made(8);
  JobControl control(options.cancel);
  const auto guarded = [&](auto&& stage) {
    try {
      stage();
    } catch (...) {
      control.fail(std::current_exception());
    }
    decoded.close();  // wakes the other stages: they drain and stop
    made.close();
  };

  JobProgress progress;
  if (const auto rate = source.frame_rate(); rate.num > 0 && rate.den > 0)
    progress.output_fps = static_cast<double>(rate.num) * timeline.ratio().num / (double(rate.den) * timeline.ratio().den);
  int64_t inputs = source.frame_count();
  if (options.frame_limit > 0 && (inputs <= 0 || inputs > options.frame_limit)) inputs = options.frame_limit;
  if (options.range) {
    if (inputs > 0 && range.end > 0 && range.end < inputs)
      progress.expected_output_frames = timeline.output_count(range.end) - timeline.output_count(range.first);
    else if (inputs > range.first)
      progress.expected_output_frames = timeline.output_count(inputs) - timeline.output_count(range.first);
  } else if (inputs >= 2) {
    progress.expected_output_frames = options.repeat_tail ? timeline.output_count(inputs)
                                                          : timeline.slots_for_pair(inputs - 2).back().index + 2;
  }
  if (const auto size = source.frame_size()) check_memory(model, size->width, size->height, options.batch);
  const double step = source.frame_step();
  int64_t repeated = 0;
  JobResult result;
  {
    JoiningThread decoder([&] {
      try {
        decode_stage(source, frame_limit, input_pool, decoded, control, decoded_frames);
      } catch (...) {
        control.fail(std::current_exception());
        made.close();
      }
      decoded.close();
    });
    JoiningThread interpolator([&] {
      guarded([&] {
        interpolate_stage(model, loop, input_pool, output_pool, decoded, made, control, source.name(), options.batch,
                          step, repeated, at_boundary, range.first > 0 ? 1 : 2);
      });
    });
    guarded([&] { result.output_frames = write_stage(sink, output_pool, made, progress, options, start); });
  }
  control.rethrow();
  sink.finish();
  result.input_frames = loop.input_frames() - repeated - (at_boundary() ? 1 : 0);
  result.repeated_frames = repeated;
  result.announced_input_frames = options.range ? 0 : source.frame_count();  // a piece reads only some
  result.damage = source.damage();
  result.scene_cuts = loop.scene_cuts();
  result.still_pairs = loop.still_pairs();
  result.model_seconds = loop.model_seconds();
  result.stream_notes = sink.stream_notes();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace interp::pipeline
