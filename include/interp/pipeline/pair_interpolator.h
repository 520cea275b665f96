#pragma once
/// Makes the in-between frames of input pairs for their output slots: at their exact
/// times (Direct) or by recursive midpoints (Recursive), and as copies when a pair
/// straddles a scene cut (of the frame nearer in time: the cut lies somewhere between
/// them) or does not move (a held drawing in animation, a paused picture: its first
/// frame): the model is not run there, so nothing is invented and time is saved.
/// Forward passes are batched across consecutive pairs, so that `--exp=1` (one frame
/// per pair) fills a GPU's batch too.
///
/// Window models (ConvLSTM) get each pair's window (frame_window.h) with the neighbours
/// their traits read. A neighbour exists when the input has it and no scene cut lies
/// between it and the pair; where none does, the nearest frame kept stands in (a clip's
/// ends). With recursive midpoints the window stays evenly spaced wherever the frames
/// exist: a midpoint between frames h apart takes as neighbours the frames h, 2h, ...
/// before and after them when the pair's window holds those (the input neighbours at
/// the first level, midpoints made at coarser levels after), else the nearest one held.
/// So each pair depends on its window alone: batches, pieces and one run give the same
/// frames.
#include "interp/core/frame_interpolator.h"
#include "interp/pipeline/pair_judge.h"
#include "interp/pipeline/timeline.h"

#include <atomic>
#include <vector>

namespace interp::pipeline {

struct PairOptions {
  TimingMode mode = TimingMode::Direct;  ///< run_job chooses it (choose_timing)
  int batch = 1;                         ///< frames per forward pass, from one or more pairs
  SkipThresholds skip;
  LumaScale luma;
  const std::atomic<bool>* cancel = nullptr;  ///< checked before every forward pass
};

/// Recursive midpoints when asked (--exp) or when the model is trained for t=0.5 only
/// (then every time must be k/2^e, else interp::Error); exact times otherwise.
TimingMode choose_timing(bool recursion_requested, const Timeline& timeline, const FrameInterpolator& model);

/// One input pair and the output slots between its frames.
struct PairRequest {
  /// The pair (1×3×H×W on the model's device, every pair the same size) with the input
  /// frames around it that the model reads (ModelTraits), and at least the one before it
  /// (stands_alone), fewer at a clip's ends. One across a scene cut from its pair is not
  /// given to the model, so a window never mixes shots.
  FrameWindow frames;
  std::vector<OutputSlot> slots;
};

struct PairFrames {
  std::vector<torch::Tensor> middles;  ///< one per slot with t > 0, in order
  bool cut = false;                    ///< treated as a scene cut (middles copy the nearer of a, b; kFlatLuma, stands_alone)
  bool still = false;                  ///< the frames (nearly) match (middles copy a)
};

class PairInterpolator {
 public:
  PairInterpolator(FrameInterpolator& model, PairOptions options);

  /// The in-betweens of every pair. Each result is what the pair alone would give: a
  /// batch only groups forward passes (tests compare with batch 1).
  std::vector<PairFrames> between(const std::vector<PairRequest>& pairs);

  /// Forward passes between(pairs) will take, for callers deciding how many pairs to
  /// gather: the in-between slots (direct) or midpoints to compute (recursive).
  int64_t samples_needed(const std::vector<OutputSlot>& slots) const;

  int batch() const { return options_.batch; }
  /// The model's (model_traits.h): the neighbours each pair's window reads.
  ModelTraits traits() const { return model_.traits(); }

 private:
  /// One frame to compute: the model at t in a window of known frames, into `*out`.
  struct Sample {
    FrameWindow window;
    double t;
    torch::Tensor* out;
  };
  /// The pair's window as the model reads it: PairRequest::frames in the same shot,
  /// the nearest kept frame where the input has none.
  FrameWindow model_window(const FrameWindow& known, const PairJudge& judge) const;
  /// Runs the samples in batches of options_.batch, checking for cancellation first.
  void run(std::vector<Sample>& samples);
  void stop_if_cancelled() const;  ///< throws interp::Error("interrupted")
  /// `unreached_by_recursion`: only the pairs whose times recursion cannot reach.
  void direct(const std::vector<PairRequest>& pairs, std::vector<PairFrames>& frames, const PairJudge& judge,
              bool unreached_by_recursion);
  void recursive(const std::vector<PairRequest>& pairs, std::vector<PairFrames>& frames, const PairJudge& judge);

  FrameInterpolator& model_;
  PairOptions options_;
};

}  // namespace interp::pipeline
