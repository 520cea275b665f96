#pragma once
/// Which pairs of input frames the model is not given: a scene cut (the frames show two
/// shots; an in-between would blend them) and a still pair (nothing moves). The rules read
/// a few numbers per pair from the frames' luma, and the host needs them to decide.
/// Read one pair at a time, each number cost a wait for the device (a GPU then idles
/// while the host asks); PairJudge measures every pair of a batch, and the frames around
/// them that a window model reads, on the device and brings all the numbers over in one
/// copy, each frame's luma computed once (the second frame of one pair is the first of
/// the next).
#include <torch/types.h>

#include <map>
#include <utility>
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

/// What the rules say of one pair.
struct PairVerdict {
  bool cut = false;               ///< straddles a scene cut (is_scene_cut)
  bool still = false;             ///< not a cut, and still_score at or below the threshold
  bool midpoint_takes_b = false;  ///< a cut whose first frame is flat (kFlatLuma) and second is not
};

/// Whether a cut's first frame stands alone, from the verdicts of (the frame before it,
/// it) and (the frame before it, the cut's second): a cut parts it from the frame before
/// too, and none parts that frame from the second. It is a flash, a frame-long glitch or
/// insert, and the shot around it lasts: at the cut's midpoint, where either frame could
/// be the dropped one, the second is repeated (OpenCV's Megamind_bugy.avi whites out a
/// block of every fifth frame; repeating one at t = 0.5 scored 11.4 dB there, the next
/// frame 33.9).
inline bool stands_alone(const PairVerdict& before_and_first, const PairVerdict& before_and_second) {
  return before_and_first.cut && !before_and_second.cut;
}

/// Judges pairs of frames (1×C×H×W, C ≥ 3, on one device) in one go: add() every pair,
/// judge() once, then verdict() of each. A frame is known by its data (two views of one
/// frame are the same frame), so the frames must live until the verdicts are read.
class PairJudge {
 public:
  PairJudge(SkipThresholds skip, LumaScale luma) : skip_(skip), luma_(luma) {}

  /// Queues the pair (a then b); one already queued or judged is not measured again.
  void add(const torch::Tensor& a, const torch::Tensor& b);
  /// Measures every pair queued since the last call: one copy from the device.
  void judge();
  /// The pair's verdict; interp::Error if it was never judged.
  const PairVerdict& verdict(const torch::Tensor& a, const torch::Tensor& b) const;

 private:
  using Key = std::pair<const void*, const void*>;
  SkipThresholds skip_;
  LumaScale luma_;
  std::vector<std::pair<torch::Tensor, torch::Tensor>> queued_;
  std::map<Key, PairVerdict> verdicts_;
};

}  // namespace interp::pipeline
