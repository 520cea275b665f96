/// The --progress feed's destination (feed_output.h).
#include "feed_output.h"

#include "interp/base/error.h"
#include "interp/io/output_file.h"
#include "log.h"

#include <cerrno>
#include <cstdarg>
#include <cstring>

#include <stdio_ext.h>

namespace interp::cli {

FeedOutput::FeedOutput(const std::string& path, bool overwrite, const std::vector<std::string>& inputs)
    : path_(path) {
  if (path.empty()) return;
  if (path == "-") {
    io::check_standard_output(inputs);
    out_ = stdout;
    return;
  }
  try {
    file_.emplace(path, overwrite, inputs);
  } catch (const Error& e) {
    throw Error(std::string("--progress ") + e.what());
  }
  out_ = file_->stream();
}

void FeedOutput::print(const char* format, ...) {
  if (!out_) return;
  std::va_list args;
  va_start(args, format);
  if (std::vfprintf(out_, format, args) < 0 && failure_ == 0) failure_ = errno;  // a full buffer flushed here
  va_end(args);
}

void FeedOutput::end_block() {
  if (!out_) return;
  errno = 0;
  if (std::fflush(out_) == 0 && !std::ferror(out_)) return;
  if (failure_ == 0) failure_ = errno;
  const std::string why = failure_ ? std::strerror(failure_) : "a write failed";
  log::warn("--progress " + (path_ == "-" ? std::string("standard output") : path_) + ": cannot write (" + why +
            "): the feed ends here, the job goes on");
  if (out_ == stdout) {  // said here: main()'s check of standard output is for what the command prints
    __fpurge(stdout);
    std::clearerr(stdout);
  }
  out_ = nullptr;
  cut_short_ = true;
}

void FeedOutput::close(bool job_ok) {
  if (file_ && job_ok && !cut_short_) file_->keep();
  out_ = nullptr;
  file_.reset();
}

}  // namespace interp::cli
