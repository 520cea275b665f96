#pragma once
/// Which output frames fall between which input frames, in exact rational arithmetic:
/// output frame k sits at input position k * den / num for an output/input rate ratio
/// num/den. Output count for N inputs is ceil(N * num / den), so durations hold; the
/// tail after the last input repeats it.
#include <cstdint>
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

  /// Output frames whose position lies in [i, i+1).
  std::vector<OutputSlot> slots_for_pair(int64_t i) const;

  /// Total output frames for `inputs` input frames.
  int64_t output_count(int64_t inputs) const;

  const RateRatio& ratio() const { return ratio_; }

  /// True when every t is k/2^e (so recursion at 0.5 can reach it); `depth` gets e.
  bool dyadic(int* depth = nullptr) const;

 private:
  RateRatio ratio_;
};

/// From the CLI's --exp / --multi / --fps (exactly one given; 0 = not given) and the
/// input frame rate num/den. Throws interp::Error for invalid values.
RateRatio make_ratio(int exp, int multi, const std::string& fps, int64_t in_num, int64_t in_den);

/// "30000/1001", "59.94", "60" -> exact fraction (decimals kept exactly). Throws on junk.
RateRatio parse_rate(const std::string& text);

}  // namespace interp::pipeline
