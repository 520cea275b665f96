#pragma once
/// What an output takes over from its source, handed over as a value: the frames'
/// properties (size, depth, colour, start time) and, from a video, the audio and
/// subtitle streams to copy with a snapshot of their parameters and the picture's
/// display transform. FFmpeg's remux and transcode examples pass stream parameters the
/// same way, so a writer never reaches into a reader and a source decides alone what
/// it hands over (a piece of a video hands over no soundtrack).
#include "interp/io/video_reader.h"

#include <memory>

namespace interp::io {

struct SourceStreams {
  VideoInfo picture;
  /// The streams to copy and the display transform, defined inside io (FFmpeg's types);
  /// null when there is nothing to copy (pictures).
  struct Copies;
  std::shared_ptr<const Copies> copies;
};

}  // namespace interp::io
