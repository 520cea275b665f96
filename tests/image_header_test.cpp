// Picture sizes from headers, and the pixel limit's arithmetic on absurd sizes.
#include "error_of.h"
#include "interp/io/image_file.h"
#include "interp/io/image_header.h"
#include "temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>

namespace interp::test {
namespace {

TEST(PictureHeader, SizeWithoutDecoding) {
  TempDir dir;
  io::Image image;
  image.allocate(37, 21, 3, 8);
  io::write_png(dir / "p.png", image);
  const auto size = io::read_picture_size(dir / "p.png");
  ASSERT_TRUE(size);
  EXPECT_EQ(size->width, 37);
  EXPECT_EQ(size->height, 21);
  std::ofstream(dir / "t.txt") << "not a picture at all, just some text here";
  EXPECT_FALSE(io::read_picture_size(dir / "t.txt"));
}

TEST(PictureHeader, LimitHoldsForSizesWhoseProductOverflows) {
  const int64_t huge = int64_t{1} << 32;  // a PNG header's width and height go this high
  EXPECT_NE(error_of([&] { io::check_pixels("p.png", huge, huge, io::kDefaultMaxPixels); }).find("over the limit"),
            std::string::npos);
  EXPECT_EQ(error_of([&] { io::check_pixels("p.png", 8192, 8192, io::kDefaultMaxPixels); }), "");
  EXPECT_NE(error_of([&] { io::check_pixels("p.png", 8193, 8192, io::kDefaultMaxPixels); }), "");
}

}  // namespace
}  // namespace interp::test
