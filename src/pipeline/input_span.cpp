/// The rules of a --range piece (job.h, InputSpan), kept apart from the stages that
/// follow them.
#include "interp/pipeline/job.h"

#include "interp/base/error.h"
#include "interp/core/model_family.h"

#include <algorithm>

namespace interp::pipeline {

int64_t piece_lead() {
  int64_t lead = 1;
  for (const ModelFamily* family : model_families()) lead = std::max<int64_t>(lead, family->traits().frames_before);
  return lead;
}

int64_t piece_source_start(const FrameRange& range) { return std::max<int64_t>(range.first - piece_lead(), 0); }

PieceStart piece_start(const FrameRange& range, const std::vector<std::optional<int64_t>>& times) {
  PieceStart start{piece_source_start(range), std::nullopt};
  // An untimed frame is counted where it is read, not in presentation order: the seek
  // then counts frames from the start itself.
  const auto timed = [](const std::optional<int64_t>& t) { return t.has_value(); };
  if (start.frame < static_cast<int64_t>(times.size()) &&
      std::all_of(times.begin(), times.begin() + start.frame + 1, timed))
    start.pts = times[start.frame];
  return start;
}

PiecePlacement place_piece(FrameGrid grid, const std::vector<std::optional<int64_t>>& times, const FrameRange& range) {
  const auto frames = static_cast<int64_t>(times.size());
  const int64_t start = std::min(piece_source_start(range), frames);
  for (int64_t i = 0; i < start; ++i) grid.skipped_before(times[i]);
  PiecePlacement placed{grid, range.first, std::nullopt};
  // On through the piece, as the whole run would go.
  const int64_t end = range.end > 0 ? std::min(range.end, frames) : frames;
  for (int64_t i = start; i <= end && i < frames; ++i) {
    grid.skipped_before(times[i]);
    if (i == range.first) placed.first_slot = grid.slot();
  }
  placed.end_slot = end < frames ? grid.slot() : grid.slot() + 1;  // past the last frame: the run's end
  return placed;
}

InputSpan::InputSpan(const JobOptions& options, const ModelTraits& traits, int64_t source_frames)
    : read_limit(options.frame_limit),
      piece_(options.range.has_value()),
      placement_(options.placement),
      frame_limit_(options.frame_limit) {
  if (!options.range) {
    lead = options.neighbours_only.before;
    trail = options.neighbours_only.after;
    if (trail > 0 && source_frames <= 0) throw Error("the inputs' last frames are neighbours only: their count is needed");
    trail_from_ = source_frames - trail + 1;
    return;
  }
  first = options.range->first;
  first_slot = placement_ ? placement_->first_slot : first;
  end = options.range->end;
  min_frames = first > 0 ? 1 : 2;
  lead = first - piece_source_start(*options.range);
  trail = end > 0 ? traits.frames_after : 0;
  trail_from_ = lead + end - first + 2;
  if (read_limit > 0) read_limit += lead;
  if (end > 0 && (read_limit <= 0 || read_limit > lead + end - first + 1 + trail))
    read_limit = lead + end - first + 1 + trail;
}

int64_t InputSpan::expected_outputs(const Timeline& timeline, int64_t frames, bool repeat_tail) const {
  if (frame_limit_ > 0 && (frames <= 0 || frames > frame_limit_)) frames = frame_limit_;
  if (frames > 0 && !piece_) frames = std::max<int64_t>(frames - lead - trail, 0);
  if (placement_)
    return placement_->end_slot ? timeline.output_count(*placement_->end_slot) - timeline.output_count(first_slot) : 0;
  if (piece_) {
    if (frames > 0 && end > 0 && end < frames) return timeline.output_count(end) - timeline.output_count(first);
    if (frames > first) return timeline.output_count(frames) - timeline.output_count(first);
    return 0;
  }
  if (frames < 2) return 0;
  return repeat_tail ? timeline.output_count(frames) : timeline.slots_for_pair(frames - 2).back().index + 2;
}

}  // namespace interp::pipeline
