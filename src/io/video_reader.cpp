/// libavformat demux + libavcodec decode + libswscale to RGB.
#include "interp/io/video_reader.h"

#include "interp/io/frame_rate.h"

#include "packet_data.h"
#include "stream_copy.h"
#include "video_reader_state.h"

extern "C" {
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>

namespace interp::io {

int MemoryInput::read(void* opaque, uint8_t* buf, int size) {
  auto* in = static_cast<MemoryInput*>(opaque);
  const size_t n = std::min(static_cast<size_t>(size), in->bytes.size() - in->pos);
  if (n == 0) return AVERROR_EOF;
  std::memcpy(buf, in->bytes.data() + in->pos, n);
  in->pos += n;
  return static_cast<int>(n);
}

int64_t MemoryInput::seek(void* opaque, int64_t offset, int whence) {
  auto* in = static_cast<MemoryInput*>(opaque);
  const auto size = static_cast<int64_t>(in->bytes.size());
  if (whence & AVSEEK_SIZE) return size;
  int64_t target = offset;
  if ((whence & ~AVSEEK_FORCE) == SEEK_CUR) target += static_cast<int64_t>(in->pos);
  if ((whence & ~AVSEEK_FORCE) == SEEK_END) target += size;
  if (target < 0 || target > size) return AVERROR(EINVAL);
  in->pos = static_cast<size_t>(target);
  return target;
}

namespace {

/// The rate whose grid the frames of `stream` sit on (frame_rate.h); `sample` reads
/// their timestamps when the container's rates do not settle it: when they disagree, or
/// when they are estimates from the opening packets of a pipe (a phone clip's 30 then 15
/// fps, piped as Matroska, states its average twice).
Rational choose_rate(AVFormatContext* format, AVStream* stream, const std::string& name, bool stream_probed_only,
                     const std::function<std::vector<std::vector<int64_t>>()>& sample) {
  const AVRational fitted = stream->r_frame_rate, average = stream->avg_frame_rate;
  AVRational rate = average.num > 0 ? average : fitted;
  const bool both = fitted.num > 0 && average.num > 0;
  const bool agree = both && std::abs(av_q2d(fitted) - av_q2d(average)) < 0.01 * av_q2d(fitted);
  if (agree) rate = fitted;  // the exact nominal rate (24000/1001)
  // Rates that disagree, or only one stated, or guessed: the frames' own timestamps say
  // which grid they sit on.
  if (!agree || stream_probed_only) {
    std::vector<Rational> stated;
    for (const AVRational r : {fitted, average})
      if (r.num > 0 && r.den > 0) stated.push_back({r.num, r.den});
    const Rational time_base{stream->time_base.num, stream->time_base.den};
    if (const auto grid = grid_rate(sample(), time_base, stated)) rate = {grid->num, grid->den};
  }
  if (rate.num <= 0) rate = av_guess_frame_rate(format, stream, nullptr);
  if (rate.num <= 0) throw Error(name + ": unknown frame rate");
  return {rate.num, rate.den};
}

}  // namespace

VideoReader::VideoReader(const std::string& path, const DecodeOptions& options) : state_(std::make_unique<State>()) {
  auto& s = *state_;
  s.path = path;
  s.strict = options.strict;
  s.max_pixels = options.max_pixels;
  const bool from_stdin = path == "-";
  if (!from_stdin && !std::filesystem::exists(path)) throw Error(path + ": no such file");
  if (!from_stdin && std::filesystem::is_directory(path)) throw Error(path + ": is a folder, not a video");
  AVFormatContext* raw = nullptr;
  const int ret = avformat_open_input(&raw, av::local_url(path, false).c_str(), nullptr, nullptr);
  if (ret < 0) throw Error(path + ": not a readable video (" + av::error_string(ret) + ")");
  s.format.reset(raw);
  open_streams();
}

VideoReader::VideoReader(std::vector<uint8_t> bytes, const std::string& name, const DecodeOptions& options)
    : state_(std::make_unique<State>()) {
  auto& s = *state_;
  s.path = name;
  s.strict = options.strict;
  s.max_pixels = options.max_pixels;
  s.memory = std::make_unique<MemoryInput>();
  s.memory->bytes = std::move(bytes);
  constexpr int kBufferSize = 1 << 16;
  auto* buffer = static_cast<uint8_t*>(av_malloc(kBufferSize));
  if (!buffer) throw Error("out of memory (I/O buffer)");
  s.avio.reset(avio_alloc_context(buffer, kBufferSize, 0, s.memory.get(), &MemoryInput::read, nullptr,
                                  &MemoryInput::seek));
  if (!s.avio) {
    av_free(buffer);
    throw Error("out of memory (I/O context)");
  }
  AVFormatContext* raw = avformat_alloc_context();
  if (!raw) throw Error("out of memory (demuxer)");
  raw->pb = s.avio.get();
  raw->flags |= AVFMT_FLAG_CUSTOM_IO;
  const int ret = avformat_open_input(&raw, nullptr, nullptr, nullptr);  // frees raw on failure
  if (ret < 0) throw Error(name + ": not a readable video (" + av::error_string(ret) + ")");
  s.format.reset(raw);
  open_streams();
}

void VideoReader::open_streams() {
  auto& s = *state_;
  const std::string& path = s.path;
  int ret = avformat_find_stream_info(s.format.get(), nullptr);
  if (ret < 0) throw Error(path + ": cannot read stream info (" + av::error_string(ret) + "); truncated?");

  const AVCodec* codec = nullptr;
  s.video_index = av_find_best_stream(s.format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, &codec, 0);
  if (s.video_index < 0 || !codec) throw Error(path + ": not a video (no decodable video stream)");
  AVStream* stream = s.format->streams[s.video_index];
  if (stream->disposition & AV_DISPOSITION_ATTACHED_PIC) throw Error(path + ": not a video (only a still picture)");
  // Fields would be interpolated as frames, combing every moving edge.
  const int order = av::enum_or(stream->codecpar->field_order, AV_FIELD_BT + 1, AV_FIELD_UNKNOWN);
  if (order == AV_FIELD_TT || order == AV_FIELD_BB || order == AV_FIELD_TB || order == AV_FIELD_BT)
    throw Error(path + ": interlaced video; deinterlace it first (e.g. ffmpeg -i " + path +
                " -vf bwdif=mode=send_frame -c:a copy progressive.mkv)");

  s.decoder.reset(avcodec_alloc_context3(codec));
  if (!s.decoder) throw Error("out of memory (decoder)");
  av::check(avcodec_parameters_to_context(s.decoder.get(), stream->codecpar), path + ": decoder set-up");
  s.decoder->thread_count = 0;  // let libavcodec pick
  s.decoder->pkt_timebase = stream->time_base;
  av::check(avcodec_open2(s.decoder.get(), codec, nullptr), path + ": cannot open " + codec->name + " decoder");

  for (unsigned i = 0; i < s.format->nb_streams; ++i) {
    const auto type = s.format->streams[i]->codecpar->codec_type;
    if (type == AVMEDIA_TYPE_AUDIO || type == AVMEDIA_TYPE_SUBTITLE) s.copy_indices.push_back(static_cast<int>(i));
    if (static_cast<int>(i) != s.video_index && type != AVMEDIA_TYPE_AUDIO && type != AVMEDIA_TYPE_SUBTITLE)
      s.format->streams[i]->discard = AVDISCARD_ALL;
  }

  auto& info = s.info;
  const auto* par = stream->codecpar;
  info.width = par->width;
  info.height = par->height;
  if (info.width <= 0 || info.height <= 0) throw Error(path + ": video stream without a frame size");
  check_pixels(path, info.width, info.height, s.max_pixels);  // before a frame is decoded
  info.time_base = {stream->time_base.num, stream->time_base.den};
  const bool readable_again = !s.memory && path != "-" && std::filesystem::is_regular_file(path);
  const auto sample = [&]() -> std::vector<std::vector<int64_t>> {
    if (!readable_again) return {read_ahead()};
    try {
      return av::sample_video_timestamps(path, kRateSamplePackets, kRateSamplePoints, kRateSamplePacketsPerPoint);
    } catch (const Error&) {  // a file that cannot be opened again keeps the container's rates
      return {};
    }
  };
  info.frame_rate = choose_rate(s.format.get(), stream, path, !readable_again, sample);
  info.rate_from_opening = !readable_again;
  info.start_pts = stream->start_time != AV_NOPTS_VALUE ? stream->start_time : 0;
  info.frame_count = stream->nb_frames;
  if (stream->duration != AV_NOPTS_VALUE && stream->duration > 0)
    info.duration = static_cast<double>(stream->duration) * av_q2d(stream->time_base);
  else if (s.format->duration != AV_NOPTS_VALUE && s.format->duration > 0)
    info.duration = static_cast<double>(s.format->duration) / AV_TIME_BASE;
  info.codec = codec->name;
  const auto fmt = static_cast<AVPixelFormat>(par->format);
  info.pixel_format = av_get_pix_fmt_name(fmt) ? av_get_pix_fmt_name(fmt) : "unknown";
  info.bit_depth = av::bit_depth_of(fmt);
  info.color_primaries = av::enum_or(par->color_primaries, AVCOL_PRI_NB, AVCOL_PRI_UNSPECIFIED);
  info.color_trc = av::enum_or(par->color_trc, AVCOL_TRC_NB, AVCOL_TRC_UNSPECIFIED);
  info.colorspace = av::enum_or(par->color_space, AVCOL_SPC_NB, AVCOL_SPC_UNSPECIFIED);
  info.color_range = av::enum_or(par->color_range, AVCOL_RANGE_NB, AVCOL_RANGE_UNSPECIFIED);
  info.chroma_location = av::enum_or(par->chroma_location, AVCHROMA_LOC_NB, AVCHROMA_LOC_UNSPECIFIED);
  const AVRational sar = av_guess_sample_aspect_ratio(s.format.get(), stream, nullptr);
  info.sample_aspect_ratio = {sar.num, sar.den};
}

VideoReader::~VideoReader() = default;

double frame_step(const VideoInfo& info) {
  if (info.frame_rate.num <= 0 || info.time_base.num <= 0) return 0;
  return static_cast<double>(info.frame_rate.den) * info.time_base.den /
         (static_cast<double>(info.frame_rate.num) * info.time_base.num);
}

int64_t expected_slots(const VideoInfo& info) {
  const double slots = info.duration * info.frame_rate.value();
  if (!(slots > 0 && slots < 1e15)) return info.frame_count;  // unknown, or a hostile header's
  return std::max(info.frame_count, static_cast<int64_t>(std::llround(slots)));
}

const VideoInfo& VideoReader::info() const { return state_->info; }

std::optional<FullSwing> VideoReader::full_swing() const {
  const VideoInfo& info = state_->info;
  return av::full_swing_for(av_get_pix_fmt(info.pixel_format.c_str()), static_cast<AVColorSpace>(info.colorspace),
                            static_cast<AVColorRange>(info.color_range));
}

void VideoReader::read_full_swing(const FullSwing& swing) {
  state_->full_swing_wanted = swing;
  state_->sws.reset();  // a frame already converted does not set how the next are
}

const DecodeDamage& VideoReader::damage() const { return state_->damage; }

SourceStreams VideoReader::streams() const {
  const auto& s = *state_;
  std::vector<const AVStream*> others;
  for (int i : s.copy_indices) others.push_back(s.format->streams[i]);
  return {s.info, snapshot_streams(s.format->streams[s.video_index], others)};
}

void VideoReader::drop_other_streams() {
  auto& s = *state_;
  for (int i : s.copy_indices) s.format->streams[i]->discard = AVDISCARD_ALL;
  s.copy_indices.clear();
}

std::variant<VideoFrame, Packet, EndOfStream> VideoReader::next(Image recycled) {
  auto& s = *state_;
  while (true) {
    int ret = avcodec_receive_frame(s.decoder.get(), s.frame.get());
    if (ret == 0 && s.discarding() && !keep_after_seek()) {
      av_frame_unref(s.frame.get());
      continue;
    }
    if (ret == 0) {
      if (s.frame->decode_error_flags || (s.frame->flags & AV_FRAME_FLAG_CORRUPT))
        s.damaged(s.damage.concealed_frames, "damaged video frame");
      VideoFrame out{std::move(recycled), s.frame->best_effort_timestamp,
                     s.damage.dropped_packets - s.dropped_at_last_frame};
      s.dropped_at_last_frame = s.damage.dropped_packets;
      s.convert(out.image);
      av_frame_unref(s.frame.get());
      return out;
    }
    if (ret == AVERROR_EOF && s.discarding())
      throw Error(s.path + ": ends before frame " + std::to_string(s.seek_index) + ", where the piece starts");
    if (ret == AVERROR_EOF) return EndOfStream{};
    if (ret == AVERROR_INVALIDDATA) {  // this frame is lost; the decoder goes on
      s.damaged(s.damage.dropped_packets, "damaged video data");
      continue;
    }
    if (ret != AVERROR(EAGAIN)) av::check(ret, s.path + ": decoding failed");
    if (s.input_done) return EndOfStream{};  // decoder drained without EOF (defensive)

    if (!s.packet_pending) {
      ret = s.read_packet(s.packet.get());
      if (ret == AVERROR_EOF) {
        s.input_done = true;
        ret = avcodec_send_packet(s.decoder.get(), nullptr);  // may report damage of earlier packets
        if (ret == AVERROR_INVALIDDATA) s.damaged(s.damage.dropped_packets, "damaged video data");
        else av::check(ret, s.path + ": flushing decoder");
        continue;
      }
      if (ret < 0) throw Error(s.path + ": read error (" + av::error_string(ret) + "); truncated or corrupt file?");
    }
    if (s.packet->stream_index == s.video_index) {
      ret = avcodec_send_packet(s.decoder.get(), s.packet.get());
      s.packet_pending = ret == AVERROR(EAGAIN);  // decoder full: take a frame, then resend
      if (s.packet_pending) continue;
      av_packet_unref(s.packet.get());
      if (ret == AVERROR_INVALIDDATA) s.damaged(s.damage.dropped_packets, "damaged video packet");
      else if (ret < 0) throw Error(s.path + ": corrupt video data (" + av::error_string(ret) + ")");
      continue;
    }
    if (s.discarding()) {  // packets before the first frame wanted belong to no output frame
      av_packet_unref(s.packet.get());
      continue;
    }
    for (int i : s.copy_indices) {
      if (s.packet->stream_index == i) {
        Packet out = Packet::allocate();
        av_packet_move_ref(out.data().packet.get(), s.packet.get());
        return out;
      }
    }
    av_packet_unref(s.packet.get());
  }
}

}  // namespace interp::io
