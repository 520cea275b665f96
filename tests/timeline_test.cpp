// Exact output timing, rate parsing and natural sort (no model, no files).
#include "interp/base/error.h"
#include "interp/io/image_file.h"
#include "interp/pipeline/timeline.h"

#include <gtest/gtest.h>

namespace interp::pipeline {
namespace {

TEST(Timeline, IntegerFactorGivesEvenTimes) {
  Timeline tl({4, 1});
  const auto slots = tl.slots_for_pair(3);
  ASSERT_EQ(slots.size(), 4u);
  EXPECT_EQ(slots[0].index, 12);
  EXPECT_EQ(slots[0].t_num, 0);
  EXPECT_DOUBLE_EQ(slots[1].t, 0.25);
  EXPECT_EQ(slots[2].t_num, 1);
  EXPECT_EQ(slots[2].t_den, 2);
  EXPECT_EQ(tl.output_count(10), 40);
  int depth = 0;
  EXPECT_TRUE(tl.dyadic(&depth));
  EXPECT_EQ(depth, 2);
  EXPECT_FALSE(Timeline({3, 1}).dyadic());
}

TEST(Timeline, FractionalRatioCoversEveryOutputFrameOnce) {
  Timeline tl({12, 5});  // 25 -> 60 fps
  int64_t next = 0;
  for (int64_t i = 0; i < 10; ++i)
    for (const auto& s : tl.slots_for_pair(i)) {
      EXPECT_EQ(s.index, next++);
      EXPECT_GE(s.t, 0.0);
      EXPECT_LT(s.t, 1.0);
    }
  EXPECT_EQ(next, tl.output_count(10));
  EXPECT_EQ(next, 24);
}

TEST(Timeline, RatiosFromOptions) {
  EXPECT_EQ(ratio_for({{4, 1}, std::nullopt}, 25, 1).num, 4);
  EXPECT_EQ(ratio_for({{3, 1}, std::nullopt}, 25, 1).num, 3);
  const auto r = ratio_for({{2, 1}, parse_rate("60000/1001")}, 24000, 1001);
  EXPECT_EQ(r.num, 5);
  EXPECT_EQ(r.den, 2);
  EXPECT_EQ(parse_rate("59.94").num, 2997);
  EXPECT_EQ(parse_rate("59.94").den, 50);
  EXPECT_THROW(ratio_for({{2, 1}, parse_rate("24")}, 25, 1), Error);
  EXPECT_THROW(parse_rate("-3"), Error);
  EXPECT_THROW(parse_rate("1/0"), Error);
}

TEST(NaturalSort, DigitRunsCompareByValue) {
  EXPECT_TRUE(io::natural_less("frame2.png", "frame10.png"));
  EXPECT_FALSE(io::natural_less("frame10.png", "frame2.png"));
  EXPECT_TRUE(io::natural_less("a009", "a10"));
  EXPECT_TRUE(io::natural_less("a", "b"));
}

}  // namespace
}  // namespace interp::pipeline
