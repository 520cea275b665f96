// Four-frame models in the slot loop: which frames each window gets at a clip's start,
// middle and end, across a scene cut, at deeper --exp levels, in batches, and in a
// piece with its neighbours pushed from outside (pair_interpolator.h, slot_loop.h).
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/slot_loop.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <array>
#include <cmath>

namespace interp::test {
namespace {
using namespace interp::pipeline;
using Window = std::array<int, 4>;  ///< before, a, b, after: each frame's flat value

/// Records every window it is given (frames are flat: one value each) and returns
/// the pair's average, so in-betweens are known too.
class WindowModel : public FrameInterpolator {
 public:
  torch::Tensor make(const FrameWindow& window, const std::vector<double>&) override {
    const auto &before = window.at(-1), &a = window.left(), &b = window.right(), &after = window.at(2);
    const auto value = [](const torch::Tensor& x, int64_t i) {
      return static_cast<int>(std::lround(x[i][0][0][0].item<double>() * 255));
    };
    for (int64_t i = 0; i < a.size(0); ++i)
      windows.push_back({value(before, i), value(a, i), value(b, i), value(after, i)});
    return (a + b) / 2;
  }
  std::string name() const override { return "window"; }
  ModelTraits traits() const override { return {1, 1, false}; }
  torch::Device device() const override { return torch::kCPU; }
  torch::Dtype dtype() const override { return torch::kFloat32; }
  std::vector<Window> windows;
};

io::Image flat(int value) {
  io::Image image;
  image.allocate(8, 6, 3, 8);
  std::fill(image.data.begin(), image.data.end(), static_cast<uint8_t>(value));
  return image;
}

InputFrame input(int value) {
  const auto image = flat(value);
  return {image, to_tensor(image, torch::kCPU, torch::kFloat32)};
}

/// The windows a whole clip of flat `values` gives at `factor`x (recursive midpoints).
std::vector<Window> windows_of(const std::vector<int>& values, int64_t factor, int batch, double scene = 0.07) {
  WindowModel model;
  PairOptions options;
  options.mode = TimingMode::Recursive;
  options.batch = batch;
  options.skip.scene = scene;
  PairInterpolator pairs(model, options);
  const Timeline timeline({factor, 1});
  SlotLoop loop(pairs, timeline, true);
  const SlotLoop::Emit emit = [](OutputFrame&&) { return true; };
  for (int v : values) EXPECT_TRUE(loop.push(input(v), emit));
  EXPECT_TRUE(loop.finish(emit));
  return model.windows;
}

// Neighbouring frames differ by 10 levels: moving (above the still threshold) within one
// shot (below the cut threshold).
TEST(ContextWindow, NeighboursAtTheStartMiddleAndEndOfAClip) {
  const std::vector<Window> expected = {{10, 10, 20, 30}, {10, 20, 30, 40}, {20, 30, 40, 50}, {30, 40, 50, 50}};
  EXPECT_EQ(windows_of({10, 20, 30, 40, 50}, 2, 1), expected);
  EXPECT_EQ(windows_of({10, 20, 30, 40, 50}, 2, 3), expected);  // batches give what batch 1 gives
  EXPECT_EQ(windows_of({10, 20, 30, 40, 50}, 2, 8), expected);
}

TEST(ContextWindow, AWindowNeverReachesAcrossASceneCut) {
  // 30 -> 200 is a cut: that pair is not interpolated, and no window takes a frame of
  // the other shot; the pair's own end stands in.
  const std::vector<Window> expected = {{10, 10, 20, 30}, {10, 20, 30, 30}, {200, 200, 210, 220}, {200, 210, 220, 220}};
  EXPECT_EQ(windows_of({10, 20, 30, 200, 210, 220}, 2, 1), expected);
  EXPECT_EQ(windows_of({10, 20, 30, 200, 210, 220}, 2, 4), expected);
}

TEST(ContextWindow, DeeperLevelsKeepTheWindowEvenlySpacedInsideThePair) {
  // One pair (40, 80) with neighbours 0 and 120 (cuts off: the steps are large). At 4x
  // the quarter points take the midpoint 60 and repeat the pair's end where the frame
  // a quarter outside the pair does not exist.
  auto w = windows_of({0, 40, 80, 120}, 4, 1, /*scene=*/0);
  ASSERT_EQ(w.size(), 9u);  // 3 pairs x 3 midpoints
  EXPECT_EQ(w[3], (Window{0, 40, 80, 120}));  // level 1 of the middle pair
  EXPECT_EQ(w[4], (Window{40, 40, 60, 80}));
  EXPECT_EQ(w[5], (Window{40, 60, 80, 80}));
  // At 8x the eighth point 3/8 has its whole window inside the pair: 2/8, 4/8 and 6/8 apart
  // by one step each side — 40, 50 | 60, 70.
  w = windows_of({0, 40, 80, 120}, 8, 1, 0);
  bool found = false;
  for (const auto& window : w) found = found || window == Window{40, 50, 60, 70};
  EXPECT_TRUE(found);
}

TEST(ContextWindow, APiecesNeighboursComeFromOutsideIt) {
  WindowModel model;
  PairOptions options;
  options.mode = TimingMode::Recursive;
  PairInterpolator pairs(model, options);
  const Timeline timeline({2, 1});
  SlotLoop loop(pairs, timeline, true);
  loop.number_from(3);
  const SlotLoop::Emit emit = [](OutputFrame&&) { return true; };
  loop.push_context(input(20).tensor);  // the frame before the piece
  for (int v : {30, 40, 50}) EXPECT_TRUE(loop.push(input(v), emit));
  loop.push_context(input(60).tensor);  // the one after its end
  EXPECT_TRUE(loop.finish(emit, /*at_boundary=*/true));
  const std::vector<Window> expected = {{20, 30, 40, 50}, {30, 40, 50, 60}};
  EXPECT_EQ(model.windows, expected);
}

}  // namespace
}  // namespace interp::test
