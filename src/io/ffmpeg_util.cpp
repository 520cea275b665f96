/// swscale colour-matrix set-up shared by the reader and the writer; opening a file
/// for demuxing only (frame counts, joins).
#include "ffmpeg_util.h"

#include <cmath>
#include <filesystem>

namespace interp::io::av {

InputContext open_input(const std::string& path) {
  if (!std::filesystem::exists(path)) throw Error(path + ": no such file");
  AVFormatContext* raw = nullptr;
  const int ret = avformat_open_input(&raw, local_url(path, false).c_str(), nullptr, nullptr);
  if (ret < 0) throw Error(path + ": not a readable video (" + error_string(ret) + ")");
  InputContext format(raw);
  check(avformat_find_stream_info(format.get(), nullptr), path + ": cannot read stream info");
  return format;
}

int keep_only_video(AVFormatContext* format, const std::string& path) {
  const int video = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (video < 0) throw Error(path + ": not a video (no video stream)");
  for (unsigned i = 0; i < format->nb_streams; ++i)
    if (static_cast<int>(i) != video) format->streams[i]->discard = AVDISCARD_ALL;
  return video;
}

namespace {

int sws_space_of(AVColorSpace space) {
  switch (space) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    case AVCOL_SPC_FCC: return SWS_CS_FCC;
    case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
    default: return SWS_CS_ITU601;
  }
}

}  // namespace

void set_colorspace(SwsContext* sws, AVColorSpace space, AVColorRange range, bool yuv_is_source, bool full_swing) {
  const int* coeffs = sws_getCoefficients(sws_space_of(space));
  const int yuv_full = range == AVCOL_RANGE_JPEG || full_swing ? 1 : 0;
  // RGB side is always full range.
  const int src_range = yuv_is_source ? yuv_full : 1;
  const int dst_range = yuv_is_source ? 1 : yuv_full;
  sws_setColorspaceDetails(sws, coeffs, src_range, coeffs, dst_range, 0, 1 << 16, 1 << 16);
}

std::optional<FullSwing> full_swing_for(AVPixelFormat format, AVColorSpace space, AVColorRange range) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(format);
  const uint64_t not_yuv = AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BAYER;
  const bool xyz = format == AV_PIX_FMT_XYZ12LE || format == AV_PIX_FMT_XYZ12BE;
  if (!d || (d->flags & not_yuv) || xyz || d->nb_components < 3 || range == AVCOL_RANGE_JPEG) return std::nullopt;
  FullSwing swing;
  switch (sws_space_of(space)) {  // the weights of the matrix set_colorspace() picks
    case SWS_CS_ITU709: swing.kr = 0.2126, swing.kb = 0.0722; break;
    case SWS_CS_BT2020: swing.kr = 0.2627, swing.kb = 0.0593; break;
    case SWS_CS_FCC: swing.kr = 0.30, swing.kb = 0.11; break;
    case SWS_CS_SMPTE240M: swing.kr = 0.212, swing.kb = 0.087; break;
    default: break;  // BT.601's defaults
  }
  // N-bit limited range: Y' from 16 to 235 and Cb, Cr 224 steps wide, times 2^(N-8),
  // against full range's 2^N - 1.
  const double full = std::ldexp(1.0, d->comp[0].depth) - 1;
  const double step = std::ldexp(1.0, d->comp[0].depth - 8);
  swing.luma_gain = full / (219 * step);
  swing.chroma_gain = full / (224 * step);
  swing.black = 16.0 / 219;
  return swing;
}

}  // namespace interp::io::av

#include "interp/io/ffmpeg_log.h"

#include <mutex>

namespace interp::io {
namespace {

std::mutex g_log_mutex;
std::string g_last_error;  // FFmpeg's last error line, for interp's own message

/// Without -v: FFmpeg's error lines are kept, not printed, so that the one line interp
/// prints can carry the reason (a decoder's "invalid NAL unit size" beats "Invalid data").
void keep_errors(void* avcl, int level, const char* fmt, va_list args) {
  if (level > AV_LOG_ERROR) return;
  char line[1024];
  int print_prefix = 1;
  av_log_format_line2(avcl, level, fmt, args, line, sizeof(line), &print_prefix);
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  std::lock_guard<std::mutex> lock(g_log_mutex);
  g_last_error = text;
}

}  // namespace

void set_ffmpeg_log_level(bool verbose) {
  av_log_set_level(verbose ? AV_LOG_INFO : AV_LOG_ERROR);
  av_log_set_callback(verbose ? av_log_default_callback : keep_errors);
}

namespace av {

std::string take_last_error() {
  std::lock_guard<std::mutex> lock(g_log_mutex);
  std::string out;
  out.swap(g_last_error);
  return out;
}

}  // namespace av
}  // namespace interp::io
