#pragma once
/// Encodes RGB frames (libswscale to the encoder's pixel format, libavcodec) and muxes
/// them with stream-copied packets from the input (libavformat). Colour properties,
/// sample aspect ratio and rotation are carried over from the source.
#include "interp/io/image.h"
#include "interp/io/source_streams.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace interp::io {

struct EncoderOptions {
  std::string codec;         ///< empty: per container (libvpx-vp9 for WebM, libx264 otherwise)
  int crf = 18;              ///< quality for x264/x265/vpx/aom (-1: encoder default)
  std::string preset;        ///< empty: veryfast for x264/x265 (why: video_writer.cpp), else the encoder's
  std::string pixel_format;    ///< empty: follow the source (10-bit stays 10-bit)
  std::string container;       ///< muxer name (nut, matroska, ...); empty: from the output's extension
  /// Container metadata (key, value), e.g. what a --range piece is; MP4/MOV store any key.
  std::vector<std::pair<std::string, std::string>> tags;
};

/// FFmpeg's name for the muxer `name` (an alias like "mkv" works too). Throws
/// interp::Error for a name FFmpeg cannot write video in, one that writes files of its
/// own, and, for a pipe, a muxer that must seek back (MP4/MOV).
std::string check_video_container(const std::string& name, bool to_pipe);

/// The container FFmpeg writes for `file_name`'s extension ("" when it knows none).
/// Throws interp::Error for one interp refuses (see check_video_container).
std::string video_container_for(const std::string& file_name);

struct StreamNote {
  std::string text;
  bool dropped = false;  ///< the stream is not in the output
};

class VideoWriter {
 public:
  /// Writes to `path` ("-": standard output); the container is options.container,
  /// else `format_hint`'s extension (the final name when `path` is a temporary one).
  /// `source` gives the frames' size, colour properties and pixel format and, from a
  /// video, the streams to copy and the display transform. Frames are `frame_rate` per
  /// second.
  VideoWriter(const std::string& path, const std::string& format_hint, const EncoderOptions& options,
              const SourceStreams& source, Rational frame_rate);
  ~VideoWriter();
  VideoWriter(const VideoWriter&) = delete;
  VideoWriter& operator=(const VideoWriter&) = delete;

  /// Encodes one RGB frame shown at `index` / frame_rate seconds (after the source start).
  /// A frame read with full swing must carry this writer's full_swing().
  void write_frame(const Image& rgb, int64_t index);

  /// The full swing (full_swing.h) this output writes back: its encoder's limited-range
  /// Y'CbCr; none for RGB or full-range outputs.
  std::optional<FullSwing> full_swing() const;

  /// Muxes a packet the source reader returned (dropped when its stream is not copied).
  void write_copied(Packet packet);

  /// Flushes the encoder and writes the trailer. Must be called for a valid file.
  void finish();

  /// What happened to the source's other streams that a user should hear about: text
  /// subtitles converted for the container, streams it cannot hold (dropped).
  const std::vector<StreamNote>& notes() const;

  std::string pixel_format() const;
  std::string codec_name() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace interp::io
