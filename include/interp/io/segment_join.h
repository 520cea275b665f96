#pragma once
/// Pieces of one video made apart (interp --range on several machines) joined into
/// one file without re-encoding, with the source's audio and subtitles put back.
/// Pieces keep the timestamps of a run over the whole video, so joining is copying
/// packets in order: nothing is shifted, so nothing drifts out of sync.
#include "interp/io/video_writer.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace interp::io {

/// The tags a --range piece carries in its container (io::EncoderOptions::tags).
inline constexpr const char* kRangeTag = "interp_range";    ///< "A:B" input frames; "A:" to the end
inline constexpr const char* kSourceTag = "interp_source";  ///< the input's absolute path

struct JoinOptions {
  std::string source;       ///< the video whose audio/subtitles to add; empty: the pieces' tag
  bool video_only = false;  ///< add no audio or subtitles
  bool overwrite = false;   ///< see io::PendingOutput
  std::string container;    ///< muxer name; empty: from the output's extension
  const std::atomic<bool>* cancel = nullptr;  ///< set (e.g. by SIGINT): stop, leaving nothing
};

struct JoinResult {
  int pieces = 0;
  int64_t frames = 0;       ///< video packets written
  std::string source;       ///< where the audio/subtitles came from ("": none)
  std::vector<StreamNote> notes;
};

/// Joins `pieces` into `output` (written atomically). Pieces tagged by interp --range
/// are put in frame order and must cover the video from frame 0 with no gap or
/// overlap, the last reaching its end (checked against the source's frame count);
/// untagged pieces are joined in the order given. Throws interp::Error naming the
/// piece at fault: a gap, an overlap, another codec/size, another source.
JoinResult join_segments(const std::vector<std::string>& pieces, const std::string& output, const JoinOptions& options);

}  // namespace interp::io
