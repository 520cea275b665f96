// ffmpeg-style numbered names: what is a pattern, how numbers are written, and which
// files a pattern lists.
#include "interp/base/error.h"
#include "interp/io/image_sequence.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>

namespace interp::io {
namespace {

TEST(ImageSequence, PatternsAreOneDecimalConversionInTheFileName) {
  EXPECT_TRUE(is_sequence_pattern("out/%06d.png"));
  EXPECT_TRUE(is_sequence_pattern("f%d.png"));
  EXPECT_TRUE(is_sequence_pattern("100%%_%03d.png"));
  EXPECT_FALSE(is_sequence_pattern("100%.png"));
  EXPECT_FALSE(is_sequence_pattern("%s.png"));
  EXPECT_FALSE(is_sequence_pattern("%d_%d.png"));
  EXPECT_FALSE(is_sequence_pattern("%6d.png"));  // space padding: not ffmpeg's usual, refused
  EXPECT_FALSE(is_sequence_pattern("dir%d/frame.png"));  // the folder is not numbered
  EXPECT_EQ(sequence_name("out/%06d.png", 7), "out/000007.png");
  EXPECT_EQ(sequence_name("100%%_%d.png", 1234), "100%_1234.png");
  EXPECT_EQ(sequence_name("%03d.png", 12345), "12345.png");  // wider numbers are not cut
  EXPECT_TRUE(matches_sequence("%04d.png", "0012.png"));
  EXPECT_FALSE(matches_sequence("%04d.png", "12.png"));
  EXPECT_FALSE(matches_sequence("%d.png", "012.png"));
  EXPECT_FALSE(matches_sequence("img%d.png", "img.png"));
}

TEST(ImageSequence, ListsFromTheLowestNumberAndRefusesGaps) {
  test::TempDir dir;
  for (const char* name : {"a005.png", "a006.png", "a007.png", "a5.png", "b006.png"}) std::ofstream(dir / name) << "x";
  const auto files = list_sequence(dir / "a%03d.png");
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files.front(), dir / "a005.png");
  EXPECT_EQ(files.back(), dir / "a007.png");
  std::ofstream(dir / "a009.png") << "x";
  try {
    list_sequence(dir / "a%03d.png");
    FAIL() << "a gap was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("a008.png is missing"), std::string::npos) << e.what();
  }
  EXPECT_THROW(list_sequence(dir / "c%03d.png"), Error);
}

}  // namespace
}  // namespace interp::io
