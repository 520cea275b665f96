/// Joining --range pieces by packet copy (libavformat), merged with the source's audio
/// and subtitles by timestamp, after piece_check.h has proven the pieces whole.
#include "interp/io/segment_join.h"

#include "ffmpeg_util.h"
#include "interp/io/output_file.h"
#include "muxer.h"
#include "piece_check.h"
#include "stream_copy.h"

#include <filesystem>
#include <optional>

namespace interp::io {
namespace {

int64_t decode_time(const AVPacket* p) { return p->dts != AV_NOPTS_VALUE ? p->dts : p->pts; }

/// Where the audio and subtitles come from ("" for none), saying why there are none.
std::string audio_source(const std::vector<Piece>& pieces, const JoinOptions& options, std::vector<std::string>& notes) {
  if (options.video_only) return "";
  const PieceRecord& r = pieces.front().record;
  const bool pictures = r.identity.text.rfind("pictures", 0) == 0;
  if (!options.source.empty()) {
    if (pictures) throw Error("--source " + options.source + ": the pieces were made from pictures, not a video");
    check_source(pieces, options.source);
    if (r.source == "-") notes.push_back("--source " + options.source + ": taken on trust (the pieces were made from "
                                         "standard input, so nothing recorded can be compared with it)");
    return options.source;
  }
  if (pictures) return "";  // pictures have no audio
  if (r.source == "-") {
    notes.push_back("the pieces were made from standard input: no audio or subtitles to put back (--source FILE "
                    "takes them from the video, if you have it)");
    return "";
  }
  if (!std::filesystem::exists(r.source))
    throw Error("the pieces were made from " + r.source + ", which is not there to take audio/subtitles from");
  check_source(pieces, r.source);
  return r.source;
}

}  // namespace

JoinResult join_segments(const std::vector<std::string>& paths, const std::string& output, const JoinOptions& options) {
  if (paths.empty()) throw Error("no pieces to join");
  if (output == "-" && options.container.empty())
    throw Error("-: standard output needs --format (nut, matroska, mpegts)");
  JoinResult result;
  std::vector<Piece> pieces;
  for (const auto& path : paths) pieces.push_back(open_piece(path));
  check_pieces(pieces, result.unchecked);
  result.pieces = static_cast<int>(pieces.size());
  result.source = audio_source(pieces, options, result.unchecked);
  for (Piece& p : pieces) {  // read again from the start, for copying
    p.format = av::open_input(p.path);
    p.video = av::keep_only_video(p.format.get(), p.path);
  }
  std::vector<std::string> inputs = paths;
  if (!result.source.empty()) inputs.push_back(result.source);
  std::optional<PendingOutput> pending;
  if (output == "-")
    check_standard_output(inputs);
  else
    pending.emplace(output, PendingOutput::Kind::File, options.overwrite, inputs);
  const std::string name = pending ? pending->target() : "stdout";
  Muxer muxer(pending ? pending->temp_path() : "-", name, options.container);
  AVFormatContext* out = muxer.get();
  const AVStream* in_video = pieces.front().stream();
  if (!muxer_takes(out->oformat, in_video->codecpar->codec_id))  // the writer's own test
    throw Error(name + ": " + out->oformat->name + " cannot hold " + avcodec_get_name(in_video->codecpar->codec_id) +
                " video; join into the pieces' container");
  AVStream* video = avformat_new_stream(out, nullptr);
  if (!video) throw Error("out of memory (stream)");
  av::check(avcodec_parameters_copy(video->codecpar, in_video->codecpar), name + ": stream copy");
  video->codecpar->codec_tag = 0;
  video->time_base = in_video->time_base;
  video->avg_frame_rate = in_video->avg_frame_rate;
  video->r_frame_rate = in_video->r_frame_rate;
  video->sample_aspect_ratio = in_video->sample_aspect_ratio;
  video->disposition = in_video->disposition;
  set_display_matrix(video, display_matrix_of(in_video));

  av::InputContext source;
  int source_video = -1;
  StreamCopier streams;
  if (!result.source.empty()) {
    source = av::open_input(result.source);
    source_video = av_find_best_stream(source.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    std::vector<const AVStream*> others;
    for (unsigned i = 0; i < source->nb_streams; ++i) {
      AVStream* s = source->streams[i];
      const auto type = s->codecpar->codec_type;
      if (type == AVMEDIA_TYPE_AUDIO || type == AVMEDIA_TYPE_SUBTITLE) others.push_back(s);
      else s->discard = AVDISCARD_ALL;
    }
    streams.add(snapshot_streams(source->streams[source_video], others)->streams, out, name);
  }
  const Rational rate = pieces.front().record.output_rate;
  muxer.start({}, video, AVRational{rate.num, rate.den});

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
  const auto next_source_packet = [&] {
    while (source) {
      const int r = av_read_frame(source.get(), source_packet.get());
      if (r == AVERROR_EOF) return false;
      if (r < 0) throw Error(result.source + ": read error (" + av::error_string(r) + ")");
      if (source_packet->stream_index != source_video) return true;
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
      av::check(av_interleaved_write_frame(out, piece_packet.get()),
                name + ": write failed (" + pieces[k].path + ")");
      ++result.frames;
      have_piece = next_piece_packet();
    } else {
      streams.write(source_packet.get(), out, name);
      av_packet_unref(source_packet.get());
      have_source = next_source_packet();
    }
  }
  muxer.finish();
  if (pending) pending->commit();
  result.notes = streams.notes();
  return result;
}

}  // namespace interp::io
