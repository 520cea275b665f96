#pragma once
/// `--precision auto` on a CPU decides by speed measured on this machine, not by its
/// flags: AVX-512-BF16 says what the CPU can execute, not what pays (on an Intel Xeon
/// without AMX, oneDNN's bf16 kernels run these convolutions at 0.6-0.8x its fp32 ones;
/// on an AMD EPYC with the same flag, 1.4-1.9x). The first time a model and mode runs in
/// auto, a few passes in fp32 and in bf16 on a small random tile are timed, alternating,
/// and the faster wins; the verdict is kept (VerdictStore) under what it holds for, so
/// later runs pay nothing.
#include "interp/core/frame_interpolator.h"

#include <functional>
#include <optional>
#include <string>

namespace interp {

struct SpeedVerdict {
  double bf16_speedup = 1;  ///< fp32 seconds over bf16 seconds per pass (>1: bf16 faster)
  Precision faster() const { return bf16_speedup > 1 ? Precision::kBf16 : Precision::kFp32; }
};

/// Where verdicts are kept between runs (the CLI: a file under the user's cache
/// folder, pipeline/precision_verdicts.h); core only asks and tells.
class VerdictStore {
 public:
  virtual ~VerdictStore() = default;
  virtual std::optional<SpeedVerdict> find(const std::string& key) = 0;
  virtual void keep(const std::string& key, const SpeedVerdict& verdict) = 0;
};

/// What a verdict holds for: the CPU's model, oneDNN's instruction limit
/// (ONEDNN_MAX_CPU_ISA), LibTorch's version, the threads, the model and its mode.
std::string verdict_key(const std::string& model, const std::string& mode);

/// The side of the square random frames timed, and the seconds the timed rounds may take
/// after the first pass of each: the whole measurement takes about 0.2 s for v3.9 in
/// refine on 2 cores (under 5% of a 10-second job), and is paid once per model and mode.
inline constexpr int64_t kVerdictTile = 192;
inline constexpr double kVerdictBudgetSeconds = 0.2;

/// fp32 and bf16 passes of `model` (built for the CPU in fp32) on random tiles: one of
/// each first (settling the matter alone when one is 3x the other: an emulated bf16 is
/// not timed further), then up to `rounds` alternating rounds within the budget; the
/// ratio of their medians.
/// `clock`: seconds on a monotonic clock (empty: the steady clock; tests give their own,
/// so that what they check never depends on the machine's load).
using Clock = std::function<double()>;
SpeedVerdict measure_bf16_speedup(FrameInterpolator& model, int rounds = 3, Clock clock = {});

/// auto's choice on the CPU for a model whose gates allow bf16: the stored verdict, or
/// one measured now and stored (`store` may be null: measured, not kept). The reason
/// says which, and whether it was measured now.
PrecisionChoice fastest_on_this_cpu(FrameInterpolator& model, VerdictStore* store, Clock clock = {});

}  // namespace interp
