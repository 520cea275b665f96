/// Piece records for --range runs.
#include "interp/pipeline/piece.h"

#include "interp/pipeline/pair_interpolator.h"

#include <torch/types.h>

#include <filesystem>
#include <sstream>

namespace interp::pipeline {

std::string output_settings(const FrameInterpolator& model, const Timeline& timeline, const JobOptions& options,
                            const io::EncoderOptions& encoder) {
  std::ostringstream s;
  s << "model=" << model.name() << "; mode=" << model.mode() << "; weights=" << options.model_settings
    << "; precision=" << precision_name(model.precision().precision)
    << "; timing=" << (choose_timing(options.recursive, timeline, model) == TimingMode::Direct ? "direct" : "recursive")
    << "; ratio=" << timeline.ratio().num << "/" << timeline.ratio().den << "; scene=" << options.pairs.skip.scene
    << "; still=" << options.pairs.skip.still << "; codec=" << encoder.codec << "; crf=" << encoder.crf
    << "; preset=" << encoder.preset << "; pix_fmt=" << encoder.pixel_format;
  return s.str();
}

io::PieceRecord describe_piece(const JobInput& input, const FrameRange& range,
                               const std::optional<PiecePlacement>& placement, const Timeline& timeline,
                               io::Rational output_rate, const std::string& settings) {
  io::PieceRecord r;
  r.first = range.first;
  if (range.end > 0) r.end = range.end;
  if (!input.pictures.empty()) {
    r.source = std::filesystem::absolute(input.name).lexically_normal().string();
    r.identity = io::pictures_identity(input.pictures);
  } else if (input.video == "-") {
    r.source = "-";  // a pipe: read once, so neither its identity nor its length can be known up front
  } else {
    r.source = std::filesystem::absolute(input.video).lexically_normal().string();
    r.identity = io::video_identity(input.video);
  }
  r.settings = settings;
  // A placed piece counts slots: those a variable rate skipped are made or held (frame_grid.h).
  const int64_t first = placement ? placement->first_slot : range.first;
  std::optional<int64_t> end;
  if (placement)
    end = placement->end_slot;
  else if (range.end > 0)
    end = range.end;
  else
    end = r.identity.frames;
  r.first_output = timeline.output_count(first);
  if (end) r.output_frames = timeline.output_count(*end) - r.first_output;
  r.output_rate = output_rate;
  return r;
}

}  // namespace interp::pipeline
