// The 9x9 local correlation: channel order, zero outside the map, the division by the
// channel count, and a brute-force comparison.
#include "interp/core/ops/correlation.h"
#include "test_support.h"

namespace interp::test {
namespace {

using ops::local_correlation;

TEST(LocalCorrelation, ChannelIndexIsRowOffsetTimesNinePlusColumnOffset) {
  const auto first = torch::ones({1, 2, 12, 12});
  auto second = torch::zeros({1, 2, 12, 12});
  second.index_put_({0, torch::indexing::Slice(), 5, 6}, 6.0f);  // one bright pixel at (x 6, y 5)
  const auto out = local_correlation(first, second);
  ASSERT_EQ(out.sizes(), (std::vector<int64_t>{1, 81, 12, 12}));
  // Seen from (x 5, y 5) it is one to the right: dx +1, dy 0 -> (0+4)*9 + (1+4).
  EXPECT_FLOAT_EQ(out[0][4 * 9 + 5][5][5].item<float>(), 6.0f);
  // Seen from (x 6, y 3) it is two rows down: dx 0, dy +2 -> (2+4)*9 + 4.
  EXPECT_FLOAT_EQ(out[0][6 * 9 + 4][3][6].item<float>(), 6.0f);
  EXPECT_FLOAT_EQ(out.sum().item<float>(), 6.0f * 81);  // 81 positions see it once each
}

TEST(LocalCorrelation, DividesByTheChannelCountAndIsZeroOutsideTheMap) {
  const auto out = local_correlation(torch::full({1, 4, 6, 6}, 2.0f), torch::full({1, 4, 6, 6}, 3.0f));
  EXPECT_FLOAT_EQ(out[0][40][3][3].item<float>(), 6.0f);   // centre: 4 * 2 * 3 / 4
  EXPECT_FLOAT_EQ(out[0][0][0][0].item<float>(), 0.0f);    // (-4, -4) from the corner: outside
  EXPECT_FLOAT_EQ(out[0][80][5][5].item<float>(), 0.0f);
  EXPECT_FLOAT_EQ(out[0][80][1][1].item<float>(), 6.0f);   // (+4, +4) from (1, 1): inside
}

TEST(LocalCorrelation, MatchesABruteForceSum) {
  torch::manual_seed(3);
  const auto a = torch::randn({2, 5, 7, 9}), b = torch::randn({2, 5, 7, 9});
  const auto out = local_correlation(a, b, 2);
  ASSERT_EQ(out.size(1), 25);
  auto expected = torch::zeros_like(out);
  auto ea = a.accessor<float, 4>(), eb = b.accessor<float, 4>();
  auto ex = expected.accessor<float, 4>();
  for (int n = 0; n < 2; ++n)
    for (int y = 0; y < 7; ++y)
      for (int x = 0; x < 9; ++x)
        for (int k = 0; k < 25; ++k) {
          const int dx = k % 5 - 2, dy = k / 5 - 2;
          if (y + dy < 0 || y + dy >= 7 || x + dx < 0 || x + dx >= 9) continue;
          float sum = 0;
          for (int c = 0; c < 5; ++c) sum += ea[n][c][y][x] * eb[n][c][y + dy][x + dx];
          ex[n][k][y][x] = sum / 5;
        }
  EXPECT_LE(max_abs_diff(out, expected), 1e-6);
}

}  // namespace
}  // namespace interp::test
