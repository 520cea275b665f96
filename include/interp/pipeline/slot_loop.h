#pragma once
/// The one loop that decides every output frame: for each input pair, each output slot
/// is the input frame itself, an in-between made by the model, or (after the last
/// input) a repeat of the last frame, so durations hold. Video, image folders and pairs
/// all go through it. Pairs wait until they fill a batch of forward passes
/// (PairOptions::batch), then are made together and emitted in order. For a window
/// model a pair also waits for the frames after it that the model reads, and the loop
/// keeps those before it: its window (frame_window.h, pair_interpolator.h).
#include "interp/core/frame_interpolator.h"
#include "interp/io/image.h"
#include "interp/pipeline/pair_interpolator.h"
#include "interp/pipeline/timeline.h"

#include <deque>
#include <functional>
#include <utility>
#include <vector>

namespace interp::pipeline {

/// An input frame: the picture as decoded (copied out unchanged) and its tensor on the
/// model's device (1×C×H×W, C = 3, or 4 with alpha).
struct InputFrame {
  io::Image image;
  torch::Tensor tensor;
  /// Input spacings from the frame before: more than 1 where the input's timestamps
  /// skipped frames, a gap the pair fills with in-betweens (frame_grid.h).
  int64_t spacing = 1;
};

/// An output frame: exactly one of `copy` (an input frame's picture) or `made`.
struct OutputFrame {
  int64_t index = 0;
  const io::Image* copy = nullptr;
  io::Image made;
};

class SlotLoop {
 public:
  /// Returns false to stop (the consumer is gone).
  using Emit = std::function<bool(OutputFrame&&)>;

  /// `repeat_tail`: after the last input, the slots up to the timeline's end repeat it
  /// (video and sequences); without, the last input is written once (a pair's frames).
  /// `buffers` supplies reusable pictures for the frames the model makes (optional).
  SlotLoop(PairInterpolator& pairs, const Timeline& timeline, bool repeat_tail,
           std::function<io::Image()> buffers = {});

  /// Takes the next input frame; emits the outputs of the pairs waiting once they fill
  /// a batch.
  bool push(InputFrame frame, const Emit& emit);
  /// A frame that is only a neighbour of windows, never an input: before the first
  /// push, the frames before a piece's first (the last frames_kept_before() of them are
  /// kept); after the last, those after its end (ignored when the model reads none).
  void push_context(const torch::Tensor& frame);
  /// An input frame that was lost (damaged data): the previous one stands in for it, as
  /// copies, without the model, so the timeline after it stays exact.
  bool push_repeat(const Emit& emit);
  /// Emits every waiting pair, then the last input frame (and its repeats). Needs at
  /// least two inputs, or one when numbering starts past 0 (the last piece of a video
  /// may hold just its last frame). `at_boundary`: the last input is only the end of
  /// the last pair, the first frame of the next piece of the video: not emitted.
  bool finish(const Emit& emit, bool at_boundary = false);

  /// Numbers the inputs from `first_input` (a piece of a video: output indices and
  /// in-between times are those of the whole). Before the first push.
  void number_from(int64_t first_input) { first_input_ = first_input; }

  /// Image buffers of input frames no longer needed, for reuse.
  std::vector<io::Image> take_spares() { return std::exchange(spares_, {}); }

  int64_t input_frames() const { return inputs_; }
  int64_t scene_cuts() const { return scene_cuts_; }
  /// Pairs whose frames were (nearly) the same: their in-betweens are copies.
  int64_t still_pairs() const { return still_pairs_; }
  double model_seconds() const { return model_seconds_; }

 private:
  /// Makes and emits the waiting pairs whose windows are complete (all of them when
  /// `final`: a missing neighbour then is the end of the input); window_ keeps what
  /// the pairs after them need.
  bool flush(const Emit& emit, bool final);
  /// `slots` with `middles` for their in-betweens; `next` null: the tail after the last
  /// input, all repeats.
  bool emit_slots(const std::vector<OutputSlot>& slots, const InputFrame& frame, const InputFrame* next,
                  const std::vector<torch::Tensor>& middles, const Emit& emit);
  /// The output slots of pair k of window_.
  std::vector<OutputSlot> pair_slots(size_t k) const {
    return timeline_.slots_for_span(positions_[k], positions_[k + 1]);
  }

  PairInterpolator& pairs_;
  const Timeline& timeline_;
  bool repeat_tail_;
  std::function<io::Image()> buffers_;
  /// The pair's frames with those around it that the model reads, and at least the one
  /// before it, which tells a flash from a cut (stands_alone) (k: pair k of window_).
  FrameWindow known_window(size_t k) const;
  /// How many frames before its pair a window holds: the model's, and at least one.
  size_t frames_kept_before() const;
  /// Keeps `frame` as the newest before the waiting pairs (frames_kept_before() of them).
  void remember(const torch::Tensor& frame);

  /// Frames of the waiting pairs: pair k is (window_[k], window_[k+1]); the last frame
  /// is always kept, as the first of the next pair.
  std::deque<InputFrame> window_;
  /// window_'s input indices: a gap skips some, a held frame moves the last.
  std::deque<int64_t> positions_;
  ModelTraits traits_;
  std::deque<torch::Tensor> history_;    ///< up to frames_kept_before() frames before window_.front()
  std::vector<torch::Tensor> trailing_;  ///< neighbours pushed after the last input (push_context)
  int64_t waiting_samples_ = 0;
  std::vector<io::Image> spares_;
  int64_t inputs_ = 0;
  int64_t first_input_ = 0;
  int64_t scene_cuts_ = 0;
  int64_t still_pairs_ = 0;
  double model_seconds_ = 0;
};

/// Gives the frame without alpha an opaque one when only the other has it, so that a
/// pair always has the same channels.
void match_channels(torch::Tensor& a, torch::Tensor& b);

/// The model's RGB at t with the pair's alpha (if any) blended linearly in t: the model
/// predicts colour only, and a linear alpha never invents coverage.
torch::Tensor with_alpha(const torch::Tensor& rgb, const torch::Tensor& a, const torch::Tensor& b, double t);

}  // namespace interp::pipeline
