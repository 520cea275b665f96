#pragma once
/// A picture's size in pixels: what a header says (io/image_header.h), or the picture
/// within inputs a network padded (rife/picture_edges.h).
#include <cstdint>

namespace interp {

struct PictureSize {
  int64_t width = 0;
  int64_t height = 0;
};

}  // namespace interp
