#pragma once
/// One interpolation job: source -> model -> sink as three named stages on their own
/// threads (decode, interpolate, write), joined by bounded queues so that decoding and
/// encoding overlap the model. Packets to stream-copy ride along in source order.
#include "interp/core/frame_interpolator.h"
#include "interp/pipeline/frame_sink.h"
#include "interp/pipeline/frame_grid.h"
#include "interp/pipeline/frame_source.h"
#include "interp/pipeline/pair_interpolator.h"
#include "interp/pipeline/timeline.h"

#include <atomic>
#include <functional>
#include <optional>

namespace interp::pipeline {

struct JobProgress {
  int64_t output_frames = 0;
  int64_t expected_output_frames = 0;  ///< 0 when the input's frame count is unknown
  double seconds = 0;                  ///< since the job started
  double output_fps = 0;               ///< the output's frame rate (0: untimed pictures)
};

/// A piece of the input, by input frame index, half-open: the output frames that belong
/// to frames first..end-1 (each frame and the in-betweens after it), numbered and timed
/// as in a run over the whole input, so pieces made apart join into that run's output.
/// Frame `end` is decoded (the last pair reaches it) but not written.
struct FrameRange {
  int64_t first = 0;
  int64_t end = 0;  ///< 0: to the end of the input (its last frame and tail written)
};

/// Where a piece falls on the whole input's frame grid (frame_grid.h), found from the
/// timestamps of the frames before it: a video whose timestamps skip slots numbers its
/// output by slot, not by frame, and a piece must number its frames as the whole run does.
struct PiecePlacement {
  FrameGrid grid;          ///< as the whole run leaves it before the piece's source starts
  int64_t first_slot = 0;  ///< the slot of the piece's first frame
  /// The slot of its `end` frame (one past the last frame's for a piece to the end);
  /// nullopt when the timestamps end before it.
  std::optional<int64_t> end_slot;
};

struct InputNeighbours {
  int64_t before = 0;
  int64_t after = 0;
};

struct JobOptions {
  /// How pairs are made: batch, the pairs not given to the model, cancellation (the
  /// timing mode is the job's to choose, from `recursive` and the model).
  PairOptions pairs;
  bool recursive = false;  ///< in-betweens by recursive midpoints even when the model takes any t
  bool repeat_tail = true;  ///< repeat the last frame to the timeline's end (a pair: no)
  int64_t frame_limit = 0;  ///< read at most this many input frames (0: all)
  /// A piece of the input only; the source starts at range->first (open_source).
  std::optional<FrameRange> range;
  /// A piece's place on the grid where its input's timestamps tell it (place_piece):
  /// numbered by frame without it (pictures, standard input).
  std::optional<PiecePlacement> placement;
  /// Inputs at the start and the end that are only neighbours of windows, never written
  /// (`interp pair A B C D`: one on each side, the frames between B and C for a window
  /// model). Those at the end are counted from a source that knows its frame count.
  InputNeighbours neighbours_only;
  io::DecodeOptions decode;  ///< strictness and the pixel limit of the inputs
  /// What the model was loaded with that its name does not say (weights' hash, flow
  /// scale), recorded in --range pieces so that join refuses pieces of other models.
  std::string model_settings;
  std::function<void(const JobProgress&)> on_progress;
};

/// The rules of what a job reads and writes of its input, in one place: a --range
/// piece numbers its frames from its first, reads one frame past its end (that frame
/// closes its last pair but belongs to the next piece), needs one frame when it starts
/// past 0 (the last piece may hold just the video's last frame), and expects the
/// outputs of its frames alone. A piece past 0 also reads the frames before its first
/// (the source opens there: piece_source_start), and for a window model the frames it
/// reads past its end: neighbours of its first and last windows, never written, so that
/// pieces join into exactly one run's frames. Without a range, the inputs that are
/// neighbours only (JobOptions::neighbours_only) are the lead and the trail.
struct InputSpan {
  int64_t first = 0;       ///< input index of the first frame written
  int64_t first_slot = 0;  ///< its slot on the input's grid: `first` unless placed (PiecePlacement)
  int64_t end = 0;         ///< one past the last frame written; 0: to the end of the input
  int64_t read_limit = 0;  ///< frames to decode (0: all)
  int64_t min_frames = 2;  ///< fewer decoded frames is an error
  int64_t lead = 0;        ///< frames decoded before `first` (neighbours only)
  int64_t trail = 0;       ///< frames decoded after the last pair's end (neighbours only)

  /// `source_frames`: the source's frame count (0: unknown). Throws interp::Error for
  /// trailing neighbours of a source that cannot count its frames.
  InputSpan(const JobOptions& options, const ModelTraits& traits, int64_t source_frames);
  /// Whether `decoded` frames read reach frame `end`: read for its pair, not written.
  bool ends_at_boundary(int64_t decoded) const { return end > 0 && decoded >= lead + end - first + 1; }
  /// Whether the `decoded`-th frame read (from 1) is only a window's neighbour.
  bool is_neighbour(int64_t decoded) const { return decoded <= lead || (trail > 0 && decoded >= trail_from_); }
  /// Output frames expected from a source of `frames` frames (0: unknown), 0 when unknown.
  int64_t expected_outputs(const Timeline& timeline, int64_t frames, bool repeat_tail) const;

 private:
  bool piece_ = false;
  std::optional<PiecePlacement> placement_;
  int64_t frame_limit_ = 0;
  int64_t trail_from_ = 0;  ///< the first frame read (from 1) of the trail
};

/// Frames a piece past 0 reads before its first: the most any family's models read before
/// a pair (ModelFamily::traits; a piece is planned before its model loads), and at
/// least one, whose timestamp also times frames lost before the piece's first.
int64_t piece_lead();
/// Where a piece's source starts: piece_lead() frames before its first, or at 0
/// (neighbours: InputSpan).
int64_t piece_source_start(const FrameRange& range);
/// piece_source_start() with its timestamp from `times` (io::presentation_times; empty:
/// none read) where they hold it and every frame before it is timed, so counted as a
/// seek counts frames.
PieceStart piece_start(const FrameRange& range, const std::vector<std::optional<int64_t>>& times);

/// `range`'s placement on `grid` (a fresh grid of the input's step and rate), from the
/// input's frame timestamps in presentation order (io::presentation_times: all of them
/// for a piece to the end, else at least through frame range.end).
PiecePlacement place_piece(FrameGrid grid, const std::vector<std::optional<int64_t>>& times, const FrameRange& range);

struct JobResult {
  int64_t input_frames = 0;
  int64_t announced_input_frames = 0;  ///< what the source's header said (0: unknown)
  io::DecodeDamage damage;
  int64_t repeated_frames = 0;  ///< slots without a frame of their own, held by the one before (frame_grid.h)
  int64_t filled_frames = 0;    ///< slots without a frame of their own, made from the pair around them
  int64_t timestamp_jumps = 0;  ///< discontinuities in the input's timestamps (frame_grid.h)
  int64_t late_frames = 0;      ///< frames dropped for coming too late (FrameGrid::kLate)
  int64_t output_frames = 0;
  int64_t scene_cuts = 0;
  int64_t still_pairs = 0;  ///< pairs that did not move: in-betweens copied, model not run
  double seconds = 0;        ///< wall time of the whole job
  double model_seconds = 0;  ///< time inside the model (interpolate stage)
  std::vector<io::StreamNote> stream_notes;  ///< the sink's: streams converted or dropped
};

/// Runs the three stages. Throws interp::Error (bad input, fewer than two frames,
/// cancelled: "interrupted").
/// The sink is finished (its output put in place) only when everything succeeded.
JobResult run_job(FrameInterpolator& model, FrameSource& source, FrameSink& sink, const Timeline& timeline,
                  const JobOptions& options);

}  // namespace interp::pipeline
