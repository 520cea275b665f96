#pragma once
/// Where a --progress feed goes, for video jobs and `interp train` alike: nowhere (""),
/// standard output ("-", never one of the inputs) or a file, an output like any other
/// (io::LiveOutput: kept only when the job ends well). Each block is checked once
/// written: the first write that fails (a full disk, a reader that went away) is said
/// once and ends the feed, not the job, as ffmpeg's -progress does; a file so cut short
/// is removed at the end instead of being kept half-written under its name.
#include "interp/io/live_output.h"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace interp::cli {

class FeedOutput {
 public:
  FeedOutput(const std::string& path, bool overwrite, const std::vector<std::string>& inputs);
  FeedOutput(const FeedOutput&) = delete;
  FeedOutput& operator=(const FeedOutput&) = delete;

  /// Whether blocks are still written: a feed was asked for and no write has failed.
  bool writing() const { return out_ != nullptr; }
  /// Appends to the block being written (printf's format).
  void print(const char* format, ...) __attribute__((format(printf, 2, 3)));
  /// Sends the block to its reader and checks that it went.
  void end_block();
  /// The job's end: the file stays when the job ended well and every block was written.
  void close(bool job_ok);

 private:
  std::string path_;
  std::optional<io::LiveOutput> file_;
  std::FILE* out_ = nullptr;
  bool cut_short_ = false;
  int failure_ = 0;  ///< errno of the first write that failed
};

}  // namespace interp::cli
