/// Piece records as container tags, and source identities by content.
#include "interp/io/piece_record.h"

#include "ffmpeg_util.h"
#include "interp/base/fingerprint.h"

#include <filesystem>
#include <fstream>

namespace interp::io {
namespace fs = std::filesystem;
namespace {

constexpr const char* kRange = "interp_range";          // "A:B" input frames; "A:" to the end
constexpr const char* kSource = "interp_source";        // absolute path or pattern; "-": standard input
constexpr const char* kIdentity = "interp_source_id";   // SourceIdentity::text ("" when unknown)
constexpr const char* kFrames = "interp_source_frames"; // input frames in all ("" when unknown)
constexpr const char* kSettings = "interp_settings";
constexpr const char* kOutput = "interp_output";        // "FIRST+COUNT@NUM/DEN" (COUNT "?" when unknown)

/// Video packets hashed, from the start: enough to tell two encodes apart.
constexpr int kHeadPackets = 256;

std::optional<int64_t> parse_count(const std::string& text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::stoll(text);
}

void add_file_head(Fingerprint& f, const std::string& path, size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string head(bytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(bytes));
  head.resize(static_cast<size_t>(in.gcount()));
  f.add(head);
}

}  // namespace

SourceIdentity video_identity(const std::string& path) {
  Fingerprint head;
  int64_t frames = 0;
  av::for_each_shown_video_packet(path, [&](const AVPacket& packet) {
    if (frames++ >= kHeadPackets) return true;
    head.add(packet.pts);
    head.add(packet.dts);
    head.add(packet.data, static_cast<size_t>(packet.size));
    return true;
  });
  std::error_code ec;
  const auto bytes = fs::file_size(path, ec);
  return {"video bytes=" + std::to_string(ec ? 0 : bytes) + " frames=" + std::to_string(frames) + " head=" + head.hex(),
          frames};
}

SourceIdentity pictures_identity(const std::vector<std::string>& paths) {
  Fingerprint f;
  std::error_code ec;
  for (const auto& path : paths) {
    f.add(fs::path(path).filename().string());
    f.add(static_cast<int64_t>(fs::file_size(path, ec)));
    add_file_head(f, path, 1 << 16);  // headers and the first rows: an edited picture differs here or in size
  }
  const auto n = static_cast<int64_t>(paths.size());
  return {"pictures count=" + std::to_string(n) + " hash=" + f.hex(), n};
}

std::string PieceRecord::range() const {
  return std::to_string(first) + ":" + (end ? std::to_string(*end) : "");
}

std::vector<std::pair<std::string, std::string>> PieceRecord::tags() const {
  const std::string count = output_frames ? std::to_string(*output_frames) : "?";
  return {{kRange, range()},
          {kSource, source},
          {kIdentity, identity.text},
          {kFrames, identity.frames ? std::to_string(*identity.frames) : ""},
          {kSettings, settings},
          {kOutput, std::to_string(first_output) + "+" + count + "@" + std::to_string(output_rate.num) + "/" +
                        std::to_string(output_rate.den)}};
}

std::optional<PieceRecord> PieceRecord::from_tags(const std::map<std::string, std::string>& tags,
                                                  const std::string& file) {
  const auto value = [&](const char* key) {
    const auto it = tags.find(key);
    return it == tags.end() ? std::string() : it->second;
  };
  const std::string range = value(kRange);
  if (range.empty()) return std::nullopt;
  const auto bad = [&](const char* key) { return Error(file + ": unreadable " + key + " tag '" + value(key) + "'"); };
  PieceRecord r;
  const auto colon = range.find(':');
  const auto first = colon == std::string::npos ? std::nullopt : parse_count(range.substr(0, colon));
  if (!first) throw bad(kRange);
  r.first = *first;
  if (colon + 1 < range.size()) {
    r.end = parse_count(range.substr(colon + 1));
    if (!r.end || *r.end <= r.first) throw bad(kRange);
  }
  r.source = value(kSource);
  r.identity.text = value(kIdentity);
  if (!value(kFrames).empty() && !(r.identity.frames = parse_count(value(kFrames)))) throw bad(kFrames);
  r.settings = value(kSettings);
  // Pieces from before these records carry a range and a source only: not enough to check.
  const std::string output = value(kOutput);
  if (r.source.empty() || output.empty())
    throw Error(file + ": made by an older interp, without what join checks; make the piece again");
  const auto plus = output.find('+'), at = output.find('@'), slash = output.find('/');
  if (plus == std::string::npos || at == std::string::npos || slash == std::string::npos || !(plus < at && at < slash))
    throw bad(kOutput);
  const auto first_output = parse_count(output.substr(0, plus));
  const std::string count = output.substr(plus + 1, at - plus - 1);
  const auto num = parse_count(output.substr(at + 1, slash - at - 1)), den = parse_count(output.substr(slash + 1));
  if (!first_output || !num || !den || *num <= 0 || *den <= 0 || *num > INT32_MAX || *den > INT32_MAX) throw bad(kOutput);
  if (count != "?" && !(r.output_frames = parse_count(count))) throw bad(kOutput);
  r.first_output = *first_output;
  r.output_rate = {static_cast<int>(*num), static_cast<int>(*den)};
  return r;
}

}  // namespace interp::io
