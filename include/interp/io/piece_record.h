#pragma once
/// What a `--range` piece records in its container's metadata, so that `interp join` can
/// prove a join exact instead of trusting a path: which input frames the piece holds and
/// which output frames those are, what it was made from (identified by content: a video
/// at the same path may be another video), and the settings that shape its frames.
/// Every piece records all of it, whatever its input (a video, pictures, a pipe); what
/// cannot be known (a pipe's identity and length) is recorded as unknown, and join says
/// so instead of guessing.
#include "interp/io/video_reader.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace interp::io {

/// What a source is, by content. `text` is empty for standard input (unknowable).
struct SourceIdentity {
  std::string text;             ///< "video bytes=... head=..." or "pictures ..."; equal iff the same input
  std::optional<int64_t> frames;  ///< input frames in all (none: unknown)
};

/// A video file: its size, its frame count (from the packets: the whole file is read,
/// not decoded) and a hash of its first packets' timestamps and bytes.
SourceIdentity video_identity(const std::string& path);

/// Pictures in order: their count and a hash of their names, sizes and bytes.
SourceIdentity pictures_identity(const std::vector<std::string>& paths);

struct PieceRecord {
  int64_t first = 0;                     ///< input frames first .. end-1
  std::optional<int64_t> end;            ///< none: to the end of the input
  std::string source;                    ///< the input's absolute path or pattern; "-": standard input
  SourceIdentity identity;               ///< of `source`
  std::string settings;                  ///< what shapes the output frames ("key=value; ...")
  int64_t first_output = 0;              ///< output index of the piece's first frame
  std::optional<int64_t> output_frames;  ///< frames it holds (none: unknown when it was made)
  Rational output_rate{0, 1};            ///< output frames per second

  std::string range() const;  ///< "A:B" / "A:"
  /// As container metadata (EncoderOptions::tags).
  std::vector<std::pair<std::string, std::string>> tags() const;
  /// From a container's metadata; none when it carries no piece record. Throws
  /// interp::Error naming `file` for a record that cannot be read.
  static std::optional<PieceRecord> from_tags(const std::map<std::string, std::string>& tags, const std::string& file);
};

}  // namespace interp::io
