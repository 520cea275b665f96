/// decode -> interpolate -> encode on three threads with bounded queues.
#include "interp/pipeline/video_job.h"

#include "interp/core/error.h"
#include "interp/io/output_file.h"
#include "interp/io/video_reader.h"
#include "interp/pipeline/bounded_queue.h"
#include "interp/pipeline/frame_tensor.h"

extern "C" {
#include <libavcodec/packet.h>
}

#include <torch/torch.h>

#include <chrono>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

namespace interp::pipeline {
namespace {

using Clock = std::chrono::steady_clock;

struct PacketFree {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
using PacketPtr = std::unique_ptr<AVPacket, PacketFree>;

/// A decoded frame or a packet to copy, in source order; also what reaches the encoder.
struct Item {
  io::Image image;
  int64_t index = 0;  // output frame index (encoder side)
  PacketPtr packet;   // set for stream-copied packets
};

/// Recycles Image buffers so steady-state frames reuse their allocations.
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
    if (free_.size() < 16) free_.push_back(std::move(image));
  }

 private:
  std::mutex mutex_;
  std::vector<io::Image> free_;
};

/// First failure wins; every stage stops when one is recorded.
class Failure {
 public:
  void record(std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!error_) error_ = e;
  }
  void rethrow() {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  std::mutex mutex_;
  std::exception_ptr error_;
};

}  // namespace

VideoJobResult run_video_job(FrameInterpolator& model, const VideoJobOptions& options,
                             const std::function<void(const VideoJobProgress&)>& on_progress) {
  const auto start = Clock::now();
  io::VideoReader reader(options.input);
  const auto& info = reader.info();
  const Timeline timeline(make_ratio(options.exp, options.multi, options.fps, info.frame_rate.num, info.frame_rate.den));
  PairOptions pair_options;
  pair_options.mode = choose_timing(options.exp != 0, timeline, model);
  pair_options.batch = options.batch;
  pair_options.scene_threshold = options.scene_threshold;
  PairInterpolator pairs(model, pair_options);

  // Output rate: input rate * num/den, exact.
  int64_t rate_num = static_cast<int64_t>(info.frame_rate.num) * timeline.ratio().num;
  int64_t rate_den = static_cast<int64_t>(info.frame_rate.den) * timeline.ratio().den;
  const int64_t g = std::gcd(rate_num, rate_den);
  rate_num /= g;
  rate_den /= g;
  if (rate_num > INT32_MAX || rate_den > INT32_MAX) throw Error("output frame rate out of range");
  const io::Rational out_rate{static_cast<int>(rate_num), static_cast<int>(rate_den)};

  io::PendingOutput pending(options.output, io::PendingOutput::Kind::File, options.overwrite, {options.input});
  io::VideoWriter writer(pending.temp_path(), options.output, options.encoder, reader, out_rate);

  BoundedQueue<Item> decoded(4), interpolated(8);
  ImagePool input_pool, output_pool;
  Failure failure;
  std::atomic<bool> stop{false};
  const auto cancelled = [&] { return stop.load() || (options.cancel && options.cancel->load()); };
  VideoJobResult result;
  result.output_rate = out_rate;
  result.pixel_format = writer.pixel_format();
  double model_seconds = 0;

  std::thread decode_thread([&] {
    try {
      while (!cancelled()) {
        Item item;
        item.image = input_pool.acquire();
        item.packet.reset(av_packet_alloc());
        int64_t pts = 0;
        const auto kind = reader.next(item.image, pts, item.packet.get());
        if (kind == io::VideoReader::Item::End) break;
        if (kind == io::VideoReader::Item::Frame) item.packet.reset();
        if (!decoded.push(std::move(item))) break;
      }
    } catch (...) {
      failure.record(std::current_exception());
      stop = true;
      interpolated.close();
    }
    decoded.close();
  });

  std::thread model_thread([&] {
    try {
      torch::InferenceMode inference;
      torch::Tensor previous;
      io::Image previous_image;
      int64_t frames = 0;
      const auto emit = [&](const io::Image& image, int64_t index) {
        Item out;
        out.image = output_pool.acquire();
        out.image.allocate(image.width, image.height, image.channels, image.bit_depth);
        std::copy(image.data.begin(), image.data.end(), out.image.data.begin());
        out.index = index;
        return interpolated.push(std::move(out));
      };
      const auto emit_pair = [&](const torch::Tensor& next) {
        const auto slots = timeline.slots_for_pair(frames - 1);
        const auto t0 = Clock::now();
        bool cut = false;
        std::vector<torch::Tensor> middles;
        if (next.defined()) middles = pairs.between(previous, next, slots, &cut);
        model_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
        result.scene_cuts += cut;
        size_t m = 0;
        for (const auto& slot : slots) {
          if (slot.t_num == 0 || !next.defined()) {
            if (!emit(previous_image, slot.index)) return false;  // the frame itself, or the tail's repeats
          } else {
            Item out;
            out.image = output_pool.acquire();
            to_image(middles[m++], previous_image.bit_depth, out.image);
            out.index = slot.index;
            if (!interpolated.push(std::move(out))) return false;
          }
        }
        return true;
      };

      Item item;
      while (!cancelled() && decoded.pop(item)) {
        if (item.packet) {
          if (!interpolated.push(std::move(item))) break;
          continue;
        }
        const auto t0 = Clock::now();
        auto current = to_tensor(item.image, model.device(), model.dtype());
        model_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
        if (frames > 0 && !emit_pair(current)) break;
        previous = current;
        input_pool.release(std::move(previous_image));
        previous_image = std::move(item.image);
        ++frames;
      }
      if (cancelled()) {
        if (options.cancel && options.cancel->load()) throw Error("interrupted");
      } else {
        if (frames < 2)
          throw Error(options.input + ": has " + std::to_string(frames) + " video frame(s); at least 2 are needed");
        emit_pair(torch::Tensor());  // tail: last frame and its repeats
        result.input_frames = frames;
      }
    } catch (...) {
      failure.record(std::current_exception());
      stop = true;
      decoded.close();
    }
    interpolated.close();
  });

  try {
    Item item;
    VideoJobProgress progress;
    progress.expected_output_frames = info.frame_count > 0 ? timeline.output_count(info.frame_count) : 0;
    while (interpolated.pop(item)) {
      if (item.packet) {
        writer.write_copied(item.packet.get());
        continue;
      }
      writer.write_frame(item.image, item.index);
      output_pool.release(std::move(item.image));
      ++result.output_frames;
      if (on_progress) {
        progress.output_frames = result.output_frames;
        progress.seconds = std::chrono::duration<double>(Clock::now() - start).count();
        on_progress(progress);
      }
    }
  } catch (...) {
    failure.record(std::current_exception());
    stop = true;
    decoded.close();
    interpolated.close();
  }
  decode_thread.join();
  model_thread.join();
  failure.rethrow();
  if (options.cancel && options.cancel->load()) throw Error("interrupted");

  writer.finish();
  pending.commit();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.model_seconds = model_seconds;
  return result;
}

}  // namespace interp::pipeline
