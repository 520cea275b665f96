#pragma once
/// Where output frames go, in index order. Every sink writes under a temporary name and
/// puts its result in place only in finish(); destroyed unfinished, it leaves nothing.
#include "interp/io/output_file.h"
#include "interp/io/video_writer.h"

#include <memory>
#include <string>
#include <vector>

namespace interp::pipeline {

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  virtual void write(const io::Image& frame, int64_t index) = 0;
  /// A stream-copied packet from the source (sinks without streams drop it).
  virtual void write_packet(io::Packet) {}
  /// Completes the output and moves it into place.
  virtual void finish() = 0;
  /// A short description for the summary line ("yuv420p", "PNG").
  virtual std::string format() const = 0;
  /// What happened to the source's other streams (converted, dropped).
  virtual std::vector<io::StreamNote> stream_notes() const { return {}; }
};

/// A video file: encoded frames muxed with the source's copied streams.
class VideoFileSink : public FrameSink {
 public:
  VideoFileSink(const std::string& path, bool overwrite, const std::string& input, const io::EncoderOptions& encoder,
                io::VideoReader& source, io::Rational frame_rate);
  void write(const io::Image& frame, int64_t index) override { writer_->write_frame(frame, index); }
  void write_packet(io::Packet packet) override { writer_->write_copied(std::move(packet)); }
  void finish() override;
  std::string format() const override { return writer_->pixel_format(); }
  std::vector<io::StreamNote> stream_notes() const override { return writer_->notes(); }

 private:
  io::PendingOutput pending_;
  std::unique_ptr<io::VideoWriter> writer_;
};

/// A folder of numbered PNGs (0000.png, ...; wide enough for `expected` frames).
class ImageFolderSink : public FrameSink {
 public:
  ImageFolderSink(const std::string& path, bool overwrite, const std::vector<std::string>& inputs, int64_t expected);
  void write(const io::Image& frame, int64_t index) override;
  void finish() override { pending_.commit(); }
  std::string format() const override { return "PNG"; }

 private:
  io::PendingOutput pending_;
  int digits_;
};

/// One PNG file (a single in-between of a pair).
void write_png_file(const std::string& path, const io::Image& image, bool overwrite,
                    const std::vector<std::string>& inputs);

}  // namespace interp::pipeline
