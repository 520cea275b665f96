#pragma once
/// A file written while the job runs, for a reader that follows it: the progress feed.
/// It is an output like any other (output_file.h): never an input by path, link or
/// inode; an existing one is kept unless the user allowed overwriting; it is created as
/// a new file put in place by rename, so neither a link's target nor a hard-linked file's
/// bytes are ever written; it is removed when the job fails or is interrupted (after its
/// last lines were written, for whoever follows it), and on a second Ctrl-C. A FIFO or a
/// character device (a pipe a front-end made, /dev/stderr) is written into and left.
#include <cstdio>
#include <string>
#include <vector>

namespace interp::io {

class LiveOutput {
 public:
  /// Throws interp::Error when `path` may not be written (the constructor's checks, for
  /// a plan made before any work).
  static void check(const std::string& path, bool overwrite, const std::vector<std::string>& inputs);
  /// check(), then creates the file (or opens the FIFO or device).
  LiveOutput(const std::string& path, bool overwrite, const std::vector<std::string>& inputs);
  /// Removes the file unless keep() was called.
  ~LiveOutput();
  LiveOutput(const LiveOutput&) = delete;
  LiveOutput& operator=(const LiveOutput&) = delete;

  std::FILE* stream() const { return stream_; }
  /// The job succeeded: the file stays.
  void keep() { keep_ = true; }

 private:
  std::string path_;
  std::FILE* stream_ = nullptr;
  bool owned_ = false;  ///< created here (removed on failure), not a FIFO or device
  bool keep_ = false;
};

}  // namespace interp::io
