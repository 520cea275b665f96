/// Picture sizes read from the first bytes of PNG, JPEG, BMP and WebP files.
#include "interp/io/image_header.h"

#include "interp/base/error.h"

#include <fstream>
#include <vector>

namespace interp::io {
namespace {

uint32_t be16(const uint8_t* p) { return (p[0] << 8) | p[1]; }
uint32_t be32(const uint8_t* p) { return (uint32_t{p[0]} << 24) | (p[1] << 16) | (p[2] << 8) | p[3]; }
uint32_t le16(const uint8_t* p) { return p[0] | (p[1] << 8); }
uint32_t le24(const uint8_t* p) { return p[0] | (p[1] << 8) | (p[2] << 16); }
uint32_t le32(const uint8_t* p) { return le24(p) | (uint32_t{p[3]} << 24); }

/// JPEG: the first start-of-frame marker's size (EXIF and other segments come first).
std::optional<PictureSize> jpeg_size(std::ifstream& in) {
  in.seekg(2);
  uint8_t marker[4];
  while (in.read(reinterpret_cast<char*>(marker), 4)) {
    if (marker[0] != 0xFF) return std::nullopt;
    const uint8_t type = marker[1];
    const uint32_t length = be16(marker + 2);
    const bool sof = type >= 0xC0 && type <= 0xCF && type != 0xC4 && type != 0xC8 && type != 0xCC;
    if (sof) {
      uint8_t frame[5];
      if (!in.read(reinterpret_cast<char*>(frame), 5)) return std::nullopt;
      return PictureSize{be16(frame + 3), be16(frame + 1)};
    }
    if (length < 2) return std::nullopt;
    in.seekg(length - 2, std::ios::cur);
  }
  return std::nullopt;
}

}  // namespace

std::optional<PictureSize> read_picture_size(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<uint8_t> h(32, 0);
  in.read(reinterpret_cast<char*>(h.data()), static_cast<std::streamsize>(h.size()));
  if (in.gcount() < 26) return std::nullopt;
  const uint8_t* p = h.data();
  if (be32(p) == 0x89504E47 && be32(p + 12) == 0x49484452)  // PNG, IHDR first
    return PictureSize{be32(p + 16), be32(p + 20)};
  if (p[0] == 0xFF && p[1] == 0xD8) {
    in.clear();
    return jpeg_size(in);
  }
  if (p[0] == 'B' && p[1] == 'M') {
    const auto height = static_cast<int32_t>(le32(p + 22));
    return PictureSize{static_cast<int32_t>(le32(p + 18)), height < 0 ? -int64_t{height} : height};
  }
  if (be32(p) == 0x52494646 && be32(p + 8) == 0x57454250) {  // RIFF....WEBP
    if (be32(p + 12) == 0x56503820) return PictureSize{le16(p + 26) & 0x3FFF, le16(p + 28) & 0x3FFF};  // "VP8 "
    if (be32(p + 12) == 0x5650384C) {  // "VP8L": 14-bit width-1 and height-1
      const uint32_t bits = le32(p + 21);
      return PictureSize{(bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1};
    }
    if (be32(p + 12) == 0x56503858) return PictureSize{le24(p + 24) + 1, le24(p + 27) + 1};  // "VP8X"
  }
  return std::nullopt;
}

void check_pixels(const std::string& what, int64_t width, int64_t height, int64_t max_pixels) {
  if (width > 0 && height > 0 && width > max_pixels / height)  // no product: headers hold up to 2^32 x 2^32
    throw OverLimit(what + ": " + std::to_string(width) + "x" + std::to_string(height) + " is over the limit of " +
                    std::to_string(max_pixels) + " pixels per frame");
}

}  // namespace interp::io
