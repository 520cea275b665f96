#pragma once
/// An interleaved RGB(A) picture in host memory, 8 or 16 bits per sample: what the
/// decoders produce and the encoders consume (or a video's codes: full_swing.h).
/// Reused between frames to avoid reallocating in steady state.
#include "interp/io/full_swing.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace interp::io {

struct Image {
  int width = 0;
  int height = 0;
  int channels = 3;  ///< 3 (RGB) or 4 (RGBA)
  int bit_depth = 8; ///< 8 (uint8 samples) or 16 (uint16 samples, native endian)
  std::vector<uint8_t> data;
  std::string damage;  ///< what the decoder concealed (a damaged JPEG), empty when clean
  /// Set when the samples are a limited-range video's codes read as full range
  /// (full_swing.h), not the picture's RGB.
  std::optional<FullSwing> full_swing;

  size_t bytes_per_sample() const { return bit_depth > 8 ? 2 : 1; }
  size_t row_bytes() const { return static_cast<size_t>(width) * channels * bytes_per_sample(); }
  void allocate(int w, int h, int c, int depth) {
    width = w;
    height = h;
    channels = c;
    bit_depth = depth;
    data.resize(row_bytes() * static_cast<size_t>(h));
  }
};

}  // namespace interp::io
