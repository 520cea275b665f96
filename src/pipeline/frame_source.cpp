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
  std::optional<PictureSize> first;
  for (const auto& path : paths) {
    const auto size = io::read_picture_size(path);
    if (!size) continue;
    io::check_pixels(path, size->width, size->height, max_pixels);
    if (!first) first = size;
    if (size->width != first->width || size->height != first->height)
      sizes_differ(path, size->width, size->height, paths.front(), first->width, first->height);
  }
}

void ImageListSource::start_at(const PieceStart& start) {
  if (start.frame >= static_cast<int64_t>(paths_.size()))
    throw Error(name_ + ": has " + std::to_string(paths_.size()) + " pictures; there is no frame " +
                std::to_string(start.frame));
  next_ = static_cast<size_t>(start.frame);
}

io::SourceStreams ImageListSource::streams() const {
  if (paths_.empty()) throw Error(name_ + ": no pictures");
  const io::Image image = io::read_image(paths_.front(), decode_.max_pixels);
  io::SourceStreams streams;
  io::VideoInfo& info = streams.picture;
  info.width = image.width;
  info.height = image.height;
  info.bit_depth = image.bit_depth > 8 ? 10 : 8;
  info.pixel_format = image.bit_depth > 8 ? "yuv420p10le" : "yuv420p";
  info.frame_rate = rate_;
  info.time_base = {rate_.den, rate_.num};
  info.color_primaries = info.color_trc = info.colorspace = 1;  // BT.709
  info.color_range = 1;                                         // limited, what players assume
  return streams;
}

std::unique_ptr<FrameSource> open_source(const JobInput& input, const io::DecodeOptions& decode) {
  std::unique_ptr<FrameSource> source;
  if (input.pictures.empty())
    source = std::make_unique<VideoFileSource>(input.video, decode);
  else
    source = std::make_unique<ImageListSource>(input.pictures, input.name, decode, input.picture_rate);
  return source;
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
