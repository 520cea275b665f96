// The frame window as a value (frame_window.h), and a model that reads two frames on
// each side of its pair going through the slot loop unchanged: its traits alone decide
// the windows it gets, at a clip's ends, in its middle and at deeper --exp levels.
#include "interp/base/error.h"
#include "interp/core/frame_window.h"
#include "interp/pipeline/frame_tensor.h"
#include "interp/pipeline/job.h"
#include "interp/pipeline/slot_loop.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

namespace interp::test {
namespace {
using namespace interp::pipeline;
using Window = std::vector<int>;  ///< each frame's flat value, in time order

torch::Tensor flat_tensor(int value, int64_t batch = 1) { return torch::full({batch, 3, 4, 4}, value / 255.0); }

int value_of(const torch::Tensor& x, int64_t i) { return static_cast<int>(std::lround(x[i][0][0][0].item<double>() * 255)); }

TEST(FrameWindow, APairAloneRepeatsItsEndsAsTheNeighboursAModelReads) {
  const auto w = FrameWindow::of_pair(flat_tensor(10), flat_tensor(20), ModelTraits{2, 1, false});
  EXPECT_EQ(w.before(), 2);
  EXPECT_EQ(w.after(), 1);
  EXPECT_EQ(value_of(w.at(-2), 0), 10);
  EXPECT_EQ(value_of(w.left(), 0), 10);
  EXPECT_EQ(value_of(w.right(), 0), 20);
  EXPECT_EQ(value_of(w.at(2), 0), 20);
  EXPECT_THROW(w.at(3), Error);
  EXPECT_THROW(w.at(-3), Error);
  EXPECT_TRUE(w.fits(ModelTraits{2, 1, true}));
  EXPECT_FALSE(w.fits(ModelTraits{}));
  EXPECT_THROW(FrameWindow({flat_tensor(1)}, 0), Error);  // no pair
}

TEST(FrameWindow, WindowsOfOneShapeShareABatchAndOthersAreRefused) {
  const auto a = FrameWindow({flat_tensor(1), flat_tensor(2), flat_tensor(3)}, 1);
  const auto b = FrameWindow({flat_tensor(4), flat_tensor(5), flat_tensor(6)}, 1);
  const auto both = FrameWindow::cat({a, b});
  EXPECT_EQ(both.batch(), 2);
  EXPECT_EQ(value_of(both.at(-1), 1), 4);
  EXPECT_EQ(value_of(both.right(), 0), 3);
  EXPECT_THROW(FrameWindow::cat({a, FrameWindow({flat_tensor(1), flat_tensor(2), flat_tensor(3)}, 0)}), Error);
}

/// Reads two frames on each side of its pair, makes midpoints only; records its windows.
class SixFrameModel : public FrameInterpolator {
 public:
  std::string name() const override { return "six"; }
  ModelTraits traits() const override { return {2, 2, false}; }
  torch::Device device() const override { return torch::kCPU; }
  torch::Dtype dtype() const override { return torch::kFloat32; }
  std::vector<Window> windows;

 private:
  torch::Tensor make(const FrameWindow& window, const std::vector<double>&) override {
    for (int64_t i = 0; i < window.batch(); ++i) {
      Window w;
      for (const auto& f : window.frames()) w.push_back(value_of(f, i));
      windows.push_back(w);
    }
    return (window.left() + window.right()) / 2;
  }
};

/// `before`: frames pushed as neighbours only, ahead of the inputs (a piece's lead).
std::vector<Window> windows_of(const std::vector<int>& values, int64_t factor, int batch,
                               const std::vector<int>& before = {}) {
  SixFrameModel model;
  PairOptions options;
  options.mode = TimingMode::Recursive;
  options.batch = batch;
  options.skip = SkipThresholds::none();
  PairInterpolator pairs(model, options);
  const Timeline timeline({factor, 1});
  SlotLoop loop(pairs, timeline, true);
  const SlotLoop::Emit emit = [](OutputFrame&&) { return true; };
  const auto frame = [](int v) {
    io::Image image;
    image.allocate(4, 4, 3, 8);
    std::fill(image.data.begin(), image.data.end(), static_cast<uint8_t>(v));
    return InputFrame{image, to_tensor(image, torch::kCPU, torch::kFloat32)};
  };
  for (int v : before) loop.push_context(frame(v).tensor);
  for (int v : values) EXPECT_TRUE(loop.push(frame(v), emit));
  EXPECT_TRUE(loop.finish(emit));
  return model.windows;
}

TEST(SixFrameWindow, EachPairGetsTwoNeighboursASideAndTheNearestStandsInAtTheEnds) {
  const std::vector<Window> expected{{10, 10, 10, 20, 30, 40},
                                     {10, 10, 20, 30, 40, 50},
                                     {10, 20, 30, 40, 50, 60},
                                     {20, 30, 40, 50, 60, 60},
                                     {30, 40, 50, 60, 60, 60}};
  EXPECT_EQ(windows_of({10, 20, 30, 40, 50, 60}, 2, 1), expected);
  EXPECT_EQ(windows_of({10, 20, 30, 40, 50, 60}, 2, 3), expected);  // the loop waits for two frames after a pair
}

TEST(SixFrameWindow, APiecesTwoFramesBeforeItsFirstComeFromOutsideIt) {
  // The frames 10 and 20 read before a piece starting at 30, as piece_source_start opens
  // the source piece_lead() frames early (piece_lead: the most any family reads).
  const auto w = windows_of({30, 40, 50}, 2, 1, {10, 20});
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0], (Window{10, 20, 30, 40, 50, 50}));
  EXPECT_EQ(w[1], (Window{20, 30, 40, 50, 50, 50}));
  EXPECT_GE(piece_lead(), 1);
  EXPECT_EQ(piece_source_start({5, 9}), 5 - piece_lead());
  EXPECT_EQ(piece_source_start({0, 9}), 0);
}

TEST(SixFrameWindow, DeeperLevelsKeepTheWindowEvenlySpacedWhereTheFramesExist) {
  const auto w = windows_of({0, 40, 80, 120, 160}, 4, 1);
  // Pair (40, 80): its midpoint 60 first, between the input frames around it, then
  // 50 and 70 at half the spacing, the pair's ends standing in beyond them.
  const Window level1{0, 0, 40, 80, 120, 160}, left{40, 40, 40, 60, 80, 80}, right{40, 40, 60, 80, 80, 80};
  EXPECT_NE(std::find(w.begin(), w.end(), level1), w.end());
  EXPECT_NE(std::find(w.begin(), w.end(), left), w.end());
  EXPECT_NE(std::find(w.begin(), w.end(), right), w.end());
  EXPECT_EQ(w.size(), 4u * 3u);  // three midpoints for each of the four pairs
}

}  // namespace
}  // namespace interp::test
