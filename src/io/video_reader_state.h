#pragma once
/// io-private: VideoReader's FFmpeg state.
#include "ffmpeg_util.h"
#include "interp/io/video_reader.h"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace interp::io {

/// Bytes in memory as an AVIOContext (read and seek), for VideoReader::from_memory.
struct MemoryInput {
  std::vector<uint8_t> bytes;
  size_t pos = 0;
  static int read(void* opaque, uint8_t* buf, int size);
  static int64_t seek(void* opaque, int64_t offset, int whence);
};
struct AvioDeleter {
  void operator()(AVIOContext* io) const {
    if (io) av_freep(&io->buffer);
    avio_context_free(&io);
  }
};

struct VideoReader::State {
  std::string path;
  std::unique_ptr<MemoryInput> memory;  // from_memory only; must outlive `format`
  std::unique_ptr<AVIOContext, AvioDeleter> avio;
  av::InputContext format;
  av::CodecContext decoder;
  av::Frame frame = av::make_frame();
  av::Packet packet = av::make_packet();
  bool packet_pending = false;  // a video packet the decoder refused with EAGAIN: resend it
  /// Packets read ahead from an input that cannot be read twice (a pipe, memory), to
  /// time its frames (frame_rate.h); read_packet() hands them out first.
  std::deque<av::Packet> lookahead;
  av::Sws sws;
  int sws_w = 0, sws_h = 0, sws_fmt = -1;
  std::optional<FullSwing> full_swing_wanted;  ///< read_full_swing(): read so when the frames match it
  std::optional<FullSwing> full_swing;         ///< how `sws` reads, stamped on each Image
  int video_index = -1;
  std::vector<int> copy_indices;
  bool input_done = false;
  bool strict = false;
  int64_t max_pixels = kDefaultMaxPixels;
  DecodeDamage damage;
  int64_t dropped_at_last_frame = 0;
  // seek_to_frame(): frames to discard before the one asked for, by count (unseekable
  // inputs) or by timestamp (after a keyframe seek).
  int64_t seek_index = 0;
  int64_t skip_frames = 0;
  std::optional<int64_t> skip_before_pts;
  int64_t seek_pts = 0;  // where the last keyframe seek aimed; INT64_MIN: from the start of the file
  int seek_retries = 0;

  bool discarding() const { return skip_frames > 0 || skip_before_pts.has_value(); }

  /// The next packet into `into`: av_read_frame's, after the packets read ahead.
  int read_packet(AVPacket* into) {
    if (lookahead.empty()) return av_read_frame(format.get(), into);
    av_packet_move_ref(into, lookahead.front().get());
    lookahead.pop_front();
    return 0;
  }

  /// A damaged packet or frame: fatal when strict, else counted in `count`. Damage in
  /// what a seek discards is not the output's.
  void damaged(int64_t& count, const std::string& what) {
    if (discarding()) return;
    if (strict) {
      const std::string detail = av::take_last_error();
      throw Error(path + ": " + what + (detail.empty() ? "" : " (" + detail + ")"));
    }
    ++count;
  }
  VideoInfo info;


  void convert(Image& out) {
    const int depth = info.bit_depth > 8 ? 16 : 8;
    if (frame->width != info.width || frame->height != info.height)  // also keeps max_pixels
      throw Error(path + ": frame size changes mid-stream (" + std::to_string(frame->width) + "x" +
                  std::to_string(frame->height) + "), which is not supported");
    if (!sws || sws_fmt != frame->format) {
      sws.reset(sws_getContext(frame->width, frame->height, static_cast<AVPixelFormat>(frame->format),
                               frame->width, frame->height, depth == 16 ? AV_PIX_FMT_RGB48 : AV_PIX_FMT_RGB24,
                               SWS_BICUBIC | SWS_ACCURATE_RND | SWS_FULL_CHR_H_INT, nullptr, nullptr, nullptr));
      if (!sws) throw Error(path + ": cannot convert pixel format " + info.pixel_format + " to RGB");
      // The frame's own properties when it states them, else the stream's.
      int range = av::enum_or(frame->color_range, AVCOL_RANGE_NB, AVCOL_RANGE_UNSPECIFIED);
      int space = av::enum_or(frame->colorspace, AVCOL_SPC_NB, AVCOL_SPC_UNSPECIFIED);
      if (range == AVCOL_RANGE_UNSPECIFIED) range = info.color_range;
      if (space == AVCOL_SPC_UNSPECIFIED) space = info.colorspace;
      full_swing = av::full_swing_for(static_cast<AVPixelFormat>(frame->format), static_cast<AVColorSpace>(space),
                                      static_cast<AVColorRange>(range));
      if (full_swing != full_swing_wanted) full_swing.reset();
      av::set_colorspace(sws.get(), static_cast<AVColorSpace>(space), static_cast<AVColorRange>(range),
                         /*yuv_is_source=*/true, full_swing.has_value());
      sws_fmt = frame->format;
    }
    out.allocate(frame->width, frame->height, 3, depth);
    out.full_swing = full_swing;
    uint8_t* dst[4] = {out.data.data(), nullptr, nullptr, nullptr};
    int dst_stride[4] = {static_cast<int>(out.row_bytes()), 0, 0, 0};
    if (sws_scale(sws.get(), frame->data, frame->linesize, 0, frame->height, dst, dst_stride) != frame->height)
      throw Error(path + ": cannot convert a frame to RGB");
  }
};

}  // namespace interp::io
