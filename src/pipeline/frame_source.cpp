/// Image lists as a frame source.
#include "interp/pipeline/frame_source.h"

#include "interp/base/error.h"
#include "interp/io/image_file.h"

namespace interp::pipeline {

ImageListSource::ImageListSource(std::vector<std::string> paths, std::string name, const io::DecodeOptions& decode,
                                 io::Rational rate)
    : paths_(std::move(paths)), name_(std::move(name)), decode_(decode), rate_(rate) {}

namespace {

[[noreturn]] void sizes_differ(const std::string& path, int64_t w, int64_t h, const std::string& first, int64_t fw,
                               int64_t fh) {
  throw Error("images differ in size: " + path + " is " + std::to_string(w) + "x" + std::to_string(h) + ", " + first +
              " is " + std::to_string(fw) + "x" + std::to_string(fh));
}

}  // namespace

void check_pictures(const std::vector<std::string>& paths, const std::string& name, int64_t max_pixels) {
  if (paths.size() < 2)
    throw Error(name + ": holds " + std::to_string(paths.size()) + " image(s); at least 2 are needed");
  std::optional<io::PictureSize> first;
  for (const auto& path : paths) {
    const auto size = io::read_picture_size(path);
    if (!size) continue;
    io::check_pixels(path, size->width, size->height, max_pixels);
    if (!first) first = size;
    if (size->width != first->width || size->height != first->height)
      sizes_differ(path, size->width, size->height, paths.front(), first->width, first->height);
  }
}

void ImageListSource::start_at(int64_t index) {
  if (index >= static_cast<int64_t>(paths_.size()))
    throw Error(name_ + ": has " + std::to_string(paths_.size()) + " pictures; there is no frame " +
                std::to_string(index));
  next_ = static_cast<size_t>(index);
}

SourceItem ImageListSource::next(io::Image) {
  if (next_ >= paths_.size()) return io::EndOfStream{};
  const std::string& path = paths_[next_++];
  io::VideoFrame frame{io::read_image(path, decode_.max_pixels), static_cast<int64_t>(next_ - 1)};
  const auto& image = frame.image;
  if (!image.damage.empty() && decode_.strict) throw Error(path + ": damaged picture (" + image.damage + ")");
  if (!image.damage.empty()) ++damage_.concealed_frames;
  if (width_ == 0) {  // the first picture read
    width_ = image.width;
    height_ = image.height;
  } else if (image.width != width_ || image.height != height_) {
    sizes_differ(path, image.width, image.height, paths_.front(), width_, height_);
  }
  return frame;
}

}  // namespace interp::pipeline
