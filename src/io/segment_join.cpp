/// Joining --range pieces by packet copy (libavformat), merged with the source's audio
/// and subtitles by timestamp.
#include "interp/io/segment_join.h"

#include "ffmpeg_util.h"
#include "interp/io/output_file.h"
#include "stream_copy.h"

#include <algorithm>
#include <filesystem>
#include <optional>

namespace interp::io {
namespace {

/// A piece: its video stream and, when interp made it, which input frames it holds.
struct Piece {
  std::string path;
  av::InputContext format;
  int video = -1;
  bool tagged = false;
  int64_t first = 0;
  std::optional<int64_t> end;  ///< none: to the end of the video
  std::string source;

  const AVCodecParameters& params() const { return *format->streams[video]->codecpar; }
  std::string range() const { return std::to_string(first) + ":" + (end ? std::to_string(*end) : ""); }
};

int64_t parse_index(const std::string& text, const std::string& what) {
  size_t used = 0;
  int64_t value = -1;
  try {
    value = std::stoll(text, &used);
  } catch (const std::exception&) {
  }
  if (text.empty() || used != text.size() || value < 0) throw Error(what);
  return value;
}

Piece open_piece(const std::string& path) {
  Piece p;
  p.path = path;
  p.format = av::open_input(path);
  p.video = av::keep_only_video(p.format.get(), path);
  if (const AVDictionaryEntry* e = av_dict_get(p.format->metadata, kRangeTag, nullptr, 0)) {
    const std::string text = e->value;
    const std::string bad = path + ": unreadable " + kRangeTag + " tag '" + text + "'";
    const auto colon = text.find(':');
    if (colon == std::string::npos) throw Error(bad);
    p.tagged = true;
    p.first = parse_index(text.substr(0, colon), bad);
    if (colon + 1 < text.size()) p.end = parse_index(text.substr(colon + 1), bad);
    if (p.end && *p.end <= p.first) throw Error(bad);
  }
  if (const AVDictionaryEntry* e = av_dict_get(p.format->metadata, kSourceTag, nullptr, 0)) p.source = e->value;
  return p;
}

std::string describe(const Piece& p) {
  const auto& c = p.params();
  return std::string(avcodec_get_name(c.codec_id)) + " " + std::to_string(c.width) + "x" + std::to_string(c.height) +
         " " + (av_get_pix_fmt_name(static_cast<AVPixelFormat>(c.format)) ?: "?");
}

/// Tagged pieces in frame order, covering 0.. with no gap or overlap; all of one kind.
void check_pieces(std::vector<Piece>& pieces) {
  const auto tagged = std::count_if(pieces.begin(), pieces.end(), [](const Piece& p) { return p.tagged; });
  if (tagged > 0 && tagged < static_cast<long>(pieces.size())) {
    const auto untagged = std::find_if(pieces.begin(), pieces.end(), [](const Piece& p) { return !p.tagged; });
    throw Error(untagged->path + ": not a piece made with a frame range (no " + kRangeTag + " tag), unlike the others");
  }
  if (tagged > 0) {
    std::stable_sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) { return a.first < b.first; });
    if (pieces.front().first != 0)
      throw Error("frames 0:" + std::to_string(pieces.front().first) + " are in no piece (the first, " +
                  pieces.front().path + ", starts at frame " + std::to_string(pieces.front().first) + ")");
    for (size_t k = 1; k < pieces.size(); ++k) {
      const Piece& a = pieces[k - 1];
      const Piece& b = pieces[k];
      if (!a.end || *a.end > b.first)
        throw Error(a.path + " (frames " + a.range() + ") and " + b.path + " (frames " + b.range() + ") overlap");
      if (*a.end < b.first)
        throw Error("frames " + std::to_string(*a.end) + ":" + std::to_string(b.first) + " are in no piece (between " +
                    a.path + " and " + b.path + ")");
    }
  }
  for (const Piece& p : pieces) {
    const auto& a = pieces.front().params();
    const auto& b = p.params();
    if (a.codec_id != b.codec_id || a.width != b.width || a.height != b.height || a.format != b.format)
      throw Error(p.path + ": " + describe(p) + " does not match " + pieces.front().path + " (" +
                  describe(pieces.front()) + ")");
    if (p.source != pieces.front().source)
      throw Error(p.path + " was made from " + (p.source.empty() ? "an unnamed video" : p.source) + ", " +
                  pieces.front().path + " from " + (pieces.front().source.empty() ? "an unnamed video" : pieces.front().source));
  }
}

int64_t decode_time(const AVPacket* p) { return p->dts != AV_NOPTS_VALUE ? p->dts : p->pts; }

}  // namespace

JoinResult join_segments(const std::vector<std::string>& paths, const std::string& output, const JoinOptions& options) {
  if (paths.empty()) throw Error("no pieces to join");
  std::vector<Piece> pieces;
  for (const auto& path : paths) pieces.push_back(open_piece(path));
  check_pieces(pieces);

  JoinResult result;
  result.pieces = static_cast<int>(pieces.size());
  if (!options.video_only) result.source = options.source.empty() ? pieces.front().source : options.source;
  if (!result.source.empty() && !std::filesystem::exists(result.source))
    throw Error("the pieces were made from " + result.source + ", which is not there to take audio/subtitles from");
  std::vector<std::string> inputs = paths;
  if (!result.source.empty()) inputs.push_back(result.source);
  PendingOutput pending(output, PendingOutput::Kind::File, options.overwrite, inputs);
  const std::string& name = pending.target();

  AVFormatContext* raw = nullptr;
  int ret = avformat_alloc_output_context2(&raw, nullptr, options.container.empty() ? nullptr : options.container.c_str(),
                                           name.c_str());
  if (ret < 0 || !raw) throw Error(name + ": unknown output container (use .mkv, .mp4, .mov or .webm)");
  av::OutputContext out(raw);
  const AVStream* in_video = pieces.front().format->streams[pieces.front().video];
  if (avformat_query_codec(out->oformat, in_video->codecpar->codec_id, FF_COMPLIANCE_NORMAL) != 1)
    throw Error(name + ": " + out->oformat->name + " cannot hold " + avcodec_get_name(in_video->codecpar->codec_id) +
                " video; join into the pieces' container");
  AVStream* video = avformat_new_stream(out.get(), nullptr);
  if (!video) throw Error("out of memory (stream)");
  av::check(avcodec_parameters_copy(video->codecpar, in_video->codecpar), name + ": stream copy");
  video->codecpar->codec_tag = 0;
  video->time_base = in_video->time_base;
  video->avg_frame_rate = in_video->avg_frame_rate;
  video->r_frame_rate = in_video->r_frame_rate;
  video->sample_aspect_ratio = in_video->sample_aspect_ratio;
  video->disposition = in_video->disposition;
  copy_display_matrix(in_video, video);

  av::InputContext source;
  int source_video = -1;
  StreamCopier streams;
  if (!result.source.empty()) {
    source = av::open_input(result.source);
    source_video = av_find_best_stream(source.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    std::vector<AVStream*> others;
    for (unsigned i = 0; i < source->nb_streams; ++i) {
      AVStream* s = source->streams[i];
      const auto type = s->codecpar->codec_type;
      if (type == AVMEDIA_TYPE_AUDIO || type == AVMEDIA_TYPE_SUBTITLE) others.push_back(s);
      else if (static_cast<int>(i) != source_video) s->discard = AVDISCARD_ALL;
    }
    streams.add(others, out.get(), name);
  }

  if (!(out->oformat->flags & AVFMT_NOFILE)) {
    ret = avio_open(&out->pb, pending.temp_path().c_str(), AVIO_FLAG_WRITE);
    if (ret < 0) throw Error(name + ": cannot create output (" + av::error_string(ret) + ")");
  }
  av::check(avformat_write_header(out.get(), nullptr), name + ": cannot write header");

  // Two ordered streams of packets, the pieces' video and the source's others, merged by
  // decode time so the muxer's interleaving never has to hold much.
  av::Packet piece_packet = av::make_packet(), source_packet = av::make_packet();
  size_t k = 0;
  AVRational piece_time_base{1, 1};
  const auto next_piece_packet = [&] {
    while (k < pieces.size()) {
      Piece& p = pieces[k];
      const int r = av_read_frame(p.format.get(), piece_packet.get());
      if (r == AVERROR_EOF) {
        ++k;
        continue;
      }
      if (r < 0) throw Error(p.path + ": read error (" + av::error_string(r) + ")");
      if (piece_packet->stream_index == p.video) {
        piece_time_base = p.format->streams[p.video]->time_base;
        return true;
      }
      av_packet_unref(piece_packet.get());
    }
    return false;
  };
  int64_t source_frames = 0;
  const auto next_source_packet = [&] {
    while (source) {
      const int r = av_read_frame(source.get(), source_packet.get());
      if (r == AVERROR_EOF) return false;
      if (r < 0) throw Error(result.source + ": read error (" + av::error_string(r) + ")");
      if (source_packet->stream_index != source_video) return true;
      source_frames += !(source_packet->flags & AV_PKT_FLAG_DISCARD);  // counted, to check the pieces cover all
      av_packet_unref(source_packet.get());
    }
    return false;
  };
  bool have_piece = next_piece_packet(), have_source = next_source_packet();
  int64_t last_dts = AV_NOPTS_VALUE;  // of the video written, in its output time base
  while (have_piece || have_source) {
    if (options.cancel && options.cancel->load()) throw Error("interrupted");
    const AVRational source_time_base =
        have_source ? source->streams[source_packet->stream_index]->time_base : AVRational{1, 1};
    if (have_piece && (!have_source || av_compare_ts(decode_time(piece_packet.get()), piece_time_base,
                                                     decode_time(source_packet.get()), source_time_base) <= 0)) {
      av_packet_rescale_ts(piece_packet.get(), piece_time_base, video->time_base);
      // Matroska stores no decode times: its demuxer leaves them unset for the first
      // packets of each piece, and the muxer would guess them from the start of the
      // file. Just after the previous piece's last one keeps them in order, and at or
      // before the packet's presentation (the next piece starts later than any before).
      if (piece_packet->dts == AV_NOPTS_VALUE && last_dts != AV_NOPTS_VALUE && piece_packet->pts != AV_NOPTS_VALUE)
        piece_packet->dts = std::min(last_dts + 1, piece_packet->pts);
      if (piece_packet->dts != AV_NOPTS_VALUE) last_dts = piece_packet->dts;
      piece_packet->stream_index = video->index;
      piece_packet->pos = -1;
      av::check(av_interleaved_write_frame(out.get(), piece_packet.get()),
                name + ": write failed (" + pieces[k].path + ")");
      ++result.frames;
      have_piece = next_piece_packet();
    } else {
      streams.write(source_packet.get(), out.get(), name);
      av_packet_unref(source_packet.get());
      have_source = next_source_packet();
    }
  }
  const Piece& last = pieces.back();
  if (source && last.tagged && last.end && *last.end < source_frames)
    throw Error("the pieces end at frame " + std::to_string(*last.end) + "; " + result.source + " has " +
                std::to_string(source_frames) + " frames");
  av::check(av_write_trailer(out.get()), name + ": cannot finish the file");
  if (out->pb) av::check(avio_closep(&out->pb), name + ": cannot close the file");
  pending.commit();
  result.notes = streams.notes();
  return result;
}

}  // namespace interp::io
