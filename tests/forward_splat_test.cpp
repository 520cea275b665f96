// Forward splatting against hand-computed cases: bilinear weights, the four modes'
// normalisation, empty targets, flows leaving the frame, batches, fp16 positions.
#include "interp/core/ops/forward_splat.h"
#include "test_support.h"

namespace interp::test {
namespace {

using ops::forward_splat;
using ops::SplatMode;

/// A 1×1×H×W image that is 0 except `value` at (x, y), and a flow moving only that pixel.
std::pair<torch::Tensor, torch::Tensor> one_pixel(int64_t h, int64_t w, int64_t x, int64_t y, float value, float dx,
                                                  float dy) {
  auto image = torch::zeros({1, 1, h, w});
  auto flow = torch::zeros({1, 2, h, w});
  image[0][0][y][x] = value;
  flow[0][0][y][x] = dx;
  flow[0][1][y][x] = dy;
  return {image, flow};
}

float at(const torch::Tensor& t, int64_t x, int64_t y, int64_t n = 0) { return t[n][0][y][x].item<float>(); }

TEST(ForwardSplat, FractionalFlowSplatsToFourNeighboursWithBilinearWeights) {
  const auto [image, flow] = one_pixel(4, 4, 1, 1, 1.0f, 0.25f, 0.5f);  // lands at (1.25, 1.5)
  const auto out = forward_splat(image, flow, SplatMode::kSummation);
  EXPECT_FLOAT_EQ(at(out, 1, 1), 0.75f * 0.5f);
  EXPECT_FLOAT_EQ(at(out, 2, 1), 0.25f * 0.5f);
  EXPECT_FLOAT_EQ(at(out, 1, 2), 0.75f * 0.5f);
  EXPECT_FLOAT_EQ(at(out, 2, 2), 0.25f * 0.5f);
  EXPECT_FLOAT_EQ(out.sum().item<float>(), 1.0f);  // nothing else received anything
}

TEST(ForwardSplat, NegativeFractionsFloorTowardsTheTopLeft) {
  const auto [image, flow] = one_pixel(4, 4, 2, 2, 2.0f, -0.75f, -1.25f);  // lands at (1.25, 0.75)
  const auto out = forward_splat(image, flow, SplatMode::kSummation);
  EXPECT_FLOAT_EQ(at(out, 1, 0), 2.0f * 0.75f * 0.25f);
  EXPECT_FLOAT_EQ(at(out, 2, 0), 2.0f * 0.25f * 0.25f);
  EXPECT_FLOAT_EQ(at(out, 1, 1), 2.0f * 0.75f * 0.75f);
  EXPECT_FLOAT_EQ(at(out, 2, 1), 2.0f * 0.25f * 0.75f);
}

/// A 1×3 row [2, 10, 4]: the outer pixels meet in the middle, the middle one leaves.
std::pair<torch::Tensor, torch::Tensor> meeting_row() {
  auto image = torch::tensor({2.0f, 10.0f, 4.0f}).view({1, 1, 1, 3});
  auto flow = torch::zeros({1, 2, 1, 3});
  flow[0][0][0][0] = 1.0f;
  flow[0][0][0][1] = 5.0f;  // beyond the right border: dropped
  flow[0][0][0][2] = -1.0f;
  return {image, flow};
}

TEST(ForwardSplat, AverageDividesByTheWeightThatLandedAndLeavesEmptyTargetsZero) {
  const auto [image, flow] = meeting_row();
  const auto average = forward_splat(image, flow, SplatMode::kAverage);
  EXPECT_FLOAT_EQ(at(average, 1, 0), 3.0f);  // (2 + 4) / 2
  EXPECT_FLOAT_EQ(at(average, 0, 0), 0.0f);  // nothing landed: 0, not NaN
  EXPECT_FLOAT_EQ(at(average, 2, 0), 0.0f);
  const auto sum = forward_splat(image, flow, SplatMode::kSummation);
  EXPECT_FLOAT_EQ(at(sum, 1, 0), 6.0f);
}

TEST(ForwardSplat, AverageOfOnePartiallyInsidePixelKeepsItsValue) {
  // Lands at x = -0.5: half its weight falls outside and is dropped.
  const auto [image, flow] = one_pixel(1, 3, 0, 0, 8.0f, -0.5f, 0.0f);
  EXPECT_FLOAT_EQ(at(forward_splat(image, flow, SplatMode::kSummation), 0, 0), 4.0f);
  EXPECT_FLOAT_EQ(at(forward_splat(image, flow, SplatMode::kAverage), 0, 0), 8.0f);
}

TEST(ForwardSplat, FlowsPointingOutsideTheFrameContributeNothing) {
  for (const auto& [dx, dy] : std::vector<std::pair<float, float>>{{-1.0f, 0.0f}, {3.0f, 0.0f}, {0.0f, -1.5f}, {0.0f, 2.0f}, {-1e9f, 1e9f}}) {
    const auto [image, flow] = one_pixel(2, 3, 0, 0, 5.0f, dx, dy);
    EXPECT_FLOAT_EQ(forward_splat(image, flow, SplatMode::kSummation).sum().item<float>(), 0.0f) << dx << "," << dy;
  }
}

TEST(ForwardSplat, NonFiniteFlowIsDroppedNotUndefined) {
  auto [image, flow] = one_pixel(2, 2, 0, 0, 5.0f, std::nanf(""), 0.0f);
  flow[0][0][1][1] = std::numeric_limits<float>::infinity();
  image[0][0][1][1] = 3.0f;
  const auto out = forward_splat(image, flow, SplatMode::kAverage);
  EXPECT_TRUE(torch::isfinite(out).all().item<bool>());
  EXPECT_FLOAT_EQ(out.sum().item<float>(), 0.0f);
}

TEST(ForwardSplat, LinearAndSoftmaxWeightByTheMetric) {
  const auto [image, flow] = meeting_row();
  const auto metric = torch::tensor({1.0f, 7.0f, 3.0f}).view({1, 1, 1, 3});
  EXPECT_FLOAT_EQ(at(forward_splat(image, flow, SplatMode::kLinear, metric), 1, 0), (2.0f * 1 + 4.0f * 3) / 4.0f);
  const float e1 = std::exp(1.0f), e3 = std::exp(3.0f);
  EXPECT_NEAR(at(forward_splat(image, flow, SplatMode::kSoftmax, metric), 1, 0), (2.0f * e1 + 4.0f * e3) / (e1 + e3), 1e-6);
}

TEST(ForwardSplat, MetricIsRequiredExactlyByTheWeightedModes) {
  const auto [image, flow] = meeting_row();
  EXPECT_THROW(forward_splat(image, flow, SplatMode::kSoftmax), Error);
  EXPECT_THROW(forward_splat(image, flow, SplatMode::kAverage, torch::ones({1, 1, 1, 3})), Error);
  EXPECT_THROW(forward_splat(image, torch::zeros({1, 2, 1, 2}), SplatMode::kAverage), Error);
}

TEST(ForwardSplat, BatchItemsAndChannelsStayApart) {
  auto image = torch::zeros({2, 2, 3, 3});
  image[0][0][1][1] = 1.0f;
  image[0][1][1][1] = 2.0f;
  image[1][0][1][1] = 3.0f;
  auto flow = torch::zeros({2, 2, 3, 3});
  flow[0][0][1][1] = 1.0f;   // item 0 goes right
  flow[1][1][1][1] = -1.0f;  // item 1 goes up
  const auto out = forward_splat(image, flow, SplatMode::kSummation);
  EXPECT_FLOAT_EQ(out[0][0][1][2].item<float>(), 1.0f);
  EXPECT_FLOAT_EQ(out[0][1][1][2].item<float>(), 2.0f);
  EXPECT_FLOAT_EQ(out[1][0][0][1].item<float>(), 3.0f);
  EXPECT_FLOAT_EQ(out.sum().item<float>(), 6.0f);
}

TEST(ForwardSplat, HalfPrecisionInputsAreSplattedAtExactPositionsPastFp16Range) {
  // x = 4097 is not an fp16 number; positions must still be exact.
  auto [image, flow] = one_pixel(1, 4100, 4097, 0, 1.0f, 0.5f, 0.0f);
  const auto out = forward_splat(image.to(torch::kFloat16), flow.to(torch::kFloat16), SplatMode::kSummation);
  EXPECT_EQ(out.scalar_type(), torch::kFloat16);
  EXPECT_FLOAT_EQ(at(out.to(torch::kFloat32), 4097, 0), 0.5f);
  EXPECT_FLOAT_EQ(at(out.to(torch::kFloat32), 4098, 0), 0.5f);
}

TEST(ForwardSplat, ZeroFlowAverageIsTheIdentity) {
  const auto image = torch::rand({2, 3, 5, 7});
  EXPECT_LE(max_abs_diff(forward_splat(image, torch::zeros({2, 2, 5, 7}), SplatMode::kAverage), image), 1e-7);
}

}  // namespace
}  // namespace interp::test
