/// Video-file and image-folder sinks over io's safe outputs.
#include "interp/pipeline/frame_sink.h"

#include "interp/io/image_file.h"
#include "interp/io/image_sequence.h"

#include <filesystem>

namespace interp::pipeline {

VideoFileSink::VideoFileSink(const std::string& path, bool overwrite, const std::vector<std::string>& inputs,
                             const io::EncoderOptions& encoder, const io::VideoInfo& picture, io::VideoReader* source,
                             io::Rational frame_rate) {
  if (path != "-") pending_.emplace(path, io::PendingOutput::Kind::File, overwrite, inputs);
  writer_ = std::make_unique<io::VideoWriter>(pending_ ? pending_->temp_path() : "-",
                                              pending_ ? pending_->target() : "stdout", encoder, picture, frame_rate,
                                              source);
}

void VideoFileSink::finish() {
  writer_->finish();
  if (pending_) pending_->commit();
}

ImageFolderSink::ImageFolderSink(const std::string& path, bool overwrite, const std::vector<std::string>& inputs,
                                 int64_t expected, const std::string& pattern)
    : pending_(path, io::PendingOutput::Kind::Folder, overwrite, inputs, pattern),
      pattern_(pattern),
      first_number_(pattern.empty() ? 0 : 1) {
  if (pattern_.empty()) {
    const int digits = std::max<int>(4, static_cast<int>(std::to_string(std::max<int64_t>(expected - 1, 0)).size()));
    pattern_ = "%0" + std::to_string(digits) + "d.png";
  }
}

void ImageFolderSink::write(const io::Image& frame, int64_t index) {
  const std::string name = io::sequence_name(pattern_, first_number_ + index);
  io::write_png((std::filesystem::path(pending_.temp_path()) / name).string(), frame);
}

void write_png_file(const std::string& path, const io::Image& image, bool overwrite,
                    const std::vector<std::string>& inputs) {
  io::PendingOutput pending(path, io::PendingOutput::Kind::File, overwrite, inputs);
  io::write_png(pending.temp_path(), image);
  pending.commit();
}

}  // namespace interp::pipeline
