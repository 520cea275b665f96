/// Warnings about inputs and what became of their streams.
#include "report.h"

#include "log.h"

#include "interp/pipeline/frame_grid.h"

namespace interp::cli {

void report_input(const std::string& input, const pipeline::JobResult& r) {
  // Slots of the input's rate without a frame of their own (frame_grid.h).
  const std::string gaps = std::to_string(r.filled_frames) + " made from the frames around them, " +
                           std::to_string(r.repeated_frames) + " held by the frame before";
  if (r.damage.any())
    log::warn(input + ": damaged input: " + std::to_string(r.damage.dropped_packets) + " packet(s) dropped, " +
              std::to_string(r.damage.concealed_frames) + " frame(s) concealed; of the frames missing, " + gaps +
              ", to keep the timeline (--strict makes this an error)");
  else if (r.repeated_frames + r.filled_frames > 0)
    log::info(input + ": variable frame rate: " + std::to_string(r.repeated_frames + r.filled_frames) +
              " slot(s) of its rate had no frame of their own: " + gaps + " (pauses of more than " +
              std::to_string(pipeline::kLongestFilledGap) + ", or gaps the model cannot fill), so every frame and "
              "the audio keep their time");
  if (r.timestamp_jumps > 0)
    log::warn(input + ": its timestamps jump by more than " +
              std::to_string(static_cast<int>(pipeline::kDiscontinuitySeconds)) + " s " +
              std::to_string(r.timestamp_jumps) +
              " time(s); taken as discontinuities (a clock reset, joined recordings): no pause is held");
  if (r.late_frames > 0)
    log::warn(input + ": " + std::to_string(r.late_frames) + " frame(s) came faster than the rate it was timed on, "
              "judged on its opening frames (a pipe cannot be read twice), and were dropped, so that none falls more "
              "than a frame behind its time and the audio stays in sync; pass the file to keep them");
  // An AVI's header counts its skipped frames too, which the frames before held.
  if (r.announced_input_frames > 0 && r.input_frames + r.late_frames + r.repeated_frames < r.announced_input_frames)
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
