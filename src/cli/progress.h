#pragma once
/// Progress on stderr: a redrawn bar (frames, fps, ETA) on a terminal, a plain line
/// every few seconds otherwise (logs, CI), nothing with -q.
#include <chrono>
#include <cstdint>
#include <string>

namespace interp::cli {

class Progress {
 public:
  Progress(std::string label, bool enabled);
  /// done/total frames (total 0 = unknown) after `seconds` of work.
  void update(int64_t done, int64_t total, double seconds);
  /// Ends the bar's line.
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool tty_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace interp::cli
