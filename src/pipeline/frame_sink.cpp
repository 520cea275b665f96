/// Video-file and image-folder sinks over io's safe outputs.
#include "interp/pipeline/frame_sink.h"

#include "interp/base/error.h"
#include "interp/io/image_file.h"
#include "interp/io/image_sequence.h"

#include <filesystem>

namespace interp::pipeline {

VideoFileSink::VideoFileSink(const std::string& path, bool overwrite, const std::vector<std::string>& inputs,
                             const io::EncoderOptions& encoder, const io::SourceStreams& source,
                             io::Rational frame_rate) {
  if (path != "-") pending_.emplace(path, io::PendingOutput::Kind::File, overwrite, inputs);
  writer_ = std::make_unique<io::VideoWriter>(pending_ ? pending_->temp_path() : "-",
                                              pending_ ? pending_->target() : "stdout", encoder, source, frame_rate);
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

PictureFileSink::PictureFileSink(const std::string& path, bool overwrite, const std::vector<std::string>& inputs,
                                 int64_t index)
    : pending_(path, io::PendingOutput::Kind::File, overwrite, inputs), index_(index) {}

void PictureFileSink::write(const io::Image& frame, int64_t index) {
  if (index != index_) return;
  io::write_png(pending_.temp_path(), frame);
  written_ = true;
}

void PictureFileSink::finish() {
  if (!written_) throw Error(pending_.target() + ": frame " + std::to_string(index_) + " was never made");
  pending_.commit();
}

}  // namespace interp::pipeline
