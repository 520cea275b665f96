/// Pairs of input frames -> output slots, with alpha and bit depth carried through.
#include "interp/pipeline/slot_loop.h"

#include "interp/pipeline/frame_tensor.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>

namespace interp::pipeline {
namespace {

torch::Tensor rgb_of(const torch::Tensor& t) { return t.slice(1, 0, 3); }

torch::Tensor opaque(const torch::Tensor& t) { return torch::cat({t, torch::ones_like(t.slice(1, 0, 1))}, 1); }

}  // namespace

torch::Tensor with_alpha(const torch::Tensor& rgb, const torch::Tensor& a, const torch::Tensor& b, double t) {
  if (a.size(1) < 4) return rgb;
  auto alpha = a.slice(1, 3, 4) * (1.0 - t) + b.slice(1, 3, 4) * t;
  return torch::cat({rgb, alpha.to(rgb.scalar_type())}, 1);
}

void match_channels(torch::Tensor& a, torch::Tensor& b) {
  if (a.size(1) == 3 && b.size(1) == 4) a = opaque(a);
  if (a.size(1) == 4 && b.size(1) == 3) b = opaque(b);
}

SlotLoop::SlotLoop(PairInterpolator& pairs, const Timeline& timeline, bool repeat_tail,
                   std::function<io::Image()> buffers)
    : pairs_(pairs),
      timeline_(timeline),
      repeat_tail_(repeat_tail),
      buffers_(std::move(buffers)),
      traits_(pairs.traits()) {}

bool SlotLoop::push(InputFrame frame, const Emit& emit) {
  if (!window_.empty()) {
    match_channels(window_.back().tensor, frame.tensor);
    positions_.push_back(positions_.back() + std::max<int64_t>(frame.spacing, 1));
    waiting_samples_ += pairs_.samples_needed(pair_slots(window_.size() - 1));
  } else {
    positions_.push_back(first_input_);
  }
  window_.push_back(std::move(frame));
  ++inputs_;
  return waiting_samples_ < pairs_.batch() || flush(emit, false);
}

void SlotLoop::push_context(const torch::Tensor& frame) {
  if (inputs_ == 0) return remember(frame);
  if (traits_.frames_after > 0) trailing_.push_back(rgb_of(frame));
}

size_t SlotLoop::frames_kept_before() const { return static_cast<size_t>(std::max(traits_.frames_before, 1)); }

void SlotLoop::remember(const torch::Tensor& frame) {
  history_.push_back(rgb_of(frame));
  if (history_.size() > frames_kept_before()) history_.pop_front();
}

FrameWindow SlotLoop::known_window(size_t k) const {
  // Outward from the pair, as far as the frames held reach.
  std::vector<torch::Tensor> before, after;
  for (size_t j = 1; j <= frames_kept_before(); ++j) {
    if (j <= k)
      before.push_back(rgb_of(window_[k - j].tensor));
    else if (j - k <= history_.size())
      before.push_back(history_[history_.size() - (j - k)]);
    else
      break;
  }
  for (size_t j = 1; j <= static_cast<size_t>(traits_.frames_after); ++j) {
    const size_t i = k + 1 + j;
    if (i < window_.size())
      after.push_back(rgb_of(window_[i].tensor));
    else if (i - window_.size() < trailing_.size())
      after.push_back(trailing_[i - window_.size()]);
    else
      break;
  }
  std::vector<torch::Tensor> frames(before.rbegin(), before.rend());
  frames.push_back(rgb_of(window_[k].tensor));
  frames.push_back(rgb_of(window_[k + 1].tensor));
  frames.insert(frames.end(), after.begin(), after.end());
  return {std::move(frames), static_cast<int>(before.size())};
}

bool SlotLoop::push_repeat(const Emit& emit) {
  if (!flush(emit, true)) return false;  // outputs stay in order; the lost frame ends the window
  for (const auto& slot : timeline_.slots_for_pair(positions_.back())) {
    OutputFrame out;
    out.index = slot.index;
    out.copy = &window_.back().image;
    if (!emit(std::move(out))) return false;
  }
  ++positions_.back();  // the last frame now stands where the lost one was
  ++inputs_;
  return true;
}

bool SlotLoop::finish(const Emit& emit, bool at_boundary) {
  if (!flush(emit, true)) return false;
  if (at_boundary) return true;  // the last input opens the next piece, which writes it
  const InputFrame& last = window_.back();
  if (!repeat_tail_) {
    OutputFrame out;
    out.index = timeline_.slots_for_pair(positions_.back() - 1).back().index + 1;
    out.copy = &last.image;
    return emit(std::move(out));
  }
  return emit_slots(timeline_.slots_for_pair(positions_.back()), last, nullptr, {}, emit);
}

bool SlotLoop::flush(const Emit& emit, bool final) {
  // Frames kept back as the last pair's neighbours.
  const size_t held = final ? 0 : static_cast<size_t>(traits_.frames_after);
  if (window_.size() < 2 + held) return true;
  torch::InferenceMode guard;
  const size_t ready = window_.size() - 1 - held;
  std::vector<PairRequest> requests;
  for (size_t k = 0; k < ready; ++k) requests.push_back({known_window(k), pair_slots(k)});
  const auto start = std::chrono::steady_clock::now();
  const auto made = pairs_.between(requests);
  model_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (size_t k = 0; k < made.size(); ++k) {
    scene_cuts_ += made[k].cut;
    still_pairs_ += made[k].still;
    if (!emit_slots(requests[k].slots, window_[k], &window_[k + 1], made[k].middles, emit)) return false;
  }
  // Keep the first frame of the next pair (and the one after it, still waiting).
  while (window_.size() > 1 + held) {
    remember(window_.front().tensor);
    spares_.push_back(std::move(window_.front().image));
    window_.pop_front();
    positions_.pop_front();
  }
  waiting_samples_ = 0;  // of the pairs still waiting for their neighbours
  for (size_t k = 0; held && k + 1 < window_.size(); ++k) waiting_samples_ += pairs_.samples_needed(pair_slots(k));
  if (final) trailing_.clear();
  return true;
}

bool SlotLoop::emit_slots(const std::vector<OutputSlot>& slots, const InputFrame& frame, const InputFrame* next,
                          const std::vector<torch::Tensor>& middles, const Emit& emit) {
  const int depth = next ? std::max(frame.image.bit_depth, next->image.bit_depth) : frame.image.bit_depth;
  size_t m = 0;
  for (const auto& slot : slots) {
    OutputFrame out;
    out.index = slot.index;
    if (slot.t_num == 0 || !next) {
      out.copy = &frame.image;  // the frame itself, or the tail's repeats
    } else {
      if (buffers_) out.made = buffers_();
      to_image(with_alpha(middles[m++], frame.tensor, next->tensor, slot.t), depth, out.made, frame.image.full_swing);
    }
    if (!emit(std::move(out))) return false;
  }
  return true;
}

}  // namespace interp::pipeline
