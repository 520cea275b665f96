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
#include "interp/pipeline/timeline.h"

#include <atomic>
#include <vector>

namespace interp::pipeline {

/// Default --scene-threshold: cuts in ../shared/clips/scene_cuts.mp4 score 0.088-0.16,
/// ordinary (even fast) motion at most ~0.04.
constexpr double kDefaultSceneThreshold = 0.07;

/// Default --static-threshold, measured with still_score() on ../shared/clips re-encoded
/// with every frame held twice (x264): held pairs score 0.004-0.014 at CRF 18, up to 0.03
/// at CRF 28 and 0.065 at CRF 35 (codec noise), exact copies 0; real consecutive frames
/// score at least 0.009 (bigbuckbunny's slowest shot), and 0.0133 at CRF 18. No block
/// or low-pass variant separated codec noise from slow motion, so the default errs
/// toward running the model: it keeps every moving pair of the CRF-18 clip, and where
/// it copies, a midpoint could have moved no block by more than ~1.3 levels of 255.
/// Noisier sources can raise it.
constexpr double kDefaultStaticThreshold = 0.01;

/// A cut also changes the picture's brightness histogram: the share of pixels that move
/// to another of 32 luma bins is 0.108-0.36 at the cuts of ../shared/clips/scene_cuts.mp4
/// and 0.46-0.62 in a cut-heavy edit of both clips, at most 0.09 between the frames of one
/// shot, and 0.008-0.022 where white text scrolling on a dark ground (end credits) scores
/// above kDefaultSceneThreshold: motion moves pixels, it does not change their mix.
constexpr double kCutHistogramChange = 0.05;

/// A frame whose luma varies less than this (standard deviation, 0-1) shows no picture:
/// black or white, a leader or a flash. At a cut's midpoint, where either frame could be
/// the dropped one, the frame with a picture is repeated (the shot lasts, the flash does
/// not): OpenCV's Megamind.avi opens with one black frame, and repeating it at t = 0.5
/// cost the clip's first 60 frames 10 dB against minterpolate.
constexpr double kFlatLuma = 0.01;

/// Which pairs are not given to the model (--scene-threshold, --static-threshold).
struct SkipThresholds {
  double scene = kDefaultSceneThreshold;   ///< scene_change_score above this may be a cut (is_scene_cut); <= 0 disables
  double still = kDefaultStaticThreshold;  ///< still_score at or below this: copies; <= 0 disables
  /// Every pair interpolated: what a user gives explicitly (`interp pair`).
  static SkipThresholds none() { return {0, 0}; }
};

/// The picture's luma from the frames': gain·Y' − offset. Frames read with full swing
/// (io/full_swing.h) hold a limited-range video's codes, 219/255 of the picture's
/// contrast; the skip thresholds are the picture's, whatever the output.
struct LumaScale {
  double gain = 1;
  double offset = 0;
};

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

/// Mean absolute difference of the two frames' luminance at 64×36, in [0,1].
double scene_change_score(const torch::Tensor& a, const torch::Tensor& b);

/// The share of pixels whose luminance falls in another of 32 bins, in [0,1] (half the
/// L1 distance of the two histograms).
double histogram_change(const torch::Tensor& a, const torch::Tensor& b);

/// Whether a and b straddle a scene cut: scene_change_score above `threshold` (<= 0:
/// never) and histogram_change above kCutHistogramChange.
bool is_scene_cut(const torch::Tensor& a, const torch::Tensor& b, double threshold);

/// How much the most changed part of the picture changed: the mean absolute luminance
/// difference of the 16x16-pixel block that differs most, in [0,1]. A block, not the
/// whole frame, so that a small thing moving on a still background counts as motion.
double still_score(const torch::Tensor& a, const torch::Tensor& b);

/// One input pair and the output slots between its frames.
struct PairRequest {
  /// The pair (1×3×H×W on the model's device, every pair the same size) with the input
  /// frames around it that the model reads (ModelTraits), fewer at a clip's ends. One
  /// across a scene cut from its pair is not used, so a window never mixes shots.
  FrameWindow frames;
  std::vector<OutputSlot> slots;
};

struct PairFrames {
  std::vector<torch::Tensor> middles;  ///< one per slot with t > 0, in order
  bool cut = false;                    ///< treated as a scene cut (middles copy the nearer of a, b; kFlatLuma)
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
  FrameWindow model_window(const FrameWindow& known) const;
  /// Runs the samples in batches of options_.batch, checking for cancellation first.
  void run(std::vector<Sample>& samples);
  void stop_if_cancelled() const;  ///< throws interp::Error("interrupted")
  /// `unreached_by_recursion`: only the pairs whose times recursion cannot reach.
  void direct(const std::vector<PairRequest>& pairs, std::vector<PairFrames>& frames, bool unreached_by_recursion);
  void recursive(const std::vector<PairRequest>& pairs, std::vector<PairFrames>& frames);

  FrameInterpolator& model_;
  PairOptions options_;
};

}  // namespace interp::pipeline
