#pragma once
/// What a `--range` piece records for `interp join` (io::PieceRecord), worked out where
/// everything it needs is known: the input, the range, the timeline and the settings
/// that shape the output frames. One place, so that every input kind (a video, pictures,
/// standard input) records the same things.
#include "interp/core/frame_interpolator.h"
#include "interp/io/piece_record.h"
#include "interp/io/video_writer.h"
#include "interp/pipeline/job.h"
#include "interp/pipeline/frame_source.h"

#include <string>

namespace interp::pipeline {

/// The settings of a job that change its output frames, as "key=value; ..." (model and
/// its options, timing, rate ratio, thresholds, encoder), for pieces to be compared.
std::string output_settings(const FrameInterpolator& model, const Timeline& timeline, const JobOptions& options,
                            const io::EncoderOptions& encoder);

/// The record of the piece `range` of `input`, reading the source once to identify it
/// (a video's packets, the pictures' bytes; nothing for standard input).
/// A placed piece (PiecePlacement) is numbered and counted by slot.
io::PieceRecord describe_piece(const JobInput& input, const FrameRange& range,
                               const std::optional<PiecePlacement>& placement, const Timeline& timeline,
                               io::Rational output_rate, const std::string& settings);

}  // namespace interp::pipeline
