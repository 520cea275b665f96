/// A FrameInterpolator that records each (shape, times) call once and replays it
/// (graph_replay.h), and the loader of CUDA's recorder plugin.
#include "interp/core/graph_replay.h"

#include "interp/base/error.h"
#include "interp/core/device.h"

#include <dlfcn.h>

#include <cstdio>
#include <map>
#include <mutex>

namespace interp {
namespace {

/// One shape and times: how often it ran, and its recording once made.
struct Recording {
  int direct_runs = 0;
  bool refused = false;
  std::vector<torch::Tensor> inputs;  ///< the frames the call was recorded with
  std::unique_ptr<RecordedCall> call;
};

std::string call_key(const FrameWindow& window, const std::vector<double>& times) {
  std::string key;
  for (const auto& frame : window.frames()) {
    key += c10::toString(frame.scalar_type());
    for (const int64_t size : frame.sizes()) key += ' ' + std::to_string(size);
    key += ';';
  }
  char time[32];
  for (const double t : times) {  // exact: a time baked into a recording must match
    std::snprintf(time, sizeof time, " %.17g", t);
    key += time;
  }
  return key;
}

class ReplayingInterpolator final : public WrappedInterpolator {
 public:
  ReplayingInterpolator(std::unique_ptr<FrameInterpolator> model, std::shared_ptr<CallRecorder> recorder,
                        ReplayLimits limits)
      : WrappedInterpolator(std::move(model)), recorder_(std::move(recorder)), limits_(limits) {
    counts_.recorder = recorder_->name();
  }

  const ReplayCounts& counts() const { return counts_; }

 private:
  torch::Tensor make(const FrameWindow& window, const std::vector<double>& times) override {
    Recording& r = recordings_[call_key(window, times)];
    if (!r.call && !r.refused && r.direct_runs >= limits_.direct_runs_first && counts_.recorded < limits_.max_recorded)
      record(r, window, times);
    if (!r.call) {
      ++r.direct_runs;
      ++counts_.direct;
      return inner().interpolate(window, times);
    }
    for (size_t i = 0; i < r.inputs.size(); ++i) r.inputs[i].copy_(window.frames()[i]);
    ++counts_.replays;
    // The next replay writes the same storage: the caller gets its own copy.
    return r.call->replay().clone();
  }

  void record(Recording& r, const FrameWindow& window, const std::vector<double>& times) {
    for (const auto& frame : window.frames()) r.inputs.push_back(frame.clone());
    const FrameWindow recorded(r.inputs, window.before());
    try {
      r.call = recorder_->record([this, recorded, times] { return inner().interpolate(recorded, times); });
      ++counts_.recorded;
    } catch (const std::exception& e) {
      r.refused = true;
      r.inputs.clear();
      counts_.refused = first_line(e.what());
    }
  }

  std::shared_ptr<CallRecorder> recorder_;
  ReplayLimits limits_;
  std::map<std::string, Recording> recordings_;
  ReplayCounts counts_;
};

/// The plugin's entry point: a new recorder for a CUDA device, or null with a reason.
using NewRecorder = CallRecorder* (*)(int device_index, char* why_not, size_t why_not_size);

NewRecorder load_plugin(std::string* why_not) {
  static std::once_flag once;
  static NewRecorder entry = nullptr;
  static std::string failure;
  std::call_once(once, [] {
#ifdef INTERP_CUDA_GRAPHS_PLUGIN
    // The build's own copy first, then the loader's search (an installed one).
    void* handle = dlopen(INTERP_CUDA_GRAPHS_PLUGIN, RTLD_NOW | RTLD_LOCAL);
    if (!handle) handle = dlopen("libinterp_cuda_graphs.so", RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char* err = dlerror();
      failure = std::string("the CUDA graphs plugin could not be loaded: ") + (err ? err : "unknown error");
      return;
    }
    entry = reinterpret_cast<NewRecorder>(dlsym(handle, "interp_new_cuda_recorder"));
    if (!entry) failure = "the CUDA graphs plugin has no entry point";
#else
    failure = "this build has no CUDA graphs (no CUDA headers were found when it was built)";
#endif
  });
  if (why_not) *why_not = failure;
  return entry;
}

}  // namespace

std::shared_ptr<CallRecorder> cuda_call_recorder(torch::Device device, std::string* why_not) {
  std::string why;
  std::shared_ptr<CallRecorder> recorder;
  if (!device.is_cuda()) {
    why = "the model runs on " + device.str();
  } else if (load_cuda_backend(&why)) {
    if (const NewRecorder entry = load_plugin(&why)) {
      char reason[512] = {0};
      recorder.reset(entry(device.has_index() ? device.index() : 0, reason, sizeof reason));
      if (!recorder) why = reason;
    }
  }
  if (why_not) *why_not = why;
  return recorder;
}

std::unique_ptr<FrameInterpolator> with_replay(std::unique_ptr<FrameInterpolator> model,
                                               std::shared_ptr<CallRecorder> recorder, ReplayLimits limits) {
  if (!recorder) throw Error("with_replay needs a recorder");
  if (!model->replayable()) return model;
  return std::make_unique<ReplayingInterpolator>(std::move(model), std::move(recorder), limits);
}

std::optional<ReplayCounts> replay_counts(const FrameInterpolator& model) {
  if (const auto* replaying = dynamic_cast<const ReplayingInterpolator*>(&model)) return replaying->counts();
  return std::nullopt;
}

std::string replay_summary(const FrameInterpolator& model) {
  const auto counts = replay_counts(model);
  if (!counts) return "";
  std::string line = counts->recorder + ": " + std::to_string(counts->recorded) + " recorded, " +
                     std::to_string(counts->replays) + " replays, " + std::to_string(counts->direct) + " direct";
  return counts->refused.empty() ? line : line + " (refused: " + counts->refused + ")";
}

}  // namespace interp
