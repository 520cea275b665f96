#pragma once
/// Replaying a model's forward pass instead of launching it again. Why: at batch 1 a
/// pair's few hundred kernel launches cost the host more time than the GPU spends on
/// them; a video job runs one frame size and a few times over and over, so each
/// (shape, times) can be recorded once and replayed as one launch (CUDA graphs).
///
/// The recording itself is the backend's (a CallRecorder: CUDA's lives in the
/// interp_cuda_graphs plugin, loaded beside libtorch_cuda); what is generic is here:
/// which calls are recorded, copying each call's frames into the recorded inputs, and
/// handing out a copy of the recorded output, which the next replay overwrites.
#include "interp/core/frame_interpolator.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace interp {

/// One recorded call.
class RecordedCall {
 public:
  virtual ~RecordedCall() = default;
  /// Runs the recorded work again on the tensors it was recorded with; returns the
  /// output tensor, the same storage every replay.
  virtual torch::Tensor replay() = 0;
};

class CallRecorder {
 public:
  virtual ~CallRecorder() = default;
  /// What records ("CUDA graphs").
  virtual std::string name() const = 0;
  /// Records `call` (which returns its output). The output only holds the result after
  /// a replay(). Throws when the call cannot be recorded (one that reads a value back
  /// to the host, say); the backend is left as it was.
  virtual std::unique_ptr<RecordedCall> record(const std::function<torch::Tensor()>& call) = 0;
};

/// CUDA's recorder for `device` when this build has the plugin and the backend loads;
/// null, with the reason in *why_not, otherwise. Never throws.
std::shared_ptr<CallRecorder> cuda_call_recorder(torch::Device device, std::string* why_not = nullptr);

/// How the replays went, for benchmarks and the log.
struct ReplayCounts {
  std::string recorder;  ///< CallRecorder::name(): "CUDA graphs"
  int recorded = 0;      ///< calls recorded (one per shape and times)
  int64_t replays = 0;   ///< calls served by a replay
  int64_t direct = 0;    ///< calls run as they are (first sightings, refusals, past the limit)
  std::string refused;   ///< the last reason a recording failed; empty: none did
};

struct ReplayLimits {
  /// Calls of one shape and times seen this often run directly before being recorded:
  /// the first run sets up what recording must not (cuDNN's algorithm choice, caches).
  int direct_runs_first = 1;
  /// Recordings kept; calls of further shapes run directly (each recording holds its
  /// own inputs and output).
  int max_recorded = 8;
};

/// `model` with its calls recorded by `recorder` and replayed (see above). A model
/// whose replayable() is false is returned as it is.
std::unique_ptr<FrameInterpolator> with_replay(std::unique_ptr<FrameInterpolator> model,
                                               std::shared_ptr<CallRecorder> recorder, ReplayLimits limits = {});

/// The counts of a model returned by with_replay(); nullopt for any other model.
std::optional<ReplayCounts> replay_counts(const FrameInterpolator& model);

/// "CUDA graphs: 2 recorded, 40 replays, 6 direct" (and the refusal, if any) for a model
/// returned by with_replay(); "" for any other.
std::string replay_summary(const FrameInterpolator& model);

}  // namespace interp
