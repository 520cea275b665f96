/// swscale colour-matrix set-up shared by the reader and the writer.
#include "ffmpeg_util.h"

namespace interp::io::av {

void set_colorspace(SwsContext* sws, AVColorSpace space, AVColorRange range, bool yuv_is_source) {
  int sws_space = SWS_CS_DEFAULT;
  switch (space) {
    case AVCOL_SPC_BT709: sws_space = SWS_CS_ITU709; break;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: sws_space = SWS_CS_BT2020; break;
    case AVCOL_SPC_FCC: sws_space = SWS_CS_FCC; break;
    case AVCOL_SPC_SMPTE240M: sws_space = SWS_CS_SMPTE240M; break;
    default: sws_space = SWS_CS_ITU601; break;
  }
  const int* coeffs = sws_getCoefficients(sws_space);
  const int yuv_full = range == AVCOL_RANGE_JPEG ? 1 : 0;
  // RGB side is always full range.
  const int src_range = yuv_is_source ? yuv_full : 1;
  const int dst_range = yuv_is_source ? 1 : yuv_full;
  sws_setColorspaceDetails(sws, coeffs, src_range, coeffs, dst_range, 0, 1 << 16, 1 << 16);
}

}  // namespace interp::io::av

#include "interp/io/ffmpeg_log.h"

namespace interp::io {

// interp's own one-line error carries the reason; FFmpeg's lines only with -v.
void set_ffmpeg_log_level(bool verbose) { av_log_set_level(verbose ? AV_LOG_INFO : AV_LOG_FATAL); }

}  // namespace interp::io
