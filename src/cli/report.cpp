/// Warnings about inputs and what became of their streams.
#include "report.h"

#include "log.h"

namespace interp::cli {

void report_input(const std::string& input, const pipeline::JobResult& r) {
  if (r.damage.any())
    log::warn(input + ": damaged input: " + std::to_string(r.damage.dropped_packets) + " packet(s) dropped, " +
              std::to_string(r.damage.concealed_frames) + " frame(s) concealed, " +
              std::to_string(r.repeated_frames) + " lost frame(s) filled with the one before to keep the timeline " +
              "(--strict makes this an error)");
  if (r.announced_input_frames > 0 && r.input_frames < r.announced_input_frames)
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
