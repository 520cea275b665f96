/// FrameWindow's construction and batching.
#include "interp/core/frame_window.h"

#include "interp/base/error.h"

#include <torch/torch.h>

namespace interp {

FrameWindow::FrameWindow(std::vector<torch::Tensor> frames, int before) : frames_(std::move(frames)), before_(before) {
  if (before_ < 0 || static_cast<int>(frames_.size()) < before_ + 2)
    throw Error("a frame window needs its pair (" + std::to_string(frames_.size()) + " frames, the pair after " +
                std::to_string(before_) + ")");
}

FrameWindow FrameWindow::of_pair(const torch::Tensor& a, const torch::Tensor& b, const ModelTraits& traits) {
  std::vector<torch::Tensor> frames(traits.frames_before, a);
  frames.push_back(a);
  frames.push_back(b);
  frames.insert(frames.end(), traits.frames_after, b);
  return {std::move(frames), traits.frames_before};
}

FrameWindow FrameWindow::cat(const std::vector<FrameWindow>& windows) {
  if (windows.empty()) throw Error("no frame windows to join");
  std::vector<torch::Tensor> frames;
  for (size_t i = 0; i < windows.front().frames_.size(); ++i) {
    std::vector<torch::Tensor> column;
    for (const auto& w : windows) {
      if (w.before_ != windows.front().before_ || w.frames_.size() != windows.front().frames_.size())
        throw Error("frame windows of different shapes cannot share a forward pass");
      column.push_back(w.frames_[i]);
    }
    frames.push_back(torch::cat(column));
  }
  return {std::move(frames), windows.front().before_};
}

const torch::Tensor& FrameWindow::at(int offset) const {
  const int i = before_ + offset;
  if (i < 0 || i >= static_cast<int>(frames_.size()))
    throw Error("the frame window holds no frame " + std::to_string(offset) + " from its pair");
  return frames_[i];
}

std::vector<int> steps_reached(int wanted, const std::function<bool(int)>& reaches) {
  std::vector<int> steps;
  int reached = 0;
  for (int j = 1; j <= wanted; ++j) {
    if (reached == j - 1 && reaches(j)) reached = j;
    steps.push_back(reached);
  }
  return steps;
}

}  // namespace interp
