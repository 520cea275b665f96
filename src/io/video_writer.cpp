/// Encoder + muxer set-up following FFmpeg's doc/examples (transcode, encode_video).
#include "interp/io/video_writer.h"

#include "ffmpeg_util.h"
#include "muxer.h"
#include "packet_data.h"
#include "stream_copy.h"

extern "C" {
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace interp::io {

namespace {

const AVPixelFormat* end_of(const AVPixelFormat* list) {
  while (*list != AV_PIX_FMT_NONE) ++list;
  return list;
}

bool subsampled(AVPixelFormat fmt) {
  const auto* d = av_pix_fmt_desc_get(fmt);
  return d && (d->log2_chroma_w > 0 || d->log2_chroma_h > 0);
}

/// The encoder's pixel format closest to the source (keeps 10-bit when the encoder can,
/// and avoids chroma subsampling when the frame size is odd).
AVPixelFormat choose_pixel_format(const AVCodec* codec, const VideoInfo& src, const std::string& requested,
                                  const AVPixelFormat* container_formats, const std::string& path) {
  if (!requested.empty()) {
    const AVPixelFormat fmt = av_get_pix_fmt(requested.c_str());
    if (fmt == AV_PIX_FMT_NONE) throw Error("unknown pixel format '" + requested + "'");
    if (codec->pix_fmts && std::find(codec->pix_fmts, end_of(codec->pix_fmts), fmt) == end_of(codec->pix_fmts)) {
      std::string takes;
      for (const AVPixelFormat* p = codec->pix_fmts; *p != AV_PIX_FMT_NONE; ++p)
        takes += (takes.empty() ? "" : " ") + std::string(av_get_pix_fmt_name(*p));
      throw Error(std::string(codec->name) + " cannot encode pixel format " + requested + " (it takes: " + takes + ")");
    }
    if (subsampled(fmt) && (src.width % 2 || src.height % 2))
      throw Error("pixel format " + requested + " needs even frame sizes; the video is " + std::to_string(src.width) +
                  "x" + std::to_string(src.height));
    return fmt;
  }
  AVPixelFormat source = av_get_pix_fmt(src.pixel_format.c_str());
  if (source == AV_PIX_FMT_NONE) source = AV_PIX_FMT_YUV420P;
  if (subsampled(source) && (src.width % 2 || src.height % 2))
    source = src.bit_depth > 8 ? AV_PIX_FMT_YUV444P10 : AV_PIX_FMT_YUV444P;
  const AVPixelFormat* list = codec->pix_fmts ? codec->pix_fmts : container_formats;
  if (!list) return source;
  for (const AVPixelFormat* p = list; *p != AV_PIX_FMT_NONE; ++p)
    if (*p == source) return source;
  // Prefer a same-depth format of the list; swscale will convert.
  const AVPixelFormat best = avcodec_find_best_pix_fmt_of_list(list, source, 0, nullptr);
  if (best == AV_PIX_FMT_NONE) throw Error(path + ": encoder " + codec->name + " has no usable pixel format");
  return best;
}

/// YUV4MPEG holds these only (10-bit and up with strict -1); other muxers take what the
/// encoder makes.
constexpr AVPixelFormat kY4mFormats[] = {
    AV_PIX_FMT_YUV420P,   AV_PIX_FMT_YUV422P,   AV_PIX_FMT_YUV444P,   AV_PIX_FMT_GRAY8,    AV_PIX_FMT_YUV420P10,
    AV_PIX_FMT_YUV422P10, AV_PIX_FMT_YUV444P10, AV_PIX_FMT_YUV420P12, AV_PIX_FMT_YUV444P12, AV_PIX_FMT_YUV420P16,
    AV_PIX_FMT_YUV444P16, AV_PIX_FMT_NONE};

bool is_y4m(const AVOutputFormat* f) { return std::string(f->name) == "yuv4mpegpipe"; }

/// Whether `f` can hold what the encoder named `encoder` makes.
bool holds(const AVOutputFormat* f, const char* encoder) {
  const AVCodec* codec = avcodec_find_encoder_by_name(encoder);
  return codec && muxer_takes(f, codec->id);
}

/// The encoder a container gets unless one is named: libvpx-vp9 for WebM, raw frames for
/// YUV4MPEG and for pipes whose container holds them, else libx264 where the container
/// takes H.264, else the container's own codec.
std::string default_video_codec(const AVOutputFormat* f, bool to_pipe) {
  const std::string name = f->name;
  if (name.find("webm") != std::string::npos) return "libvpx-vp9";  // WebM holds VP8/VP9/AV1 only
  if (name == "yuv4mpegpipe") return "wrapped_avframe";               // raw frames, as ffmpeg does
  // A pipe feeds another program: raw frames cost no encoding time and lose nothing,
  // where the container says it holds them (MPEG-TS would take them as unnamed data).
  if (to_pipe && avformat_query_codec(f, AV_CODEC_ID_RAWVIDEO, FF_COMPLIANCE_NORMAL) == 1) return "rawvideo";
  if (holds(f, "libx264")) return "libx264";
  const AVCodec* own = avcodec_find_encoder(f->video_codec);  // the container's own choice
  if (!own) throw Error(name + ": this FFmpeg has no encoder for its video codec; name one with --codec");
  return own->name;
}

}  // namespace

std::string check_video_container(const std::string& name, bool to_pipe) {
  return find_muxer(name, "", to_pipe)->name;
}

std::string video_container_for(const std::string& file_name) {
  const AVOutputFormat* f = av_guess_format(nullptr, file_name.c_str(), nullptr);
  // Audio formats name PNG as their "video" codec: a cover picture, not frames (.mp3, .flac).
  if (!f || f->video_codec == AV_CODEC_ID_NONE || f->video_codec == AV_CODEC_ID_PNG) return "";
  return find_muxer("", file_name, /*to_pipe=*/false)->name;
}

/// Encoders that print on their own (not through FFmpeg's log) are kept quiet unless
/// FFmpeg's messages were asked for (-v): their errors still come back as return codes.
void quiet_library_logs(const std::string& encoder, AVCodecContext* enc) {
  if (av_log_get_level() >= AV_LOG_INFO) return;
  if (encoder == "libx265") av_opt_set(enc->priv_data, "x265-params", "log-level=none", 0);
  if (encoder == "libsvtav1") ::setenv("SVT_LOG", "0", /*overwrite=*/0);  // fatal errors only
}

struct VideoWriter::State {
  std::string path;
  std::unique_ptr<Muxer> muxer;
  av::CodecContext encoder;
  av::Frame frame = av::make_frame();
  av::Packet packet = av::make_packet();
  av::Sws sws;
  bool sws_full_swing = false;  ///< `sws` takes full-swing samples (full_swing.h)
  std::optional<FullSwing> full_swing;  ///< what the encoder writes back, set once it is open
  AVStream* video = nullptr;
  StreamCopier streams;  // the source's audio and subtitles
  int64_t start_offset = 0;         // source start in encoder time base
  bool finished = false;

  void drain(bool flush) {
    if (flush) av::check(avcodec_send_frame(encoder.get(), nullptr), path + ": flushing encoder");
    while (true) {
      int ret = avcodec_receive_packet(encoder.get(), packet.get());
      if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF) return;
      av::check(ret, path + ": encoding failed");
      av_packet_rescale_ts(packet.get(), encoder->time_base, video->time_base);
      packet->stream_index = video->index;
      av::check(av_interleaved_write_frame(muxer->get(), packet.get()), path + ": write failed");
    }
  }
};

VideoWriter::VideoWriter(const std::string& path, const std::string& format_hint, const EncoderOptions& options,
                         const SourceStreams& source, Rational frame_rate)
    : state_(std::make_unique<State>()) {
  const VideoInfo& src = source.picture;
  auto& s = *state_;
  s.path = format_hint;
  s.muxer = std::make_unique<Muxer>(path, format_hint, options.container);
  AVFormatContext* format = s.muxer->get();
  const bool to_pipe = s.muxer->to_pipe();
  const bool y4m = is_y4m(format->oformat);
  if (y4m) format->strict_std_compliance = FF_COMPLIANCE_UNOFFICIAL;  // 10-bit and up

  const std::string name = !options.codec.empty() ? options.codec : default_video_codec(format->oformat, to_pipe);
  const AVCodec* codec = avcodec_find_encoder_by_name(name.c_str());
  if (!codec) throw Error("no encoder named '" + name + "' in this FFmpeg");
  if (codec->type != AVMEDIA_TYPE_VIDEO) throw Error("'" + name + "' is not a video encoder");
  if (!muxer_takes(format->oformat, codec->id))
    throw Error(format_hint + ": " + format->oformat->name + " cannot hold " + name + " video");

  s.encoder.reset(avcodec_alloc_context3(codec));
  if (!s.encoder) throw Error("out of memory (encoder)");
  auto* enc = s.encoder.get();
  enc->width = src.width;
  enc->height = src.height;
  enc->pix_fmt = choose_pixel_format(codec, src, options.pixel_format, y4m ? kY4mFormats : nullptr, format_hint);
  enc->framerate = AVRational{frame_rate.num, frame_rate.den};
  enc->time_base = av_inv_q(enc->framerate);
  enc->sample_aspect_ratio = AVRational{src.sample_aspect_ratio.num, src.sample_aspect_ratio.den};
  enc->color_primaries = static_cast<AVColorPrimaries>(src.color_primaries);
  enc->color_trc = static_cast<AVColorTransferCharacteristic>(src.color_trc);
  enc->colorspace = static_cast<AVColorSpace>(src.colorspace);
  enc->color_range = src.color_range != AVCOL_RANGE_UNSPECIFIED ? static_cast<AVColorRange>(src.color_range)
                                                                : AVCOL_RANGE_MPEG;
  enc->chroma_sample_location = static_cast<AVChromaLocation>(src.chroma_location);
  enc->thread_count = 0;
  if (format->oformat->flags & AVFMT_GLOBALHEADER) enc->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
  // An encoder without the option keeps its default; a value it refuses is an error.
  const auto accepted = [&](int ret, const std::string& what) {
    if (ret != AVERROR_OPTION_NOT_FOUND) av::check(ret, name + " does not accept " + what);
  };
  if (options.crf >= 0) {
    accepted(av_opt_set_int(enc->priv_data, "crf", options.crf, 0), "crf " + std::to_string(options.crf));
    if (name == "libvpx-vp9" || name == "libaom-av1") enc->bit_rate = 0;
  }
  // x264/x265 print their own line for an unknown preset before FFmpeg's log is set up.
  static const std::vector<std::string> kX26xPresets = {"ultrafast", "superfast", "veryfast", "faster", "fast",
                                                        "medium",    "slow",      "slower",   "veryslow", "placebo"};
  const bool x26x = name == "libx264" || name == "libx265";
  // veryfast: on CPU the encoder shares the cores with the model, and at CRF 18 slower
  // presets mostly buy a smaller file (x264 medium costs ~4% of --exp=1 throughput).
  const std::string preset = !options.preset.empty() ? options.preset : x26x ? "veryfast" : "";
  if (x26x && std::find(kX26xPresets.begin(), kX26xPresets.end(), preset) == kX26xPresets.end())
    throw Error(name + " has no preset '" + preset +
                "' (ultrafast superfast veryfast faster fast medium slow slower veryslow placebo)");
  if (!preset.empty()) accepted(av_opt_set(enc->priv_data, "preset", preset.c_str(), 0), "preset " + preset);
  if (name == "libvpx-vp9") {  // its defaults are slow; the encoder shares the CPU with the model
    accepted(av_opt_set_int(enc->priv_data, "cpu-used", 4, 0), "cpu-used 4");
    accepted(av_opt_set_int(enc->priv_data, "row-mt", 1, 0), "row-mt");
  }
  quiet_library_logs(name, enc);
  av::check(avcodec_open2(enc, codec, nullptr), format_hint + ": cannot open encoder " + name);

  s.video = avformat_new_stream(format, nullptr);
  if (!s.video) throw Error("out of memory (stream)");
  av::check(avcodec_parameters_from_context(s.video->codecpar, enc), format_hint + ": stream set-up");
  s.video->time_base = enc->time_base;
  s.video->sample_aspect_ratio = enc->sample_aspect_ratio;
  s.video->avg_frame_rate = enc->framerate;

  if (source.copies) {  // before the header
    set_display_matrix(s.video, source.copies->display_matrix);
    s.streams.add(source.copies->streams, format, s.path);
  }
  s.muxer->start(options.tags, s.video, enc->framerate);

  if (src.time_base.num > 0 && src.time_base.den > 0)
    s.start_offset = av_rescale_q(src.start_pts, AVRational{src.time_base.num, src.time_base.den}, enc->time_base);

  s.frame->format = enc->pix_fmt;
  s.frame->width = enc->width;
  s.frame->height = enc->height;
  s.frame->color_range = enc->color_range;
  s.frame->colorspace = enc->colorspace;
  s.frame->color_primaries = enc->color_primaries;
  s.frame->color_trc = enc->color_trc;
  s.full_swing = av::full_swing_for(enc->pix_fmt, enc->colorspace, enc->color_range);
  av::check(av_frame_get_buffer(s.frame.get(), 0), "frame buffer");
}

VideoWriter::~VideoWriter() = default;

void VideoWriter::write_frame(const Image& rgb, int64_t index) {
  auto& s = *state_;
  const AVPixelFormat src_fmt = rgb.bit_depth > 8 ? AV_PIX_FMT_RGB48 : AV_PIX_FMT_RGB24;
  if (rgb.full_swing && rgb.full_swing != s.full_swing)
    throw Error(s.path + ": a frame read with full swing reached an output that cannot write it back");
  if (!s.sws || s.sws_full_swing != rgb.full_swing.has_value()) {
    s.sws.reset(sws_getContext(rgb.width, rgb.height, src_fmt, s.encoder->width, s.encoder->height,
                               s.encoder->pix_fmt, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INP, nullptr,
                               nullptr, nullptr));
    if (!s.sws) throw Error(s.path + ": cannot convert RGB to the encoder's pixel format");
    s.sws_full_swing = rgb.full_swing.has_value();
    av::set_colorspace(s.sws.get(), s.encoder->colorspace, s.encoder->color_range, /*yuv_is_source=*/false,
                       s.sws_full_swing);
  }
  av::check(av_frame_make_writable(s.frame.get()), "frame buffer");
  const uint8_t* src[4] = {rgb.data.data(), nullptr, nullptr, nullptr};
  const int src_stride[4] = {static_cast<int>(rgb.row_bytes()), 0, 0, 0};
  if (sws_scale(s.sws.get(), src, src_stride, 0, rgb.height, s.frame->data, s.frame->linesize) <= 0)
    throw Error(s.path + ": cannot convert a frame to the encoder's pixel format");
  s.frame->pts = s.start_offset + index;
  av::check(avcodec_send_frame(s.encoder.get(), s.frame.get()), s.path + ": encoding failed");
  s.drain(false);
}

void VideoWriter::write_copied(Packet packet) {
  auto& s = *state_;
  s.streams.write(packet.data().packet.get(), s.muxer->get(), s.path);
}

const std::vector<StreamNote>& VideoWriter::notes() const { return state_->streams.notes(); }

void VideoWriter::finish() {
  auto& s = *state_;
  if (s.finished) return;
  s.drain(true);
  s.muxer->finish();
  s.finished = true;
}

std::optional<FullSwing> VideoWriter::full_swing() const { return state_->full_swing; }

std::string VideoWriter::pixel_format() const { return av_get_pix_fmt_name(state_->encoder->pix_fmt); }
std::string VideoWriter::codec_name() const { return state_->encoder->codec->name; }

}  // namespace interp::io
