/// The checks of piece_check.h.
#include "piece_check.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace interp::io {
namespace {

std::map<std::string, std::string> tags_of(const AVFormatContext* format) {
  std::map<std::string, std::string> tags;
  const AVDictionaryEntry* e = nullptr;
  while ((e = av_dict_get(format->metadata, "", e, AV_DICT_IGNORE_SUFFIX))) {
    std::string key = e->key;  // Matroska stores tag names in capitals
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::tolower(c); });
    tags[key] = e->value;
  }
  return tags;
}

std::string describe(const AVCodecParameters& c) {
  const char* format = av_get_pix_fmt_name(static_cast<AVPixelFormat>(c.format));
  return std::string(avcodec_get_name(c.codec_id)) + " " + std::to_string(c.width) + "x" + std::to_string(c.height) +
         " " + (format ? format : "?");
}

/// "a=1; b=2" -> what differs between two such lists, as "b=3 (there: b=2)".
std::string settings_difference(const std::string& mine, const std::string& theirs) {
  const auto split = [](const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    for (std::string item; std::getline(in, item, ';');) {
      item.erase(0, item.find_first_not_of(' '));
      const auto eq = item.find('=');
      out[item.substr(0, eq)] = eq == std::string::npos ? "" : item.substr(eq + 1);
    }
    return out;
  };
  const auto a = split(mine), b = split(theirs);
  std::string diff;
  for (const auto& [key, value] : a) {
    const auto it = b.find(key);
    const std::string other = it == b.end() ? "(none)" : it->second;
    if (other != value) diff += (diff.empty() ? "" : ", ") + key + "=" + value + " vs " + other;
  }
  for (const auto& [key, value] : b)
    if (!a.count(key)) diff += (diff.empty() ? "" : ", ") + key + "=(none) vs " + value;
  return diff;
}

/// The same origin as the first piece: source (by path and content), settings, codec.
void check_alike(const Piece& first, const Piece& p) {
  const PieceRecord &a = first.record, &b = p.record;
  // By content: one share mounted at two paths is one source; one path may hold two.
  const bool a_pipe = a.identity.text.empty(), b_pipe = b.identity.text.empty();
  if (a_pipe != b_pipe || (a_pipe && b.source != a.source))
    throw Error(p.path + " was made from " + b.source + ", " + first.path + " from " + a.source);
  if (b.identity.text != a.identity.text)
    throw Error(p.path + " and " + first.path + " were made from different " +
                (b.source == a.source ? "videos at " + a.source + " (it changed between the runs: "
                                      : "sources (" + b.source + " and " + a.source + ": ") +
                b.identity.text + " vs " + a.identity.text + ")");
  if (b.settings != a.settings)
    throw Error(p.path + " was made with other settings than " + first.path + ": " +
                settings_difference(b.settings, a.settings));
  if (av_cmp_q(AVRational{b.output_rate.num, b.output_rate.den}, AVRational{a.output_rate.num, a.output_rate.den}))
    throw Error(p.path + " has another frame rate than " + first.path);
  const auto &x = *first.stream()->codecpar, &y = *p.stream()->codecpar;
  if (x.codec_id != y.codec_id || x.width != y.width || x.height != y.height || x.format != y.format)
    throw Error(p.path + ": " + describe(y) + " does not match " + first.path + " (" + describe(x) + ")");
}

/// Input frames 0.. covered once each, to the source's end when that is known.
void check_coverage(const std::vector<Piece>& pieces) {
  const Piece& front = pieces.front();
  if (front.record.first != 0)
    throw Error("frames 0:" + std::to_string(front.record.first) + " are in no piece (the first, " + front.path +
                ", starts at frame " + std::to_string(front.record.first) + ")");
  for (size_t k = 1; k < pieces.size(); ++k) {
    const Piece &a = pieces[k - 1], &b = pieces[k];
    if (!a.record.end || *a.record.end > b.record.first)
      throw Error(a.path + " (frames " + a.record.range() + ") and " + b.path + " (frames " + b.record.range() +
                  ") overlap");
    if (*a.record.end < b.record.first)
      throw Error("frames " + std::to_string(*a.record.end) + ":" + std::to_string(b.record.first) +
                  " are in no piece (between " + a.path + " and " + b.path + ")");
  }
  const PieceRecord& last = pieces.back().record;
  if (last.end && last.identity.frames && *last.end < *last.identity.frames)
    throw Error("the pieces end at frame " + std::to_string(*last.end) + "; " + last.source + " has " +
                std::to_string(*last.identity.frames) + " frames");
}

/// Output frame numbers of a piece's packets, from their presentation times.
std::vector<int64_t> frame_numbers(Piece& p) {
  const AVRational tb = p.stream()->time_base;
  const AVRational frame{p.record.output_rate.den, p.record.output_rate.num};
  av::Packet packet = av::make_packet();
  std::vector<int64_t> numbers;
  int ret = 0;
  while ((ret = av_read_frame(p.format.get(), packet.get())) >= 0) {
    if (packet->stream_index == p.video) {
      if (packet->pts == AV_NOPTS_VALUE) throw Error(p.path + ": a video packet without a timestamp");
      numbers.push_back(av_rescale_q_rnd(packet->pts, tb, frame,
                                         static_cast<AVRounding>(AV_ROUND_NEAR_INF | AV_ROUND_PASS_MINMAX)));
    }
    av_packet_unref(packet.get());
  }
  if (ret != AVERROR_EOF)
    throw Error(p.path + ": read error after " + std::to_string(numbers.size()) + " frames (" +
                av::error_string(ret) + "); truncated or damaged?");
  std::sort(numbers.begin(), numbers.end());
  return numbers;
}

}  // namespace

Piece open_piece(const std::string& path) {
  Piece p;
  p.path = path;
  p.format = av::open_input(path);
  p.video = av::keep_only_video(p.format.get(), path);
  auto record = PieceRecord::from_tags(tags_of(p.format.get()), path);
  if (!record) throw Error(path + ": not a piece made by interp --range (no interp_range tag)");
  p.record = std::move(*record);
  return p;
}

void check_pieces(std::vector<Piece>& pieces, std::vector<std::string>& notes) {
  if (pieces.empty()) throw Error("no pieces to join");
  std::stable_sort(pieces.begin(), pieces.end(),
                   [](const Piece& a, const Piece& b) { return a.record.first < b.record.first; });
  for (const Piece& p : pieces) check_alike(pieces.front(), p);
  check_coverage(pieces);
  if (pieces.front().record.source == "-")
    notes.push_back("the pieces were made from standard input: their source cannot be checked by content");
  // Each piece's packets are the output frames its record names: all there, each once,
  // and numbered on from the piece before.
  int64_t base = 0, next_first = 0;
  for (size_t k = 0; k < pieces.size(); ++k) {
    Piece& p = pieces[k];
    const PieceRecord& r = p.record;
    const auto numbers = frame_numbers(p);
    const auto held = static_cast<int64_t>(numbers.size());
    if (held == 0) throw Error(p.path + ": holds no video frames");
    if (r.output_frames && held != *r.output_frames)
      throw Error(p.path + ": holds " + std::to_string(held) + " of the " + std::to_string(*r.output_frames) +
                  " frames it was made with (truncated or damaged?)");
    if (!r.output_frames) {
      const int64_t declared = p.stream()->nb_frames;
      if (declared > 0 && declared != held)
        throw Error(p.path + ": holds " + std::to_string(held) + " of the " + std::to_string(declared) +
                    " frames its index lists (truncated or damaged?)");
      if (declared <= 0) notes.push_back(p.path + ": its length was unknown when it was made; cannot tell it is whole");
    }
    if (std::adjacent_find(numbers.begin(), numbers.end()) != numbers.end() || numbers.back() - numbers.front() + 1 != held)
      throw Error(p.path + ": its frames are not evenly timed at the recorded rate (a frame missing or repeated)");
    if (k == 0) base = numbers.front() - r.first_output;
    if (numbers.front() - base != r.first_output || (k > 0 && r.first_output != next_first))
      throw Error(p.path + ": holds output frames from " + std::to_string(numbers.front() - base) + ", the pieces " +
                  "before end at " + std::to_string(next_first) + " (made for another run?)");
    next_first = r.first_output + held;
  }
}

void check_source(const std::vector<Piece>& pieces, const std::string& video) {
  const PieceRecord& r = pieces.front().record;
  if (r.identity.text.empty()) return;  // made from a pipe: nothing recorded to compare (join says so)
  const SourceIdentity now = video_identity(video);
  if (now.text != r.identity.text)
    throw Error(video + " is not the video the pieces were made from (it is " + now.text + "; they record " +
                r.identity.text + ")");
}

}  // namespace interp::io
