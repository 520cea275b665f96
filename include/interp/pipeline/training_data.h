#pragma once
/// What `interp train` and `--adapt` learn from: the user's clips and picture sequences,
/// decoded once through the same sources a job reads, kept as 8-bit frames in a cache
/// of bounded size, and cut into windows of consecutive frames (f[i], ..., f[i+n]). A
/// window's ends are the pair, a frame inside it the in-between at t = j/n: a video is
/// its own ground truth. Windows across a scene cut, or whose ends do not move, are
/// left out by the pipeline's own detectors (pair_interpolator.h), so training sees
/// what interpolation is asked to do. A share of every clip is held out for
/// validation: its end (will the model do well on what comes next?) or stretches spread
/// over it (is it better on the whole clip? what --adapt must know).
#include "interp/pipeline/frame_source.h"
#include "interp/pipeline/pair_interpolator.h"

#include <atomic>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace interp::pipeline {

/// Where a clip's held-out frames lie.
enum class HeldOut {
  kEnd,     ///< its last frames
  kSpread,  ///< up to kHeldOutStretches stretches evenly spread over it
};

struct TrainingDataOptions {
  /// This share of every clip (at least kValidationFrames frames) is for validation
  /// only, unless that would leave fewer than kValidationFrames to train on; 0: none.
  double validation_share = 0.1;
  HeldOut held_out = HeldOut::kEnd;
  /// Windows span 2..max_span frame intervals: in-betweens of pairs up to that far apart.
  /// 2 (frames i, i+1, i+2 only) is the motion closest to a job's pairs, and gained as
  /// much as 4 in 4-minute runs (README, "Does it help?").
  int max_span = 2;
  /// Decoded frames kept, in bytes, shared equally by the sources; a source beyond its
  /// share keeps its first frames.
  int64_t cache_bytes = int64_t{4} << 30;
  SkipThresholds skip;
  io::DecodeOptions decode;
  const std::atomic<bool>* cancel = nullptr;
};

/// Frames held out at the least from a clip when validating.
inline constexpr int64_t kValidationFrames = 3;
/// Held-out stretches at most (HeldOut::kSpread), each at least kValidationFrames long:
/// as many as the held-out frames allow, so that short clips are sampled all over too.
inline constexpr int64_t kHeldOutStretches = 8;
/// Validation samples at most (evenly spaced over the held-out windows).
inline constexpr size_t kValidationSamples = 16;

/// Frames first..first+span of one clip.
struct TrainingWindow {
  size_t clip = 0;
  int64_t first = 0;
  int span = 2;
};

struct TrainingClip {
  std::string name;
  std::vector<torch::Tensor> frames;  ///< 3×H×W uint8 RGB, in order
  /// The held-out stretches [first, end), in order: for validation only.
  std::vector<std::pair<int64_t, int64_t>> held_out;
  /// The stretch (of training or held-out frames) each frame is in: windows and the
  /// neighbours a model reads stay inside one.
  std::vector<int> part;
  std::vector<bool> cut_after;        ///< cut_after[i]: a scene cut between frames i and i+1
  /// Each frame's slot on its source's frame grid (frame_grid.h): where a variable rate
  /// skipped slots, the frames of a window are not evenly spaced in time.
  std::vector<int64_t> slot;
  int64_t cuts = 0, still_windows = 0, uneven_windows = 0;
  int64_t late_frames = 0;            ///< dropped as a job drops them: a pipe's, faster than its opening
  bool shortened = false;             ///< kept its first frames only (cache share)
};

/// The inputs `path` stands for: a video, pictures (a folder of them or a numbered
/// pattern), or a folder of clips (each file FFmpeg can read; subfolders are not
/// searched). Throws interp::Error naming a path that is none of these.
std::vector<JobInput> training_inputs(const std::string& path);

class TrainingData {
 public:
  /// Decodes every input (notes such as shortened clips go to `note`) and finds the
  /// windows. Throws interp::Error for unreadable inputs, frames of a source changing
  /// size, and when no window is left to train on ("no usable triplets": one frame,
  /// all cuts, all still) — before any training.
  TrainingData(const std::vector<JobInput>& inputs, const TrainingDataOptions& options,
               const std::function<void(const std::string&)>& note = {});

  const std::vector<TrainingClip>& clips() const { return clips_; }
  const std::vector<TrainingWindow>& training_windows() const { return training_; }
  /// At most kValidationSamples of the held-out windows, evenly spaced: what training
  /// validates on now and then.
  const std::vector<TrainingWindow>& validation_windows() const { return validation_; }
  /// Every held-out window (pairs two frames apart, in clip order).
  const std::vector<TrainingWindow>& held_out_windows() const { return held_out_; }
  /// At most `count` of them, evenly spaced over the held-out part.
  std::vector<TrainingWindow> held_out_sample(size_t count) const;
  /// The frames a model with `traits` reads around window `w`'s pair (its ends and the
  /// neighbours one span apart, in time order): evenly spaced like the windows a job
  /// gives it. Where a neighbour lies outside the window's stretch of the clip
  /// (training or held-out), or across a cut, the nearest frame kept stands in — as a job
  /// repeats the pair's end at a clip's ends and at cuts.
  std::vector<int64_t> window_frames(const TrainingWindow& w, const ModelTraits& traits) const;
  /// The smallest frame side over all clips (crops cannot be larger).
  int64_t smallest_side() const;
  int64_t bytes() const { return bytes_; }
  /// "2 clips, 382 frames (629 MiB cached): 1180 training windows, 16 validation".
  std::string summary() const;

 private:
  /// Frames and the windows left out, over all clips: what the summary and the "no
  /// usable triplets" error both count.
  struct Totals {
    int64_t frames = 0, cuts = 0, still_windows = 0, uneven_windows = 0, late_frames = 0;
  };
  Totals totals() const;
  void add_clip(const JobInput& input, int64_t byte_share, const std::function<void(const std::string&)>& note);
  void find_windows(size_t index);

  TrainingDataOptions options_;
  std::vector<TrainingClip> clips_;
  std::vector<TrainingWindow> training_, validation_, held_out_;
  int64_t bytes_ = 0;
};

}  // namespace interp::pipeline
