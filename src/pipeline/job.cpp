/// The three stages of a job and the threads that run them.
#include "interp/pipeline/job.h"

#include "interp/base/error.h"
#include "interp/pipeline/bounded_queue.h"
#include "interp/pipeline/frame_grid.h"
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/memory_check.h"
#include "interp/pipeline/slot_loop.h"

#include <torch/torch.h>

#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
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

/// Why a piece of standard input must be evenly timed, and what to do instead.
constexpr const char* kUnevenPiece =
    "(a variable frame rate); pieces (--range) of standard input need an even one: pass the file, run it whole, or "
    "make it even first (ffmpeg -i IN -fps_mode cfr -c:a copy OUT)";

/// Everything the three stages share, so that each takes the job and nothing else.
struct JobState {
  JobState(FrameInterpolator& model, FrameSource& source, FrameSink& sink, PairInterpolator& pairs,
           const Timeline& timeline, const JobOptions& options)
      : model(model),
        source(source),
        sink(sink),
        options(options),
        span(options, model.traits(), source.frame_count()),
        control(options.pairs.cancel),
        grid(options.placement ? options.placement->grid : source.grid()),
        loop(pairs, timeline, options.repeat_tail, [this] { return output_pool.acquire(); }) {
    loop.number_from(span.first_slot);
  }
  FrameInterpolator& model;
  FrameSource& source;
  FrameSink& sink;
  const JobOptions& options;
  const InputSpan span;
  ImagePool input_pool, output_pool;
  BoundedQueue<SourceItem> decoded{4};
  BoundedQueue<SinkItem> made{8};
  JobControl control;
  FrameGrid grid;  ///< the input's frames in time; the model stage's alone
  SlotLoop loop;
  int64_t decoded_frames = 0;  ///< the decoder's; read by others only after it closed `decoded`
  int64_t repeated = 0;        ///< grid slots the frame before held (frame_grid.h)
  int64_t filled = 0;          ///< grid slots the pair around them filled
  JobProgress progress;
  Clock::time_point start = Clock::now();

  /// Runs a stage; a failure stops every stage. Its queues are closed when it ends
  /// (`decoded` only, for the decoder: the next stage still drains and finishes).
  template <class Stage>
  void guarded(Stage&& stage, bool decoder) {
    try {
      stage(*this);
    } catch (...) {
      control.fail(std::current_exception());
      made.close();
    }
    decoded.close();  // wakes the other stages: they drain and stop
    if (!decoder) made.close();
  }
};

/// Stage 1: the source's items, in order, until its end or the span's read limit.
void decode_stage(JobState& job) {
  const int64_t limit = job.span.read_limit;
  while (!job.control.stopping() && (limit <= 0 || job.decoded_frames < limit)) {
    SourceItem item = job.source.next(job.input_pool.acquire());
    if (std::holds_alternative<io::EndOfStream>(item)) break;
    job.decoded_frames += std::holds_alternative<io::VideoFrame>(item);
    if (!job.decoded.push(std::move(item))) break;
  }
}

/// Stage 2: frames to tensors, through the slot loop; packets pass straight on.
void interpolate_stage(JobState& job) {
  torch::InferenceMode inference;
  SlotLoop& loop = job.loop;
  FrameGrid& grid = job.grid;
  const SlotLoop::Emit emit = [&](OutputFrame&& frame) {
    IndexedImage item{std::move(frame.made), frame.index};
    if (frame.copy) {
      item.image = job.output_pool.acquire();
      item.image.allocate(frame.copy->width, frame.copy->height, frame.copy->channels, frame.copy->bit_depth);
      std::copy(frame.copy->data.begin(), frame.copy->data.end(), item.image.data.begin());
      item.image.full_swing = frame.copy->full_swing;
    }
    return job.made.push(std::move(item));
  };
  // A piece placed by its input's timestamps is numbered by slot (PiecePlacement);
  // one that is not (standard input) by frame: a lost packet's slot is counted, but a
  // slot with no packet at all, or a frame dropped for coming late, would shift every
  // piece after it.
  const bool numbered_by_frame = job.options.range && !job.options.placement;
  const auto refuse_late = [&](int64_t index) {
    throw Error(job.source.name() + ": frame " + std::to_string(index) + " comes faster than its rate " + kUnevenPiece);
  };
  SourceItem item;
  int64_t frames_read = 0;
  while (!job.control.stopping() && job.decoded.pop(item)) {
    if (auto* packet = std::get_if<io::Packet>(&item)) {
      if (!job.made.push(std::move(*packet))) return;
      continue;
    }
    auto& frame = std::get<io::VideoFrame>(item);
    if (job.span.is_neighbour(++frames_read)) {  // a piece's window neighbour, never written
      loop.push_context(to_tensor(frame.image, job.model.device(), job.model.dtype()));
      // The lead's time places the piece's first frame.
      if (grid.skipped_before(frame.timestamp()) == FrameGrid::kLate && numbered_by_frame)
        refuse_late(job.span.first - job.span.lead + frames_read - 1);
      job.input_pool.release(std::move(frame.image));
      continue;
    }
    // Slots of the frame grid this frame's timestamp skipped (a variable frame rate, or
    // frames lost to damaged packets): filled by the pair, or held by the frame before,
    // so that this one, everything after it and the audio keep their time (frame_grid.h).
    const int64_t skipped = grid.skipped_before(frame.timestamp());
    const int64_t index = job.span.first + loop.input_frames() - job.repeated;
    if (numbered_by_frame && skipped == FrameGrid::kLate) refuse_late(index);
    if (numbered_by_frame && skipped > frame.dropped_before)
      throw Error(job.source.name() + ": its timestamps skip " + std::to_string(skipped) + " frame(s) of its rate " +
                  "before frame " + std::to_string(index) + " " + kUnevenPiece);
    if (skipped == FrameGrid::kLate) {  // it would put every frame after it later still
      job.input_pool.release(std::move(frame.image));
      continue;
    }
    const bool fill = skipped > 0 && loop.input_frames() > 0 && fills_gap(skipped, job.model.traits());
    for (int64_t i = 0; !fill && i < skipped && loop.input_frames() > 0; ++i) {
      if (!loop.push_repeat(emit)) return;
      ++job.repeated;
    }
    // Again with the decoded size: not every source can tell it before decoding.
    if (loop.input_frames() == 0)
      check_memory(job.model, frame.image.width, frame.image.height, job.options.pairs.batch);
    InputFrame input{std::move(frame.image), torch::Tensor(), fill ? skipped + 1 : 1};
    job.filled += fill ? skipped : 0;
    input.tensor = to_tensor(input.image, job.model.device(), job.model.dtype());
    if (!loop.push(std::move(input), emit)) return;
    for (auto& spare : loop.take_spares()) job.input_pool.release(std::move(spare));
  }
  if (job.control.stopping()) return;
  if (job.span.lead > 0 && frames_read == job.span.lead)  // the frame before the piece was its source's last
    throw Error(job.source.name() + ": has " + std::to_string(job.span.first) + " frames; there is no frame " +
                std::to_string(job.span.first));
  const int64_t frames = loop.input_frames() - job.repeated;
  if (frames < job.span.min_frames)
    throw Error(job.source.name() + ": has " + std::to_string(frames) + " frame(s); at least " +
                std::to_string(job.span.min_frames) + " are needed");
  loop.finish(emit, job.span.ends_at_boundary(job.decoded_frames));
}

/// Stage 3 (the calling thread): everything into the sink, in order.
void write_stage(JobState& job) {
  SinkItem item;
  while (job.made.pop(item)) {
    if (auto* packet = std::get_if<io::Packet>(&item)) {
      job.sink.write_packet(std::move(*packet));
      continue;
    }
    auto& frame = std::get<IndexedImage>(item);
    job.sink.write(frame.image, frame.index);
    job.output_pool.release(std::move(frame.image));
    ++job.progress.output_frames;
    if (job.options.on_progress) {
      job.progress.seconds = std::chrono::duration<double>(Clock::now() - job.start).count();
      job.options.on_progress(job.progress);
    }
  }
}

}  // namespace

JobResult run_job(FrameInterpolator& model, FrameSource& source, FrameSink& sink, const Timeline& timeline,
                  const JobOptions& options) {
  PairOptions pair_options = options.pairs;
  pair_options.mode = choose_timing(options.recursive, timeline, model);
  PairInterpolator pairs(model, pair_options);
  JobState job(model, source, sink, pairs, timeline, options);

  if (const auto rate = source.frame_rate(); rate.num > 0 && rate.den > 0)
    job.progress.output_fps =
        static_cast<double>(rate.num) * timeline.ratio().num / (double(rate.den) * timeline.ratio().den);
  job.progress.expected_output_frames =
      job.span.expected_outputs(timeline, source.expected_slots(), options.repeat_tail);
  if (const auto size = source.frame_size()) check_memory(model, size->width, size->height, options.pairs.batch);
  {
    JoiningThread decoder([&] { job.guarded(decode_stage, /*decoder=*/true); });
    JoiningThread interpolator([&] { job.guarded(interpolate_stage, false); });
    job.guarded(write_stage, false);
  }
  job.control.rethrow();
  sink.finish();
  JobResult result;
  result.output_frames = job.progress.output_frames;
  result.input_frames = job.loop.input_frames() - job.repeated - (job.span.ends_at_boundary(job.decoded_frames) ? 1 : 0);
  result.repeated_frames = job.repeated;
  result.timestamp_jumps = job.grid.discontinuities();
  result.late_frames = job.grid.late();
  result.filled_frames = job.filled;
  result.announced_input_frames = options.range ? 0 : source.frame_count();  // a piece reads only some
  if (result.announced_input_frames > 0) result.announced_input_frames -= job.span.lead + job.span.trail;
  result.damage = source.damage();
  result.scene_cuts = job.loop.scene_cuts();
  result.still_pairs = job.loop.still_pairs();
  result.model_seconds = job.loop.model_seconds();
  result.stream_notes = sink.stream_notes();
  result.seconds = std::chrono::duration<double>(Clock::now() - job.start).count();
  return result;
}

}  // namespace interp::pipeline
