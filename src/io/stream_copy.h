#pragma once
/// io-private: a source's audio and subtitle streams carried into an output, shared by
/// VideoWriter (alongside the frames it encodes) and join_segments (alongside copied
/// video). One place decides copy, convert or drop, so both outputs agree.
#include "ffmpeg_util.h"
#include "interp/io/source_streams.h"
#include "interp/io/video_writer.h"
#include "subtitle_converter.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace interp::io {

/// One source stream as an output copies it: what the source's AVStream said when the
/// source handed it over, owned, so the source may go on (or away) independently.
struct CopiedStream {
  struct ParametersDeleter {
    void operator()(AVCodecParameters* p) const { avcodec_parameters_free(&p); }
  };
  struct DictionaryDeleter {
    void operator()(AVDictionary* d) const { av_dict_free(&d); }
  };
  int index = 0;  ///< the source's stream index, as its packets carry it
  std::unique_ptr<AVCodecParameters, ParametersDeleter> parameters;
  AVRational time_base{1, 1};
  int disposition = 0;
  std::unique_ptr<AVDictionary, DictionaryDeleter> metadata;
};

struct SourceStreams::Copies {
  std::vector<CopiedStream> streams;
  std::vector<uint8_t> display_matrix;  ///< the video's rotation and flips; empty: none
};

/// A snapshot of `others` (to copy) and of `video`'s display transform.
std::shared_ptr<const SourceStreams::Copies> snapshot_streams(const AVStream* video,
                                                             const std::vector<const AVStream*>& others);

/// Rotation and other display transforms travel as the stream's display matrix.
std::vector<uint8_t> display_matrix_of(const AVStream* stream);
void set_display_matrix(AVStream* out, const std::vector<uint8_t>& matrix);

class StreamCopier {
 public:
  /// Adds an output stream to `out` (before its header) for each of `streams`:
  /// stream-copied when the container holds the codec, text subtitles converted when it
  /// does not, anything else dropped and noted. `name` is the output's, for messages.
  void add(const std::vector<CopiedStream>& streams, AVFormatContext* out, const std::string& name);

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
