#pragma once
/// Progress for people and for programs. People: a redrawn bar on stderr (frames, fps,
/// elapsed, speed as a multiple of real time like ffmpeg's `speed=`, ETA) on a terminal, a
/// plain line every few seconds otherwise, nothing with -q. Programs (--progress FILE|-):
/// ffmpeg-style blocks of key=value lines, each ended by `progress=continue`, and a last
/// block with `status=` and `progress=end`, so front-ends and batch tools need no
/// scraping of the bar.
#include "feed_output.h"
#include "interp/pipeline/job.h"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace interp::cli {

class Progress {
 public:
  Progress(std::string label, bool enabled);
  void update(const pipeline::JobProgress& p);
  /// Ends the bar's line.
  void finish();

 private:
  std::string label_;
  bool enabled_;
  bool tty_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_;
};

/// The machine-readable feed. Its keys: frame, total (0: unknown), fps, elapsed, out_time
/// (HH:MM:SS.micro of output written), out_time_s, speed (e.g. 0.42x; N/A for untimed
/// pictures), eta (seconds; N/A when unknown), then progress; the last block adds
/// status=ok|failed|interrupted (and error=... when failed).
class ProgressFeed {
 public:
  /// `path` "-" is standard output; a file is an output of the job (io::LiveOutput:
  /// never one of `inputs`, kept only when the job ends well). Empty: no feed.
  ProgressFeed(const std::string& path, bool overwrite, const std::vector<std::string>& inputs);
  ProgressFeed(const ProgressFeed&) = delete;
  ProgressFeed& operator=(const ProgressFeed&) = delete;

  void update(const pipeline::JobProgress& p);
  /// The last block. `error` is the failure's message (status=failed) when not empty.
  void finish(const std::string& status, const std::string& error = "");

 private:
  void write_block(const pipeline::JobProgress& p, const char* ending);

  FeedOutput out_;
  pipeline::JobProgress last_;
  std::chrono::steady_clock::time_point written_;
};

}  // namespace interp::cli
