#pragma once
/// RAII owners for libav objects and a return-code check that throws interp::Error
/// with FFmpeg's own wording (as in FFmpeg's doc/examples, every call checked).
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/error.h>
#include <libavutil/pixdesc.h>
#include <libswscale/swscale.h>
}

#include "interp/base/error.h"
#include "interp/io/full_swing.h"

#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace interp::io::av {

inline std::string error_string(int code) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(code, buf, sizeof(buf));
  return buf;
}

/// FFmpeg's last error line since the previous call ("" when none), kept by the log
/// callback that set_ffmpeg_log_level() installs.
std::string take_last_error();

/// Throws "<context>: <ffmpeg message> (<FFmpeg's own last error line>)" when ret < 0;
/// returns ret otherwise.
inline int check(int ret, const std::string& context) {
  if (ret < 0) {
    const std::string detail = take_last_error();
    throw Error(context + ": " + error_string(ret) + (detail.empty() ? "" : " (" + detail + ")"));
  }
  return ret;
}

struct InputContextDeleter {
  void operator()(AVFormatContext* ctx) const { avformat_close_input(&ctx); }
};
struct OutputContextDeleter {
  void operator()(AVFormatContext* ctx) const {
    if (ctx && ctx->pb && !(ctx->oformat->flags & AVFMT_NOFILE)) avio_closep(&ctx->pb);
    avformat_free_context(ctx);
  }
};
struct CodecContextDeleter {
  void operator()(AVCodecContext* ctx) const { avcodec_free_context(&ctx); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};
struct SwsDeleter {
  void operator()(SwsContext* s) const { sws_freeContext(s); }
};

using InputContext = std::unique_ptr<AVFormatContext, InputContextDeleter>;
using OutputContext = std::unique_ptr<AVFormatContext, OutputContextDeleter>;
using CodecContext = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using Frame = std::unique_ptr<AVFrame, FrameDeleter>;
using Packet = std::unique_ptr<AVPacket, PacketDeleter>;
using Sws = std::unique_ptr<SwsContext, SwsDeleter>;

inline Frame make_frame() {
  Frame f(av_frame_alloc());
  if (!f) throw Error("out of memory (av_frame_alloc)");
  return f;
}
inline Packet make_packet() {
  Packet p(av_packet_alloc());
  if (!p) throw Error("out of memory (av_packet_alloc)");
  return p;
}

/// A container may store any number in an enum field (a damaged file stored 255 as
/// colour primaries): loading that as the enum type is undefined, and passing it on to
/// an encoder is wrong. Reads the bits as an int; out of range means `unspecified`.
template <class Enum>
int enum_or(const Enum& field, int count, int unspecified) {
  static_assert(sizeof(Enum) == sizeof(int), "FFmpeg's enums are int-sized");
  int value = 0;
  std::memcpy(&value, &field, sizeof(value));
  return value >= 0 && value < count ? value : unspecified;
}

/// Bits per component of a pixel format (8 for yuv420p, 10 for yuv420p10le...).
inline int bit_depth_of(AVPixelFormat fmt) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  return d ? d->comp[0].depth : 8;
}

/// What FFmpeg's URL parser reads as the local file `path`: a local path is a file,
/// always (`0:2.mkv` names no protocol); "-" is standard input or output.
inline std::string local_url(const std::string& path, bool write) {
  if (path == "-") return write ? "pipe:1" : "pipe:0";
  return "file:" + path;
}

/// A file opened for demuxing with its streams probed. Throws "<path>: no such file",
/// "... not a readable video (...)", "... cannot read stream info (...)".
InputContext open_input(const std::string& path);

/// The best video stream of `format`, every other stream discarded by the demuxer.
/// Throws "<path>: not a video (no video stream)".
int keep_only_video(AVFormatContext* format, const std::string& path);

/// Hands every shown video packet of `path` to `visit`, in file order (demuxing only:
/// cheap even for a film), until `visit` returns false. Packets the demuxer marks to
/// be decoded but not shown (before an MP4 edit list's start) are no frames and are
/// skipped. Throws interp::Error on a read error. Defined beside VideoReader, which
/// shares the rule.
void for_each_shown_video_packet(const std::string& path, const std::function<bool(const AVPacket&)>& visit);

/// The presentation timestamps of `path`'s shown video packets, in stretches read in
/// file order (demuxing only): its first `first` packets and, where it has more, the
/// `per_point` packets from each of `points` positions spread evenly over the rest of its
/// stated duration. A read error or the file's end ends the
/// sample; damage is the decoder's to report. For what changes along a clip: a phone
/// recording that opens in the dark is slower there than later on.
std::vector<std::vector<int64_t>> sample_video_timestamps(const std::string& path, int64_t first, int points,
                                                          int64_t per_point);

/// Sets swscale's YUV<->RGB matrix and ranges from the stream's colour properties, so
/// that BT.709/BT.2020 and full-range inputs are not converted with BT.601 defaults.
/// With `full_swing`, limited-range Y'CbCr is converted as full range (full_swing.h).
void set_colorspace(SwsContext* sws, AVColorSpace space, AVColorRange range, bool yuv_is_source,
                    bool full_swing = false);

/// What a frame of `format` in `space` and `range` reads as under full swing: set for
/// limited-range (or unstated) Y'CbCr only, the map for its bit depth and matrix.
std::optional<FullSwing> full_swing_for(AVPixelFormat format, AVColorSpace space, AVColorRange range);

}  // namespace interp::io::av
