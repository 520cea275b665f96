#pragma once
/// How chatty FFmpeg's own libraries are on stderr (encoder banners, demuxer notes).
namespace interp::io {

/// Errors only by default; everything FFmpeg says with `verbose`.
void set_ffmpeg_log_level(bool verbose);

}  // namespace interp::io
