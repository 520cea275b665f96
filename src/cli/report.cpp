/// Warnings about inputs and what became of their streams.
#include "report.h"

#include "log.h"

#include "interp/pipeline/frame_grid.h"

namespace interp::cli {

void report_input(const std::string& input, const pipeline::JobResult& r) {
  if (r.damage.any())
    log::warn(input + ": damaged input: " + std::to_string(r.damage.dropped_packets) + " packet(s) dropped, " +
              std::to_string(r.damage.concealed_frames) + " frame(s) concealed, " +
              std::to_string(r.repeated_frames) + " lost frame(s) filled with the one before to keep the timeline " +
              "(--strict makes this an error)");
  else if (r.repeated_frames > 0)
    log::info(input + ": variable frame rate: " + std::to_string(r.repeated_frames) +
              " slot(s) of its frame rate had no frame of their own and hold the frame before, so every frame and "
              "the audio keep their time");
  if (r.timestamp_jumps > 0)
    log::warn(input + ": its timestamps jump by more than " +
              std::to_string(static_cast<int>(pipeline::kDiscontinuitySeconds)) + " s " +
              std::to_string(r.timestamp_jumps) +
              " time(s); taken as discontinuities (a clock reset, joined recordings): no pause is held");
  // An AVI's header counts its skipped frames too, which the frames before held.
  if (r.announced_input_frames > 0 && r.input_frames + r.repeated_frames < r.announced_input_frames)
    log::warn(input + ": decoded " + std::to_string(r.input_frames) + " of the " +
              std::to_string(r.announced_input_frames) + " frames its header announces (damaged or truncated?)");
  for (const auto& note : r.stream_notes) {
    if (note.dropped)
      log::warn(input + ": " + note.text);
    else
      log::info(input + ": " + note.text);
  }
}

}  // namespace interp::cli
