#pragma once
/// A picture's size from its header alone, so that a picture that would not fit (a
/// "decompression bomb": a few hundred KB of PNG that decode to gigabytes) or does not
/// match its sequence is refused before a byte of it is decoded.
#include "interp/base/picture_size.h"

#include <cstdint>
#include <optional>
#include <string>

namespace interp::io {

/// PNG, JPEG, BMP and WebP headers; nothing for other formats (their decoder checks).
std::optional<PictureSize> read_picture_size(const std::string& path);

/// Decoding refuses pictures and video frames over this many pixels by default
/// (8192x8192: over twice an 8K frame).
inline constexpr int64_t kDefaultMaxPixels = int64_t{1} << 26;

/// Throws interp::OverLimit naming `what` when width x height is over `max_pixels`.
void check_pixels(const std::string& what, int64_t width, int64_t height, int64_t max_pixels);

}  // namespace interp::io
