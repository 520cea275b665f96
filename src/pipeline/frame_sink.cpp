/// Video-file and image-folder sinks over io's safe outputs.
#include "interp/pipeline/frame_sink.h"

#include "interp/base/error.h"
#include "interp/io/image_file.h"
#include "interp/io/image_sequence.h"

#include <algorithm>
#include <filesystem>

namespace interp::pipeline {

VideoFileSink::VideoFileSink(const std::string& path, bool overwrite, const std::vector<std::string>& inputs,
                             const io::EncoderOptions& encoder, const io::SourceStreams& source,
                             io::Rational frame_rate) {
  if (path != "-") pending_.emplace(path, io::PendingOutput::Kind::File, overwrite, inputs);
  writer_ = std::make_unique<io::VideoWriter>(pending_ ? pending_->temp_path() : "-",
                                              pending_ ? pending_->target() : "stdout", encoder, source, frame_rate);
}

void VideoFileSink::write(const io::Image& frame, int64_t index) { writer_->write_frame(frame, index); }
void VideoFileSink::write_packet(io::Packet packet) { writer_->write_copied(std::move(packet)); }
std::string VideoFileSink::format() const { return writer_->pixel_format(); }
std::vector<io::StreamNote> VideoFileSink::stream_notes() const { return writer_->notes(); }
std::optional<io::FullSwing> VideoFileSink::full_swing() const { return writer_->full_swing(); }

void VideoFileSink::finish() {
  writer_->finish();
  if (pending_) pending_->commit();
}

namespace {

/// Digits of the default picture names for frame numbers up to `last`: at least 4.
int digits_for(int64_t last) {
  return std::max<int>(4, static_cast<int>(std::to_string(std::max<int64_t>(last, 0)).size()));
}

}  // namespace

ImageFolderSink::ImageFolderSink(const std::string& path, bool overwrite, const std::vector<std::string>& inputs,
                                 int64_t expected, const std::string& pattern)
    : pending_(path, io::PendingOutput::Kind::Folder, overwrite, inputs, pattern),
      pattern_(pattern),
      first_number_(pattern.empty() ? 0 : 1) {
  if (pattern_.empty()) {
    digits_ = digits_for(expected - 1);
    pattern_ = "%0" + std::to_string(digits_) + "d.png";
  }
}

void ImageFolderSink::write(const io::Image& frame, int64_t index) {
  const std::string name = io::sequence_name(pattern_, first_number_ + index);
  io::write_png((std::filesystem::path(pending_.temp_path()) / name).string(), frame);
  if (digits_ > 0) written_.push_back(first_number_ + index);
}

void ImageFolderSink::finish() {
  // More frames than expected (a pipe's length is unknown): every name as wide as the last.
  const int64_t last = written_.empty() ? 0 : *std::max_element(written_.begin(), written_.end());
  if (digits_ > 0 && digits_for(last) > digits_) {
    const std::string wider = "%0" + std::to_string(digits_for(last)) + "d.png";
    const std::filesystem::path folder = pending_.temp_path();
    for (const int64_t number : written_) {
      const std::string from = io::sequence_name(pattern_, number), to = io::sequence_name(wider, number);
      std::error_code error;
      if (from != to) std::filesystem::rename(folder / from, folder / to, error);
      if (error) throw Error(pending_.target() + ": cannot rename " + from + " to " + to + ": " + error.message());
    }
    pattern_ = wider;
  }
  pending_.commit();
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
