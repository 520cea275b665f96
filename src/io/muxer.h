#pragma once
/// io-private: the one way interp opens an output container, for encoded video
/// (VideoWriter) and for joined pieces (join_segments), after FFmpeg's remux/transcode
/// examples: alloc -> streams -> open -> header ... trailer -> close. Why one place: what
/// a muxer may do to the user's disk is decided here, once:
///  - only muxers that write one stream of bytes to the output are accepted (HLS, DASH,
///    image2, segment, tee... open files of their own: beside the output, not atomic,
///    left behind on failure);
///  - standard output takes only muxers that never seek back (not MP4/MOV);
///  - a local path is always a file (`0:2.mkv` is not a protocol);
///  - the container's clock must tell every frame apart (Matroska counts milliseconds:
///    1600 fps would give frames the same timestamp).
#include "ffmpeg_util.h"

#include <string>
#include <utility>
#include <vector>

namespace interp::io {

/// The muxer for `container` (FFmpeg's name or alias) or, when that is empty, for the
/// extension of `file_name`. Throws interp::Error, before any work, for what the rules
/// above refuse.
const AVOutputFormat* find_muxer(const std::string& container, const std::string& file_name, bool to_pipe);

/// Whether muxer `f` can hold video of `codec`: FFmpeg's own answer where it has one,
/// else from a header written to memory.
bool muxer_takes(const AVOutputFormat* f, AVCodecID codec);

class Muxer {
 public:
  /// `destination`: the path to write (a temporary name beside the output) or "-" for
  /// standard output. `name`: the output as messages call it; its extension picks the
  /// container when `container` is empty.
  Muxer(const std::string& destination, const std::string& name, const std::string& container);

  AVFormatContext* get() const { return format_.get(); }
  const AVOutputFormat* format() const { return format_->oformat; }
  const std::string& name() const { return name_; }
  bool to_pipe() const { return destination_ == "-"; }

  /// Opens the destination and writes the header with `tags` as container metadata; then
  /// refuses (interp::Error) when `video`'s time base cannot tell frames `frame_rate`
  /// apart, naming the containers that can.
  void start(const std::vector<std::pair<std::string, std::string>>& tags, const AVStream* video,
             AVRational frame_rate);
  /// Writes the trailer and closes the destination. Without it the file is incomplete.
  void finish();

 private:
  std::string destination_, name_;
  av::OutputContext format_;
};

}  // namespace interp::io
