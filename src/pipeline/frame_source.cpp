/// Image lists as a frame source.
#include "interp/pipeline/frame_source.h"

#include "interp/base/error.h"
#include "interp/io/image_file.h"

namespace interp::pipeline {

ImageListSource::ImageListSource(std::vector<std::string> paths, std::string name)
    : paths_(std::move(paths)), name_(std::move(name)) {}

SourceItem ImageListSource::next(io::Image) {
  if (next_ >= paths_.size()) return io::EndOfStream{};
  const std::string& path = paths_[next_++];
  io::VideoFrame frame{io::read_image(path), static_cast<int64_t>(next_ - 1)};
  const auto& image = frame.image;
  if (next_ == 1) {
    width_ = image.width;
    height_ = image.height;
  } else if (image.width != width_ || image.height != height_) {
    throw Error("images differ in size: " + path + " is " + std::to_string(image.width) + "x" +
                std::to_string(image.height) + ", " + paths_.front() + " is " + std::to_string(width_) + "x" +
                std::to_string(height_));
  }
  return frame;
}

}  // namespace interp::pipeline
