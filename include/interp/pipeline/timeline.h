#pragma once
/// Which output frames fall between which input frames, in exact rational arithmetic:
/// output frame k sits at input position k * den / num for an output/input rate ratio
/// num/den. Output count for N inputs is ceil(N * num / den), so durations hold; the
/// tail after the last input repeats it.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace interp::pipeline {

struct RateRatio {
  int64_t num = 2;  ///< output frames ...
  int64_t den = 1;  ///< ... per this many input frames (reduced, num > den)
};

/// How in-between frames are made.
enum class TimingMode {
  Direct,     ///< one model call per in-between frame at its exact t (RIFE v4)
  Recursive,  ///< midpoints only, recursing (t must be k/2^e; every model)
};

struct OutputSlot {
  int64_t index;  ///< output frame number
  double t;       ///< 0: the input frame itself; else time between input i and i+1
  int64_t t_num;  ///< t = t_num / t_den exactly
  int64_t t_den;
};

class Timeline {
 public:
  explicit Timeline(RateRatio ratio);
  /// One in-between at t = num/den in (0,1) after input 0, and nothing else made: output
  /// 0 is input 0, output 1 the frame at t, output i+1 input i (`interp pair -t`).
  static Timeline one_between(RateRatio t);

  /// Output frames whose position lies in [i, i+1).
  std::vector<OutputSlot> slots_for_pair(int64_t i) const;
  /// Output frames whose position lies in [first, last), with t measured over the whole
  /// span: the slots of a pair whose frames are last - first input spacings apart (a gap
  /// in the input's timestamps that the pair fills: frame_grid.h).
  std::vector<OutputSlot> slots_for_span(int64_t first, int64_t last) const;

  /// Total output frames for `inputs` input frames.
  int64_t output_count(int64_t inputs) const;

  const RateRatio& ratio() const { return ratio_; }

  /// True when every t is k/2^e (so recursion at 0.5 can reach it); `depth` gets e.
  bool dyadic(int* depth = nullptr) const;

 private:
  RateRatio ratio_;
  std::optional<RateRatio> one_at_;  ///< one_between()'s t
};

/// Whether every slot's t is k/2^e, which recursion at 0.5 reaches.
bool dyadic_slots(const std::vector<OutputSlot>& slots);

/// The largest output/input rate ratio interp makes (one pair then yields 63 in-betweens).
inline constexpr int64_t kMaxRateFactor = 64;

/// What was asked of the output rate: a fixed factor, or a target frame rate (which
/// becomes a factor once the input's rate is known).
struct RateRequest {
  RateRatio factor{2, 1};
  std::optional<RateRatio> target_fps;
  std::optional<RateRatio> one_frame_at;  ///< only the frame at this t (Timeline::one_between)
};

/// The timeline `request` asks for, for an input of in_num/in_den fps (0/1: untimed
/// pictures, which take a factor or one frame only).
Timeline timeline_for(const RateRequest& request, int64_t in_num, int64_t in_den);

/// The output/input ratio for an input of in_num/in_den fps. Throws interp::Error when
/// a target rate is not above the input's.
RateRatio ratio_for(const RateRequest& request, int64_t in_num, int64_t in_den);

/// "30000/1001", "59.94", "60" -> exact fraction (decimals kept exactly). Throws on junk.
RateRatio parse_rate(const std::string& text);

/// "0.25", "1/3" -> an exact time strictly between 0 and 1. Throws interp::Error otherwise.
RateRatio parse_time(const std::string& text);

}  // namespace interp::pipeline
