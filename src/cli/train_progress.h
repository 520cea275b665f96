#pragma once
/// Progress of `interp train` for people (a redrawn line on a terminal, a plain line
/// every few seconds otherwise) and for programs (--progress FILE|-: key=value blocks
/// as for video jobs: step, total_steps, loss, lr, samples_per_s, val_psnr, elapsed,
/// eta, then progress=continue; the last block adds status=ok|failed|interrupted).
#include "feed_output.h"
#include "interp/pipeline/training_run.h"

#include <chrono>
#include <string>
#include <vector>

namespace interp::cli {

class TrainProgress {
 public:
  /// `feed_path`: "" none, "-" standard output, else a file (feed_output.h).
  TrainProgress(bool show, const std::string& feed_path, bool overwrite, const std::vector<std::string>& inputs);
  TrainProgress(const TrainProgress&) = delete;
  TrainProgress& operator=(const TrainProgress&) = delete;

  void update(const pipeline::TrainingProgress& p);
  void finish(const std::string& status, const std::string& error = "");

 private:
  void write_block(const char* ending);

  bool show_, tty_, drawn_ = false;
  FeedOutput feed_;
  pipeline::TrainingProgress last_;
  std::chrono::steady_clock::time_point shown_;
};

}  // namespace interp::cli
