#pragma once
/// Text subtitles into a container that cannot hold their codec: SubRip or ASS have no
/// place in MP4/MOV, which take mov_text (and WebM takes WebVTT). Stream copy would drop
/// them; this decodes each packet and encodes it again as ffmpeg's CLI does for
/// `-c:s mov_text`. Bitmap subtitles (PGS, DVD) cannot be converted to text: the writer
/// drops those and says so.
#include "ffmpeg_util.h"

#include <memory>
#include <vector>

namespace interp::io {

class SubtitleConverter {
 public:
  /// A converter from a stream of `in`'s text codec (packets in `time_base`) to the first
  /// text codec `format` can store; null when `in` is not a text subtitle or no such
  /// codec exists.
  static std::unique_ptr<SubtitleConverter> make(const AVCodecParameters* in, AVRational time_base,
                                                 const AVOutputFormat* format);

  /// Fills the new output stream's parameters; convert() writes for it.
  void attach(AVStream* out);

  /// The codec the subtitles are converted to.
  const char* codec_name() const;

  /// Decodes `in` (in the source stream's time base) and encodes the subtitle again into
  /// `out` (in the output stream's time base); false when the packet held no subtitle.
  bool convert(const AVPacket* in, AVPacket* out);

 private:
  SubtitleConverter() = default;
  av::CodecContext decoder_, encoder_;
  const AVStream* out_ = nullptr;
  std::vector<uint8_t> buffer_;
};

}  // namespace interp::io
