#pragma once
/// io-private: a source's audio and subtitle streams carried into an output, shared by
/// VideoWriter (alongside the frames it encodes) and join_segments (alongside copied
/// video). One place decides copy, convert or drop, so both outputs agree.
#include "ffmpeg_util.h"
#include "interp/io/video_writer.h"
#include "subtitle_converter.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace interp::io {

/// Rotation and other display transforms travel as the stream's display matrix.
void copy_display_matrix(const AVStream* in, AVStream* out);

class StreamCopier {
 public:
  /// Adds an output stream to `out` (before its header) for each of `streams`:
  /// stream-copied when the container holds the codec, text subtitles converted when it
  /// does not, anything else dropped and noted. `name` is the output's, for messages.
  void add(const std::vector<AVStream*>& streams, AVFormatContext* out, const std::string& name);

  /// Muxes a packet of one of those source streams (in its time base, as demuxed);
  /// packets of streams not added are ignored.
  void write(AVPacket* packet, AVFormatContext* out, const std::string& name);

  const std::vector<StreamNote>& notes() const { return notes_; }

 private:
  std::map<int, AVStream*> copied_;  // source stream index -> output stream
  std::map<int, std::unique_ptr<SubtitleConverter>> converted_;
  std::map<int, AVRational> source_time_base_;
  av::Packet converted_packet_ = av::make_packet();
  std::vector<StreamNote> notes_;
};

}  // namespace interp::io
