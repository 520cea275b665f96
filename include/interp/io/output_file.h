#pragma once
/// Safe outputs. interp may create, and with -y replace, exactly one thing: its output.
/// A result is written under a temporary name beside its target and moved into place
/// only on success, so a failure or a signal never leaves a partial file (or folder)
/// under the final name. The rules that keep every other file safe:
///  - a target is never `.`, `..`, the filesystem root, an input, or a folder that
///    holds an input or the current folder;
///  - an existing target is kept unless the user allowed overwriting, and an existing
///    *folder* is replaced only when interp wrote it (its marker file is there and it
///    holds nothing but numbered frames, or frames named by the pattern its marker records);
///  - the move into place is atomic and re-checks the target: something that appeared
///    during the run is never replaced without -y;
///  - a device node, FIFO or socket is never replaced, -y or not: a FileOrStream output
///    (a small report) writes into a FIFO or character device, every other refuses one.
#include <string>
#include <vector>

namespace interp::io {

/// The file interp writes into every output folder; its presence (and nothing but
/// numbered frames beside it) is what lets -y replace the folder later.
inline constexpr const char* kOutputFolderMarker = ".interp-output";

class PendingOutput {
 public:
  /// FileOrStream: a file, or a FIFO or character device it writes into (bench --json
  /// to /dev/stdout or a pipe); File refuses those.
  enum class Kind { File, Folder, FileOrStream };

  /// Throws interp::Error when `target` may not be written (see the rules above; a
  /// missing or unwritable parent folder too). `inputs` are the paths the job reads.
  static void check(const std::string& target, Kind kind, bool overwrite, const std::vector<std::string>& inputs);

  /// check(), then reserves a temporary path beside the target (a folder is created).
  /// A folder whose frames are named by an ffmpeg-style `frame_pattern` records it in
  /// its marker, so that a later -y knows those names as interp's.
  PendingOutput(const std::string& target, Kind kind, bool overwrite, const std::vector<std::string>& inputs,
                const std::string& frame_pattern = "");
  /// Removes the temporary path unless commit() succeeded.
  ~PendingOutput();
  PendingOutput(const PendingOutput&) = delete;
  PendingOutput& operator=(const PendingOutput&) = delete;

  /// Where to write now (for files it keeps the target's extension, so muxers and
  /// encoders that guess the format by name still work; a stream is its own path).
  const std::string& temp_path() const { return temp_; }
  /// The target as the user named it, less any trailing '/'.
  const std::string& target() const { return target_; }

  /// Moves the temporary result to the target. Without overwrite it refuses (and
  /// discards the result) if the target appeared meanwhile; with overwrite it swaps
  /// atomically and only replaces what check() would allow.
  void commit();

 private:
  void commit_replacing();

  std::string target_;
  std::string frame_pattern_;
  std::string temp_;
  Kind kind_;
  bool overwrite_;
  bool stream_ = false;  ///< a FIFO or character device written into: nothing to move
  bool committed_ = false;
};

/// Refuses (interp::Error) when standard output is a file that is one of `inputs`,
/// compared by device and inode as `cat` does (`interp in.mkv - 1<> in.mkv`, `>> in.mkv`):
/// writing would destroy the input while it is read. Pipes and terminals pass.
void check_standard_output(const std::vector<std::string>& inputs);

/// Refuses two outputs of one job that are one file or where one folder holds the
/// other; `what` names `other` in the message ("--progress").
void check_apart(const std::string& output, const std::string& other, const std::string& what);

/// Removes every temporary output this process still holds. For the thread that
/// handles a second Ctrl-C (or a fatal signal) just before the process exits; it takes
/// a lock, so never call it from inside a signal handler.
void remove_pending_outputs();

}  // namespace interp::io
