#pragma once
/// Pieces of one video made apart (interp --range on several machines) joined into
/// one file without re-encoding, with the source's audio and subtitles put back.
/// Pieces keep the timestamps of a run over the whole video, so joining is copying
/// packets in order: nothing is shifted, so nothing drifts out of sync.
#include "interp/io/piece_record.h"
#include "interp/io/video_writer.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace interp::io {

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
  std::vector<std::string> unchecked;  ///< what could not be checked or put back, and why
};

/// Joins `pieces` (made by interp --range; each carries an io::PieceRecord) into
/// `output` (written atomically; "-": standard output, with options.container). Before
/// writing anything it checks what piece_check.h lists: one source (by content), one
/// set of settings and codec, input frames 0.. covered with no gap or overlap to the
/// source's end, and every piece whole (its packets are the output frames it records).
/// Throws interp::Error naming the piece at fault.
JoinResult join_segments(const std::vector<std::string>& pieces, const std::string& output, const JoinOptions& options);

}  // namespace interp::io
