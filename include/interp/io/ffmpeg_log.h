#pragma once
/// How chatty FFmpeg's own libraries are on stderr (encoder banners, demuxer notes).
namespace interp::io {

/// Silent by default (interp reports failures itself, in one line); FFmpeg's own
/// messages with `verbose`.
void set_ffmpeg_log_level(bool verbose);

}  // namespace interp::io
