#pragma once
/// A file one run rewrites again and again: the training checkpoint. Every version is
/// written aside and moved into place atomically, as PendingOutput does (output_file.h),
/// with one rule more: the run replaces only what it owns. At the start that is the file
/// already there when the user allowed it (-y, or --resume continuing it); after each
/// write it is the file this run put there. A file that appeared, or was replaced by
/// another program, meanwhile (a second run writing to the same name) is kept, and the
/// write throws instead of taking its place.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace interp::io {

class RepeatedOutput {
 public:
  /// Checks `target` as PendingOutput::check does (a device, FIFO or socket is refused;
  /// an existing file is kept unless `replace_existing`). `inputs` are the files the run
  /// reads, which it never writes.
  RepeatedOutput(std::string target, bool replace_existing, std::vector<std::string> inputs);

  /// `fill` writes the new version into the temporary path it is given; then it takes
  /// the target's place. Throws interp::Error (the new version discarded) when the
  /// target is no longer what this run owns.
  void write(const std::function<void(const std::string& temp)>& fill);

  const std::string& target() const { return target_; }

 private:
  std::string target_;
  std::vector<std::string> inputs_;
  /// (device, inode) of the file at target_ this run may replace; none: only nothing.
  std::optional<std::pair<uint64_t, uint64_t>> owned_;
};

}  // namespace interp::io
