/// Pairs of input frames -> output slots, with alpha and bit depth carried through.
#include "interp/pipeline/slot_loop.h"

#include "interp/pipeline/frame_tensor.h"

#include <torch/torch.h>

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
    : pairs_(pairs), timeline_(timeline), repeat_tail_(repeat_tail), buffers_(std::move(buffers)) {}

bool SlotLoop::push(InputFrame frame, const Emit& emit) {
  if (inputs_ > 0) {
    match_channels(previous_.tensor, frame.tensor);
    if (!emit_pair(&frame, emit)) return false;
  }
  spare_ = std::move(previous_.image);
  previous_ = std::move(frame);
  ++inputs_;
  return true;
}

bool SlotLoop::push_repeat(const Emit& emit) {
  for (const auto& slot : timeline_.slots_for_pair(inputs_ - 1)) {
    OutputFrame out;
    out.index = slot.index;
    out.copy = &previous_.image;
    if (!emit(std::move(out))) return false;
  }
  ++inputs_;
  return true;
}

bool SlotLoop::finish(const Emit& emit) {
  if (!repeat_tail_) {
    OutputFrame last;
    last.index = timeline_.slots_for_pair(inputs_ - 2).back().index + 1;
    last.copy = &previous_.image;
    return emit(std::move(last));
  }
  return emit_pair(nullptr, emit);
}

bool SlotLoop::emit_pair(const InputFrame* next, const Emit& emit) {
  torch::InferenceMode guard;
  const auto slots = timeline_.slots_for_pair(inputs_ - 1);
  std::vector<torch::Tensor> middles;
  if (next) {
    const auto start = std::chrono::steady_clock::now();
    bool cut = false;
    middles = pairs_.between(rgb_of(previous_.tensor), rgb_of(next->tensor), slots, &cut);
    scene_cuts_ += cut;
    model_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const int depth = next ? std::max(previous_.image.bit_depth, next->image.bit_depth) : previous_.image.bit_depth;
  size_t m = 0;
  for (const auto& slot : slots) {
    OutputFrame out;
    out.index = slot.index;
    if (slot.t_num == 0 || !next) {
      out.copy = &previous_.image;  // the frame itself, or the tail's repeats
    } else {
      if (buffers_) out.made = buffers_();
      to_image(with_alpha(middles[m++], previous_.tensor, next->tensor, slot.t), depth, out.made);
    }
    if (!emit(std::move(out))) return false;
  }
  return true;
}

}  // namespace interp::pipeline
