#pragma once
/// Still images through OpenCV: PNG (8/16-bit), JPEG, WebP, TIFF, BMP in; PNG out.
#include "interp/io/image.h"
#include "interp/io/image_header.h"

#include <string>
#include <vector>

namespace interp::io {

/// RGB or RGBA (alpha kept), 8 or 16 bits. Throws interp::Error naming the file, and
/// interp::OverLimit for a picture over `max_pixels` (from its header when it has one,
/// before decoding).
Image read_image(const std::string& path, int64_t max_pixels = kDefaultMaxPixels);

/// Writes a PNG (16-bit when image.bit_depth is 16).
void write_png(const std::string& path, const Image& image);

/// The numbered frames in `folder` (png, jpg, jpeg, webp, tif, tiff, bmp), in number
/// order, by the rules of a pattern (folder_pattern(), list_sequence()): one numbering,
/// no gap; another picture in the folder is an error naming it. Other files (notes,
/// interp's own marker) are not pictures and are left out.
std::vector<std::string> list_images(const std::string& folder);
/// Whether a file's name says it is a picture list_images() takes (by its extension).
bool is_picture_name(const std::string& path);

/// "a2" < "a10": digit runs compare by value.
bool natural_less(const std::string& a, const std::string& b);

}  // namespace interp::io
