// The fused CPU glue kernels (cpu_glue.h) against the torch ops they replace, and IFNet's
// fused CPU path against its torch-op path, for every variant.
#include "interp/core/rife/backward_warp.h"
#include "interp/core/rife/cpu_glue.h"
#include "interp/core/rife/ifblock.h"
#include "interp/core/rife/ifnet.h"
#include "test_support.h"

namespace interp::test {
namespace {

namespace glue = rife::cpu_glue;
constexpr auto kChannelsLast = torch::MemoryFormat::ChannelsLast;

torch::Tensor random_image(int64_t n, int64_t c, int64_t h, int64_t w) {
  return torch::rand({n, c, h, w}).contiguous(kChannelsLast);
}

TEST(CpuGlue, ResizeMatchesUpsampleBilinear) {
  torch::manual_seed(1);
  for (double factor : {0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0}) {
    const auto src = random_image(2, 5, 48, 80);
    const auto expected = rife::resize_bilinear(src, factor) * 3.0f;
    auto dst = torch::empty(expected.sizes(), torch::TensorOptions().memory_format(kChannelsLast));
    glue::resize_into(src, dst, factor, 3.0f);
    EXPECT_LE(max_abs_diff(dst, expected), 1e-5) << "factor " << factor;
    // Accumulating into a channel slice of a wider buffer.
    auto wide = torch::ones({2, 7, expected.size(2), expected.size(3)}).contiguous(kChannelsLast);
    auto slice = wide.narrow(1, 1, 5);
    glue::resize_into(src, slice, factor, 3.0f, /*accumulate=*/true);
    EXPECT_LE(max_abs_diff(wide.narrow(1, 1, 5), expected + 1), 1e-5) << "factor " << factor;
    EXPECT_EQ(wide.narrow(1, 0, 1).min().item<float>(), 1.0f);  // neighbours untouched
  }
}

TEST(CpuGlue, ShuffledResizeReadsPixelShuffle) {
  torch::manual_seed(2);
  const auto src = random_image(1, 24, 23, 40);
  for (double factor : {1.0, 2.0, 8.0}) {
    const auto expected = rife::resize_bilinear(torch::pixel_shuffle(src, 2), factor).narrow(1, 4, 1);
    auto dst = torch::empty(expected.sizes(), torch::TensorOptions().memory_format(kChannelsLast));
    glue::resize_shuffled_into(src.narrow(1, 16, 4), dst, factor);
    EXPECT_LE(max_abs_diff(dst, expected), 1e-5) << "factor " << factor;
  }
}

TEST(CpuGlue, WarpMatchesGridSampleIncludingBorders) {
  torch::manual_seed(3);
  const auto img0 = random_image(2, 3, 37, 53), img1 = random_image(2, 3, 37, 53);
  // Flows far past the borders as well as sub-pixel ones.
  const auto flow = (torch::randn({2, 4, 37, 53}) * 30).contiguous(kChannelsLast);
  rife::BackwardWarp warp;
  auto out0 = torch::empty_like(img0), out1 = torch::empty_like(img1);
  glue::warp_both(img0, img1, flow, out0, out1);
  const auto expected0 = warp(img0, flow.slice(1, 0, 2));
  const auto expected1 = warp(img1, flow.slice(1, 2, 4));
  EXPECT_LE(max_abs_diff(out0, expected0), 1e-5);
  EXPECT_LE(max_abs_diff(out1, expected1), 1e-5);

  const auto mask = torch::randn({2, 1, 37, 53}).contiguous(kChannelsLast) * 3;
  const auto weight = torch::sigmoid(mask);
  EXPECT_LE(max_abs_diff(glue::warp_and_merge(img0, img1, flow, mask), expected0 * weight + expected1 * (1 - weight)),
            1e-5);
}

struct PathCase {
  std::string variant;
  double scale;
};
void PrintTo(const PathCase& c, std::ostream* os) { *os << c.variant << " scale " << c.scale; }

class FusedPath : public ::testing::TestWithParam<PathCase> {};

// Random weights, a batch of two pairs at different t: the fused CPU path and the plain
// torch-op path agree.
TEST_P(FusedPath, MatchesTorchOpPath) {
  torch::manual_seed(4);
  torch::InferenceMode guard;
  const auto variant = *rife::IFNetVariant::by_name(GetParam().variant);
  rife::IFNet net(variant);
  const int64_t h = 128, w = 256;  // multiples of max(M, M/scale) for every case here
  const auto a = random_image(2, 3, h, w), b = random_image(2, 3, h, w);
  const auto t = torch::tensor({0.5f, 0.3f}).view({2, 1, 1, 1}).expand({2, 1, h, w});
  // As published, and with the edges' rule on a picture smaller than the inputs (the
  // random weights' flow leaves it often).
  rife::IFNetMode edges;
  edges.seen_side_at_edges = true;
  edges.picture = {w - 20, h - 10};
  net->use_fused_cpu(false);
  const auto expected = net->forward(a, b, t, GetParam().scale);
  const auto expected_edges = net->forward(a, b, t, GetParam().scale, edges);
  net->prepare_for_inference();
  net->use_fused_cpu(true);
  const auto fused = net->forward(a, b, t, GetParam().scale);
  EXPECT_LE(max_abs_diff(fused, expected), 1e-4);
  EXPECT_LE(max_abs_diff(net->forward(a, b, t, GetParam().scale, edges), expected_edges), 1e-4);
  EXPECT_GT((expected - (a + b) / 2).abs().max().item<double>(), 1e-2);  // not a trivial blend
  EXPECT_GT(max_abs_diff(expected_edges, expected), 1e-3);                // the rule changed something
}

INSTANTIATE_TEST_SUITE_P(Variants, FusedPath,
                         ::testing::Values(PathCase{"rife-v3.9", 1.0}, PathCase{"rife-v3.9", 0.5},
                                           PathCase{"rife-v4.6", 1.0}, PathCase{"rife-v4.6", 2.0},
                                           PathCase{"rife-v4.25", 1.0}, PathCase{"rife-v4.25", 0.5}),
                         [](const auto& info) {
                           std::string name = info.param.variant + "_x" + std::to_string(int(info.param.scale * 10));
                           for (auto& c : name) if (c == '.' || c == '-') c = '_';
                           return name;
                         });

}  // namespace
}  // namespace interp::test
