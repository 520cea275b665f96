#pragma once
/// io-private: what the safe outputs (output_file.h, live_output.h) share. Files by
/// identity (device and inode), the way `cat` tells that its output is one of its
/// inputs: a hard link, a symbolic link or a descriptor opened on a file (`1<> in.mkv`)
/// is the same file under another name. Temporary names beside a target, the move that
/// never replaces, and the list of what a second Ctrl-C removes.
#include <sys/stat.h>

#include <optional>
#include <string>
#include <vector>

namespace interp::io {

struct FileId {
  dev_t device = 0;
  ino_t inode = 0;
  mode_t mode = 0;
  bool operator==(const FileId& o) const { return device == o.device && inode == o.inode; }
};

/// The file a descriptor is open on.
std::optional<FileId> id_of_descriptor(int fd);

/// The file `path` names, links followed; "-" is standard input. None when there is none.
std::optional<FileId> id_of_input(const std::string& path);

/// The first of `inputs` that is the file `target` (by identity), or none.
std::optional<std::string> input_that_is(const FileId& target, const std::vector<std::string>& inputs);

/// Temporary outputs and live files alive in this process, removed by
/// remove_pending_outputs() (output_file.h) on a second Ctrl-C.
void register_pending(const std::string& path);
void forget_pending(const std::string& path);

/// A new hidden name beside `target` for this process (".NAME.interp-PID-N.partial"
/// + `suffix`).
std::string temporary_beside(const std::string& target, const std::string& suffix);

/// rename(2) that fails with EEXIST instead of replacing; 0 or an errno value.
int rename_no_replace(const std::string& from, const std::string& to);

/// Swaps two paths atomically (RENAME_EXCHANGE; two renames where the filesystem lacks
/// it); 0 or an errno value.
int exchange_paths(const std::string& a, const std::string& b);

/// The name itself (links not followed), by identity; none when nothing is there.
std::optional<FileId> id_of_name(const std::string& path);

/// "a character device", "a block device", "a FIFO", "a socket" for what is at `path`
/// (links followed); "" for a file, a folder or nothing.
std::string special_file_kind(const std::string& path);

}  // namespace interp::io
