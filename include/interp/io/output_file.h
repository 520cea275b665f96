#pragma once
/// Safe outputs: a result is written under a temporary name beside its target and
/// renamed into place only on success, so a failure or Ctrl-C never leaves a partial
/// file (or folder) under the final name, and an existing output is kept unless the
/// user allowed overwriting.
#include <string>

namespace interp::io {

class PendingOutput {
 public:
  enum class Kind { File, Folder };

  /// Checks the target (exists and !overwrite, same as an input, parent folder missing or
  /// unwritable -> interp::Error) and reserves a temporary path beside it.
  PendingOutput(const std::string& target, Kind kind, bool overwrite);
  /// Removes the temporary path unless commit() succeeded.
  ~PendingOutput();
  PendingOutput(const PendingOutput&) = delete;
  PendingOutput& operator=(const PendingOutput&) = delete;

  /// Where to write now (for files it keeps the target's extension, so muxers and
  /// encoders that guess the format by name still work).
  const std::string& temp_path() const { return temp_; }
  const std::string& target() const { return target_; }

  /// Moves the temporary result to the target (replacing it when overwriting).
  void commit();

 private:
  std::string target_;
  std::string temp_;
  Kind kind_;
  bool committed_ = false;
};

/// Throws interp::Error when `output` names the same file as `input`.
void ensure_distinct(const std::string& input, const std::string& output);

}  // namespace interp::io
