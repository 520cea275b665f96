#pragma once
/// Where output frames go, in index order. Every sink writes under a temporary name and
/// puts its result in place only in finish(); destroyed unfinished, it leaves nothing.
#include "interp/io/output_file.h"
#include "interp/io/video_writer.h"

#include <memory>
#include <optional>
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
  /// The full swing (full_swing.h) the output writes back, if any: frames that carry
  /// it are written back as the codes they were read as.
  virtual std::optional<io::FullSwing> full_swing() const { return std::nullopt; }
};

/// A video file (or standard output, "-"): encoded frames muxed with the source's copied
/// streams. Standard output cannot be written atomically: it is written as frames come.
class VideoFileSink : public FrameSink {
 public:
  /// `source`: the frames' size, depth and colour, and the streams to copy.
  VideoFileSink(const std::string& path, bool overwrite, const std::vector<std::string>& inputs,
                const io::EncoderOptions& encoder, const io::SourceStreams& source, io::Rational frame_rate);
  // Out of line: the job's library (interp_job, LibTorch alone) sees this class and must
  // not find FFmpeg's writer inlined into a speculatively devirtualised call.
  void write(const io::Image& frame, int64_t index) override;
  void write_packet(io::Packet packet) override;
  void finish() override;
  std::string format() const override;
  std::vector<io::StreamNote> stream_notes() const override;
  std::optional<io::FullSwing> full_swing() const override;

 private:
  std::optional<io::PendingOutput> pending_;  // none for standard output
  std::unique_ptr<io::VideoWriter> writer_;
};

/// A folder of numbered PNGs: 0000.png, 0001.png, ... (wide enough for `expected`
/// frames, and widened before the folder is put in place where more came, so that every
/// name has as many digits and they sort in order), or, given an ffmpeg-style `pattern`
/// for the file names ("%06d.png"), numbered from 1 as ffmpeg's image2 muxer does.
class ImageFolderSink : public FrameSink {
 public:
  ImageFolderSink(const std::string& path, bool overwrite, const std::vector<std::string>& inputs, int64_t expected,
                  const std::string& pattern = "");
  void write(const io::Image& frame, int64_t index) override;
  void finish() override;
  std::string format() const override { return "PNG"; }

 private:
  io::PendingOutput pending_;
  std::string pattern_;  // a file name pattern, "%04d.png" by default
  int64_t first_number_;
  int digits_ = 0;                // of the default names; 0 with a given pattern
  std::vector<int64_t> written_;  // numbers written, to widen their names
};

/// One PNG file: output frame `index` alone (a pair's in-between at one time t).
class PictureFileSink : public FrameSink {
 public:
  PictureFileSink(const std::string& path, bool overwrite, const std::vector<std::string>& inputs, int64_t index);
  void write(const io::Image& frame, int64_t index) override;
  void finish() override;
  std::string format() const override { return "PNG"; }

 private:
  io::PendingOutput pending_;
  int64_t index_;
  bool written_ = false;
};

}  // namespace interp::pipeline
